"""One streamed, structured Messages call: prose deltas while it is written, then the parsed JSON.

Every failure the SDK (and the HTTP library under it) can raise is mapped here, once, to
medreg's own errors, with no key, header or upstream body in what users or logs see.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Generator, Optional

import anthropic
import gevent
import httpx2

from medreg.engines.claude.client import RetryWaitTooLong, deadline_scope, remaining
from medreg.engines.claude.prose import ProseExtractor
from medreg.engines.claude.sse import iter_events
from medreg.errors import MedregError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from medreg.events import Delta

log = logging.getLogger(__name__)

USAGE_KEYS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


@dataclass
class Usage:
    """Token counts, summed over the calls of one step."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_KEYS, 0))

    def add(self, usage: dict) -> None:
        """Add one call's usage (the API's `usage` object)."""
        for key in USAGE_KEYS:
            self.counts[key] += int(usage.get(key) or 0)

    def merge(self, other: "Usage") -> None:
        """Add another step-level total."""
        for key in USAGE_KEYS:
            self.counts[key] += other.counts[key]

    def as_dict(self) -> dict[str, int]:
        """The plain dict reported in `done`."""
        return dict(self.counts)


@dataclass(frozen=True)
class CallSpec:
    """Everything one call needs: the encoded request body (see `body.BodyBuilder`) and limits."""

    body: bytes
    prose_keys: frozenset[str] = frozenset()
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    mid_stream_retries: int = 1
    label: str = "call"


class _Overloaded(Exception):
    """An `overloaded_error` event arrived mid-stream."""


class _StreamError(Exception):
    """Any other `error` event mid-stream, or a stream that ended before `message_stop`."""


def _request_options(spec: CallSpec, deadline: float) -> dict:
    left = max(remaining(deadline), 0.1)
    return {"timeout": httpx2.Timeout(min(spec.read_timeout_s, left), connect=min(spec.connect_timeout_s, left))}


def _is_overloaded(exc: anthropic.APIStatusError) -> bool:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    return error.get("type") == "overloaded_error" or exc.status_code == 529


def _error_event(data: str) -> Exception:
    """What an `error` event means: overloaded (retryable while nothing was shown) or a failure."""
    try:
        body = json.loads(data)
    except ValueError:
        return _StreamError("unreadable error event")
    error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    if error.get("type") == "overloaded_error":
        return _Overloaded()
    return _StreamError(str(error.get("type") or "error event"))


def map_error(exc: BaseException, label: str) -> MedregError:
    """medreg's error for anything a call raised; logs the kind of failure, never its payload."""
    if isinstance(exc, MedregError):
        return exc
    status = getattr(exc, "status_code", None)
    log.warning("anthropic %s failed: %s%s", label, type(exc).__name__, f" (HTTP {status})" if status else "")
    if isinstance(exc, RetryWaitTooLong):
        return UpstreamUnavailable(headers={"Retry-After": str(max(1, round(exc.wait_s)))})
    if isinstance(exc, _Overloaded):
        return UpstreamUnavailable()
    if isinstance(exc, (anthropic.APITimeoutError, httpx2.TimeoutException)):
        return UpstreamTimeout()
    if isinstance(exc, anthropic.APIStatusError):
        if _is_overloaded(exc) or status == 429:
            return UpstreamUnavailable()
        if status in (400, 401, 403, 404, 413, 422):
            return UpstreamError(retryable=False)  # our request or our key is wrong: retrying will not help
        return UpstreamError()
    if isinstance(exc, (anthropic.APIConnectionError, httpx2.TransportError)):
        return UpstreamError()  # includes RemoteProtocolError: the socket dropped mid-stream
    if isinstance(exc, ValueError):
        return UpstreamError()  # malformed event data (JSONDecodeError) or an unparsable answer
    return UpstreamError()


def _parse(text: str, stop_reason: Optional[str]) -> dict:
    if stop_reason == "max_tokens":
        raise UpstreamError("answer cut off at max_tokens")
    value = json.loads(text)
    if not isinstance(value, dict):
        raise UpstreamError("answer is not a JSON object")
    return value


def _deadline_timer(deadline: float) -> gevent.Timeout:
    left = remaining(deadline)
    if left <= 0:
        raise UpstreamTimeout("step deadline")
    timer = gevent.Timeout(left, UpstreamTimeout("step deadline"))
    timer.start()
    return timer


