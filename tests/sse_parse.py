"""A small, strict reader of SSE bytes for tests."""
from __future__ import annotations

import json


def parse_frames(raw: bytes) -> list[dict]:
    """Split a complete SSE body into frames: {"id", "event", "data" (parsed JSON) | "comment"}."""
    text = raw.decode("utf-8")
    assert text == "" or text.endswith("\n\n"), "stream must end on a frame boundary"
    frames = []
    for block in text.split("\n\n")[:-1]:
        frame: dict = {}
        for line in block.split("\n"):
            field, _, value = line.partition(": ")
            if line.startswith(":"):
                frame["comment"] = line[1:].strip()
            elif field == "data":
                frame["data"] = json.loads(value)
            else:
                frame[field] = value
        frames.append(frame)
    return frames


def events_of(raw: bytes) -> list[dict]:
    """Only the events (no comments), checking each event's name equals its payload type."""
    events = [frame for frame in parse_frames(raw) if "comment" not in frame]
    for frame in events:
        assert frame["event"] == frame["data"]["type"]
    return events
