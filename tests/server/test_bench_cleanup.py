"""Helpers that start servers leave none behind: a server that never answers, a bench killed mid-run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import REPO_ROOT, free_port, wait_for_http


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except FileNotFoundError:
            continue
        found += children
        todo += children
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_that_never_answers_is_stopped_when_the_wait_times_out():
    silent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    try:
        with pytest.raises(TimeoutError):
            wait_for_http(f"http://127.0.0.1:{free_port()}/healthz", silent, timeout=0.5)
        assert silent.poll() is not None  # stopped, not left running
    finally:
        if silent.poll() is None:
            silent.kill()
            silent.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_killing_the_peers_bench_stops_its_stub_and_gunicorn(sig):
    bench = subprocess.Popen(
        [sys.executable, "bench/peers.py", "open", "--medreg-only", "--open", "20", "--rate", "5",
         "--arrivals-s", "60", "--open-first-token-s", "150"],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the stub, the gunicorn master and its worker
            started = _descendants(bench.pid)
            if len(started) >= 3:
                break
            time.sleep(0.2)
        assert len(started) >= 3, f"the bench started {started}"
        time.sleep(1)
        started = _descendants(bench.pid)
        bench.send_signal(sig)
        assert bench.wait(timeout=20) == 128 + sig
        time.sleep(0.5)
        assert [pid for pid in started if _running(pid)] == []
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
        for pid in started:  # a failed run must not leave its servers behind either
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
