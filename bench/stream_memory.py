"""What one silent open LLM stream costs a worker, and where: two memory reports, N streams apart.

  python bench/stream_memory.py --open 1000             # RSS, malloc, greenlets, objects per stream
  python bench/stream_memory.py --open 300 --trace 12   # + tracemalloc: the allocating lines per stream

One gunicorn worker on the Anthropic stub, which starts every message and then stays silent (as in
`bench/peers.py open --open-first-token-s 150`). `--base` streams are opened first (the first
requests import and cache what they will), the worker reports (bench/memdump.py, SIGUSR2), `--open`
more are opened and it reports again; each figure is the difference divided by `--open`.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import collections  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.peers import medreg_llm, payloads  # noqa: E402
from bench.soak import rss_kb  # noqa: E402
from tests.stub_anthropic.process import StubProcess  # noqa: E402


def open_streams(port: int, payload: bytes, count: int, held: list, upstream_open, target: int) -> None:
    """Open `count` more streams, each read to its first chunk and left open; wait until the stub holds `target`."""
    answered = [0]

    def hold() -> None:
        sock = socket.create_connection(("127.0.0.1", port))
        held.append(sock)
        sock.sendall(payload)
        try:
            while sock.recv(65536):
                answered[0] += 1
        except OSError:
            pass

    for _ in range(count):
        gevent.spawn(hold)
        gevent.sleep(1 / 200)
    deadline = time.monotonic() + 120
    while (answered[0] < count or upstream_open() < target) and time.monotonic() < deadline:
        gevent.sleep(0.2)
    gevent.sleep(2)


def report(server, pid: int, seen: int) -> tuple[dict, int]:
    """Ask the worker for a memory report; the numbers it printed, and where the log now ends."""
    os.kill(pid, signal.SIGUSR2)
    for _ in range(600):
        text = server.log_text()[seen:]
        if "memdump end" in text:
            break
        gevent.sleep(0.5)
    gevent.sleep(1)
    text = server.log_text()
    mine = text[seen:]
    figures: dict = {"rss_kib": rss_kb(pid)}
    greenlets = re.search(r"memdump greenlets (\d+) stack_saved_bytes (\d+) tracked (\d+)", mine)
    figures.update(greenlets=int(greenlets[1]), stack_saved=int(greenlets[2]), tracked=int(greenlets[3]))
    malloc = re.search(r"memdump malloc arena (\d+) mmap (\d+) in_use (\d+) free (\d+)", mine)
    figures.update(malloc_in_use=int(malloc[3]))
    pymalloc = re.search(r"# bytes in allocated blocks\s*=\s*([\d,]+)", mine)
    figures["pymalloc_in_use"] = int(pymalloc[1].replace(",", "")) if pymalloc else 0
    for kind in ("types", "generators", "methods"):
        line = re.search(rf"memdump {kind} (.*)", mine)
        figures[kind] = collections.Counter({k: int(v) for k, v in (p.rsplit("=", 1) for p in line[1].split())})
    snap = re.search(r"memdump snapshot (\S+)", mine)
    figures["snapshot"] = snap[1] if snap else None
    return figures, len(text)


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=1000)
    parser.add_argument("--base", type=int, default=20)
    parser.add_argument("--trace", type=int, default=0, help="tracemalloc frames (0: off)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ["MEDREG_MEM_DUMP"] = "1"
    if args.trace:
        os.environ["MEDREG_MEM_TRACE"] = str(args.trace)
        os.environ["MEDREG_MEM_SNAPSHOT"] = str(Path(tempfile.mkdtemp()) / "worker")
    payload = payloads()["classify"]
    stub = StubProcess(first_token_s=150, tokens_per_s=10).start()
    held: list[socket.socket] = []
    try:
        server = medreg_llm(stub, 1, 180.0)
        try:
            pid = server.worker_pids()[0]
            upstream = lambda: stub.stats()["open"]  # noqa: E731
            open_streams(server.port, payload, args.base, held, upstream, args.base)
            before, seen = report(server, pid, 0)
            open_streams(server.port, payload, args.open, held, upstream, args.base + args.open)
            after, _ = report(server, pid, seen)
        finally:
            for sock in held:
                sock.close()
            server.stop(graceful=False)
    finally:
        stub.stop()
    n = args.open
    per = {key: round((after[key] - before[key]) / n / (1 if key in ("greenlets", "tracked") else 1024), 2)
           for key in ("rss_kib", "malloc_in_use", "pymalloc_in_use", "stack_saved", "greenlets", "tracked")}
    per["rss_kib"] = round((after["rss_kib"] - before["rss_kib"]) / n, 2)
    print(f"per open stream ({n} streams): rss {per['rss_kib']} KiB, pymalloc {per['pymalloc_in_use']} KiB, "
          f"malloc {per['malloc_in_use']} KiB (saved C stacks {per['stack_saved']} KiB), "
          f"greenlets {per['greenlets']}, tracked objects {per['tracked']}")
    for kind in ("types", "generators", "methods"):
        diff = after[kind] - before[kind]
        print(f"{kind}: " + ", ".join(f"{name} {count / n:.2f}" for name, count in diff.most_common(args.top)))
    if before["snapshot"] and after["snapshot"]:
        import tracemalloc

        old, new = (tracemalloc.Snapshot.load(f[k]) for f, k in ((before, "snapshot"), (after, "snapshot")))
        stats = new.compare_to(old, "traceback")
        print(f"\ntracemalloc: {sum(s.size_diff for s in stats) / n / 1024:.1f} KiB traced per stream; "
              "by line and by traceback (allocation first), bytes and blocks per stream")
        for stat in new.compare_to(old, "lineno")[:args.top]:
            print(f"{stat.size_diff / n:9.0f} B {stat.count_diff / n:6.2f}  {stat.traceback[0]}")
        for stat in stats[:args.top]:
            frames = [f"{Path(f.filename).name}:{f.lineno}" for f in reversed(stat.traceback)]
            print(f"{stat.size_diff / n:9.0f} B {stat.count_diff / n:6.2f}  " + " < ".join(frames))


if __name__ == "__main__":
    main()
