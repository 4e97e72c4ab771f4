"""Where a medreg worker's CPU goes with N long LLM streams open (issue 15): py-spy on the worker.

  python bench/profile_llm.py [--open 1000] [--seconds 10]   # needs the bench extra (py-spy)

Opens N long classify streams on the slow stub (bench/peers.py's held_open, new ones arriving at
--rate), samples the one gunicorn worker with `py-spy record --format raw` meanwhile, and prints the
functions that were on the stack most often (inclusive) and at the top most often (self).
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
from bench.peers import held_open, medreg_llm, payloads, stub_for  # noqa: E402


def top(raw: Path, count: int) -> tuple[list, list]:
    """(inclusive, self) sample shares of the most frequent frames in py-spy's raw (folded) output."""
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
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
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    stub = stub_for(argparse.Namespace(first_token_s=0.5, tokens_per_s=10, words=8, stub_processes=1))
    raw = Path(tempfile.mkdtemp()) / "profile.txt"
    try:
        server = medreg_llm(stub, 1)
        try:
            (pid,) = server.worker_pids()

            def record() -> None:
                gevent.sleep(args.open / 200 + 1)  # once the streams are open
                subprocess.run([spy, "record", "--format", "raw", "-o", str(raw), "-d", str(args.seconds),
                                "-r", "200", "-p", str(pid)], check=True, capture_output=True)

            spying = gevent.spawn(record)
            figures = held_open(server, payloads()["classify"], args.open, 200, args.rate, args.seconds + 2)
            spying.join()
        finally:
            server.stop()
    finally:
        stub.stop()
    inclusive, own = top(raw, args.top)
    print({"open": args.open, **figures})
    print("inclusive %  (on the stack)")
    for pct, frame in inclusive:
        print(f"{pct:6.1f}  {frame}")
    print("self %  (top of the stack)")
    for pct, frame in own:
        print(f"{pct:6.1f}  {frame}")


if __name__ == "__main__":
    main()
