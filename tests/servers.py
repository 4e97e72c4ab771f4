"""Starts real server processes for tests: gunicorn with gevent workers on a free loopback port."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stream_request(step: str, body: dict) -> bytes:
    """A raw HTTP/1.1 POST of `body` as JSON to /api/stream/<step>, asking the server to close after."""
    raw = json.dumps(body).encode()
    return (f"POST /api/stream/{step} HTTP/1.1\r\nHost: medreg\r\nContent-Type: application/json\r\n"
            f"Connection: close\r\nContent-Length: {len(raw)}\r\n\r\n").encode() + raw


def open_stream(url: str, step: str, body: dict, *, recv_buffer: int | None = None,
                wait_first_event: bool = True) -> socket.socket:
    """POST a stream on a raw socket (so a test decides when it closes); by default return once the
    first event has arrived, having read nothing more."""
    parsed = urlparse(url)
    sock = socket.socket()
    if recv_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, recv_buffer)
    sock.settimeout(30)
    sock.connect((parsed.hostname, parsed.port))
    sock.sendall(stream_request(step, body))
    received = b""
    while wait_first_event and b"event: status" not in received:
        chunk = sock.recv(1024)
        assert chunk, "server closed before the first event"
        received += chunk
    return sock


def stop_process_group(process: subprocess.Popen | None, timeout: float = 10.0,
                       sig: signal.Signals = signal.SIGTERM) -> None:
    """Send `sig` (SIGTERM) to a process started with `start_new_session=True` and its children; SIGKILL
    after `timeout`."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _alive(pid: int) -> bool:
    """A child that has not exited (reaped here if it has; a zombie counts as gone)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (ChildProcessError, FileNotFoundError):
        return False


def _stop_children(signum: int, frame) -> None:
    """Stop every child of this process and its process group (SIGTERM, SIGKILL after 5 s), then exit."""
    import gevent.monkey

    sleep = gevent.monkey.get_original("time", "sleep")  # a handler may run in the hub: no gevent wait
    me = os.getpid()
    pids = [int(pid) for pid in Path(f"/proc/{me}/task/{me}/children").read_text().split()]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                if os.getpgid(pid) == pid:
                    os.killpg(pid, sig)
                else:
                    os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            sleep(0.1)
    os._exit(128 + signum)


def stop_children_on_signals() -> None:
    """On SIGINT / SIGTERM stop the servers this process started, then exit (for benches run by hand).

    The stub and servers run in sessions of their own (`start_new_session`), so a Ctrl-C or a kill
    reaches only this process, and `finally` blocks stuck in a wait would leave them running.
    """
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop_children)


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll `url` until it answers 200, failing early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    # A server that never answered must not outlive its caller (callers stop only what started).
    stop_process_group(process, 5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Gunicorn:
    """A running gunicorn (gevent workers) serving wsgi:app."""

    env: dict = field(default_factory=dict)
    workers: int = 1
    app_module: str = "wsgi:app"
    process: subprocess.Popen | None = None
    port: int = 0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path) -> "Gunicorn":
        """Start it and wait until /healthz answers."""
        self.port = free_port()
        env = {**os.environ, "MEDREG_BIND": f"127.0.0.1:{self.port}",
               "MEDREG_WORKERS": str(self.workers), "PYTHONPATH": str(REPO_ROOT), **self.env}
        if "ANTHROPIC_API_KEY" not in self.env:
            env.pop("ANTHROPIC_API_KEY", None)  # a developer's key must not switch tests to the LLM
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "gunicorn.conf.py"), self.app_module],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_http(f"{self.url}/healthz", self.process)
        return self

    def stop(self, graceful: bool = True) -> None:
        """Stop it: SIGTERM (in-flight requests finish), or SIGQUIT when not `graceful`; SIGKILL after 10 s."""
        # A graceful stop waits out every idle keep-alive connection (5 s) and the worker's 1 s loop:
        # 1.4-6.4 s a server. Fixtures' teardowns quit (0.7 s); tests of shutdown itself keep SIGTERM.
        stop_process_group(self.process, 10, signal.SIGTERM if graceful else signal.SIGQUIT)

    def log_text(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def worker_pids(self) -> list[int]:
        """The worker processes: the master's children (from /proc)."""
        pid = self.process.pid
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def worker_cpu_s(self) -> float:
        """User + system CPU seconds the workers have used so far (/proc/<pid>/stat fields 14, 15)."""
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
