"""Resumable run streams over real gunicorn: a stream cut in the middle of `standards` resumes with
Last-Event-ID (no event twice, no plan twice, one terminal event); a run nobody reads is cancelled
after the grace; a worker killed mid-run leaves the run failed (`run_lost`), not hanging."""
from __future__ import annotations

import json
import os
import signal
import socket
import time
from urllib.parse import urlparse

import pytest
import requests

from medreg.http.sse import SSEParser
from tests.projects.conftest import BASE_ENV, KEYS, Served, headers, read_events

PUMP = "external insulin infusion pump for people with diabetes, worn on the body"


def _project_with_classification(url: str) -> str:
    pid = requests.post(f"{url}/api/projects", json={"name": "Pump", "concept": PUMP}, headers=headers(),
                        timeout=10).json()["id"]
    requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "classify"}, headers=headers(),
                  timeout=30).raise_for_status()
    return pid


def _start_and_read(url: str, pid: str, plans_before_cut: int) -> tuple[str, list, socket.socket]:
    """Start a standards run on a raw socket; read until `plans_before_cut` plans came; return (run id, events, socket)."""
    parsed = urlparse(url)
    raw = json.dumps({"step": "standards", "stream": True}).encode()
    sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
    sock.sendall((f"POST /api/projects/{pid}/runs HTTP/1.1\r\nHost: medreg\r\nAuthorization: Bearer {KEYS['alpha']}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode()
                 + raw)
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(4096)
    head, body = received.split(b"\r\n\r\n", 1)
    run_id = next(line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                  if line.lower().startswith(b"x-run-id:"))
    # Chunked transfer: the SSE parser only needs the frames, so strip the chunk-size lines.
    parser, events, buffer = SSEParser(), [], body
    while sum(event.event == "plan" for event in events) < plans_before_cut:
        buffer += sock.recv(65536)
        while b"\r\n" in buffer:
            size_line, rest = buffer.split(b"\r\n", 1)
            size = int(size_line, 16)
            if len(rest) < size + 2:
                break
            events.extend(parser.feed(rest[:size]))
            buffer = rest[size + 2:]
    return run_id, events, sock


def test_a_stream_cut_mid_standards_resumes_with_last_event_id(served) -> None:
    url = served.url
    pid = _project_with_classification(url)
    run_id, before, sock = _start_and_read(url, pid, plans_before_cut=3)
    sock.close()  # the phone changed networks
    last_id = before[-1].id
    time.sleep(0.5)  # the run goes on meanwhile
    with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(**{"Last-Event-ID": last_id}),
                      stream=True, timeout=60) as response:
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/event-stream")
        after = read_events(response)
    ids = [int(event.id) for event in before + after]
    assert ids == list(range(1, len(ids) + 1)), "every event once, in order"
    kinds = [event.event for event in before + after]
    assert kinds.count("done") == 1 and kinds[-1] == "done" and "error" not in kinds
    plans = [event.data["data"]["id"] for event in before + after if event.event == "plan"]
    assert len(plans) == len(set(plans)) and len(plans) > 3
    result = next(event.data["data"] for event in after if event.event == "result")
    assert [plan["id"] for plan in result["plans"]] == plans
    run = requests.get(f"{url}/api/runs/{run_id}", headers=headers(), timeout=10).json()
    assert run["status"] == "done" and run["events"] == ids[-1]
    version = requests.get(f"{url}/api/projects/{pid}/versions/{run['version']}", headers=headers(), timeout=10).json()
    assert [plan["id"] for plan in version["plans"]] == plans
    # Replaying from the start gives the very same events.
    with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(), stream=True, timeout=30) as response:
        replay = read_events(response)
    assert [(e.id, e.data) for e in replay] == [(e.id, e.data) for e in before + after]


@pytest.fixture(scope="module")
def fragile(server_logs, tmp_path_factory):
    """One worker, slow plans, a 1.5 s grace: for runs left alone and workers killed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fragile') / 'medreg.db'}"
    server = Served(server_logs, {**BASE_ENV, "MEDREG_DATABASE_URL": url, "MEDREG_RUN_GRACE_S": "1.5",
                                  "MEDREG_RUN_STALE_S": "5", "MEDREG_ENGINE": "tests.projects.fakes:PacedOffline",
                                  "MEDREG_TEST_PLAN_GAP_S": "0.5"}, workers=1)
    yield server
    server.stop(graceful=False)


def _wait_status(url: str, run_id: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        run = requests.get(f"{url}/api/runs/{run_id}", headers=headers(), timeout=10).json()
        if run["status"] != "running" or time.monotonic() > deadline:
            return run
        time.sleep(0.2)


def test_a_run_nobody_reads_is_cancelled_after_the_grace(fragile) -> None:
    url = fragile.url
    pid = _project_with_classification(url)
    run_id, before, sock = _start_and_read(url, pid, plans_before_cut=1)
    sock.close()
    run = _wait_status(url, run_id, 8)
    assert run["status"] == "cancelled" and run["error"] == "run_cancelled"
    with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(**{"Last-Event-ID": before[-1].id}),
                      stream=True, timeout=30) as response:
        after = read_events(response)
    kinds = [event.event for event in before + after]
    assert kinds.count("error") == 1 and kinds[-1] == "error" and "done" not in kinds
    assert after[-1].data["code"] == "run_cancelled" and after[-1].data["retryable"] is True
    # No version from a cancelled run.
    project = requests.get(f"{url}/api/projects/{pid}", headers=headers(), timeout=10).json()
    assert project["latest_version"] == 2


def test_a_worker_killed_mid_run_leaves_the_run_failed(fragile) -> None:
    url = fragile.url
    pid = _project_with_classification(url)
    run_id, before, sock = _start_and_read(url, pid, plans_before_cut=1)
    (worker,) = fragile.server.worker_pids()
    os.kill(worker, signal.SIGKILL)
    sock.close()
    deadline = time.monotonic() + 30
    while fragile.server.worker_pids() in ([], [worker]) and time.monotonic() < deadline:
        time.sleep(0.1)  # gunicorn starts a new worker
    with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(**{"Last-Event-ID": before[-1].id}),
                      stream=True, timeout=30) as response:
        after = read_events(response)
    kinds = [event.event for event in before + after]
    assert kinds[-1] == "error" and kinds.count("error") == 1 and "done" not in kinds
    assert after[-1].data["code"] == "run_lost"
    ids = [int(event.id) for event in before + after]
    assert ids == list(range(1, len(ids) + 1))
    run = requests.get(f"{url}/api/runs/{run_id}", headers=headers(), timeout=10).json()
    assert run["status"] == "failed" and run["error"] == "run_lost" and run["version"] is None
