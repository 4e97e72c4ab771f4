"""The stub's fault matrix through real gunicorn, the real SDK and real sockets.

Each row: what the client sees (the terminal event, its code, whether it is retryable, the
upstream's reason or Retry-After where there is one) and the stub's open upstream streams after.
The disconnect rows run with a 30 s heartbeat: only the socket watch can notice the hang-up, and
every upstream stream (each plan call of a fan-out, a retry wait) must close within 1 s.
"""
from __future__ import annotations

import json
import time

import pytest
import requests

from tests.engines.conftest import SECRET_KEY
from tests.engines.gunicorn_stub import bodies, open_json_post, read_events, wait_until
from tests.servers import Gunicorn, open_stream

ENV = {"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": SECRET_KEY, "MEDREG_HEARTBEAT_S": "30",
       "MEDREG_ANTHROPIC_CONCURRENCY": "16", "MEDREG_FALLBACK_OFFLINE": "0", "MEDREG_RATE_LIMIT": "off",
       "MEDREG_ANTHROPIC_READ_TIMEOUT_S": "1.5", "MEDREG_STEP_DEADLINE_S": "20"}


@pytest.fixture(scope="module")
def medreg(stub_server, server_logs):
    """One gunicorn (one gevent worker) for the module, Anthropic engine on the stub."""
    server = Gunicorn(env={**ENV, "ANTHROPIC_BASE_URL": stub_server.url}).start(server_logs)
    yield server
    server.stop(graceful=False)


def stream(url: str, step: str, body: dict) -> list[dict]:
    """One whole stream's events."""
    with open_stream(url, step, body, wait_first_event=False) as sock:
        return read_events(sock)


MATRIX = [
    # id, script, step, terminal code (None: done), retryable, extra check on the terminal event
    ("normal", [], "purpose", None, None, None),
    ("429-retry-after-short", [{"fault": "429", "retry_after": 1}], "purpose", None, None, None),
    ("429-retry-after-long", [{"fault": "429", "retry_after": 60}], "purpose", "upstream_rate_limited", True,
     {"retry_after": 60}),
    ("529-after-retries", [{"fault": "529"}] * 3, "purpose", "upstream_unavailable", True, None),
    ("500-after-retries", [{"fault": "500"}] * 3, "purpose", "upstream_error", True, None),
    ("error-event-after-output", [{"fault": "overloaded_mid", "after_tokens": 20}], "classify",
     "upstream_unavailable", True, None),
    ("dropped-connection", [{"fault": "drop", "after_tokens": 5}], "purpose", "upstream_error", True, None),
    ("slow-headers", [{"fault": "slow_headers", "delay_s": 0.8}], "purpose", None, None, None),
    ("stall", [{"fault": "hang"}], "purpose", "upstream_timeout", True, None),
    ("malformed-event", [{"fault": "malformed", "after_tokens": 5}], "purpose", "upstream_error", True, None),
    ("non-json-answer", [{"fault": "non_json"}], "purpose", "upstream_error", True, None),
    ("max-tokens", [{"fault": "max_tokens"}], "purpose", "answer_cut_off", False, None),
    ("refusal-with-json", [{"fault": "refusal", "json": True, "explanation": "Declined: policy."}], "purpose",
     "refused", False, {"reason": "Declined: policy."}),
    ("refusal-partial-json", [{"fault": "refusal", "json": False, "explanation": "Declined."}], "classify",
     "refused", False, {"reason": "Declined."}),
]


@pytest.mark.parametrize("script, step, code, retryable, extra", [pytest.param(*row[1:], id=row[0]) for row in MATRIX])
def test_fault_matrix(medreg, stub, script, step, code, retryable, extra) -> None:
    stub.control(script=script)
    events = stream(medreg.url, step, bodies()[step])
    terminal = [event for event in events if event["type"] in ("done", "error")]
    assert len(terminal) == 1 and events[-1] is terminal[0], events[-3:]
    if code is None:
        assert terminal[0]["type"] == "done", terminal[0]
    else:
        assert (terminal[0]["type"], terminal[0]["code"], terminal[0]["retryable"]) == ("error", code, retryable)
        for key, value in (extra or {}).items():
            assert terminal[0][key] == value
    assert SECRET_KEY not in json.dumps(events)
    wait_until(lambda: stub.stats()["open"] == 0, 1.0)


def test_retry_after_reaches_the_json_endpoint(medreg, stub) -> None:
    stub.control(script=[{"fault": "429", "retry_after": 60}])
    answer = requests.post(f"{medreg.url}/api/purpose", json=bodies()["purpose"], timeout=10)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "60"
    assert answer.json()["error"]["code"] == "upstream_rate_limited"


# How many upstream streams are open before the client leaves (fan-outs: several at once).
OPEN_BEFORE = {"classify": 1, "purpose": 1, "standards": 8, "refine": 3}


@pytest.mark.parametrize("step", ["classify", "purpose", "standards", "refine"])
def test_disconnect_closes_every_upstream_stream_within_1s(medreg, stub, step) -> None:
    stub.control(first_token_s=0.2, tokens_per_s=10, words=80)  # each call would run for minutes
    sock = open_stream(medreg.url, step, bodies()[step])
    wait_until(lambda: stub.stats()["open"] >= OPEN_BEFORE[step], 5.0)
    sock.close()
    took = wait_until(lambda: stub.stats()["open"] == 0, 1.0)
    stats = stub.stats()
    assert stats["completed"] == 0 and stats["cancelled"] == stats["started"], (stats, took)


@pytest.mark.parametrize("path", ["stream", "json"])
def test_disconnect_during_429_back_off_stops_the_retries(medreg, stub, path) -> None:
    stub.control(script=[{"fault": "429", "retry_after": 2}])
    opened = open_stream if path == "stream" else open_json_post
    sock = opened(medreg.url, "purpose", bodies()["purpose"])
    wait_until(lambda: stub.stats()["rejected"] >= 1, 5.0)
    sock.close()
    time.sleep(2.8)  # past the back-off: a retry would have been sent by now
    stats = stub.stats()
    assert stats["requests"] == 1 and stats["started"] == 0 and stats["open"] == 0, stats
