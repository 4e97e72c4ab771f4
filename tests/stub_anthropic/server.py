"""An Anthropic-compatible Messages endpoint for tests and benchmarks (gevent WSGI).

Speaks the real streaming sequence (message_start, ping, content_block_start / delta / stop,
message_delta, message_stop), answers structured requests (`output_config.format` json_schema or
a forced tool) with JSON valid for the schema, and injects faults on demand:

- per request with the header `x-stub-fault: <fault>`, or
- from a script posted to `POST /_control {"script": [{"fault": "529"}, {"fault": "ok"}]}`,
  consumed one entry per request (then `ok`); an entry may carry `answer` (the JSON to send).

Faults: ok, 529, 429 (`retry_after`), 500, overloaded_mid (an `error` event after
`after_tokens` tokens), hang (`at`: headers | body), malformed, drop (socket closed mid-stream).
`GET /_stats` counts requests, those rejected with an HTTP error, and streams started, completed,
cancelled (the client went away) and ended by a fault; `GET /_requests` returns the last request bodies.
"""
from __future__ import annotations

import hashlib
import json
import socket
import time
from collections import deque
from typing import Any, Callable, Iterator

import gevent

from tests.stub_anthropic.schema_fill import fill
from tests.stub_anthropic.stats import Counters

ERRORS = {
    "529": (529, "overloaded_error", "Overloaded"),
    "429": (429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    "500": (500, "api_error", "Internal server error"),
}
STATUS_TEXT = {200: "200 OK", 404: "404 Not Found", 429: "429 Too Many Requests",
               500: "500 Internal Server Error", 529: "529 Overloaded"}


def sse(event: str, data: Any) -> bytes:
    """One SSE frame as the Messages API writes it."""
    body = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event}\ndata: {body}\n\n".encode()


