"""One Messages stream read from its raw HTTP body: medreg's SSE parser and a small accumulator.

The SDK still builds and sends the request (auth, headers, retries of 429/529/5xx before the
first byte, its middleware, its exception types): `messages.create(..., stream=True)` hands back
its `Stream`, unread, whose `.response` is the raw HTTP response. What the SDK would do next per
event, a pydantic model per event, a `MessageStream` snapshot copied on every delta and about ten
nested generators between the socket and us, is replaced by the loop below, which keeps only
what medreg reads: the text, the stop reason and details, the usage and the request id.

Measured with `python bench/peers.py llm --seconds 10` (one worker, stub at 50 tokens/s, 100
classify clients, 10 standards clients, 2 cores shared with other work): worker CPU per classify
stream 12.2 ms with `messages.stream()` (0.81x peer b, load 1.8), 10.3 / 10.8 ms with this
(0.62x / 0.68x, load 7.7 / 10); per standards stream 62.0 ms (0.78x) and 46.3 / 44.3 ms (0.60x /
0.57x); an earlier run of the same reader at load 3.7 gave 0.72x and 0.85x: the ratios are noisy.
`python bench/profile_llm.py --closed classify` put the SDK's stream parsing
(`MessageStream.__iter__` less the HTTP read beneath it) at 17% of the worker's busy samples.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

import anthropic
import httpx2
import orjson

from medreg.http.sse import SSEParser

USAGE_KEYS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


class MalformedEvent(ValueError):
    """An event whose data is not the JSON object the Messages stream always sends."""


@dataclass
class Message:
    """What medreg keeps of a streamed message (the SDK's snapshot, reduced to the fields read)."""

    request_id: Optional[str] = None
    started: bool = False                      # `message_start` arrived
    stop_reason: Optional[str] = None
    stop_details: Optional[dict] = None
    usage: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)  # content block index -> list of text pieces

    def text(self) -> str:
        """The text of every text block, in block order."""
        return "".join("".join(self.texts[index]) for index in sorted(self.texts))

    def usage_counts(self) -> dict[str, int]:
        """The four token counts (0 where the upstream did not say)."""
        return {key: int(self.usage.get(key) or 0) for key in USAGE_KEYS}


def _usage_update(message: Message, usage: object) -> None:
    # `message_delta` carries cumulative counts; a key it leaves out (or sends as null) keeps its value.
    if isinstance(usage, dict):
        for key in USAGE_KEYS:
            value = usage.get(key)
            if value is not None:
                message.usage[key] = value


def _body(http_response: httpx2.Response) -> Iterable[bytes]:
    """The body's chunks: the raw stream when it is not content-encoded, else httpx's decoding iterator.

    An unencoded body passes httpx's decoding layers unchanged: two generators, a decoder, two
    chunkers and two exception-annotating contexts per stream, kept for as long as it is open.
    RSS per silent open stream 81.8 / 82.5 -> 80.0 / 80.4 KiB (`python bench/peers.py open
    --medreg-only --open 1000 --open-first-token-s 150 --rate 50`), tracked objects 270 -> 256.
    """
    if http_response.headers.get("content-encoding", "").strip().lower() not in ("", "identity"):
        return http_response.iter_bytes()
    http_response.is_stream_consumed = True  # as `iter_raw` marks it: nothing may read it twice
    return http_response.stream


class StreamReader:
    """Parses a streamed `http_response` chunk by chunk, filling `message` as events arrive.

    A caller loops over `chunks` and asks `texts(chunk)` for each: no generator of ours sits
    between the call's loop and the socket read, so an open stream's greenlet keeps one
    generator layer fewer on its saved C stack while it waits (about 0.4 KiB a stream).
    An `error` event raises the SDK's `APIStatusError` (status 200, the event as its body), as
    the SDK's own stream does; data that is not a JSON object raises `MalformedEvent`.
    `on_first` is called once, at the first event other than `ping`.
    """

    __slots__ = ("chunks", "_response", "_message", "_parser", "_on_first")

    def __init__(self, http_response: httpx2.Response, message: Message,
                 on_first: Optional[Callable[[], None]] = None) -> None:
        message.request_id = http_response.headers.get("request-id")
        self.chunks = _body(http_response)
        self._response, self._message, self._on_first = http_response, message, on_first
        # token counts and indexes only: no integer past 64 bits
        self._parser = SSEParser(loads=orjson.loads)

    def texts(self, chunk: bytes) -> list[str]:
        """The text deltas of the events `chunk` completes (often none)."""
        message, texts = self._message, []
        for event in self._parser.feed(chunk):
            kind = event.event
            if kind == "ping":
                continue
            data = event.data
            if self._on_first is not None:
                on_first, self._on_first = self._on_first, None
                on_first()
            if kind == "error":
                raise anthropic.APIStatusError(f"{data}", response=self._response, body=data)
            if not isinstance(data, dict):
                raise MalformedEvent(f"{kind} event data is not a JSON object")
            if kind == "content_block_delta":
                delta = data.get("delta") or {}
                if delta.get("type") == "text_delta":
                    pieces = message.texts.get(data.get("index"))
                    if pieces is not None:
                        text = delta.get("text") or ""
                        pieces.append(text)
                        texts.append(text)
            elif kind == "content_block_start":
                block = data.get("content_block") or {}
                if block.get("type") == "text":
                    message.texts[data.get("index")] = [block.get("text") or ""]
            elif kind == "message_start":
                message.started = True
                _usage_update(message, (data.get("message") or {}).get("usage"))
            elif kind == "message_delta":
                delta = data.get("delta") or {}
                message.stop_reason = delta.get("stop_reason") or message.stop_reason
                message.stop_details = delta.get("stop_details") or message.stop_details
                _usage_update(message, data.get("usage"))
        return texts
