"""A pure Server-Sent Events encoder (WHATWG wire format); knows nothing of Flask."""
from __future__ import annotations

import json
import re
from typing import Any, Optional

try:  # orjson is several times faster on the 2–20 KB results every stream carries
    import orjson
except ImportError:  # pragma: no cover - the standard library gives the same bytes
    orjson = None

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def _single_line(value: str) -> str:
    # A line break inside `id` or `event` would start a new field and corrupt the stream.
    return _LINE_BREAKS.sub("", value)


def compact_json_bytes(payload: Any) -> bytes:
    """JSON as UTF-8 bytes with no spaces and real (unescaped) non-ASCII characters."""
    if orjson is not None:
        try:
            return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS, default=str)
        except orjson.JSONEncodeError:
            pass  # integers past 64 bits, which a user's plan may carry: the slower path takes them
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
