"""Strict readings of whole SSE bodies for tests, over medreg's own parser (medreg.http.sse)."""
from __future__ import annotations

from medreg.http.sse import SSEParser


def parse_frames(raw: bytes) -> list[dict]:
    """A complete SSE body as frames in order: {"id", "event", "data" (parsed JSON)} or {"comment"}."""
    assert raw == b"" or raw.endswith(b"\n\n"), "stream must end on a frame boundary"
    frames: list[dict] = []
    parser = SSEParser(on_comment=lambda text: frames.append({"comment": text}))
    for event in parser.feed(raw):
        frames.append({"id": event.id, "event": event.event, "data": event.data})
    return frames


def events_of(raw: bytes) -> list[dict]:
    """Only the events (no comments), checking each event's name equals its payload type."""
    events = [frame for frame in parse_frames(raw) if "comment" not in frame]
    for frame in events:
        assert frame["event"] == frame["data"]["type"]
    return events
