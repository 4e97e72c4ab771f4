"""Heartbeats through real gunicorn: one per `MEDREG_HEARTBEAT_S` of silence, however the silence is
cut into waits, and almost no worker CPU while a stream waits (issue 18: a reused timer sent 750,619)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests

from tests.servers import Gunicorn, open_stream
from tests.sse_parse import events_of

pytestmark = pytest.mark.server

HEARTBEAT = b": keep-alive"
# Four rounds of a delta every 0.3 s for 2.1 s, then 3 s of silence: 20.4 s with four silences.
BURSTS_AND_SILENCES = ([0.3] * 7 + [3.0]) * 4


@dataclass
class Watched:
    """One stream read line by line as it arrives."""

    concept: str
    raw: bytes = b""
    seconds: float = 0.0

    @property
    def lines(self) -> list[bytes]:
        """The lines received, in order."""
        return self.raw.split(b"\n")

    def heartbeats(self) -> int:
        """The keep-alive comments received."""
        return sum(1 for line in self.lines if line == HEARTBEAT)

    def events(self) -> list[dict]:
        """The SSE events received, parsed."""
        return events_of(self.raw)


def _watch(url: str, stream: Watched) -> None:
    started = time.monotonic()
    with requests.post(f"{url}/api/stream/classify", json={"concept": stream.concept}, stream=True,
                       timeout=60) as response:
        for chunk in response.iter_content(chunk_size=None):
            stream.raw += chunk
    stream.seconds = time.monotonic() - started


@pytest.fixture(scope="module")
def paced_runs(server_logs):
    """Both long streams at once on one worker (HEARTBEAT_S=2), with the worker's CPU over their life."""
    server = Gunicorn(env={"MEDREG_ENGINE": "tests.fakes:PacedEngine", "MEDREG_HEARTBEAT_S": "2",
                           "MEDREG_RATE_LIMIT": "off"}).start(server_logs)
    try:
        _watch(server.url, Watched("gaps 0.01"))  # warm the worker: first-request imports are not the stream's
        streams = {"one wait of 20 s": Watched("gaps 20"),
                   "bursts and silences": Watched("gaps " + " ".join(map(str, BURSTS_AND_SILENCES)))}
        cpu_before = server.worker_cpu_s()
        threads = [threading.Thread(target=_watch, args=(server.url, s)) for s in streams.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return streams, server.worker_cpu_s() - cpu_before
    finally:
        server.stop(graceful=False)


def test_one_long_silence_gets_one_heartbeat_every_two_seconds(paced_runs) -> None:
    """A 20 s wait with a 2 s heartbeat: 9–11 keep-alives, then the answer and done."""
    stream = paced_runs[0]["one wait of 20 s"]
    assert 9 <= stream.heartbeats() <= 11, stream.heartbeats()
    assert [e["event"] for e in stream.events()][-2:] == ["result", "done"]


def test_many_short_waits_get_one_heartbeat_per_silence(paced_runs) -> None:
    """Deltas every 0.3 s never earn a keep-alive; each 3 s silence earns exactly one, in that silence."""
    stream = paced_runs[0]["bursts and silences"]
    assert stream.heartbeats() == 4, stream.heartbeats()
    kinds = ["hb" if line == HEARTBEAT else line.split(b":")[0].decode() for line in stream.lines
             if line == HEARTBEAT or line.startswith(b"event:")]
    deltas_between = " ".join(kinds).split("hb")
    assert [part.split().count("event") for part in deltas_between] == [8, 8, 8, 8, 3]  # status+7 deltas, 8 deltas…, delta+result+done
    assert 20 < stream.seconds < 25


def test_waiting_streams_cost_the_worker_almost_nothing(paced_runs) -> None:
    """Both streams, 20 s each, on one worker: under 0.2 s of worker CPU together."""
    assert paced_runs[1] < 0.2, f"worker used {paced_runs[1]:.3f} s of CPU"


@pytest.fixture(scope="module")
def deadline_server(server_logs):
    """A worker whose steps get 3 s (STEP_DEADLINE_S) and a 1 s heartbeat."""
    server = Gunicorn(env={"MEDREG_ENGINE": "tests.fakes:PacedEngine", "MEDREG_HEARTBEAT_S": "1",
                           "MEDREG_STEP_DEADLINE_S": "3", "MEDREG_RATE_LIMIT": "off"}).start(server_logs)
    yield server.url
    server.stop(graceful=False)


@pytest.mark.parametrize("gaps, heartbeats", [
    pytest.param("10", 2, id="one-silence"),  # keep-alives at 1 s and 2 s, then the deadline
    pytest.param("0.4 " * 25, 0, id="many-waits"),  # a delta every 0.4 s: no keep-alive; the deadline still at 3 s
])
def test_the_deadline_falls_on_time_whatever_the_waits(deadline_server, gaps: str, heartbeats: int) -> None:
    """The step deadline is wall time from the start, not a sum of waits: one upstream_timeout at ~3 s."""
    stream = Watched("gaps " + gaps)
    _watch(deadline_server, stream)
    names = [e["event"] for e in stream.events()]
    assert names[-1] == "error" and names.count("error") == 1 and "done" not in names
    assert stream.events()[-1]["data"]["code"] == "upstream_timeout"
    assert stream.heartbeats() == heartbeats
    assert 2.9 < stream.seconds < 4.0


def test_the_write_timeout_bounds_each_write_not_the_stream(gunicorn_server) -> None:
    """A client that reads 6 MB slowly but steadily for ~5 s keeps a 1 s write timeout happy: every
    event, then done (a timeout spent across writes would cut it at 1 s)."""
    url = gunicorn_server({"MEDREG_ENGINE": "tests.hostile_fakes:FloodEngine", "MEDREG_WRITE_TIMEOUT_S": "1",
                           "MEDREG_TEST_FLOOD_EVENTS": "30", "MEDREG_RATE_LIMIT": "off"})
    sock = open_stream(url, "classify", {"concept": "slow reader"}, recv_buffer=16384, wait_first_event=False)
    started, raw = time.monotonic(), b""
    try:
        while chunk := sock.recv(65536):
            raw += chunk
            time.sleep(0.01)
    finally:
        sock.close()
    body = raw.split(b"\r\n\r\n", 1)[1]
    names = [e["event"] for e in events_of(_dechunk(body))]
    assert names.count("delta") == 30 and names[-1] == "done"
    assert time.monotonic() - started > 2  # it really was slower than the write timeout


def _dechunk(body: bytes) -> bytes:
    """The payload of an HTTP/1.1 chunked body."""
    out, rest = b"", body
    while rest:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out
