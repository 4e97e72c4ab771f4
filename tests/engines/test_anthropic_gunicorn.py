"""The Anthropic engine in real gunicorn (gevent workers) against the stub: parallel plans, cancellation, errors."""
from __future__ import annotations

import json
import time

import pytest

from tests.engines.conftest import SECRET_KEY
from tests.engines.gunicorn_stub import classification, read_events
from tests.servers import Gunicorn, open_stream


@pytest.fixture(scope="module")
def medreg_url(server_logs, stub_server):
    """medreg under gunicorn with the Anthropic engine pointed at the module's stub (reset by each test's
    `stub`); one server for the module: each test ends with no upstream stream open."""
    server = Gunicorn(env={"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": SECRET_KEY,
                           "ANTHROPIC_BASE_URL": stub_server.url, "MEDREG_HEARTBEAT_S": "0.5",
                           "MEDREG_ANTHROPIC_CONCURRENCY": "16", "MEDREG_FALLBACK_OFFLINE": "0",
                           "MEDREG_RATE_LIMIT": "off"}).start(server_logs)
    yield server.url
    server.stop(graceful=False)


def standards_body() -> dict:
    """A standards request for a device with many workstreams."""
    return {"classification": classification(), "language": "en"}


def test_plans_arrive_in_parallel_and_done_reports_usage(medreg_url, stub) -> None:
    stub.control(first_token_s=0.5, tokens_per_s=50, words=8)
    sock = open_stream(medreg_url, "standards", standards_body(), wait_first_event=False)
    with sock:
        events = read_events(sock, {"done", "error"}, timed=True)
    kinds = [event["type"] for _, event in events]
    assert kinds[-1] == "done", events[-1]
    plan_times = [at for at, event in events if event["type"] == "plan"]
    done = events[-1][1]
    assert len(plan_times) == done["total_plans"] > 5
    # One call per plan, all at once: the last plan lands about when the first does, not n times later.
    assert plan_times[-1] <= 1.5 * plan_times[0]
    assert set(done["usage"]) == {"input_tokens", "output_tokens", "cache_read_input_tokens",
                                  "cache_creation_input_tokens"}
    assert stub.stats()["completed"] == len(plan_times)


def test_client_disconnect_closes_every_upstream_stream(medreg_url, stub) -> None:
    stub.control(first_token_s=0.2, tokens_per_s=10, words=80)  # each plan call would take ~minutes
    sock = open_stream(medreg_url, "standards", standards_body(), wait_first_event=False)
    read_events(sock, {"status"}, timed=True)
    deadline = time.monotonic() + 5
    while stub.stats()["started"] < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    started = stub.stats()["started"]
    assert started >= 8
    sock.close()
    deadline = time.monotonic() + 3   # the next heartbeat (0.5 s) notices the disconnect
    while stub.stats()["open"] > 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    stats = stub.stats()
    assert stats["open"] == 0 and stats["cancelled"] == stats["started"] and stats["completed"] == 0


def test_overloaded_after_output_ends_with_one_retryable_error(medreg_url, stub) -> None:
    stub.control(script=[{"fault": "overloaded_mid", "after_tokens": 20}])
    sock = open_stream(medreg_url, "classify", {"concept": "smart insulin pump", "language": "en"},
                       wait_first_event=False)
    with sock:
        events = [event for _, event in read_events(sock, {"done", "error"}, timed=True)]
    kinds = [event["type"] for event in events]
    assert "delta" in kinds and kinds[-1] == "error" and "done" not in kinds
    assert events[-1]["code"] == "upstream_unavailable" and events[-1]["retryable"] is True
    assert SECRET_KEY not in json.dumps(events)
