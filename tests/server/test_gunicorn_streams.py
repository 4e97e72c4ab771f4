"""Real gunicorn with gevent workers on a loopback port, real HTTP: what only a real server shows."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.servers import open_stream
from tests.sse_parse import events_of

pytestmark = pytest.mark.server


def _read_events_with_times(url: str, body: dict) -> list[tuple[float, bytes]]:
    """POST and return (seconds since send, raw line) for every line as it arrives."""
    started = time.monotonic()
    lines = []
    with requests.post(url, json=body, stream=True, timeout=30) as response:
        assert response.status_code == 200
        for line in response.iter_lines(chunk_size=1):
            lines.append((time.monotonic() - started, line))
    return lines


@pytest.fixture
def slow_server(gunicorn_server, tmp_path):
    """gunicorn serving the SlowEngine (2 s per step) with a 0.3 s heartbeat; yields (url, record file)."""
    record = tmp_path / "record.txt"
    url = gunicorn_server({"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_HEARTBEAT_S": "0.3",
                           "MEDREG_TEST_STEP_S": "2", "MEDREG_TEST_RECORD": str(record)})
    return url, record


def test_first_event_arrives_before_the_slow_step_ends(slow_server) -> None:
    """Nothing is buffered: the first status comes at once, heartbeats flow, one terminal event."""
    url, _ = slow_server
    lines = _read_events_with_times(f"{url}/api/stream/classify", {"concept": "slow pump"})
    first_data = next(t for t, line in lines if line.startswith(b"data:"))
    last = lines[-1][0]
    assert first_data < 0.5 and last > 1.8
    assert sum(1 for _, line in lines if line == b": keep-alive") >= 3
    raw = b"\n".join(line for _, line in lines) + b"\n\n"
    events = events_of(raw.replace(b"\n\n\n", b"\n\n"))
    assert [int(e["id"]) for e in events] == list(range(1, len(events) + 1))
    assert [e["event"] for e in events][-2:] == ["result", "done"]


def test_disconnect_runs_cleanup_within_two_seconds(slow_server) -> None:
    """A client that goes away mid-stream stops the step behind it (noticed at the next heartbeat)."""
    url, record = slow_server
    sock = open_stream(url, "classify", {"concept": "leaver"})
    closed_at = time.time()
    sock.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        text = record.read_text() if record.exists() else ""
        if "cleanup leaver" in text:
            break
        time.sleep(0.05)
    entries = dict(reversed(line.split(" ", 1)) for line in record.read_text().splitlines())
    assert "cleanup leaver" in entries, record.read_text()
    assert "finish leaver" not in entries
    assert float(entries["cleanup leaver"]) - closed_at < 2.0


def test_two_hundred_concurrent_streams_complete(gunicorn_server) -> None:
    """200 streams at once on one worker all end with done, with whole events."""
    url = gunicorn_server({"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": "1",
                           "MEDREG_HEARTBEAT_S": "0.5", "MEDREG_RATE_LIMIT": "off",
                           "MEDREG_MAX_STREAMS_PER_CLIENT": "0"})

    def one(n: int) -> list[str]:
        response = requests.post(f"{url}/api/stream/classify", json={"concept": f"device {n}"}, timeout=30)
        return [e["event"] for e in events_of(response.content)]

    with ThreadPoolExecutor(max_workers=200) as pool:
        started = time.monotonic()
        results = list(pool.map(one, range(200)))
        elapsed = time.monotonic() - started
    assert all(r[-1] == "done" and r.count("done") == 1 and "error" not in r for r in results)
    assert elapsed < 15  # concurrent, not one after another (200 × 1 s)


def test_invalid_stream_request_over_http(live_server) -> None:
    """A real 422 with an SSE body holding one error event."""
    response = requests.post(f"{live_server}/api/stream/classify", json={"concept": ""}, timeout=10)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("text/event-stream")
    (event,) = events_of(response.content)
    assert event["data"]["code"] == "invalid_request"


def test_cors_allows_localhost_browser_clients(live_server) -> None:
    """The seed's browser clients on another localhost port may call the API."""
    response = requests.options(f"{live_server}/api/stream/classify", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert response.headers.get("Access-Control-Allow-Origin") == "http://localhost:3000"
    denied = requests.options(f"{live_server}/api/classify", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_docs_are_served_without_a_cdn(live_server) -> None:
    """/docs loads Swagger UI from this server; /openapi.json documents the streams."""
    page = requests.get(f"{live_server}/docs", timeout=10).text
    assert "http" not in page.replace("http-equiv", "")
    assert requests.get(f"{live_server}/docs/assets/swagger-ui-bundle.js", timeout=10).status_code == 200
    spec = requests.get(f"{live_server}/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.1")
    stream = spec["paths"]["/api/stream/classify"]["post"]["responses"]["200"]["content"]
    assert "text/event-stream" in stream
    assert {"StatusEvent", "PlanEvent", "DoneEvent", "ErrorEvent"} <= set(spec["components"]["schemas"])
