"""A wrong model or key is reported as what it is, by /healthz and by every step, through real gunicorn;
only transient faults fall back to the offline engine, and visibly (result, status event, /healthz)."""
from __future__ import annotations

import pytest
import requests

from tests.engines.conftest import SECRET_KEY
from tests.engines.gunicorn_stub import bodies, read_events, wait_until
from tests.servers import Gunicorn, open_stream

ENV = {"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": SECRET_KEY, "MEDREG_RATE_LIMIT": "off",
       "MEDREG_FALLBACK_OFFLINE": "1"}  # on: a configuration fault must still not be answered offline

CONFIG_FAULTS = [
    # id, model, stub's accepted key, /healthz engine status, error code of a step
    ("404-model", "claude-nope-1", None, "model claude-nope-1 not found — set MEDREG_MODEL", "model_not_found"),
    ("retired-model", "claude-sonnet-4-5", None, "model claude-sonnet-4-5 is retired — set MEDREG_MODEL",
     "model_not_found"),
    ("401-key", "claude-sonnet-5-5", "sk-ant-the-real-one", "invalid API key — set ANTHROPIC_API_KEY",
     "invalid_api_key"),
]


@pytest.mark.parametrize("model, accepted_key, health, code",
                         [pytest.param(*row[1:], id=row[0]) for row in CONFIG_FAULTS])
def test_wrong_model_or_key_is_reported_never_replaced(gunicorn_server, stub, model, accepted_key, health,
                                                       code) -> None:
    stub.control(api_key=accepted_key)
    url = gunicorn_server({**ENV, "ANTHROPIC_BASE_URL": stub.url, "MEDREG_MODEL": model})
    plain = requests.get(f"{url}/healthz", timeout=5)
    assert plain.status_code == 200
    assert plain.json()["status"] == "degraded"
    assert plain.json()["engine"]["status"] == health and plain.json()["engine"]["model"] == model
    deep = requests.get(f"{url}/healthz?deep=1", timeout=5)
    assert deep.status_code == 503 and deep.json()["engine"]["status"] == health
    for step in ("classify", "standards"):
        with open_stream(url, step, bodies()[step], wait_first_event=False) as sock:
            events = read_events(sock)
        assert [e["type"] for e in events].count("error") == 1 and events[-1]["type"] == "error"
        assert (events[-1]["code"], events[-1]["retryable"]) == (code, False), events[-1]
        assert not any(e["type"] in ("result", "plan") for e in events)  # never silently answered offline
    answer = requests.post(f"{url}/api/purpose", json=bodies()["purpose"], timeout=10)
    assert answer.status_code == 502 and answer.json()["error"]["code"] == code
    wait_until(lambda: stub.stats()["open"] == 0, 1.0)


def test_a_403_on_a_call_is_reported_as_a_forbidden_model_not_a_bad_key(gunicorn_server, stub) -> None:
    """The start-up check passes, then a call is refused with 403: /healthz says the key may not use the model."""
    stub.control(script=[{"fault": "403"}])
    url = gunicorn_server({**ENV, "ANTHROPIC_BASE_URL": stub.url})
    answer = requests.post(f"{url}/api/purpose", json=bodies()["purpose"], timeout=10)
    assert answer.status_code == 502 and answer.json()["error"]["code"] == "invalid_api_key"
    engine = requests.get(f"{url}/healthz", timeout=5).json()["engine"]
    assert engine["status"] == "API key not permitted to use model claude-sonnet-5-5"
    assert engine["code"] == "invalid_api_key"


def test_healthy_configuration_says_ok(gunicorn_server, stub) -> None:
    url = gunicorn_server({**ENV, "ANTHROPIC_BASE_URL": stub.url})
    body = requests.get(f"{url}/healthz?deep=1", timeout=5).json()
    assert body["status"] == "ok"
    assert body["engine"]["name"] == "anthropic:claude-sonnet-5-5"
    assert (body["engine"]["model"], body["engine"]["status"]) == ("claude-sonnet-5-5", "ok")
    assert stub.stats()["model_checks"] >= 1  # at start-up (a deep check within 5 s reuses it)


@pytest.fixture(scope="module")
def no_retries_url(server_logs, stub_server):
    """One server, no SDK retries, for both steps of the fallback test (a fallback changes no setting)."""
    server = Gunicorn(env={**ENV, "ANTHROPIC_BASE_URL": stub_server.url, "MEDREG_ANTHROPIC_MAX_RETRIES": "0"})
    yield server.start(server_logs).url
    server.stop(graceful=False)


@pytest.mark.parametrize("step", ["purpose", "standards"])
def test_transient_fault_falls_back_visibly(no_retries_url, stub, step) -> None:
    url = no_retries_url
    before = requests.get(f"{url}/healthz", timeout=5).json()["engine"].get("fallbacks", {})
    stub.control(script=[{"fault": "529"}] * 20)
    with open_stream(url, step, bodies()[step], wait_first_event=False) as sock:
        events = read_events(sock)
    assert events[-1]["type"] == "done"
    fallback = [e for e in events if e["type"] == "status" and e["stage"] == "fallback"]
    assert len(fallback) == 1 and "upstream_unavailable" in fallback[0]["message"]
    result = next(e["data"] for e in events if e["type"] == "result")
    assert result["engine"] == "offline (fallback: upstream_unavailable)"
    fallbacks = requests.get(f"{url}/healthz", timeout=5).json()["engine"]["fallbacks"]
    # Counted by this request (the server is the module's: the other step's fallback may be counted already).
    assert fallbacks["total"] >= before.get("total", 0) + 1
    assert fallbacks["upstream_unavailable"] >= before.get("upstream_unavailable", 0) + 1
