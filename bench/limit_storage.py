"""Cost per request of the shared limits storage (medreg/http/shared_store.py) against memory://.

  python bench/limit_storage.py [--n 20000]

Times, in this process, one rate-limit hit (flask-limiter's fixed-window strategy over `limits`
storage) and one stream-cap take + drop, for memory://, the host's SQLite file (in /dev/shm)
and, when a redis-server is on PATH, Redis on a loopback port. Microseconds per call.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from limits import parse  # noqa: E402
from limits.storage import storage_from_string  # noqa: E402
from limits.strategies import FixedWindowRateLimiter  # noqa: E402

from medreg.http import shared_store  # noqa: E402,F401  registers sqlite://
from medreg.http.stream_caps import shared_counts  # noqa: E402
from tests.servers import free_port, stop_process_group  # noqa: E402


def per_call_us(fn, n: int) -> float:
    """Mean microseconds per call of fn(i) over n calls."""
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - started) / n * 1e6


def measure(uri: str, n: int) -> tuple[float, float]:
    """(rate-limit hit, stream take + drop) in µs for storage `uri`."""
    limiter = FixedWindowRateLimiter(storage_from_string(uri))
    limit = parse(f"{n * 10}/minute")
    hit = per_call_us(lambda i: limiter.hit(limit, f"ip:10.0.0.{i % 200}"), n)
    counts = shared_counts(uri, 700.0)
    if counts is None:
        return hit, float("nan")
    stream = per_call_us(lambda i: (counts.take(f"ip:{i % 200}", str(i), 20), counts.drop(f"ip:{i % 200}", str(i))), n)
    return hit, stream


def main() -> None:
    """Parse arguments, time each storage, print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    path = os.path.join(folder, f"medreg-limit-bench-{os.getpid()}.sqlite")
    uris = {"memory://": "memory://", "sqlite (host)": f"sqlite://{path}"}
    redis = None
    if shutil.which("redis-server"):
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
                                 stdout=subprocess.DEVNULL, start_new_session=True)
        time.sleep(0.5)
        uris["redis (loopback)"] = f"redis://127.0.0.1:{port}/0"
    try:
        print(f"{'storage':<18} {'limit hit µs':>13} {'stream take+drop µs':>20}")
        for name, uri in uris.items():
            hit, stream = measure(uri, args.n)
            print(f"{name:<18} {hit:>13.1f} {stream:>20.1f}")
    finally:
        stop_process_group(redis, 5)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


if __name__ == "__main__":
    main()
