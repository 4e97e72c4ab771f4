"""One streamed, structured Messages call through the SDK: prose deltas while it is written, then the JSON.

The SDK sends the request (and retries it); `reader.StreamReader` parses the events and keeps
the text, stop reason and usage (its docstring says why not `messages.stream()`). This module
adds the step's deadline, the prose preview, the stop-reason checks, the usage and request id of
every call (failed ones too), and one retry of an overload that arrives mid-stream.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Generator, Optional

import anthropic
import gevent
import httpx2

from medreg.engines.anthropic.client import deadline_scope, remaining
from medreg.engines.anthropic.failures import StreamEnded, cut_off, is_overloaded, map_error, refused
from medreg.engines.anthropic.prose import ProseExtractor
from medreg.engines.anthropic.reader import USAGE_KEYS, Message, StreamReader
from medreg.engines.anthropic.request import CallSpec
from medreg.errors import MedregError, UpstreamError, UpstreamTimeout
from medreg.events import Delta

log = logging.getLogger(__name__)



@dataclass
class Usage:
    """Token counts, summed over the calls of one step (failed and refused calls included)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_KEYS, 0))

    def add(self, counts: dict[str, int]) -> None:
        """Add one call's token counts."""
        for key in USAGE_KEYS:
            self.counts[key] += int(counts.get(key) or 0)

    def as_dict(self) -> dict[str, int]:
        """The plain dict reported in the result and in `done`."""
        return dict(self.counts)


def _timeout(spec: CallSpec, deadline: float) -> httpx2.Timeout:
    left = max(remaining(deadline), 0.1)
    return httpx2.Timeout(min(spec.read_timeout_s, left), connect=min(spec.connect_timeout_s, left))


def _deadline_timer(deadline: float) -> gevent.Timeout:
    left = remaining(deadline)
    if left <= 0:
        raise UpstreamTimeout("step deadline")
    timer = gevent.Timeout(left, UpstreamTimeout("step deadline"))
    timer.start()
    return timer


def _answer(message: Message) -> dict:
    """The JSON object of a finished message, or the error its stop reason means."""
    if not message.started or message.stop_reason is None:
        raise StreamEnded("stream ended before message_stop")
    if message.stop_reason == "refusal":
        details = message.stop_details or {}
        raise refused(details.get("explanation") if isinstance(details, dict) else None)
    if message.stop_reason in ("max_tokens", "model_context_window_exceeded"):
        raise cut_off(message.stop_reason)
    if message.stop_reason != "end_turn":
        raise UpstreamError(f"unexpected stop_reason {message.stop_reason}")
    value = json.loads(message.text())
    if not isinstance(value, dict):
        raise UpstreamError("answer is not a JSON object")
    return value


def _open(client: anthropic.Anthropic, spec: CallSpec, deadline: float) -> httpx2.Response:
    """Send the request through the SDK; the raw streamed response, holding no more than it must."""
    upstream = client.messages.create(**spec.build(), stream=True, timeout=_timeout(spec, deadline))
    # Only the raw response is kept: the SDK's `Stream` also holds its copy of the request
    # options, about 12 KiB a stream that an open stream need not keep (bench/peers.py open).
    response = upstream.response
    # Nor the sent headers (the API key among them), which the SDK reads only before it returns:
    # RSS per silent open stream 84.2 / 84.8 -> 81.8 / 82.5 KiB (bench/peers.py open, as above).
    response.request.headers = httpx2.Headers()
    return response


def _finish(spec: CallSpec, message: Message, response: Optional[httpx2.Response], usage: Usage,
            started: float) -> None:
    """After an attempt, however it ended: close the upstream, count its tokens, log it."""
    if response is not None:
        # Normally, by error, or by GreenletExit when the client went away: the upstream closes.
        response.close()
    if message.started:
        usage.add(message.usage_counts())
    log.info("anthropic %s: request_id=%s stop_reason=%s usage=%s ms=%d", spec.label, message.request_id,
             message.stop_reason, _usage_line(message), (time.monotonic() - started) * 1000)


def _usage_line(message: Message) -> Optional[str]:
    if not message.started:
        return None
    return ",".join(f"{key}={count}" for key, count in message.usage_counts().items())


def streamed_call(client: anthropic.Anthropic, spec: CallSpec, deadline: float, usage: Usage,
                  on_open: Optional[Callable[[], None]] = None) -> Generator[Delta, None, dict]:
    """Run the call, yielding `Delta`s; return the answer. Raises `MedregError` on failure.

    The SDK retries 429/529/5xx before any byte arrives. A mid-stream `overloaded_error` is
    retried here only while this call has sent nothing to the user; after that a retry would
    repeat text, so it becomes a retryable error instead. `on_open` is called once, when the
    upstream's first event arrives.

    Each attempt runs inline in this generator, as does the event parsing (`StreamReader`), not in
    generators of their own: while an open stream waits, its greenlet's saved C stack holds two
    generator layers fewer (about 0.8 KiB a stream).
    """
    emitted, attempt, model = False, 0, spec.model
    with deadline_scope(deadline):
        while True:
            extractor = ProseExtractor(spec.prose_keys) if spec.prose_keys else None
            message, started, response = Message(), time.monotonic(), None
            # The timer bounds the whole stream, not only each read (a trickling upstream cannot run
            # past the deadline). It is paused around each `yield`: while suspended this generator is
            # not on its greenlet's stack, and the timeout must not fire into the caller's code.
            timer = _deadline_timer(deadline)
            try:
                try:
                    response = _open(client, spec, deadline)
                    reader = StreamReader(response, message, on_open)
                    for chunk in reader.chunks:
                        for text in reader.texts(chunk):
                            prose = extractor.feed(text) if extractor is not None else None
                            if prose:
                                emitted = True
                                timer.close()
                                yield Delta(prose)
                                timer = _deadline_timer(deadline)
                finally:
                    timer.close()
                    _finish(spec, message, response, usage, started)
                return _answer(message)
            except MedregError:
                raise
            except Exception as exc:  # every SDK / transport / decode failure, mapped once
                if not (is_overloaded(exc) and exc.status_code == 200) or emitted \
                        or attempt >= spec.mid_stream_retries or remaining(deadline) < 2.0:
                    raise map_error(exc, spec.label, model) from None
                attempt += 1
                log.info("anthropic %s: overloaded mid-stream before any output; retry %d", spec.label, attempt)
                gevent.sleep(min(0.5 * attempt, max(remaining(deadline) - 1.0, 0)))


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
