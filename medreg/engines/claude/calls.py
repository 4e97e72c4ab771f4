"""One streamed, structured Messages call: prose deltas while it is written, then the parsed JSON.

Every failure the SDK (and the HTTP library under it) can raise is mapped here, once, to
medreg's own errors, with no key, header or upstream body in what users or logs see.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Generator, Optional

import anthropic
import gevent
import httpx2

from medreg.engines.claude.client import RetryWaitTooLong, deadline_scope, remaining
from medreg.engines.claude.prose import ProseExtractor
from medreg.errors import MedregError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from medreg.events import Delta

log = logging.getLogger(__name__)

TOOL_NAME = "answer"
USAGE_KEYS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


@dataclass
class Usage:
    """Token counts, summed over the calls of one step."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_KEYS, 0))

    def add(self, usage: Any) -> None:
        """Add an SDK `Usage` object."""
        for key in USAGE_KEYS:
            self.counts[key] += int(getattr(usage, key, 0) or 0)

    def merge(self, other: "Usage") -> None:
        """Add another step-level total."""
        for key in USAGE_KEYS:
            self.counts[key] += other.counts[key]

    def as_dict(self) -> dict[str, int]:
        """The plain dict reported in `done`."""
        return dict(self.counts)


@dataclass(frozen=True)
class CallSpec:
    """Everything one call needs: prompt, schema, limits."""

    model: str
    system: list[dict]
    messages: list[dict]
    schema: dict
    max_tokens: int = 4096
    structured: str = "output_config"  # or "tool": a forced tool whose input is the answer
    prose_keys: frozenset[str] = frozenset()
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    mid_stream_retries: int = 1
    label: str = "call"


class _Overloaded(Exception):
    """An `overloaded_error` event arrived mid-stream."""


def _request_kwargs(spec: CallSpec, deadline: float) -> dict:
    left = max(remaining(deadline), 0.1)
    kwargs: dict[str, Any] = {
        "model": spec.model, "max_tokens": spec.max_tokens, "system": spec.system, "messages": spec.messages,
        "timeout": httpx2.Timeout(min(spec.read_timeout_s, left), connect=min(spec.connect_timeout_s, left)),
    }
    if spec.structured == "tool":
        kwargs["tools"] = [{"name": TOOL_NAME, "description": "Give the answer.", "input_schema": spec.schema}]
        kwargs["tool_choice"] = {"type": "tool", "name": TOOL_NAME}
    else:
        kwargs["output_config"] = {"format": {"type": "json_schema", "schema": spec.schema}}
    return kwargs


def _piece(event: Any) -> Optional[str]:
    if getattr(event, "type", None) != "content_block_delta":
        return None
    delta = event.delta
    if delta.type == "text_delta":
        return delta.text
    if delta.type == "input_json_delta":
        return delta.partial_json
    return None


def _is_overloaded(exc: anthropic.APIStatusError) -> bool:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    return error.get("type") == "overloaded_error" or exc.status_code == 529


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


def _attempt(client: anthropic.Anthropic, spec: CallSpec, deadline: float, usage: Usage,
             emitted: list[bool]) -> Generator[Delta, None, dict]:
    extractor = ProseExtractor(spec.prose_keys)
    parts: list[str] = []
    # The timer bounds the whole stream, not only each read (a trickling upstream cannot run
    # past the deadline). It is paused around each `yield`: while suspended this generator is
    # not on its greenlet's stack, and the timeout must not fire into the caller's code.
    timer = _deadline_timer(deadline)
    try:
        # Leaving this `with` (normally, by error, or by GeneratorExit when the client went
        # away) closes the upstream response.
        with client.messages.stream(**_request_kwargs(spec, deadline)) as stream:
            try:
                for event in stream:
                    piece = _piece(event)
                    if piece is None:
                        continue
                    parts.append(piece)
                    prose = extractor.feed(piece) if spec.prose_keys else ""
                    if prose:
                        emitted[0] = True
                        timer.close()
                        yield Delta(prose)
                        timer = _deadline_timer(deadline)
            except anthropic.APIStatusError as exc:
                if exc.status_code == 200 and _is_overloaded(exc):
                    raise _Overloaded() from None
                raise
            message = stream.get_final_message()
    finally:
        timer.close()
    usage.add(message.usage)
    return _parse("".join(parts), message.stop_reason)


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
