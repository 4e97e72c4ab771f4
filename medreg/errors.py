"""The exception tree and the one JSON error shape, with messages in Korean and English."""
from __future__ import annotations

from typing import Any, ClassVar, Optional

from medreg.language import Text, tr

MESSAGES: dict[str, Text] = {
    "invalid_json": {
        "en": "The request body is not valid JSON.",
        "ko": "요청 본문이 올바른 JSON이 아닙니다.",
    },
    "invalid_request": {
        "en": "Some fields are missing or invalid.",
        "ko": "일부 필드가 없거나 올바르지 않습니다.",
    },
    "payload_too_large": {
        "en": "The request body is larger than {limit_kib} KiB.",
        "ko": "요청 본문이 {limit_kib} KiB보다 큽니다.",
    },
    "unsupported_media_type": {
        "en": "Send the body as JSON with Content-Type: application/json.",
        "ko": "본문을 JSON으로 보내고 Content-Type: application/json 헤더를 지정하세요.",
    },
    "unauthorized": {
        "en": "A valid API key is required.",
        "ko": "유효한 API 키가 필요합니다.",
    },
    "rate_limited": {
        "en": "Too many requests. Try again shortly.",
        "ko": "요청이 너무 많습니다. 잠시 후 다시 시도하세요.",
    },
    "not_found": {"en": "Not found.", "ko": "찾을 수 없습니다."},
    "method_not_allowed": {"en": "Method not allowed.", "ko": "허용되지 않는 메서드입니다."},
    "upstream_error": {
        "en": "The language model service failed. Try again.",
        "ko": "언어 모델 서비스에 오류가 발생했습니다. 다시 시도하세요.",
    },
    "upstream_unavailable": {
        "en": "The language model service is overloaded. Try again shortly.",
        "ko": "언어 모델 서비스가 과부하 상태입니다. 잠시 후 다시 시도하세요.",
    },
    "upstream_timeout": {
        "en": "The step took too long and was stopped. Try again.",
        "ko": "처리 시간이 너무 길어 중단했습니다. 다시 시도하세요.",
    },
    "not_a_device": {
        "en": "This product is not regulated as a medical device in the markets asked about (see the classification's"
              " qualification), so there is no device plan to make. If it claims to detect, treat or prevent a disease,"
              " say so and classify it again.",
        "ko": "이 제품은 요청한 시장에서 의료기기로 규제되지 않으므로(분류 결과의 qualification 참조) 의료기기 인허가"
              " 계획을 만들 수 없습니다. 질병의 진단·치료·예방을 표방한다면 그 내용을 적어 다시 분류하세요.",
    },
    "internal": {
        "en": "Something went wrong on our side. Nothing was saved; try again.",
        "ko": "서버 내부 오류가 발생했습니다. 저장된 것은 없으니 다시 시도하세요.",
    },
    "upstream_rate_limited": {
        "en": "The language model service's rate limit was reached. Try again after the time given in Retry-After.",
        "ko": "언어 모델 서비스의 사용량 한도에 도달했습니다. Retry-After에 안내된 시간 뒤에 다시 시도하세요.",
    },
    "refused": {
        "en": "The language model declined to answer this request. Rephrasing it will not bypass that; see the reason.",
        "ko": "언어 모델이 이 요청에 대한 답변을 거절했습니다. 사유를 확인하세요.",
    },
    "model_not_found": {
        "en": "The configured language model does not exist. The operator must set MEDREG_MODEL to an available model.",
        "ko": "설정된 언어 모델이 존재하지 않습니다. 운영자가 MEDREG_MODEL을 사용 가능한 모델로 설정해야 합니다.",
    },
    "invalid_api_key": {
        "en": "The language model service rejected the API key. The operator must set a valid ANTHROPIC_API_KEY.",
        "ko": "언어 모델 서비스가 API 키를 거부했습니다. 운영자가 올바른 ANTHROPIC_API_KEY를 설정해야 합니다.",
    },
    "answer_cut_off": {
        "en": "The language model's answer was cut off before it was complete; retrying would repeat that.",
        "ko": "언어 모델의 답변이 완성되기 전에 잘렸습니다. 다시 시도해도 같은 결과가 나옵니다.",
    },
}


DEFAULT_VALUES = {"limit_kib": 64}   # what a message names when the error does not say (the general body limit)


def message_for(code: str, language: str, **values: Any) -> str:
    """The user-facing message for an error code in `language` (English if unknown)."""
    text = tr(MESSAGES.get(code, MESSAGES["internal"]), language)
    return text.format(**{**DEFAULT_VALUES, **values}) if "{" in text else text


