"""The exception tree and the one JSON error shape, with messages in Korean and English."""
from __future__ import annotations

from typing import Any, ClassVar, Optional

from medreg.language import Text, tr, wording

# The message of every error code, in both languages: knowledge/data/wording/errors.json.
MESSAGES: dict[str, Text] = wording("errors")["messages"]


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
