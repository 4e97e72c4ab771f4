"""Start and drive the stub as a separate process (tests and benchmarks)."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.servers import REPO_ROOT, free_port, wait_for_http, stop_process_group


@dataclass
class StubProcess:
    """A running stub on a loopback port; `control` posts settings and fault scripts to it."""

    first_token_s: float = 0.0
    tokens_per_s: float = 0.0
    processes: int = 1
    words: int = 8
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_path: Path | None = None) -> "StubProcess":
        """Start it and wait until /_stats answers."""
        self.port = free_port()
        out = log_path.open("wb") if log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.stub_anthropic", "--port", str(self.port),
             "--first-token-s", str(self.first_token_s), "--tokens-per-s", str(self.tokens_per_s),
             "--processes", str(self.processes), "--words", str(self.words)],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_http(f"{self.url}/_stats", self.process)
        return self

    def control(self, **body) -> dict:
        """POST /_control: settings (first_token_s, tokens_per_s, words, api_key, ...), `script`, `reset`."""
        return requests.post(f"{self.url}/_control", json=body, timeout=5).json()

    def stats(self) -> dict:
        """GET /_stats."""
        return requests.get(f"{self.url}/_stats", timeout=5).json()

    def requests(self) -> list[dict]:
        """GET /_requests: the last request bodies."""
        return requests.get(f"{self.url}/_requests", timeout=5).json()

    def usages(self) -> list[dict]:
        """GET /_usages: the input usage the stub billed each request (this process)."""
        return requests.get(f"{self.url}/_usages", timeout=5).json()

    def durations(self) -> list[float]:
        """GET /_durations: seconds each completed stream took (this process)."""
        return requests.get(f"{self.url}/_durations", timeout=5).json()

    def stop(self) -> None:
        """Stop every stub process."""
        stop_process_group(self.process, 5)
