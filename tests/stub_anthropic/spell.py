"""Spells a complete message out as the Messages API's server-sent events, paced, with faults mid-stream."""
from __future__ import annotations

import json
import socket
from typing import Any, Callable, Iterator

import gevent

MID_STREAM = ("overloaded_mid", "drop", "malformed")


class Faulted(Exception):
    """A scripted mid-stream fault ended the stream."""


def sse(event: str, data: Any) -> bytes:
    """One SSE frame as the Messages API writes it."""
    body = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event}\ndata: {body}\n\n".encode()


def peer_closed(sock: socket.socket | None) -> bool:
    """True when the client has closed its end (a read would return EOF)."""
    if sock is None:
        return False
    try:
        sock.setblocking(False)
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        finally:
            sock.setblocking(True)
    except BlockingIOError:
        return False
    except OSError:
        return True


def wait_for_close(sock: socket.socket | None) -> None:
    """Block (cooperatively) until the client hangs up."""
    while not peer_closed(sock):
        gevent.sleep(0.05)


def fault_frames(sock: socket.socket | None, fault: str) -> Iterator[bytes]:
    """What a failing upstream sends mid-stream: an error event, broken data, or nothing (dropped)."""
    if fault == "overloaded_mid":
        yield sse("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    elif fault == "malformed":
        yield b"event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\n\n"
        wait_for_close(sock)  # the client gives up on its own after the decode error
    elif fault == "drop" and sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def spell(message: dict, plan: dict, settings: dict, sock: socket.socket | None,
          on_begin: Callable[[], None]) -> Iterator[bytes]:
    """`message` as SSE: thinking (if any), then the text in 4-character tokens at `tokens_per_s`.

    Returns normally only after `message_stop`; a fault returns early (the caller counts it).
    `on_begin` runs when `message_start` goes out (the prompt is in the cache from then on).
    """
    fault = str(plan.get("fault", "ok"))
    start = {**message, "content": [], "stop_reason": None, "stop_details": None,
             "usage": {**message["usage"], "output_tokens": 1}}
    yield sse("message_start", {"type": "message_start", "message": start})
    on_begin()
    yield sse("ping", {"type": "ping"})
    if fault == "hang":  # a stall: silent until the client's read timeout (or its cancel) ends it
        wait_for_close(sock)
        return
    first_token_s = float(plan.get("first_token_s", settings["first_token_s"]))
    rate = float(plan.get("tokens_per_s", settings["tokens_per_s"]))
    if first_token_s:
        gevent.sleep(first_token_s)
    per_event = max(1, int(rate / 10)) if rate else 0
    after_tokens = int(plan.get("after_tokens", 3))
    for index, block in enumerate(message["content"]):
        kind = "thinking" if block["type"] == "thinking" else "text"
        yield sse("content_block_start", {"type": "content_block_start", "index": index,
                                          "content_block": {**block, kind: ""}})
        pieces = [block[kind][n:n + 4] for n in range(0, len(block[kind]), 4)]
        step = per_event or len(pieces) or 1
        sent = 0
        while sent < len(pieces):
            if kind == "text" and fault in MID_STREAM and sent >= after_tokens:
                yield from fault_frames(sock, fault)
                raise Faulted
            delta = {"type": f"{kind}_delta", kind: "".join(pieces[sent:sent + step])}
            yield sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
            sent += step
            if rate and sent < len(pieces):
                gevent.sleep(step / rate)
        if kind == "text" and fault in MID_STREAM:
            yield from fault_frames(sock, fault)
            raise Faulted
        yield sse("content_block_stop", {"type": "content_block_stop", "index": index})
    yield sse("message_delta", {"type": "message_delta",
                                "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None,
                                          "stop_details": message.get("stop_details")},
                                "usage": {"output_tokens": message["usage"]["output_tokens"]}})
    yield sse("message_stop", {"type": "message_stop"})