def _open(client: anthropic.Anthropic, spec: CallSpec, deadline: float) -> httpx2.Response:
    """POST the prepared body through the SDK (its headers, retries and errors); the unread streamed response."""
    return client.post("/v1/messages", cast_to=httpx2.Response, content=spec.body,
                       options=_request_options(spec, deadline), stream=True)


def _chunks(response: httpx2.Response):
    """The body's bytes; undecoded when the body is not compressed (one generator layer less per chunk)."""
    if response.headers.get("content-encoding", "identity") == "identity":
        return response.iter_raw()
    return response.iter_bytes()


def _attempt(client: anthropic.Anthropic, spec: CallSpec, deadline: float, usage: Usage,
             emitted: list[bool]) -> Generator[Delta, None, dict]:
    extractor = ProseExtractor(spec.prose_keys) if spec.prose_keys else None
    parts: list[str] = []
    call_usage: dict = {}
    stop_reason, stopped = None, False
    # The timer bounds the whole stream, not only each read (a trickling upstream cannot run
    # past the deadline). It is paused around each `yield`: while suspended this generator is
    # not on its greenlet's stack, and the timeout must not fire into the caller's code.
    timer = _deadline_timer(deadline)
    try:
        response = _open(client, spec, deadline)
        # Closing the response (normally, by error, or by GeneratorExit when the client went
        # away) closes the upstream stream.
        try:
            for event, data in iter_events(_chunks(response)):
                if event == "content_block_delta":
                    delta = json.loads(data)["delta"]
                    kind = delta.get("type")
                    piece = (delta.get("text") if kind == "text_delta"
                             else delta.get("partial_json") if kind == "input_json_delta" else None)
                    if not piece:
                        continue
                    parts.append(piece)
                    prose = extractor.feed(piece) if extractor is not None else ""
                    if prose:
                        emitted[0] = True
                        timer.close()
                        yield Delta(prose)
                        timer = _deadline_timer(deadline)
                elif event == "message_start":
                    call_usage = dict(json.loads(data)["message"].get("usage") or {})
                elif event == "message_delta":
                    body = json.loads(data)
                    stop_reason = (body.get("delta") or {}).get("stop_reason") or stop_reason
                    # Cumulative counts: the latest non-null value of each wins.
                    call_usage.update((k, v) for k, v in (body.get("usage") or {}).items() if v is not None)
                elif event == "message_stop":
                    stopped = True
                elif event == "error":
                    raise _error_event(data)
        finally:
            response.close()
    finally:
        timer.close()
    if not stopped:
        raise _StreamError("stream ended before message_stop")
    usage.add(call_usage)
    return _parse("".join(parts), stop_reason)


def streamed_call(client: anthropic.Anthropic, spec: CallSpec, deadline: float,
                  usage: Usage) -> Generator[Delta, None, dict]:
    """Run the call, yielding `Delta`s; return the answer. Raises `MedregError` on failure.

    The SDK retries 429/529/5xx before any byte arrives. A mid-stream `overloaded_error` is
    retried here only while this call has sent nothing to the user; after that a retry would
    repeat text, so it becomes a retryable error instead.
    """
    emitted = [False]
    attempt = 0
    with deadline_scope(deadline):
        while True:
            try:
                return (yield from _attempt(client, spec, deadline, usage, emitted))
            except _Overloaded as exc:
                if emitted[0] or attempt >= spec.mid_stream_retries or remaining(deadline) < 2.0:
                    raise map_error(exc, spec.label) from None
                attempt += 1
                log.info("anthropic %s: overloaded mid-stream before any output; retry %d", spec.label, attempt)
                gevent.sleep(min(0.5 * attempt, max(remaining(deadline) - 1.0, 0)))
            except MedregError:
                raise
            except Exception as exc:  # every SDK / transport / decode failure, mapped once
                raise map_error(exc, spec.label) from None


def run_to_end(gen: Generator[Delta, None, dict]) -> dict:
    """Drive a call generator, discarding its deltas; return its answer (fan-out children use this)."""
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def monotonic_deadline(seconds: float) -> float:
    """A deadline `seconds` from now on the monotonic clock."""
    return time.monotonic() + seconds