class MedregError(Exception):
    """Root of medreg's errors: a code, an HTTP status, a retry hint and a user message."""

    code: ClassVar[str] = "internal"
    status: ClassVar[int] = 500
    retryable: ClassVar[bool] = False

    def __init__(self, detail: Optional[str] = None, *, fields: Optional[dict] = None,
                 retryable: Optional[bool] = None, headers: Optional[dict] = None,
                 reason: Optional[str] = None, transient: bool = False) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.fields = fields
        self.headers = headers or {}
        self.language: Optional[str] = None
        # An upstream's own stated reason (a refusal's, or what /healthz says of the key), shown to the user.
        self.reason = reason
        # A fault a later attempt may not meet (a dropped connection, a 5xx): worth an offline fallback.
        self.transient = transient
        # What /healthz should say of the model after this error (engines.anthropic's ModelStatus), if anything.
        self.model_status: Any = None
        if retryable is not None:
            self.retryable = retryable  # type: ignore[misc]

    def with_language(self, language: str) -> "MedregError":
        """Remember the language the user reads, for the HTTP error handler."""
        self.language = language
        return self

    def message(self, language: str) -> str:
        """The user-facing message in `language`."""
        return message_for(self.code, language)

    def payload(self, language: str) -> dict[str, Any]:
        """The body of the one JSON error shape: `{"error": {...}}`."""
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message(language),
            "retryable": self.retryable,
        }
        if self.fields:
            from medreg.schemas.messages import localise   # schemas import this module: resolved late
            error["fields"] = localise(self.fields, language)
        if self.reason:  # an upstream's stated reason (a refusal's), never internals
            error["reason"] = self.reason
        return {"error": error}


class InvalidJSON(MedregError):
    code, status = "invalid_json", 400


class InvalidRequest(MedregError):
    code, status = "invalid_request", 422


class PayloadTooLarge(MedregError):
    code, status = "payload_too_large", 413

    def __init__(self, *args, limit_bytes: Optional[int] = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_bytes = limit_bytes

    def message(self, language: str) -> str:
        """Names the limit of the endpoint that refused the body."""
        if self.limit_bytes is None:
            return message_for(self.code, language)
        return message_for(self.code, language, limit_kib=self.limit_bytes // 1024)


class UnsupportedMediaType(MedregError):
    code, status = "unsupported_media_type", 415


class Unauthorized(MedregError):
    code, status = "unauthorized", 401


class NotADevice(MedregError):
    """The classification says the product is not a medical device: no device plan exists for it."""

    code, status = "not_a_device", 422


class RateLimited(MedregError):
    code, status, retryable = "rate_limited", 429, True

    def __init__(self, detail: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        # Every 429 says when to come back (RFC 6585); a limit that did not say gets a short wait.
        self.headers.setdefault("Retry-After", "5")


class NotFound(MedregError):
    code, status = "not_found", 404


class MethodNotAllowed(MedregError):
    code, status = "method_not_allowed", 405


class UpstreamError(MedregError):
    code, status, retryable = "upstream_error", 502, True


class UpstreamUnavailable(UpstreamError):
    code, status = "upstream_unavailable", 503


class UpstreamTimeout(UpstreamError):
    code, status = "upstream_timeout", 504


class UpstreamRateLimited(UpstreamUnavailable):
    code = "upstream_rate_limited"


class Refused(UpstreamError):
    code, status, retryable = "refused", 422, False


class ModelNotFound(UpstreamError):
    code, status, retryable = "model_not_found", 502, False


class InvalidApiKey(UpstreamError):
    code, status, retryable = "invalid_api_key", 502, False


class AnswerCutOff(UpstreamError):
    code, status, retryable = "answer_cut_off", 502, False


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


ERROR_CLASSES: dict[str, type[MedregError]] = {
    cls.code: cls for cls in [MedregError, *_all_subclasses(MedregError)]
}


def error_from_code(code: str, *, fields: Optional[dict] = None,
                    retryable: Optional[bool] = None) -> MedregError:
    """Rebuild an error from its code alone."""
    return ERROR_CLASSES.get(code, MedregError)(fields=fields, retryable=retryable)


def error_from_event(payload: dict) -> MedregError:
    """The error an `error` event's payload reports, so a JSON answer says what the stream said: code,
    fields, retry hint, the upstream's stated reason and its Retry-After."""
    retry_after = payload.get("retry_after")
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return ERROR_CLASSES.get(payload.get("code", "internal"), MedregError)(
        fields=payload.get("fields"), retryable=bool(payload.get("retryable")), headers=headers,
        reason=payload.get("reason"))
