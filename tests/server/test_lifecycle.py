"""Real gunicorn: frozen clients, stream lifetime, SIGTERM shutdown and SIGHUP reload."""
from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.servers import Gunicorn, open_stream
from tests.sse_parse import events_of

pytestmark = pytest.mark.server

SLOW = "tests.fakes:SlowEngine"


def record_entries(record: Path) -> dict[str, float]:
    """`{"cleanup concept": time, ...}` from an engine's record file (last time wins)."""
    if not record.exists():
        return {}
    return {text: float(stamp) for stamp, _, text in
            (line.partition(" ") for line in record.read_text().splitlines())}


def wait_for_entry(record: Path, entry: str, timeout: float) -> float | None:
    """When `entry` was recorded, waiting up to `timeout` seconds for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamp = record_entries(record).get(entry)
        if stamp is not None:
            return stamp
        time.sleep(0.05)
    return None


def stream_in_background(url: str, concept: str) -> tuple[threading.Thread, dict]:
    """Read a whole classify stream in a thread; the dict gets `status`, `events` or `error`."""
    outcome: dict = {}

    def run() -> None:
        try:
            response = requests.post(f"{url}/api/stream/classify", json={"concept": concept}, timeout=30)
            outcome["status"] = response.status_code
            outcome["events"] = [e["event"] for e in events_of(response.content)]
        except Exception as exc:  # the assertion below reports it
            outcome["error"] = repr(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("write_timeout, released", [
    ("1", True),
    ("0", False),  # control: unbounded writes hold the greenlet, so the test above can fail
])
def test_a_frozen_client_releases_its_greenlet(gunicorn_server, tmp_path, write_timeout: str, released: bool) -> None:
    """A client that stops reading while 200 KB events pour out: the bounded write (1 s) fails, the step
    is closed within a few seconds while the client's socket is still open, and the worker serves on."""
    record = tmp_path / "record.txt"
    url = gunicorn_server({"MEDREG_ENGINE": "tests.hostile_fakes:FloodEngine",
                           "MEDREG_WRITE_TIMEOUT_S": write_timeout, "MEDREG_HEARTBEAT_S": "0.5",
                           "MEDREG_TEST_RECORD": str(record), "MEDREG_RATE_LIMIT": "off", "MEDREG_STATS": "1"})
    idle = requests.get(f"{url}/healthz", timeout=5).json()
    sock = open_stream(url, "classify", {"concept": "frozen"}, recv_buffer=4096)
    try:
        started = wait_for_entry(record, "start frozen", timeout=5)  # the first status comes before the engine starts
        assert started is not None
        cleaned = wait_for_entry(record, "cleanup frozen", timeout=8 if released else 4)
        assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
        entries = record_entries(record)
        assert "finish frozen" not in entries
        if not released:
            assert cleaned is None
            held = requests.get(f"{url}/healthz", timeout=5).json()
            assert held.get("open_streams", 1) == 1 and held.get("greenlets", 99) > idle.get("greenlets", 0)
            return
        assert cleaned is not None, record.read_text()
        assert cleaned - started < 6
        sent = max(int(text.split()[1]) for text in entries if text.startswith("sent "))
        assert sent < 1000  # stopped early, not after flooding everything into kernel buffers
        # The request's greenlet and the step's are gone although the client never closed its socket.
        time.sleep(0.5)
        now = requests.get(f"{url}/healthz", timeout=5).json()
        if "greenlets" in idle:
            assert now["greenlets"] <= idle["greenlets"] and now["open_streams"] == 0, (idle, now)
    finally:
        sock.close()


def test_a_reading_client_gets_the_whole_flood(gunicorn_server, tmp_path) -> None:
    """Control: the same engine and write timeout with a client that reads: every event, then done."""
    record = tmp_path / "record.txt"
    url = gunicorn_server({"MEDREG_ENGINE": "tests.hostile_fakes:FloodEngine", "MEDREG_WRITE_TIMEOUT_S": "1",
                           "MEDREG_TEST_FLOOD_EVENTS": "100", "MEDREG_TEST_RECORD": str(record),
                           "MEDREG_RATE_LIMIT": "off"})
    response = requests.post(f"{url}/api/stream/classify", json={"concept": "reader"}, timeout=60)
    names = [e["event"] for e in events_of(response.content)]
    assert names.count("delta") == 100 and names[-1] == "done"
    assert "finish reader" in record_entries(record)


