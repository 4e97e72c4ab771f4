"""Byte-exact SSE frames."""
from __future__ import annotations

import pytest

from medreg.events import Delta, Done, Failure, PlanReady, Result, Status
from medreg.http.sse import HEARTBEAT, encode_event, encode_payload


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"data": "hello"}, b"data: hello\n\n"),
        ({"data": "a\nb"}, b"data: a\ndata: b\n\n"),
        ({"data": "a\r\nb\rc"}, b"data: a\ndata: b\ndata: c\n\n"),
        ({"data": ""}, b"data: \n\n"),
        ({"data": "x", "event": "status", "id": 7}, b"id: 7\nevent: status\ndata: x\n\n"),
        ({"data": "x", "event": "st\natus", "id": "1\n2"}, b"id: 12\nevent: status\ndata: x\n\n"),
        ({"data": "x", "retry": 3000}, b"retry: 3000\ndata: x\n\n"),
        ({"comment": "keep-alive"}, b": keep-alive\n\n"),
        ({"comment": "two\nlines"}, b": two\n: lines\n\n"),
        ({"data": "스마트 인슐린 펌프"}, "data: 스마트 인슐린 펌프\n\n".encode("utf-8")),
        ({"data": "😀"}, b"data: \xf0\x9f\x98\x80\n\n"),
    ],
)
def test_encode_event(kwargs: dict, expected: bytes) -> None:
    """Each field is framed exactly as the WHATWG spec reads it."""
    assert encode_event(**kwargs) == expected


@pytest.mark.parametrize(
    ("sequence", "event", "expected"),
    [
        (1, Status("분류 중...", "started", 0.0),
         'id: 1\nevent: status\ndata: {"type":"status","message":"분류 중...","stage":"started","progress":0.0}\n\n'),
        (2, Delta("a\nb"), 'id: 2\nevent: delta\ndata: {"type":"delta","text":"a\\nb"}\n\n'),
        (3, PlanReady({"id": "p"}, 1, 2), 'id: 3\nevent: plan\ndata: {"type":"plan","data":{"id":"p"},"index":1,"total":2}\n\n'),
        (4, Result({"k": "값"}), 'id: 4\nevent: result\ndata: {"type":"result","data":{"k":"값"}}\n\n'),
        (5, Done(12, {"total_plans": 2}), 'id: 5\nevent: done\ndata: {"type":"done","elapsed_ms":12,"total_plans":2}\n\n'),
        (6, Failure("invalid_request", "bad", False, {"concept": ["x"]}),
         'id: 6\nevent: error\ndata: {"type":"error","code":"invalid_request","message":"bad","retryable":false,"fields":{"concept":["x"]}}\n\n'),
    ],
)
def test_encode_payload(sequence: int, event, expected: str) -> None:
    """medreg events: id, event name equal to the type, one line of compact JSON."""
    assert encode_payload(sequence, event.payload()) == expected.encode("utf-8")


def test_heartbeat_is_a_comment() -> None:
    """Heartbeats are comment lines that clients ignore."""
    assert HEARTBEAT == b": keep-alive\n\n"
