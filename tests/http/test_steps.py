"""Step generators through both endpoints: order, one terminal event, errors, heartbeats, cleanup."""
from __future__ import annotations

import pytest

from medreg.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from medreg.events import Delta, PlanReady, Result, Status
from tests.sse_parse import events_of, parse_frames

BODY = {"concept": "smart insulin pump"}


def test_stream_orders_events_and_ends_with_done(scripted) -> None:
    """First status at once, engine events in order, ids from 1, exactly one done."""
    app, engine = scripted
    engine.enqueue(Status("matching", "matching", 0.3), Delta("abc"), Result({"answer": 1}))
    response = app.test_client().post("/api/stream/classify", json=BODY)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Accel-Buffering"] == "no"
    events = events_of(response.data)
    assert [e["event"] for e in events] == ["status", "status", "delta", "result", "done"]
    assert [e["id"] for e in events] == ["1", "2", "3", "4", "5"]
    assert events[0]["data"]["stage"] == "started"
    assert events[3]["data"]["data"] == {"answer": 1}
    assert isinstance(events[-1]["data"]["elapsed_ms"], int)


def test_json_endpoint_returns_the_same_result(scripted) -> None:
    """The JSON endpoint consumes the same generator and returns the result object."""
    app, engine = scripted
    engine.enqueue(Status("x", "x"), Result({"answer": "같음"}))
    response = app.test_client().post("/api/classify", json=BODY)
    assert response.status_code == 200
    assert response.get_json() == {"answer": "같음"}
    assert "같음".encode() in response.data  # UTF-8, not \\u escapes


def test_standards_done_carries_total_plans(scripted) -> None:
    """The seed's useStreamingPlans reads data.total_plans from done."""
    app, engine = scripted
    plans = [{"id": "a"}, {"id": "b"}]
    engine.enqueue(PlanReady(plans[0], 1, 2), PlanReady(plans[1], 2, 2),
                   Result({"plans": plans, "total_plans": 2}))
    body = {"classification": {"attributes": {}, "category": {"code": "samd"}}}
    events = events_of(app.test_client().post("/api/stream/standards", json=body).data)
    assert [(e["event"], e["data"].get("index")) for e in events[1:3]] == [("plan", 1), ("plan", 2)]
    assert events[-1]["data"]["total_plans"] == 2


def test_refine_of_one_plan_answers_plan(scripted) -> None:
    """A request with `plan` gets `plan` back; with `plans`, `plans`."""
    app, engine = scripted
    plan = {"id": "plan-emc", "title": "EMC"}
    engine.enqueue(Result({"plans": [plan], "changes": []}))
    single = app.test_client().post("/api/refine", json={"plan": plan, "feedback": "no wireless"}).get_json()
    assert single == {"plan": plan, "changes": []}
    engine.enqueue(Result({"plans": [plan], "changes": []}))
    several = app.test_client().post("/api/refine", json={"plans": [plan], "feedback": "x"}).get_json()
    assert several == {"plans": [plan], "changes": []}


@pytest.mark.parametrize(("exception", "code", "status", "retryable"), [
    (UpstreamError("bad gateway"), "upstream_error", 502, True),
    (UpstreamUnavailable("overloaded"), "upstream_unavailable", 503, True),
    (UpstreamTimeout("slow"), "upstream_timeout", 504, True),
    (RuntimeError("bug with secret sk-ant-123"), "internal", 500, True),
])
def test_engine_failures_end_with_one_error(scripted, exception, code, status, retryable) -> None:
    """An exception mid-step becomes one `error` event (stream) or the error shape (JSON)."""
    app, engine = scripted
    engine.enqueue(Status("working", "w"), exception)
    events = events_of(app.test_client().post("/api/stream/classify", json=BODY).data)
    assert [e["event"] for e in events] == ["status", "status", "error"]
    assert events[-1]["data"]["code"] == code and events[-1]["data"]["retryable"] is retryable
    assert "sk-ant" not in str(events)
    engine.enqueue(exception)
    response = app.test_client().post("/api/classify", json=BODY)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert "sk-ant" not in response.get_data(as_text=True)


def test_engine_without_result_is_an_error(scripted) -> None:
    """A step that ends without a result must not look like success."""
    app, engine = scripted
    engine.enqueue(Status("x", "x"))
    events = events_of(app.test_client().post("/api/stream/classify", json=BODY).data)
    assert events[-1]["event"] == "error" and sum(e["event"] in ("done", "error") for e in events) == 1


def test_heartbeats_flow_while_the_step_is_silent(scripted) -> None:
    """A silent step gets `: keep-alive` comments (HEARTBEAT_S is 0.05 s here)."""
    app, engine = scripted
    engine.enqueue(0.3, Result({}))
    frames = parse_frames(app.test_client().post("/api/stream/classify", json=BODY).data)
    assert sum(1 for f in frames if f.get("comment") == "keep-alive") >= 3
    assert frames[-1]["event"] == "done"


def test_disconnect_while_the_engine_waits_on_io(scripted) -> None:
    """A client leaving while the step is blocked (heartbeats flowing) still stops the step."""
    app, engine = scripted
    engine.enqueue(Status("a", "a"), 30.0, Result({}))
    response = app.test_client().post("/api/stream/classify", json=BODY, buffered=False)
    chunks = iter(response.response)
    assert b"event: status" in next(chunks) and b"event: status" in next(chunks)
    assert next(chunks) == b": keep-alive\n\n"
    assert next(chunks) == b": keep-alive\n\n"
    response.close()
    assert engine.cleaned_up == 1


def test_deadline_ends_a_hung_step(scripted) -> None:
    """A step past STEP_DEADLINE_S ends with a retryable upstream_timeout and is cleaned up."""
    app, engine = scripted
    app.config["STEP_DEADLINE_S"] = 0.3
    engine.enqueue(60.0, Result({}))
    events = events_of(app.test_client().post("/api/stream/classify", json=BODY).data)
    assert events[-1]["data"]["code"] == "upstream_timeout"
    assert engine.cleaned_up == 1


def test_client_disconnect_cleans_up_the_step(scripted) -> None:
    """Closing the response mid-stream (what the server does on a dropped client) stops the step."""
    app, engine = scripted
    engine.enqueue(Status("a", "a"), 30.0, Result({}))
    response = app.test_client().post("/api/stream/classify", json=BODY, buffered=False)
    chunks = iter(response.response)
    assert b"stage\":\"started" in next(chunks)
    assert b"stage\":\"a" in next(chunks)  # the engine is running now
    response.close()
    assert engine.cleaned_up == 1
