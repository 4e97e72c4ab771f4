"""Where a medreg worker's CPU goes with N long LLM streams open (issue 15): py-spy on the worker.

  python bench/profile_llm.py [--open 1000] [--seconds 10]   # needs the bench extra (py-spy)
  python bench/profile_llm.py --closed classify [--clients 100] # or --closed standards
  python bench/profile_llm.py --closed offline                  # the offline classify stream under wrk

Opens N long classify streams on the slow stub (bench/peers.py's held_open, new ones arriving at
--rate), or with --closed runs bench/peers.py's closed loop of one step on the normal-pace stub;
samples the one gunicorn worker with `py-spy record --format raw` meanwhile, and prints the
functions that were on the stack most often (inclusive) and at the top most often (self).
Idle stacks are left out: thread-pool workers (gevent's resolver threads waiting on their queue,
80% of all samples) and, with --native, the hub in `epoll_wait` (py-spy counts both as running;
without --native the hub's wait shows as `Hub.run` self time).
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import collections  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.peers import closed_loop, held_open, medreg_llm, payloads, stub_for  # noqa: E402
from bench.streams import UNLIMITED, run_wrk  # noqa: E402
from tests.servers import Gunicorn  # noqa: E402


def top(raw: Path, count: int) -> tuple[list, list]:
    """(inclusive, self) sample shares of the most frequent frames in py-spy's raw (folded) output."""
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if "/threadpool.py:" in stack or "epoll_wait (libc.so.6" in stack.rsplit(";", 1)[-1]:
            continue  # idle: a resolver thread waiting for work, or the hub waiting for sockets (--native)
        frames = [frame.split(" (")[0] + " " + frame.rsplit("/", 1)[-1].split(":")[0].rstrip(")")
                  for frame in stack.split(";")]
        n = int(samples)
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    share = lambda counter: [(round(100 * n / total, 1), frame) for frame, n in counter.most_common(count)]  # noqa: E731
    return share(inclusive), share(own)


def main() -> None:
    """Parse arguments, run, print the figures and the profile's top entries."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--closed", choices=("classify", "standards", "offline"),
                        help="profile a closed loop of this step")
    parser.add_argument("--clients", type=int, default=100, help="--closed: clients (standards: a tenth)")
    parser.add_argument("--native", action="store_true", help="sample C frames too (what `Hub.run` spends)")
    parser.add_argument("--raw", type=Path, help="only print the top entries of this earlier py-spy raw output")
    args = parser.parse_args()
    if args.raw:
        return report(args.raw, args.top)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    tokens_per_s = 50 if args.closed else 10
    stub = stub_for(argparse.Namespace(first_token_s=0.5, tokens_per_s=tokens_per_s, words=8, stub_processes=1))
    raw = Path(tempfile.mkdtemp()) / "profile.txt"
    try:
        server = (Gunicorn(env={"MEDREG_ENGINE": "offline", "MEDREG_ACCESS_LOG": "", **UNLIMITED}).start(
            Path(tempfile.mkdtemp())) if args.closed == "offline" else medreg_llm(stub, 1))
        try:
            (pid,) = server.worker_pids()

            def record() -> None:
                gevent.sleep(2 if args.closed else args.open / 200 + 1)  # once the streams are open
                subprocess.run([spy, "record", "--format", "raw", "-o", str(raw), "-d", str(args.seconds),
                                "-r", "200", "-p", str(pid), *(["--native"] if args.native else [])],
                               check=True, capture_output=True)

            spying = gevent.spawn(record)
            if args.closed == "offline":
                figures = run_wrk(server.port, args.clients, args.seconds + 4)
            elif args.closed:
                clients = args.clients if args.closed == "classify" else max(1, args.clients // 10)
                figures = closed_loop(server, payloads()[args.closed], clients, args.seconds + 4)
            else:
                figures = held_open(server, payloads()["classify"], args.open, 200, args.rate, args.seconds + 2)
            spying.join()
        finally:
            server.stop()
    finally:
        stub.stop()
    print({"closed": args.closed} if args.closed else {"open": args.open}, figures, "raw:", raw)
    report(raw, args.top)


def report(raw: Path, count: int) -> None:
    """Print the top inclusive and self entries of a py-spy raw output."""
    inclusive, own = top(raw, count)
    print("inclusive %  (on the stack)")
    for pct, frame in inclusive:
        print(f"{pct:6.1f}  {frame}")
    print("self %  (top of the stack)")
    for pct, frame in own:
        print(f"{pct:6.1f}  {frame}")


if __name__ == "__main__":
    main()
