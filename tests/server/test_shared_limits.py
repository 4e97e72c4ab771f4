"""Rate limits and stream caps hold across 2 gunicorn gevent workers: the host's shared file, and Redis."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
import requests

from tests.deploy.require import require
from tests.servers import free_port, stop_process_group, stream_request
from tests.sse_parse import events_of

pytestmark = pytest.mark.server

BODY = {"concept": "인슐린 펌프"}


@pytest.fixture(scope="module")
def redis_uri(tmp_path_factory):
    """A real redis-server on a free loopback port, no persistence; yields its URI."""
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if shutil.which("/usr/bin/redis-server") else None)
    require(binary is not None, "redis-server is not installed (Debian package redis-server)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    stop_process_group(process, 5)


def _storage_env(kind: str, redis_uri_factory) -> dict:
    # "host": gunicorn.conf.py's default (no URI set); "memory": per worker, the control.
    if kind == "redis":
        return {"MEDREG_RATE_LIMIT_STORAGE_URI": redis_uri_factory()}
    if kind == "memory":
        return {"MEDREG_RATE_LIMIT_STORAGE_URI": "memory://"}
    return {"MEDREG_RATE_LIMIT_STORAGE_URI": ""}


def _post(url: str, index: int) -> requests.Response:
    # Every other request is a stream: one budget across JSON and SSE. A new connection each, so
    # the kernel spreads them over both workers.
    if index % 2:
        return requests.post(f"{url}/api/stream/classify", json=BODY, timeout=30)
    return requests.post(f"{url}/api/classify", json=BODY, timeout=30)


@pytest.mark.parametrize("kind", ["host", "redis", "memory"])
def test_rate_limit_holds_across_two_workers(kind, request, gunicorn_server):
    """120/minute lets exactly 120 of 200 through 2 workers; every 429 has Retry-After (JSON and SSE)."""
    env = _storage_env(kind, lambda: request.getfixturevalue("redis_uri"))
    url = gunicorn_server({"MEDREG_ENGINE": "offline", "MEDREG_RATE_LIMIT": "120/minute",
                           "MEDREG_MAX_STREAMS_PER_CLIENT": "0", **env}, workers=2)
    with ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(lambda i: _post(url, i), range(200)))
    passed = [r for r in responses if r.status_code == 200]
    limited = [r for r in responses if r.status_code == 429]
    assert len(passed) + len(limited) == 200
    if kind == "memory":
        # The control: each worker counts alone, so more than 120 pass once both workers are reached. The
        # kernel may hand one fast worker a whole burst, so keep sending (up to 600) until the other one shows.
        with ThreadPoolExecutor(16) as pool:
            for start in range(200, 600, 100):
                if len(passed) > 120:
                    break
                passed += [r for r in pool.map(lambda i: _post(url, i), range(start, start + 100)) if r.status_code == 200]
        assert len(passed) > 120
        return
    assert len(passed) == 120
    for response in limited:
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        if response.headers["Content-Type"].startswith("text/event-stream"):
            (event,) = events_of(response.content)
            assert event["event"] == "error" and event["data"]["code"] == "rate_limited"
            assert event["data"]["message"].startswith("요청이 너무 많습니다")
        else:
            assert response.json()["error"]["code"] == "rate_limited"
    assert {r.headers["Content-Type"].split(";")[0] for r in limited} == {"application/json", "text/event-stream"}
    streamed = [r for r in passed if r.headers["Content-Type"].startswith("text/event-stream")]
    assert streamed and all(events_of(r.content)[-1]["event"] == "done" for r in streamed)


def _open(url: str) -> tuple[socket.socket, int]:
    """POST a stream on a raw socket; its HTTP status once the headers arrived (the socket stays open)."""
    parsed = urlparse(url)
    sock = socket.create_connection((parsed.hostname, parsed.port), timeout=15)
    sock.sendall(stream_request("classify", BODY))
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        assert chunk, "server closed before the headers"
        received += chunk
    return sock, int(received.split(b" ", 2)[1])


@pytest.mark.parametrize("kind", ["host", "redis"])
def test_stream_cap_holds_across_two_workers(kind, request, gunicorn_server):
    """MAX_STREAMS_PER_CLIENT=3 on 2 workers: 3 of 8 open, the rest get 429; closing one frees a slot."""
    env = _storage_env(kind, lambda: request.getfixturevalue("redis_uri"))
    url = gunicorn_server({"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": "60",
                           "MEDREG_HEARTBEAT_S": "0.3", "MEDREG_RATE_LIMIT": "off",
                           "MEDREG_MAX_STREAMS_PER_CLIENT": "3", "MEDREG_GRACEFUL_TIMEOUT": "1", **env}, workers=2)
    opened = [_open(url) for _ in range(8)]
    try:
        statuses = [status for _, status in opened]
        assert statuses.count(200) == 3 and statuses.count(429) == 5, statuses
        refused = requests.post(f"{url}/api/stream/classify", json=BODY, timeout=15)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "5"
        assert events_of(refused.content)[0]["data"]["code"] == "rate_limited"
        held = [sock for sock, status in opened if status == 200]
        held[0].close()
        deadline = time.monotonic() + 10
        while True:  # the server frees the slot when it notices the client went
            sock, status = _open(url)
            opened.append((sock, status))
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert status == 200
    finally:
        for sock, _ in opened:
            sock.close()
