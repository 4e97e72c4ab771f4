"""A lean reader of the Messages API's server-sent events: `(event, data)` pairs from raw bytes.

The SDK's own stream turns every event into a typed model and keeps a growing snapshot of the
message; a structured answer only needs the text pieces, the stop reason and the usage, so the
engine reads the frames itself (one `json.loads` per event) and builds nothing else.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional

# A frame ends at a blank line; the spec allows \n, \r\n and \r line endings.
_FRAME_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")
_LINE = re.compile(rb"\r\n|\n|\r")


def _parse_frame(frame: bytes) -> Optional[tuple[str, str]]:
    event, data = "message", []
    for line in _LINE.split(frame):
        if not line or line.startswith(b":"):
            continue
        name, _, value = line.partition(b":")
        if value.startswith(b" "):
            value = value[1:]
        if name == b"event":
            event = value.decode()
        elif name == b"data":
            data.append(value.decode())
    # A frame without data (e.g. only a `: keep-alive` comment) is not an event.
    return (event, "\n".join(data)) if data else None


def iter_events(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Each complete frame's `(event, data)`; frames may be split across chunks in any way."""
    buffer = b""
    for chunk in chunks:
        buffer = buffer + chunk if buffer else chunk
        start = 0
        while True:
            end = _FRAME_END.search(buffer, start)
            if end is None:
                break
            frame = buffer[start:end.start()]
            start = end.end()
            parsed = _parse_frame(frame) if frame else None
            if parsed is not None:
                yield parsed
        buffer = buffer[start:]
    # An unterminated frame at the end of the body is dropped, as the SSE spec says.
