"""An Anthropic-compatible Messages and Models endpoint for tests and benchmarks (gevent WSGI).

Speaks the real streaming sequence (message_start, ping, content_block_start / delta / stop,
message_delta, message_stop), answers `output_config.format` json_schema requests with JSON valid
for the schema, accounts prompt caching like the real API (`cache.py`), serves `GET /v1/models/{id}`,
and behaves like the current models: a retired or unknown model is 404, a wrong key (when
`api_key` is set) 401, a forced `tool_choice` 400, and an omitted `thinking` means adaptive thinking
that spends `max_tokens` (`default_thinking_tokens`); an answer longer than `max_tokens` is cut
off with `stop_reason: max_tokens`.

Faults, per request with the header `x-stub-fault: <fault>` or from a script posted to
`POST /_control {"script": [{"fault": "529"}, {"fault": "ok"}]}` (one entry per request, then `ok`;
an entry may carry `answer`, the JSON to send):
ok, 529, 429 (`retry_after`), 500, overloaded_mid (an `error` event after `after_tokens` tokens),
hang (`at`: headers | body; a stall), slow_headers (`delay_s`, then normal), malformed (broken event
data), non_json (prose instead of JSON), drop (socket closed mid-stream), max_tokens (cut off),
refusal (`json`: whether the partial answer is complete JSON; `explanation`).
`GET /_stats` counts requests, HTTP rejections, model look-ups and streams started, completed,
cancelled (the client went away) and ended by a fault; `open` is what is still streaming.
"""
from __future__ import annotations

import json
import time
from collections import deque
from typing import Any, Callable, Iterator

import gevent

from tests.stub_anthropic.cache import PromptCache, estimate_tokens
from tests.stub_anthropic.schema_fill import fill
from tests.stub_anthropic.spell import Faulted, spell, wait_for_close
from tests.stub_anthropic.stats import Counters

MODELS = {"claude-sonnet-5-5": "active", "claude-opus-5-5": "active", "claude-haiku-4-5": "active",
          "claude-sonnet-4-5": "retired"}