def test_max_stream_lifetime_ends_with_upstream_timeout(gunicorn_server, tmp_path) -> None:
    """MEDREG_MAX_STREAM_S=1.5 cuts a 5 s step: one `upstream_timeout` error event, and the step is cleaned up."""
    record = tmp_path / "record.txt"
    url = gunicorn_server({"MEDREG_ENGINE": SLOW, "MEDREG_TEST_STEP_S": "5", "MEDREG_MAX_STREAM_S": "1.5",
                           "MEDREG_HEARTBEAT_S": "0.5", "MEDREG_TEST_RECORD": str(record)})
    started = time.monotonic()
    response = requests.post(f"{url}/api/stream/classify", json={"concept": "too long"}, timeout=30)
    elapsed = time.monotonic() - started
    events = events_of(response.content)
    assert [e["event"] for e in events][-1] == "error"
    assert [e["event"] for e in events].count("error") == 1 and "done" not in [e["event"] for e in events]
    assert events[-1]["data"]["code"] == "upstream_timeout" and events[-1]["data"]["retryable"] is True
    assert 1.4 < elapsed < 3.0
    assert wait_for_entry(record, "cleanup too long", timeout=3) is not None
    assert "finish too long" not in record_entries(record)


@pytest.fixture
def slow_gunicorn(server_logs, tmp_path):
    """gunicorn with 3 s steps and a 10 s graceful timeout, whose master the test signals itself."""
    server = Gunicorn(env={"MEDREG_ENGINE": SLOW, "MEDREG_TEST_STEP_S": "3", "MEDREG_HEARTBEAT_S": "0.5",
                           "MEDREG_GRACEFUL_TIMEOUT": "10", "MEDREG_TEST_RECORD": str(tmp_path / "record.txt")})
    server.start(server_logs)
    yield server
    server.stop(graceful=False)


def test_sigterm_lets_in_flight_streams_finish_and_refuses_new_ones(slow_gunicorn) -> None:
    """SIGTERM to the master: a 3 s stream already running ends with done; a new connection is refused."""
    server = slow_gunicorn
    thread, outcome = stream_in_background(server.url, "in flight")
    time.sleep(0.5)  # the stream is running
    signalled = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)
    time.sleep(1.5)  # the worker notices within its 1 s loop and stops accepting
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    thread.join(timeout=15)
    assert outcome.get("status") == 200, outcome
    assert outcome["events"][-1] == "done" and outcome["events"].count("done") == 1, outcome
    assert server.process.wait(timeout=15) == 0
    assert time.monotonic() - signalled < 10  # within the graceful timeout


def test_sighup_reload_drops_no_stream(slow_gunicorn) -> None:
    """SIGHUP: a stream begun before it ends with done; one begun after the new worker is up works too."""
    server = slow_gunicorn
    before, before_outcome = stream_in_background(server.url, "before reload")
    time.sleep(0.5)
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 15
    while server.log_text().count("Booting worker") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.log_text().count("Booting worker") >= 2, server.log_text()
    after, after_outcome = stream_in_background(server.url, "after reload")
    before.join(timeout=15)
    after.join(timeout=15)
    for outcome in (before_outcome, after_outcome):
        assert outcome.get("status") == 200, outcome
        assert outcome["events"][-1] == "done" and outcome["events"].count("done") == 1, outcome
    assert server.process.poll() is None  # the master lives on


def test_a_stopping_worker_closes_its_engine(server_logs, tmp_path) -> None:
    """SIGTERM: gunicorn's worker_exit hook calls the engine's close() (upstream pools released)."""
    record = tmp_path / "record.txt"
    server = Gunicorn(env={"MEDREG_ENGINE": SLOW, "MEDREG_TEST_RECORD": str(record)}).start(server_logs)
    assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
    assert "engine closed" not in record_entries(record)
    server.stop()
    assert "engine closed" in record_entries(record)
