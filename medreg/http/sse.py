"""Server-Sent Events, both ways (WHATWG wire format): the encoder the server writes with and the
incremental parser the Python clients and the tests read with. Knows nothing of Flask."""
from __future__ import annotations

import codecs
import json
import re
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional

import orjson


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def _single_line(value: str) -> str:
    # A line break inside `id` or `event` would start a new field and corrupt the stream.
    return _LINE_BREAKS.sub("", value)


def compact_json_bytes(payload: Any) -> bytes:
    """JSON as UTF-8 bytes with no spaces and real (unescaped) non-ASCII characters."""
    # orjson (a dependency) is several times faster on the 2–20 KB results every stream carries.
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS, default=str)
    except orjson.JSONEncodeError:
        pass  # integers past 64 bits, which a user's plan may carry: the standard library takes them
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def compact_json(payload: Any) -> str:
    """JSON with no spaces and real UTF-8 characters, as the contract asks."""
    return compact_json_bytes(payload).decode("utf-8")


def encode_event(data: Optional[str] = None, *, event: Optional[str] = None,
                 id: Optional[str | int] = None, retry: Optional[int] = None,
                 comment: Optional[str] = None) -> bytes:
    """One SSE frame as UTF-8 bytes; multi-line `data` becomes several `data:` lines."""
    lines: list[str] = []
    if comment is not None:
        lines.extend(f": {part}" if part else ":" for part in _LINE_BREAKS.split(comment))
    if id is not None:
        lines.append(f"id: {_single_line(str(id))}")
    if event is not None:
        lines.append(f"event: {_single_line(event)}")
    if retry is not None:
        lines.append(f"retry: {int(retry)}")
    if data is not None:
        lines.extend(f"data: {part}" for part in _LINE_BREAKS.split(data))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def encode_payload(sequence: int, payload: dict) -> bytes:
    """A medreg event: `id`, `event` equal to the payload's `type`, one line of compact JSON."""
    # Compact JSON escapes every line break, so the data is always one line: no splitting needed.
    # Built as bytes: the result payloads are 2–20 KB, and a str round trip would copy them twice.
    head = f"id: {sequence}\nevent: {payload['type']}\ndata: ".encode("utf-8")
    return head + compact_json_bytes(payload) + b"\n\n"


HEARTBEAT: bytes = encode_event(comment="keep-alive")


class SSEEvent(NamedTuple):
    """One dispatched event: its type, last id, and data (parsed JSON when it is JSON).

    Immutable, and a tuple rather than a frozen dataclass: made once per event the Anthropic
    engine reads, where the dataclass's guarded `__init__` cost 3x as much.
    """

    event: str
    id: str
    data: Any
    raw: str


class SSEParser:
    """WHATWG event-stream parsing over byte chunks split anywhere (mid-line, mid-character)."""

    def __init__(self, on_comment: Optional[Callable[[str], None]] = None,
                 loads: Callable[[str], Any] = json.loads) -> None:
        self.on_comment = on_comment  # comments (heartbeats) are not events; tests count them
        # `orjson.loads` is about 5x faster, but reads integers past 64 bits as floats: only for
        # streams known not to carry them (the Anthropic engine's upstream).
        self._loads = loads
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._pending_cr = False
        self.last_id = ""
        self.retry_ms: Optional[int] = None
        self._data: list[str] = []
        self._type = ""

    def feed(self, chunk: bytes | str) -> list[SSEEvent]:
        """Parse a chunk; return the events it completed."""
        text = chunk if isinstance(chunk, str) else self._decoder.decode(chunk)
        if not text:
            return []  # the decoder is holding part of a multi-byte character
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._buffer += text
        # A CR at the very end may be the first half of a CRLF split across chunks.
        self._pending_cr = self._buffer.endswith("\r")
        # Most streams use LF alone: a plain split is several times cheaper than the regex.
        lines = _LINE_BREAKS.split(self._buffer) if "\r" in self._buffer else self._buffer.split("\n")
        self._buffer = lines.pop()
        events: list[SSEEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> Optional[SSEEvent]:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            if self.on_comment is not None:
                self.on_comment(line[1:].strip())
            return None
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._type = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> Optional[SSEEvent]:
        if not self._data:
            self._type = ""
            return None
        raw = "\n".join(self._data)
        kind = self._type or "message"
        self._data, self._type = [], ""
        try:
            data = self._loads(raw)
        except ValueError:  # orjson's JSONDecodeError is a ValueError too
            data = raw
        return SSEEvent(kind, self.last_id, data, raw)


def parse_stream(chunks: Iterable[bytes]) -> Iterator[SSEEvent]:
    """Events from an iterable of byte chunks."""
    parser = SSEParser()
    for chunk in chunks:
        yield from parser.feed(chunk)