def estimate_tokens(value: Any) -> int:
    """About four characters per token, as a stand-in for the real tokenizer."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


class Stub:
    """The stub's state: latency settings, the fault script, counters and recent requests."""

    def __init__(self, *, first_token_s: float = 0.0, tokens_per_s: float = 0.0,
                 words: int = 8, counters: Counters | None = None) -> None:
        self.settings = {"first_token_s": first_token_s, "tokens_per_s": tokens_per_s, "words": words}
        self.script: deque[dict] = deque()
        self.counters = counters or Counters(1)
        self.requests: deque[dict] = deque(maxlen=50)
        self.cached_prefixes: set[str] = set()
        self.durations: deque[float] = deque(maxlen=5000)  # seconds per completed stream (this process)

    # --- WSGI entry -------------------------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Iterator[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/_stats":
            return self._json(start_response, 200, self.counters.snapshot())
        if path == "/_durations":
            return self._json(start_response, 200, list(self.durations))
        if path == "/_requests":
            return self._json(start_response, 200, list(self.requests))
        if path == "/_control" and method == "POST":
            return self._control(environ, start_response)
        if path == "/v1/messages" and method == "POST":
            return self._messages(environ, start_response)
        return self._json(start_response, 404, {"type": "error", "error": {"type": "not_found_error",
                                                                            "message": path}})

    def _json(self, start_response: Callable, status: int, body: Any, headers: list | None = None) -> list[bytes]:
        raw = json.dumps(body).encode()
        start_response(STATUS_TEXT.get(status, f"{status} Error"),
                       [("Content-Type", "application/json"), ("Content-Length", str(len(raw))), *(headers or [])])
        return [raw]

    def _control(self, environ: dict, start_response: Callable) -> list[bytes]:
        body = json.loads(environ["wsgi.input"].read() or b"{}")
        if body.get("reset"):
            self.script.clear()
            self.counters.reset()
            self.requests.clear()
            self.cached_prefixes.clear()
            self.durations.clear()
        for key in ("first_token_s", "tokens_per_s", "words"):
            if key in body:
                self.settings[key] = body[key]
        self.script.extend(body.get("script", []))
        return self._json(start_response, 200, {"settings": self.settings, "script": len(self.script)})

    # --- /v1/messages -----------------------------------------------------------------------------
    def _plan(self, environ: dict) -> dict:
        header = environ.get("HTTP_X_STUB_FAULT")
        if header:
            return {"fault": header}
        return self.script.popleft() if self.script else {"fault": "ok"}

    def _messages(self, environ: dict, start_response: Callable) -> Iterator[bytes] | list[bytes]:
        self.counters.add("requests")
        body = json.loads(environ["wsgi.input"].read() or b"{}")
        self.requests.append({"body": body, "has_key": bool(environ.get("HTTP_X_API_KEY")),
                              "retry_count": environ.get("HTTP_X_STAINLESS_RETRY_COUNT")})
        plan = self._plan(environ)
        fault = str(plan.get("fault", "ok"))
        if fault in ERRORS:
            self.counters.add("rejected")
            status, kind, message = ERRORS[fault]
            headers = [("retry-after", str(plan.get("retry_after", 0)))] if fault == "429" else []
            return self._json(start_response, status, {"type": "error", "error": {"type": kind, "message": message}},
                              headers)
        if fault == "hang" and plan.get("at", "body") == "headers":
            return self._hang_before_headers(environ, start_response)
        message = self._answer(body, plan)
        if not body.get("stream"):
            self.counters.add("completed")
            return self._json(start_response, 200, message)
        start_response("200 OK", [("Content-Type", "text/event-stream; charset=utf-8"),
                                  ("Cache-Control", "no-cache")])
        return self._stream(environ, message, plan)

    def _hang_before_headers(self, environ: dict, start_response: Callable) -> list[bytes]:
        self.counters.add("started")
        sock = environ.get("stub.socket")
        try:
            while not _peer_closed(sock):
                gevent.sleep(0.05)
        finally:
            self.counters.add("cancelled")
        return []

    def _usage(self, body: dict) -> dict:
        """Input tokens with prompt caching: prefixes up to each cache_control block are 'cached'."""
        blocks: list[Any] = []
        system = body.get("system")
        blocks.extend(system if isinstance(system, list) else [{"text": system or ""}])
        for message in body.get("messages", []):
            content = message.get("content")
            blocks.extend(content if isinstance(content, list) else [{"text": content}])
        total = estimate_tokens(body.get("tools", [])) + sum(estimate_tokens(b.get("text", b)) for b in blocks)
        read = created = 0
        digest = hashlib.sha256(json.dumps(body.get("tools", [])).encode())
        prefix_tokens = estimate_tokens(body.get("tools", []))
        for block in blocks:
            digest.update(json.dumps(block, sort_keys=True).encode())
            prefix_tokens += estimate_tokens(block.get("text", block))
            if isinstance(block, dict) and block.get("cache_control"):
                key = digest.hexdigest()
                if key in self.cached_prefixes:
                    read = prefix_tokens
                else:
                    self.cached_prefixes.add(key)
                    created = prefix_tokens - read
        return {"input_tokens": total - read - created, "cache_read_input_tokens": read,
                "cache_creation_input_tokens": created}

    def _answer(self, body: dict, plan: dict) -> dict:
        """The complete message the stream will spell out: JSON for a schema or a forced tool, else text."""
        words = int(self.settings["words"])
        output_format = (body.get("output_config") or {}).get("format") or {}
        choice = body.get("tool_choice") or {}
        tool = None
        if choice.get("type") == "tool":
            tool = next((t for t in body.get("tools", []) if t.get("name") == choice.get("name")), None)
        if tool is not None:
            value = plan["answer"] if "answer" in plan else fill(tool["input_schema"], words=words)
            block = {"type": "tool_use", "id": "toolu_stub", "name": tool["name"], "input": value}
            stop = "tool_use"
        else:
            if "answer" in plan:
                text = plan["answer"] if isinstance(plan["answer"], str) else json.dumps(plan["answer"], ensure_ascii=False)
            elif output_format.get("type") == "json_schema":
                text = json.dumps(fill(output_format["schema"], words=words), ensure_ascii=False)
            else:
                text = "Stub reply. " * words
            block = {"type": "text", "text": text}
            stop = "end_turn"
        output = estimate_tokens(block.get("input", block.get("text")))
        return {"id": "msg_stub", "type": "message", "role": "assistant", "model": body.get("model", "stub"),
                "content": [block], "stop_reason": stop, "stop_sequence": None,
                "usage": {**self._usage(body), "output_tokens": output}}

    def _stream(self, environ: dict, message: dict, plan: dict) -> Iterator[bytes]:
        """Spell `message` out as Messages SSE, paced by first-token latency and tokens/s."""
        self.counters.add("started")
        opened = time.monotonic()
        fault = str(plan.get("fault", "ok"))
        finished = faulted = False
        try:
            block = message["content"][0]
            start = {**message, "content": [], "stop_reason": None,
                     "usage": {**message["usage"], "output_tokens": 1}}
            yield sse("message_start", {"type": "message_start", "message": start})
            yield sse("ping", {"type": "ping"})
            if fault == "hang":
                while True:  # silent: the client's read timeout (or its cancel) ends this
                    gevent.sleep(0.05)
                    if _peer_closed(environ.get("stub.socket")):
                        return
            is_tool = block["type"] == "tool_use"
            opening = {**block, "input": {}} if is_tool else {**block, "text": ""}
            yield sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": opening})
            text = json.dumps(block["input"], ensure_ascii=False) if is_tool else block["text"]
            pieces = [text[n:n + 4] for n in range(0, len(text), 4)]
            first_token_s = float(plan.get("first_token_s", self.settings["first_token_s"]))
            rate = float(plan.get("tokens_per_s", self.settings["tokens_per_s"]))
            if first_token_s:
                gevent.sleep(first_token_s)
            # Several tokens per event at high rates, as the real API batches them.
            per_event = max(1, int(rate / 10)) if rate else len(pieces) or 1
            after_tokens = int(plan.get("after_tokens", 3))
            sent = 0
            while sent < len(pieces):
                if fault in MID_STREAM and sent >= after_tokens:
                    faulted = True
                    yield from _fault_frames(environ, fault)
                    return
                chunk = "".join(pieces[sent:sent + per_event])
                sent += per_event
                delta = ({"type": "input_json_delta", "partial_json": chunk} if is_tool
                         else {"type": "text_delta", "text": chunk})
                yield sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
                if rate and sent < len(pieces):
                    gevent.sleep(per_event / rate)
            if fault in MID_STREAM:
                faulted = True
                yield from _fault_frames(environ, fault)
                return
            yield sse("content_block_stop", {"type": "content_block_stop", "index": 0})
            yield sse("message_delta", {"type": "message_delta",
                                        "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
                                        "usage": {"output_tokens": message["usage"]["output_tokens"]}})
            yield sse("message_stop", {"type": "message_stop"})
            finished = True
        finally:
            # GeneratorExit (a failed write: the client went away) lands here unfinished.
            if finished:
                self.counters.add("completed")
                self.durations.append(time.monotonic() - opened)
            elif faulted:
                self.counters.add("faulted")
            else:
                self.counters.add("cancelled")


MID_STREAM = ("overloaded_mid", "drop", "malformed")


def _fault_frames(environ: dict, fault: str) -> Iterator[bytes]:
    """What a failing upstream sends mid-stream: an error event, broken data, or nothing (dropped)."""
    sock = environ.get("stub.socket")
    if fault == "overloaded_mid":
        yield sse("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    elif fault == "malformed":
        yield b"event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\n\n"
        while not _peer_closed(sock):  # the client gives up on its own after the decode error
            gevent.sleep(0.05)
    elif fault == "drop" and sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _peer_closed(sock: socket.socket | None) -> bool:
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
