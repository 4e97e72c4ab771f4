"""What each SDK failure means to medreg: one mapping, with no key, header or upstream body in it.

Transient faults (timeouts, 429/5xx/529 after the SDK's retries, a dropped connection, an
overload mid-stream) are the only ones the engine may answer from the offline engine instead;
a refusal, a missing model, a rejected key or a cut-off answer is reported as what it is.
"""
from __future__ import annotations

import logging
from typing import Optional

import anthropic
import httpx2

from medreg.engines.anthropic.client import RetryWaitTooLong, retry_after_s
from medreg.engines.anthropic.models import ModelStatus, bad_key, not_found
from medreg.errors import (AnswerCutOff, InvalidApiKey, MedregError, ModelNotFound, Refused, UpstreamError,
                           UpstreamRateLimited, UpstreamTimeout, UpstreamUnavailable)

log = logging.getLogger(__name__)


class StreamEnded(Exception):
    """The stream ended before `message_stop` (the connection closed cleanly mid-answer)."""


def is_transient(error: MedregError) -> bool:
    """True for faults a later attempt may not meet: the only ones worth an offline fallback."""
    return isinstance(error, (UpstreamUnavailable, UpstreamTimeout)) or error.transient


def _error_type(exc: anthropic.APIStatusError) -> Optional[str]:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    return error.get("type")


def is_overloaded(exc: BaseException) -> bool:
    """An `overloaded_error`: HTTP 529, or an `error` event in a 200 stream."""
    return isinstance(exc, anthropic.APIStatusError) and (
        exc.status_code == 529 or _error_type(exc) == "overloaded_error")


def _rate_limited(wait_s: Optional[float]) -> MedregError:
    headers = {"Retry-After": str(max(1, round(wait_s)))} if wait_s is not None else {}
    return UpstreamRateLimited(headers=headers)


def map_error(exc: BaseException, label: str, model: str = "") -> MedregError:
    """medreg's error for anything a call raised; logs the kind of failure and its request id, never its payload."""
    if isinstance(exc, MedregError):
        return exc
    status = getattr(exc, "status_code", None)
    request_id = getattr(exc, "request_id", None)
    log.warning("anthropic %s failed: %s%s request_id=%s", label, type(exc).__name__,
                f" (HTTP {status})" if status else "", request_id)
    if isinstance(exc, RetryWaitTooLong):
        return _rate_limited(exc.wait_s)
    if isinstance(exc, (anthropic.APITimeoutError, httpx2.TimeoutException)):
        return UpstreamTimeout()
    if isinstance(exc, anthropic.RateLimitError):
        return _rate_limited(retry_after_s(exc.response.headers))
    if isinstance(exc, anthropic.NotFoundError):
        return _with_status(ModelNotFound(), not_found(model))
    if isinstance(exc, anthropic.AuthenticationError):
        return _with_status(InvalidApiKey(), bad_key(model))
    if isinstance(exc, anthropic.PermissionDeniedError):
        return _with_status(InvalidApiKey(), bad_key(model, forbidden=True))
    if isinstance(exc, anthropic.APIStatusError):
        if is_overloaded(exc):
            return UpstreamUnavailable()
        if status is not None and status >= 500:
            return UpstreamError(transient=True)
        if _error_type(exc) in ("api_error", "overloaded_error"):  # an error event mid-stream
            return UpstreamError(transient=True)
        return UpstreamError(retryable=False)  # our request is wrong (400, 413, 422): retrying will not help
    if isinstance(exc, (anthropic.APIConnectionError, httpx2.TransportError, StreamEnded)):
        return UpstreamError(transient=True)  # includes RemoteProtocolError: the socket dropped mid-stream
    return UpstreamError()  # malformed event data (a JSON decode error) or an unparsable answer


def _with_status(error: MedregError, status: ModelStatus) -> MedregError:
    """A configuration error carrying what /healthz should now say (one text for both)."""
    error.reason, error.model_status = status.status, status
    return error


def refused(explanation: Optional[str]) -> MedregError:
    """The model's refusal, with its stated reason where it gave one."""
    return Refused(reason=explanation or None)


def cut_off(stop_reason: str) -> MedregError:
    """An answer that hit `max_tokens` (or the context window): a retry would cut it off again."""
    return AnswerCutOff(f"answer stopped on {stop_reason}")
