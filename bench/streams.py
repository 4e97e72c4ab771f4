"""Load generator for medreg's SSE POST streams (issue 2's two figures).

  python bench/streams.py latency     # 1,000 streams at once on a ~1 s step, ramped over 1 s: p99 time-to-first-event
  python bench/streams.py throughput  # streams/s at 1,000 closed-loop clients (wrk): medreg vs a minimal Flask floor

Both start their own gunicorn (gevent workers, this repo's gunicorn.conf.py) on a loopback port.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import Gunicorn, stream_request  # noqa: E402

# One load generator is one client: the per-client limits would refuse it.
UNLIMITED = {"MEDREG_RATE_LIMIT": "off", "MEDREG_MAX_STREAMS_PER_CLIENT": "0"}
REQUEST = stream_request("classify", {"concept": "smart insulin pump", "language": "en"})


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def one_stream(port: int, request: bytes = REQUEST) -> tuple[float, bool]:
    """Open one stream; return (seconds to the first event, ended with exactly one done)."""
    started = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    try:
        sock.sendall(request)
        received = b""
        first = None
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            if first is None and b"\ndata: " in received:
                first = time.monotonic() - started
            if b"event: done" in received or b"event: error" in received:
                if received.endswith(b"0\r\n\r\n") or b"\n\n" in received.split(b"event: ")[-1]:
                    break
        ok = received.startswith(b"HTTP/1.1 200") and received.count(b"event: done") == 1 and b"event: error" not in received
        return (first if first is not None else float("inf")), ok
    finally:
        sock.close()


def latency(args: argparse.Namespace) -> dict:
    """Figure 1: N streams at once on a ~1 s step, clients ramped over `ramp` seconds."""
    server = Gunicorn(env={"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": str(args.step_s),
                           "MEDREG_HEARTBEAT_S": "15", **UNLIMITED}, workers=args.workers)
    server.start(Path(tempfile.mkdtemp()))
    try:
        one_stream(server.port)  # warm the worker (imports, knowledge base)
        results: list[tuple[float, bool]] = [None] * args.streams  # type: ignore[list-item]

        def client(n: int) -> None:
            gevent.sleep(args.ramp * n / args.streams)
            try:
                results[n] = one_stream(server.port)
            except OSError:
                results[n] = (float("inf"), False)

        started = time.monotonic()
        gevent.joinall([gevent.spawn(client, n) for n in range(args.streams)])
        wall = time.monotonic() - started
    finally:
        server.stop()
    ttfe = [r[0] * 1000 for r in results if r[1]]
    return {"figure": "latency", "streams": args.streams, "workers": args.workers, "step_s": args.step_s,
            "ramp_s": args.ramp, "failed": sum(1 for r in results if not r[1]),
            "ttfe_ms_p50": round(percentile(ttfe, 50), 1), "ttfe_ms_p99": round(percentile(ttfe, 99), 1),
            "ttfe_ms_max": round(max(ttfe), 1) if ttfe else None, "wall_s": round(wall, 2)}


def run_wrk(port: int, connections: int, seconds: int) -> dict:
    """wrk closed-loop POSTs against one port; returns requests/s and errors."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is needed for the throughput figure: apt-get install wrk")
    script = Path(__file__).with_name("post.lua")
    out = subprocess.run([wrk, "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}/api/stream/classify"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"streams_per_s": rate, "socket_errors": errors.group(1) if errors else "none",
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def throughput(args: argparse.Namespace) -> dict:
    """Figure 2: medreg's full path with an instant engine vs the minimal Flask floor, same settings."""
    figures = {}
    for label, app_module, env in [
        ("floor", "bench.floor_app:app", {}),
        ("medreg", "bench.stubbed_app:app" if args.stub else "wsgi:app",
         {"MEDREG_ENGINE": "tests.fakes:InstantEngine", "MEDREG_BENCH_STUB": args.stub, **UNLIMITED}),
    ]:
        server = Gunicorn(env={**env, "MEDREG_ACCESS_LOG": ""}, workers=args.workers, app_module=app_module)
        server.start(Path(tempfile.mkdtemp()))
        try:
            run_wrk(server.port, 50, 2)  # warm-up
            runs = [run_wrk(server.port, args.clients, args.seconds) for _ in range(args.repeat)]
        finally:
            server.stop()
        figures[label] = max(runs, key=lambda r: r["streams_per_s"]) | {"runs": [r["streams_per_s"] for r in runs]}
    ratio = figures["medreg"]["streams_per_s"] / figures["floor"]["streams_per_s"]
    return {"figure": "throughput", "clients": args.clients, "workers": args.workers, "stubbed": args.stub or None,
            **figures,
            "ratio_to_floor": round(ratio, 3)}


def main() -> None:
    """Parse arguments, run one figure, print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="figure", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--streams", type=int, default=1000)
    lat.add_argument("--ramp", type=float, default=1.0)
    lat.add_argument("--step-s", type=float, default=1.0)
    lat.add_argument("--workers", type=int, default=1)
    thr = sub.add_parser("throughput")
    thr.add_argument("--clients", type=int, default=1000)
    thr.add_argument("--seconds", type=int, default=10)
    thr.add_argument("--repeat", type=int, default=3)
    thr.add_argument("--workers", type=int, default=1)
    thr.add_argument("--stub", default="", help="medreg parts to stub out (body,runner,hooks,log): what they cost")
    args = parser.parse_args()
    result = latency(args) if args.figure == "latency" else throughput(args)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
