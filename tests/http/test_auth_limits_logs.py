"""API keys, rate limits, the open-stream cap, request ids and logs."""
from __future__ import annotations

import json
import logging

import pytest

from medreg import create_app
from medreg.events import Result, Status
from tests.sse_parse import events_of

BODY = {"concept": "pulse oximeter"}


def keyed_app(**config):
    """An app with two API keys and the scripted engine."""
    return create_app({"ENGINE": "tests.fakes:ScriptedEngine", "TESTING": True,
                       "API_KEYS": "key-one, key-two", **config})


@pytest.mark.parametrize("path", ["/api/classify", "/api/stream/classify", "/api/refine", "/api/export"])
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer ", "Basic a2V5LW9uZQ==", "key-one", "Bearer key-one2"])
def test_missing_or_wrong_keys_get_401(path: str, header) -> None:
    """Every /api route, JSON or stream, needs a valid key; the 401 reveals nothing."""
    client = keyed_app().test_client()
    headers = {"Authorization": header} if header is not None else {}
    response = client.post(path, json=BODY, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    text = response.get_data(as_text=True)
    assert "key-one" not in text and "key-two" not in text
    if "/stream/" in path:
        (event,) = events_of(response.data)
        assert event["data"]["code"] == "unauthorized"
    else:
        assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("key", ["key-one", "key-two"])
def test_valid_keys_pass(key: str) -> None:
    """Either configured key works, on JSON and stream endpoints."""
    app = keyed_app()
    engine = app.extensions["medreg"].engine
    engine.enqueue(Result({"ok": 1}))
    assert app.test_client().post("/api/classify", json=BODY, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    engine.enqueue(Result({"ok": 1}))
    response = app.test_client().post("/api/stream/classify", json=BODY, headers={"Authorization": f"Bearer {key}"})
    assert events_of(response.data)[-1]["event"] == "done"


@pytest.mark.parametrize(("scope", "path", "status"), [
    ("api", "/healthz", 200), ("api", "/docs", 200), ("api", "/openapi.json", 200),
    ("all", "/healthz", 200), ("all", "/docs", 401), ("all", "/openapi.json", 401),
])
def test_open_paths_stay_open_unless_configured(scope: str, path: str, status: int) -> None:
    """/healthz, /docs and / stay open by default; AUTH_SCOPE=all closes all but /healthz."""
    assert keyed_app(AUTH_SCOPE=scope).test_client().get(path).status_code == status


def test_rate_limit_answers_429_with_retry_after() -> None:
    """Past the limit: 429 `rate_limited` with Retry-After, JSON or one SSE error event."""
    app = create_app({"ENGINE": "tests.fakes:ScriptedEngine", "TESTING": True, "RATE_LIMIT": "3/minute"})
    engine = app.extensions["medreg"].engine
    client = app.test_client()
    for _ in range(3):
        engine.enqueue(Result({}))
        assert client.post("/api/classify", json=BODY).status_code == 200
    limited = client.post("/api/classify", json=BODY)
    assert limited.status_code == 429
    assert limited.get_json()["error"] == {"code": "rate_limited", "message": limited.get_json()["error"]["message"],
                                           "retryable": True}
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    stream = client.post("/api/stream/classify", json={"concept": "인슐린 펌프"})
    assert stream.status_code == 429
    (event,) = events_of(stream.data)
    assert event["data"]["code"] == "rate_limited" and event["data"]["message"].startswith("요청이 너무 많습니다")
    assert client.get("/healthz").status_code == 200  # never limited


def test_rate_limits_are_per_key() -> None:
    """Each key has its own bucket."""
    app = keyed_app(RATE_LIMIT="2/minute")
    engine = app.extensions["medreg"].engine
    client = app.test_client()
    for key, expected in [("key-one", 200), ("key-one", 200), ("key-one", 429), ("key-two", 200)]:
        engine.enqueue(Result({}))
        response = client.post("/api/classify", json=BODY, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == expected


def test_open_streams_per_client_are_capped() -> None:
    """A client past MAX_STREAMS_PER_CLIENT open streams gets 429; closing one frees a slot."""
    app = create_app({"ENGINE": "tests.fakes:ScriptedEngine", "TESTING": True, "MAX_STREAMS_PER_CLIENT": 2,
                      "HEARTBEAT_S": 0.05})
    engine = app.extensions["medreg"].engine
    engine.enqueue(Status("a", "a"), 30.0, Status("b", "b"), 30.0)
    open_responses = [app.test_client().post("/api/stream/classify", json=BODY, buffered=False) for _ in range(2)]
    for response in open_responses:
        next(iter(response.response))
    assert app.extensions["medreg"].stream_slots.total == 2
    refused = app.test_client().post("/api/stream/classify", json=BODY)
    assert refused.status_code == 429 and events_of(refused.data)[0]["data"]["code"] == "rate_limited"
    # Closed last-opened first: the test client keeps one stack of request contexts per thread.
    open_responses[1].close()
    assert app.extensions["medreg"].stream_slots.total == 1
    open_responses[0].close()
    assert app.extensions["medreg"].stream_slots.total == 0


def test_request_id_is_taken_echoed_and_logged(scripted, caplog) -> None:
    """A well-formed X-Request-ID is echoed in headers, the first status event and the logs."""
    app, engine = scripted
    engine.enqueue(Result({}))
    with caplog.at_level(logging.INFO, logger="medreg"):
        response = app.test_client().post("/api/stream/classify", json={"concept": "secret idea 42"},
                                          headers={"X-Request-ID": "abc-123"})
        events = events_of(response.data)
    assert response.headers["X-Request-ID"] == "abc-123"
    assert events[0]["data"]["request_id"] == "abc-123"
    logged = [r for r in caplog.records if getattr(r, "fields", {}).get("request_id") == "abc-123"]
    assert [r.name for r in logged] == ["medreg.stream"]  # one line per stream, when it closes
    assert logged[0].fields["terminal"] == "done" and logged[0].fields["events"] == 3
    assert "secret idea" not in caplog.text


def test_bad_request_ids_are_replaced(scripted) -> None:
    """An id with odd characters is not trusted: a new one is made."""
    app, engine = scripted
    engine.enqueue(Result({}))
    response = app.test_client().post("/api/classify", json=BODY, headers={"X-Request-ID": "x\" y<script>"})
    assert len(response.headers["X-Request-ID"]) == 32 and response.headers["X-Request-ID"].isalnum()


def test_json_log_lines_carry_no_traceback_or_key() -> None:
    """Log lines are JSON; an exception logs its type, not its traceback or message details."""
    from medreg.http.logs import JsonFormatter

    try:
        raise RuntimeError("Authorization: Bearer sk-secret")
    except RuntimeError:
        import sys

        record = logging.LogRecord("medreg", logging.ERROR, __file__, 1, "step failed", None, sys.exc_info())
    line = JsonFormatter().format(record)
    assert json.loads(line)["error"] == "RuntimeError"
    assert "sk-secret" not in line and "Traceback" not in line


def test_app_leaves_other_loggers_formats_working(app) -> None:
    """The app's logging tweaks are process-wide: gunicorn's "[%(process)d]" format must still work."""
    record = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1, "Worker exiting (pid: %s)", (1,), None)
    line = logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(message)s").format(record)
    assert "Worker exiting (pid: 1)" in line
