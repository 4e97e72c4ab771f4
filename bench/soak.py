"""Soak benchmark: hours of streams in minutes. Holds N concurrent SSE streams against real gunicorn for a
while, with some clients leaving mid-stream, and reports memory growth, greenlets and failed streams.

  python bench/soak.py                 # 30 minutes, 200 concurrent streams, 5% leave mid-stream
  python bench/soak.py --minutes 3     # a short run
  python bench/soak.py --json out.json # also write the figures as JSON

It starts its own gunicorn (gevent worker, this repo's gunicorn.conf.py) with the SlowEngine (1 s steps)
and MEDREG_STATS=1, samples the worker's RSS from /proc and {greenlets, rss_kb, open_streams} from
/healthz, and passes when RSS grew < 5 %, the greenlet count returned to its baseline and no stream failed.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import Gunicorn, stream_request  # noqa: E402

TERMINALS = (b"event: done", b"event: error")


@dataclass
class Tally:
    """What the clients saw."""

    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.outcomes["failed"] += 1
        if len(self.failures) < 20:
            self.failures.append(reason)


def one_stream(port: int, concept: str, leave: bool, tally: Tally) -> None:
    """Run one stream to its end, or leave right after the first event when `leave`."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(stream_request("classify", {"concept": concept, "language": "en"}))
            received = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
                if leave and b"\ndata: " in received:
                    tally.outcomes["left"] += 1
                    return  # closing the socket mid-stream, as a browser tab does
                if any(t in received for t in TERMINALS) and received.endswith(b"\n\n"):
                    break
    except OSError as exc:
        tally.fail(f"{concept}: {exc!r}")
        return
    if not received.startswith(b"HTTP/1.1 200"):
        tally.fail(f"{concept}: {received[:60]!r}")
    elif received.count(b"event: done") != 1 or b"event: error" in received:
        tally.fail(f"{concept}: ended {received[-200:]!r}")
    else:
        tally.outcomes["done"] += 1
        tally.durations.append(time.monotonic() - started)


def client(port: int, number: int, until: float, leave_share: float, tally: Tally) -> None:
    """One closed-loop client: stream after stream until `until`."""
    rng = random.Random(number)
    n = 0
    while time.monotonic() < until:
        n += 1
        one_stream(port, f"soak device {number}-{n}", rng.random() < leave_share, tally)


def rss_kb(pid: int) -> int:
    """Resident set size of `pid` in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def stats(port: int) -> dict:
    """/healthz with MEDREG_STATS=1: greenlets, rss_kb, open_streams (empty if the server lacks them)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    body = json.loads(raw.partition(b"\r\n\r\n")[2] or b"{}")
    return {key: body[key] for key in ("greenlets", "rss_kb", "open_streams") if key in body}


def sample(server: Gunicorn, started: float) -> dict:
    """One sample of the server's figures."""
    pids = sorted(server.worker_pids())
    return {"t_s": round(time.monotonic() - started, 1), "worker_rss_kb": sum(rss_kb(p) for p in pids),
            "workers": pids, **stats(server.port)}


def drain(server: Gunicorn, timeout: float = 30) -> dict:
    """Wait until no stream is open (and the leavers' greenlets are gone), then sample."""
    deadline = time.monotonic() + timeout
    figures = stats(server.port)
    while figures.get("open_streams", 0) and time.monotonic() < deadline:
        gevent.sleep(0.5)
        figures = stats(server.port)
    gevent.sleep(1)
    return stats(server.port)


def run(args: argparse.Namespace) -> dict:
    """Start gunicorn, soak it, and return the figures."""
    env = {"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": str(args.step_s),
           "MEDREG_HEARTBEAT_S": str(args.heartbeat_s), "MEDREG_STATS": "1",
           # One load generator is one client: the per-client limits would refuse it.
           "MEDREG_RATE_LIMIT": "off", "MEDREG_MAX_STREAMS_PER_CLIENT": "0", "MEDREG_LOG_LEVEL": "warning"}
    server = Gunicorn(env=env, workers=args.workers).start(Path(tempfile.mkdtemp(prefix="medreg-soak-")))
    try:
        idle_before = stats(server.port)
        started = time.monotonic()
        until = started + args.minutes * 60
        tally = Tally()
        clients = [gevent.spawn(client, server.port, n, until, args.leave, tally) for n in range(args.streams)]
        samples = []
        warmup_s = min(60.0, args.minutes * 60 / 6)
        baseline = None
        # The last loaded sample comes a moment before the clients stop starting new streams.
        last_loaded = until - 1.0
        while time.monotonic() < last_loaded:
            gevent.sleep(min(args.sample_s, max(0.0, last_loaded - time.monotonic())))
            samples.append(sample(server, started))
            if baseline is None and samples[-1]["t_s"] >= warmup_s:
                baseline = samples[-1]
            print(json.dumps(samples[-1]), flush=True)
        loaded_end = samples[-1]
        gevent.joinall(clients, timeout=60)
        idle_after = drain(server)
        idle_after["worker_rss_kb"] = sum(rss_kb(p) for p in sorted(server.worker_pids()))
    finally:
        server.stop()
    baseline = baseline or samples[0]
    growth = 100.0 * (loaded_end["worker_rss_kb"] - baseline["worker_rss_kb"]) / baseline["worker_rss_kb"]
    durations = sorted(tally.durations)
    figures = {
        "minutes": args.minutes, "concurrent_streams": args.streams, "leave_share": args.leave,
        "step_s": args.step_s, "workers": args.workers,
        "streams_done": tally.outcomes["done"], "streams_left": tally.outcomes["left"],
        "streams_failed": tally.outcomes["failed"], "failures": tally.failures,
        "stream_s_p50": round(durations[len(durations) // 2], 3) if durations else None,
        "stream_s_p99": round(durations[int(len(durations) * 0.99)], 3) if durations else None,
        "rss_kb_baseline_loaded": baseline["worker_rss_kb"], "rss_kb_end_loaded": loaded_end["worker_rss_kb"],
        "rss_growth_pct": round(growth, 2), "rss_kb_idle_after": idle_after["worker_rss_kb"],
        "greenlets_idle_before": idle_before.get("greenlets"), "greenlets_loaded_end": loaded_end.get("greenlets"),
        "greenlets_idle_after": idle_after.get("greenlets"), "open_streams_after": idle_after.get("open_streams"),
    }
    greenlets_back = (figures["greenlets_idle_before"] is None
                      or figures["greenlets_idle_after"] <= figures["greenlets_idle_before"] + 2)
    figures["pass"] = bool(growth < 5.0 and greenlets_back and not tally.outcomes["failed"]
                           and not figures["open_streams_after"])
    return figures


def main() -> int:
    """Parse arguments, run, print the figures; exit 1 when the soak failed its bounds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--streams", type=int, default=200, help="concurrent streams (closed-loop clients)")
    parser.add_argument("--leave", type=float, default=0.05, help="share of streams the client leaves mid-way")
    parser.add_argument("--step-s", type=float, default=1.0, help="SlowEngine step length")
    parser.add_argument("--heartbeat-s", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sample-s", type=float, default=10.0)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    figures = run(args)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