ERRORS = {
    "529": (529, "overloaded_error", "Overloaded"),
    "429": (429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    "500": (500, "api_error", "Internal server error"),
    "403": (403, "permission_error", "Your API key does not have permission to use the specified resource."),
}
STATUS_TEXT = {200: "200 OK", 400: "400 Bad Request", 401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Not Found",
               429: "429 Too Many Requests", 500: "500 Internal Server Error", 529: "529 Overloaded"}
SETTINGS = {"first_token_s": 0.0, "tokens_per_s": 0.0, "words": 8, "api_key": None,
            "default_thinking_tokens": 6000, "min_cache_tokens": 1024}


def _error(kind: str, message: str) -> dict:
    return {"type": "error", "error": {"type": kind, "message": message}}


class Stub:
    """The stub's state: settings, the fault script, counters, the prompt cache and recent requests."""

    def __init__(self, *, first_token_s: float = 0.0, tokens_per_s: float = 0.0,
                 words: int = 8, counters: Counters | None = None) -> None:
        self.settings = {**SETTINGS, "first_token_s": first_token_s, "tokens_per_s": tokens_per_s, "words": words}
        self.script: deque[dict] = deque()
        self.counters = counters or Counters(1)
        self.requests: deque[dict] = deque(maxlen=50)
        self.cache = PromptCache()
        self.usages: deque[dict] = deque(maxlen=500)  # input usage of each /v1/messages request
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
        if path == "/_usages":
            return self._json(start_response, 200, list(self.usages))
        if path == "/_control" and method == "POST":
            return self._control(environ, start_response)
        if path.startswith("/v1/models/") and method == "GET":
            return self._model(environ, start_response, path[len("/v1/models/"):])
        if path == "/v1/messages" and method == "POST":
            return self._messages(environ, start_response)
        return self._json(start_response, 404, _error("not_found_error", path))

    def _json(self, start_response: Callable, status: int, body: Any, headers: list | None = None) -> list[bytes]:
        raw = json.dumps(body).encode()
        start_response(STATUS_TEXT.get(status, f"{status} Error"),
                       [("Content-Type", "application/json"), ("Content-Length", str(len(raw))),
                        ("request-id", f"req_stub_{time.monotonic_ns()}"), *(headers or [])])
        return [raw]

    def _control(self, environ: dict, start_response: Callable) -> list[bytes]:
        body = json.loads(environ["wsgi.input"].read() or b"{}")
        if body.get("reset"):
            self.script.clear()
            self.counters.reset()
            self.requests.clear()
            self.cache.clear()
            self.usages.clear()
            self.durations.clear()
        for key in SETTINGS:
            if key in body:
                self.settings[key] = body[key]
        self.cache.min_tokens = int(self.settings["min_cache_tokens"])
        self.script.extend(body.get("script", []))
        return self._json(start_response, 200, {"settings": self.settings, "script": len(self.script)})

    def _rejected_key(self, environ: dict, start_response: Callable) -> list[bytes] | None:
        key = self.settings.get("api_key")
        if key and environ.get("HTTP_X_API_KEY") != key:
            self.counters.add("rejected")
            return self._json(start_response, 401, _error("authentication_error", "invalid x-api-key"))
        return None

    def _model(self, environ: dict, start_response: Callable, model: str) -> list[bytes]:
        self.counters.add("model_checks")
        rejected = self._rejected_key(environ, start_response)
        if rejected is not None:
            return rejected
        if model not in MODELS:
            return self._json(start_response, 404, _error("not_found_error", f"model: {model}"))
        return self._json(start_response, 200, {
            "type": "model", "id": model, "display_name": model, "created_at": "2026-01-01T00:00:00Z",
            "lifecycle": MODELS[model], "deprecated_at": None, "retires_at": None})

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
        rejected = self._rejected_key(environ, start_response) or self._invalid(body, start_response)
        if rejected is not None:
            return rejected
        plan = self._plan(environ)
        fault = str(plan.get("fault", "ok"))
        if fault in ERRORS:
            self.counters.add("rejected")
            status, kind, message = ERRORS[fault]
            headers = [("retry-after", str(plan.get("retry_after", 0)))] if fault == "429" else []
            return self._json(start_response, status, _error(kind, message), headers)
        sock = environ.get("stub.socket")
        if fault == "hang" and plan.get("at", "body") == "headers":
            self.counters.add("started")
            try:
                wait_for_close(sock)
            finally:
                self.counters.add("cancelled")
            return []
        if fault == "slow_headers":
            gevent.sleep(float(plan.get("delay_s", 2.0)))
        usage, writes = self.cache.account(body)
        self.usages.append(usage)
        message = self._answer(body, plan, usage)
        start_response("200 OK", [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"),
                                  ("request-id", f"req_stub_{time.monotonic_ns()}")])
        return self._stream(message, plan, sock, lambda: self.cache.commit(writes))

    def _invalid(self, body: dict, start_response: Callable) -> list[bytes] | None:
        model = str(body.get("model"))
        if MODELS.get(model) != "active":
            self.counters.add("rejected")
            return self._json(start_response, 404, _error("not_found_error", f"model: {model}"))
        if (body.get("tool_choice") or {}).get("type") in ("tool", "any"):
            self.counters.add("rejected")
            return self._json(start_response, 400, _error(
                "invalid_request_error", "tool_choice forcing tool use is not supported with this model"))
        if not body.get("stream"):
            self.counters.add("rejected")
            return self._json(start_response, 400, _error("invalid_request_error", "the stub only streams"))
        return None

    def _answer(self, body: dict, plan: dict, usage: dict) -> dict:
        """The complete message the stream will spell out, after thinking, max_tokens and the plan's fault."""
        words = int(self.settings["words"])
        fault = str(plan.get("fault", "ok"))
        output_format = (body.get("output_config") or {}).get("format") or {}
        if "answer" in plan:
            text = plan["answer"] if isinstance(plan["answer"], str) else json.dumps(plan["answer"], ensure_ascii=False)
        elif output_format.get("type") == "json_schema":
            text = json.dumps(fill(output_format["schema"], words=words), ensure_ascii=False)
        else:
            text = "Stub reply. " * words
        thinking = body.get("thinking") or {"type": "adaptive"}  # omitted: adaptive, on by default
        thinking_tokens = 0 if thinking.get("type") == "disabled" else int(
            plan.get("thinking_tokens", self.settings["default_thinking_tokens"]))
        stop, details = "end_turn", None
        limit = int(body.get("max_tokens") or 0) - thinking_tokens
        if fault == "non_json":
            text = "I would classify this device as follows: it is probably class II."
        elif fault == "max_tokens":
            limit = estimate_tokens(text) // 2
        elif fault == "refusal":
            if not plan.get("json", False):
                text = text[: len(text) // 3]
            stop = "refusal"
            details = {"type": "refusal", "category": plan.get("category"), "explanation": plan.get("explanation")}
        if stop == "end_turn" and estimate_tokens(text) > limit:
            text, stop = text[: max(limit, 0) * 4], "max_tokens"
        content = [{"type": "thinking", "thinking": "Let me think. " * (thinking_tokens // 3), "signature": "sig"}
                   ] if thinking_tokens else []
        content.append({"type": "text", "text": text})
        return {"id": "msg_stub", "type": "message", "role": "assistant", "model": body.get("model", "stub"),
                "content": content, "stop_reason": stop, "stop_sequence": None, "stop_details": details,
                "usage": {**usage, "output_tokens": thinking_tokens + estimate_tokens(text)}}

    def _stream(self, message: dict, plan: dict, sock, on_begin: Callable[[], None]) -> Iterator[bytes]:
        self.counters.add("started")
        opened = time.monotonic()
        outcome = "cancelled"  # GeneratorExit (a failed write: the client went away) leaves it so
        try:
            yield from spell(message, plan, self.settings, sock, on_begin)
            outcome = "completed" if str(plan.get("fault")) != "hang" else "cancelled"
        except Faulted:
            outcome = "faulted"
        finally:
            self.counters.add(outcome)
            if outcome == "completed":
                self.durations.append(time.monotonic() - opened)
