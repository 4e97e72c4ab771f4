"""What every answer to a hostile request must look like: the documented error shape or a whole stream."""
from __future__ import annotations

import json
import signal
from contextlib import contextmanager
from typing import Iterator

from tests.sse_parse import events_of

# The one code each refusal status may carry (CONTRACT.md, "Errors").
CODE_FOR_STATUS = {
    400: {"invalid_json"}, 401: {"unauthorized"}, 404: {"not_found"}, 405: {"method_not_allowed"},
    413: {"payload_too_large"}, 415: {"unsupported_media_type"}, 422: {"invalid_request"},
    429: {"rate_limited"},
}
# Top-level keys each step's result must keep, whatever the input (CONTRACT.md, "Results").
RESULT_KEYS = {
    "classify": {"concept", "language", "device", "alternatives", "category", "attributes", "markets",
                 "confidence", "questions", "engine"},
    "purpose": {"intended_purpose", "indications", "contraindications", "target_population",
                "intended_users", "use_environment", "mechanism_of_action", "key_components", "engine"},
    "standards": {"plans", "total_plans", "engine"},
    "refine": {"changes", "engine"},
}
TERMINAL = {"done", "error"}


class Hang(AssertionError):
    """A request that did not answer in time."""


@contextmanager
def no_hang(seconds: float) -> Iterator[None]:
    """Fail (instead of waiting forever) when the block runs longer than `seconds`."""
    def _alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_error_object(error: dict, status: int) -> None:
    """`{code, message, retryable, fields?}` with the code the status calls for."""
    assert set(error) <= {"code", "message", "retryable", "fields"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["retryable"], bool), error
    assert error["code"] in CODE_FOR_STATUS.get(status, set()), (status, error)
    if "fields" in error:
        assert isinstance(error["fields"], dict) and error["fields"], error


def check_result(step: str, result: object) -> None:
    """A result object with the step's core keys."""
    assert isinstance(result, dict), result
    missing = RESULT_KEYS[step] - set(result)
    if step == "refine":
        assert ("plan" in result) != ("plans" in result), sorted(result)
    assert not missing, f"{step} result lacks {sorted(missing)}"


def check_json_answer(step: str, status: int, content_type: str, body: bytes) -> None:
    """A JSON endpoint's answer: 200 with a result, or a refusal in the one error shape; never 5xx."""
    assert status < 500, (status, body[:500])
    assert content_type.startswith("application/json"), (status, content_type)
    payload = json.loads(body)
    if status == 200:
        check_result(step, payload)
        return
    assert set(payload) == {"error"}, payload
    check_error_object(payload["error"], status)


def check_stream_answer(step: str, status: int, content_type: str, body: bytes) -> list[dict]:
    """A stream: 200 ending in exactly one done or error, or a refusal holding one `error` event."""
    assert status < 500, (status, body[:500])
    assert content_type.startswith("text/event-stream"), (status, content_type)
    events = events_of(body)
    names = [event["event"] for event in events]
    assert [int(event["id"]) for event in events] == list(range(1, len(events) + 1))
    if status != 200:
        assert names == ["error"], names
        error = dict(events[0]["data"])
        error.pop("type")
        error.pop("request_id", None)
        check_error_object(error, status)
        return events
    assert names and names[-1] in TERMINAL, names
    assert sum(name in TERMINAL for name in names) == 1, names
    assert names[0] == "status", names
    if names[-1] == "done":
        results = [event["data"]["data"] for event in events if event["event"] == "result"]
        assert len(results) == 1, names
        check_result(step, results[0])
    else:
        # A step that failed on its own (not a refusal) still says so in the documented shape.
        error = events[-1]["data"]
        assert isinstance(error["message"], str) and isinstance(error["retryable"], bool), error
        assert error["code"] != "internal", error
    return events


def check_project_answer(status: int, content_type: str, body: bytes) -> None:
    """Projects and runs: never 5xx; a run stream ends in exactly one terminal event; errors in the one shape."""
    assert status < 500, (status, body[:500])
    if content_type.startswith("text/event-stream"):
        names = [event["event"] for event in events_of(body)]
        assert names and sum(name in TERMINAL for name in names) == 1 and names[-1] in TERMINAL, names
        return
    assert content_type.startswith("application/json"), (status, content_type)
    payload = json.loads(body)
    if status >= 400:
        assert set(payload) == {"error"}, payload
        check_error_object(payload["error"], status)


def check_answer(path: str, status: int, content_type: str, body: bytes) -> None:
    """Dispatch on the endpoint kind."""
    step = path.rsplit("/", 1)[-1]
    if path.startswith(("/api/projects", "/api/runs")):
        check_project_answer(status, content_type, body)
        return
    if not path.startswith("/api/"):
        assert status < 500, (path, status, body[:500])
        if status == 200 and path == "/healthz":
            assert json.loads(body)["status"] == "ok"
        return
    if path.startswith("/api/stream/"):
        check_stream_answer(step, status, content_type, body)
    elif step == "export" and status == 200:
        # The export is a download, not JSON: Markdown or HTML, never a 5xx.
        assert content_type.split(";")[0] in ("text/markdown", "text/html"), content_type
        assert body.decode("utf-8")
    else:
        check_json_answer(step, status, content_type, body)
