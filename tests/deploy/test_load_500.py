"""500 LLM streams at once on the stub, through real gunicorn (2 gevent workers) and through nginx:
none fails, and every upstream connection is closed once the clients are gone (the big figures: bench/peers.py)."""
from __future__ import annotations

import selectors
import socket
import time
from urllib.parse import urlparse

import pytest

from tests.deploy.nginx import NGINX
from tests.deploy.require import require
from tests.servers import stream_request
from tests.stub_anthropic.process import StubProcess

pytestmark = pytest.mark.server

STREAMS = 500
PAYLOAD = stream_request("classify", {"concept": "smart insulin pump controlled by a phone app", "language": "en"})


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    """The Anthropic stub: first token after 0.3 s, then ~3 s of text per answer."""
    server = StubProcess(first_token_s=0.3, tokens_per_s=100, words=8).start(
        tmp_path_factory.mktemp("stub") / "stub.log")
    yield server
    server.stop()


def _env(stub: StubProcess) -> dict:
    return {"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": "sk-load", "ANTHROPIC_BASE_URL": stub.url,
            "MEDREG_FALLBACK_OFFLINE": "0", "MEDREG_RATE_LIMIT": "off", "MEDREG_MAX_STREAMS_PER_CLIENT": "0",
            "MEDREG_ACCESS_LOG": "", "MEDREG_LOG_LEVEL": "WARNING", "MEDREG_ANTHROPIC_CHECK_MODEL": "0"}


def run_streams(url: str, count: int, timeout_s: float = 60) -> tuple[list[bytes], list[bytes]]:
    """Open `count` streams at once; odd ones hang up at their first delta, even ones read to the end.

    Returns (what each reader received, what each leaver received before it left).
    """
    parsed = urlparse(url)
    selector = selectors.DefaultSelector()
    received: dict[socket.socket, bytes] = {}
    for number in range(count):
        sock = socket.create_connection((parsed.hostname, parsed.port), timeout=10)
        sock.sendall(PAYLOAD)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, data=number % 2 == 1)
        received[sock] = b""
    readers, leavers = [], []
    deadline = time.monotonic() + timeout_s
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(1):
            sock, leaves = key.fileobj, key.data
            try:
                chunk = sock.recv(65536)
            except BlockingIOError:
                continue
            received[sock] += chunk
            if chunk and not (leaves and b"event: delta" in received[sock]):
                continue
            selector.unregister(sock)
            sock.close()  # a leaver goes mid-answer; a reader saw the server close
            (leavers if leaves else readers).append(received[sock])
    assert not selector.get_map(), f"{len(selector.get_map())} streams still open after {timeout_s} s"
    return readers, leavers


def _assert_all_served_and_closed(stub: StubProcess, readers: list[bytes], leavers: list[bytes]) -> None:
    assert len(readers) + len(leavers) == STREAMS
    failed = [raw for raw in readers if raw.count(b"event: done") != 1 or b"event: error" in raw]
    assert not failed, f"{len(failed)} of {len(readers)} streams did not end with one done: {failed[0][-300:]!r}"
    assert all(b"event: result" in raw for raw in readers)
    assert all(b"event: delta" in raw and b"event: error" not in raw for raw in leavers)
    deadline = time.monotonic() + 15
    while (stats := stub.stats())["open"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stats["open"] == 0, stats  # every upstream stream closed, the leavers' too
    assert stats["faulted"] == 0 and stats["completed"] >= len(readers), stats
    assert stats["completed"] + stats["cancelled"] == stats["started"] == STREAMS, stats


def test_500_streams_through_gunicorn(stub, gunicorn_server):
    """500 at once on 2 workers: every reader gets its result and one done; no upstream stays open."""
    stub.control(reset=True)
    url = gunicorn_server(_env(stub), workers=2)
    _assert_all_served_and_closed(stub, *run_streams(url, STREAMS))


def test_500_streams_through_nginx(stub, proxied):
    """The same through nginx (deploy/nginx.conf): nginx buffers nothing, and leavers still cancel upstream."""
    require(NGINX.exists(), f"{NGINX} is absent: apt-get install -y nginx (.ci/run does)")
    stub.control(reset=True)
    proxy, _ = proxied({**_env(stub), "MEDREG_WORKERS": "2"}, stream_read_timeout="60s")
    _assert_all_served_and_closed(stub, *run_streams(proxy.url, STREAMS))
