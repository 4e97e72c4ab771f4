"""Many slow streams held open on one worker: what they cost while silent, and what new streams wait.

  python bench/open_streams.py                    # 3,000 open silent streams, then arrivals at 50/s
  python bench/open_streams.py --open 1000 --quiet-s 10 --arrivals-s 10

Phases, on one gunicorn gevent worker (this repo's gunicorn.conf.py, default heartbeat 15 s):
1. `--open` streams (tests.fakes:PacedEngine, one silent wait of `--hold-s`) ramped over `--ramp-s`;
2. a quiet window of `--quiet-s` seconds starting `--settle-s` after the last one opened (past the
   first heartbeat, where issue 18's reused timer began to spin): worker CPU % with no arrivals;
3. new instant streams arriving at `--rate`/s for `--arrivals-s`: p50/p99 time to their first event.
The figures are printed as JSON; run it on two commits to compare them.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.streams import UNLIMITED, one_stream, percentile  # noqa: E402
from tests.servers import Gunicorn, stream_request  # noqa: E402

INSTANT = stream_request("classify", {"concept": "gaps", "language": "en"})


class Held:
    """One open stream, read and counted until the bench ends."""

    def __init__(self, port: int, hold_s: float) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=None)
        self.sock.sendall(stream_request("classify", {"concept": f"gaps {hold_s}", "language": "en"}))
        self.first = gevent.event.Event()
        self.bytes = 0
        self.heartbeats = 0

    def read(self) -> None:
        """Read until the server closes; note the first event and count keep-alives."""
        tail = b""
        try:
            while chunk := self.sock.recv(65536):
                self.bytes += len(chunk)
                self.heartbeats += (tail + chunk).count(b": keep-alive") - tail.count(b": keep-alive")
                tail = chunk[-16:]
                if not self.first.is_set() and b"event: status" in chunk:
                    self.first.set()
        except OSError:
            pass
        finally:
            self.first.set()


def run(args: argparse.Namespace) -> dict:
    """The three phases; returns the figures."""
    server = Gunicorn(env={"MEDREG_ENGINE": "tests.fakes:PacedEngine", "MEDREG_ACCESS_LOG": "",
                           "MEDREG_GC_LOG": "1", "MEDREG_GC_FREEZE": "0" if args.no_freeze else "1",
                           "MEDREG_HEARTBEAT_S": str(args.heartbeat_s), "MEDREG_STEP_DEADLINE_S": "3600",
                           "MEDREG_MAX_STREAM_S": "3600", **UNLIMITED}, workers=1)
    server.start(Path(tempfile.mkdtemp()))
    held: list[Held] = []
    try:
        one_stream(server.port, INSTANT)  # warm the worker
        for n in range(args.open):
            stream = Held(server.port, args.hold_s)
            held.append(stream)
            gevent.spawn(stream.read)
            gevent.sleep(args.ramp_s / args.open)
        for stream in held:
            stream.first.wait(30)
        gevent.sleep(args.settle_s)
        cpu0, t0 = server.worker_cpu_s(), time.monotonic()
        beats0 = sum(s.heartbeats for s in held)
        gevent.sleep(args.quiet_s)
        quiet_cpu = (server.worker_cpu_s() - cpu0) / (time.monotonic() - t0)
        beats = sum(s.heartbeats for s in held) - beats0

        results: list[tuple[float, bool]] = []

        def arrival() -> None:
            try:
                results.append(one_stream(server.port, INSTANT))
            except OSError:
                results.append((float("inf"), False))

        arrivals = []
        for n in range(int(args.rate * args.arrivals_s)):
            arrivals.append(gevent.spawn(arrival))
            gevent.sleep(1 / args.rate)
        gevent.joinall(arrivals, timeout=60)
        still_open = sum(1 for s in held if not s.sock._closed)
        gc_lines = [line.split() for line in server.log_text().splitlines() if line.startswith("gc-full-ms ")]
        pauses = [float(words[1]) for words in gc_lines]
        tracked = max((int(words[5]) for words in gc_lines if len(words) > 5), default=0)
    finally:
        for stream in held:
            stream.sock.close()
        server.stop()
    ttfe = [r[0] * 1000 for r in results if r[1]]
    return {"open": args.open, "heartbeat_s": args.heartbeat_s, "open_after": still_open,
            "quiet_worker_cpu_pct": round(quiet_cpu * 100, 1),
            "heartbeats_per_s_in_quiet": round(beats / args.quiet_s, 1),
            "arrivals": len(results), "arrivals_failed": sum(1 for r in results if not r[1]),
            "ttfe_ms_p50": round(percentile(ttfe, 50), 1), "ttfe_ms_p99": round(percentile(ttfe, 99), 1),
            "gc_freeze": not args.no_freeze, "full_gc_count": len(pauses),
            "full_gc_ms_max": max(pauses, default=0.0), "full_gc_ms_total": round(sum(pauses), 1),
            "full_gc_tracked_objects_max": tracked}


def main() -> None:
    """Parse arguments, run, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=3000)
    parser.add_argument("--ramp-s", type=float, default=10.0)
    parser.add_argument("--hold-s", type=float, default=300.0)
    parser.add_argument("--heartbeat-s", type=float, default=15.0)
    parser.add_argument("--settle-s", type=float, default=16.0, help="wait after opening, past the first heartbeat")
    parser.add_argument("--quiet-s", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--arrivals-s", type=float, default=10.0)
    parser.add_argument("--no-freeze", action="store_true", help="leave start-up objects to the collector")
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
