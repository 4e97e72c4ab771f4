"""medreg against fair peers, in turn on this machine, one command (issue 15): prints the figures and ratios.

  pip install -e .[bench]          # fastapi, sse-starlette, uvicorn, py-spy
  python bench/peers.py offline    # classify stream, closed loop (wrk): medreg vs peer (a), streams/s, CPU/stream
  python bench/peers.py llm        # stub LLM, closed loop: medreg vs peer (b), classify and standards:
                                   # streams/s, worker CPU s per stream, p50/p99 first event
  python bench/peers.py open       # N long LLM streams open, new ones arriving: RSS per open stream, p99 first event
  python bench/peers.py all        # the three, --repeat times each
  python bench/peers.py open --medreg-only --workers 2 --open 5000 --open-first-token-s 150  # 5,000 silent

Peer (a) is bench/peer_offline.py (FastAPI + sse-starlette + uvicorn, medreg's engine and schemas); peer (b)
is bench/peer_relay.py (FastAPI + AsyncAnthropic), replaying the upstream request bodies medreg sent for the
step (recorded from the stub). CPU is the servers' user + system time (/proc); all get the same worker count.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Optional  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.anthropic_bench import CLASSIFY, stream  # noqa: E402
from bench.soak import rss_kb  # noqa: E402
from bench.streams import UNLIMITED, percentile, run_wrk  # noqa: E402
from medreg.knowledge import get_knowledge  # noqa: E402
from tests.servers import (REPO_ROOT, Gunicorn, free_port, stop_children_on_signals, stream_request,  # noqa: E402
                           wait_for_http)
from tests.stub_anthropic.process import StubProcess  # noqa: E402


class Uvicorn(Gunicorn):
    """A running uvicorn serving a peer app; the same CPU and pid helpers as Gunicorn."""

    def start(self, log_dir: Path) -> "Uvicorn":
        """Start it and wait until /healthz answers."""
        self.port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **self.env}
        self.log_path = log_dir / f"uvicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", self.app_module, "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers), "--no-access-log", "--log-level", "warning"],
            cwd=REPO_ROOT, env=env, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_http(f"{self.url}/healthz", self.process)
        return self

    def worker_pids(self) -> list[int]:
        """The serving processes: uvicorn itself with one worker, else its children."""
        return [self.process.pid] if self.workers == 1 else super().worker_pids()


def payloads() -> dict[str, bytes]:
    """The classify and standards stream requests every server gets."""
    classification = get_knowledge().classify(CLASSIFY["concept"], None, ("US", "EU", "KR"), "en")
    return {"classify": stream_request("classify", CLASSIFY),
            "standards": stream_request("standards", {"classification": classification, "language": "en"})}


def stub_for(args: argparse.Namespace) -> StubProcess:
    """The Anthropic stub at the bench's latency."""
    return StubProcess(first_token_s=args.first_token_s, tokens_per_s=args.tokens_per_s, words=args.words,
                       processes=args.stub_processes).start()


def medreg_llm(stub: StubProcess, workers: int, read_timeout_s: float = 60.0) -> Gunicorn:
    """medreg with the anthropic engine on the stub (`read_timeout_s`: longest upstream silence allowed)."""
    return Gunicorn(env={"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": "sk-bench", "ANTHROPIC_BASE_URL": stub.url,
                         "MEDREG_FALLBACK_OFFLINE": "0", "MEDREG_ACCESS_LOG": "", "MEDREG_STEP_DEADLINE_S": "600",
                         "MEDREG_ANTHROPIC_READ_TIMEOUT_S": str(read_timeout_s), **UNLIMITED},
                    workers=workers).start(Path(tempfile.mkdtemp()))


def record_calls(stub: StubProcess, reqs: dict[str, bytes]) -> Path:
    """Run each step once through medreg and keep the request bodies the stub received (peer b replays them)."""
    server = medreg_llm(stub, 1)
    calls = {}
    try:
        for step, payload in reqs.items():
            stub.control(reset=True)
            assert stream(server.port, payload)[2], f"medreg's {step} stream failed on the stub"
            bodies = [entry["body"] for entry in stub.requests() if "messages" in entry.get("body", {})]
            # `stream=True` is the SDK's own doing: `messages.stream()` adds it again.
            calls[step] = [{key: value for key, value in body.items() if key != "stream"} for body in bodies]
            assert calls[step], f"the stub recorded no call of {step}"
    finally:
        server.stop()
    path = Path(tempfile.mkdtemp()) / "calls.json"
    path.write_text(json.dumps(calls), encoding="utf-8")
    return path


def peer_relay(stub: StubProcess, calls: Path, workers: int) -> Uvicorn:
    """Peer (b) on the stub."""
    return Uvicorn(env={"ANTHROPIC_API_KEY": "sk-bench", "ANTHROPIC_BASE_URL": stub.url, "MEDREG_PEER_CALLS": str(calls)},
                   workers=workers, app_module="bench.peer_relay:app").start(Path(tempfile.mkdtemp()))


def closed_loop(server: Gunicorn, payload: bytes, clients: int, seconds: float) -> dict:
    """`clients` clients streaming back to back for `seconds`: rate, CPU per stream, first event."""
    stream(server.port, payload)  # warm-up
    cpu0, ttfe, failed = server.worker_cpu_s(), [], 0
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal failed
        while time.monotonic() < stop_at:
            try:
                first, _, ok = stream(server.port, payload)
            except OSError:
                first, ok = 0.0, False
            if ok:
                ttfe.append(first * 1000)
            else:
                failed += 1

    started = time.monotonic()
    gevent.joinall([gevent.spawn(client) for _ in range(clients)])
    wall, cpu = time.monotonic() - started, server.worker_cpu_s() - cpu0
    return {"streams_per_s": round(len(ttfe) / wall, 1), "failed": failed,
            "cpu_ms_per_stream": round(1000 * cpu / max(len(ttfe) + failed, 1), 2),
            "ttfe_ms_p50": round(percentile(ttfe, 50), 1), "ttfe_ms_p99": round(percentile(ttfe, 99), 1)}


def offline(args: argparse.Namespace) -> dict:
    """Classify stream, offline engine, wrk closed loop: medreg vs peer (a)."""
    figures = {}
    for label, server in [("medreg", Gunicorn(env={"MEDREG_ENGINE": "offline", "MEDREG_ACCESS_LOG": "", **UNLIMITED},
                                               workers=args.workers)),
                          ("peer_a", Uvicorn(workers=args.workers, app_module="bench.peer_offline:app"))]:
        server.start(Path(tempfile.mkdtemp()))
        try:
            run_wrk(server.port, 50, 2)  # warm-up
            cpu0 = server.worker_cpu_s()
            result = run_wrk(server.port, args.clients, args.seconds)
            cpu = server.worker_cpu_s() - cpu0
        finally:
            server.stop()
        figures[label] = {**result, "cpu_ms_per_stream": round(1000 * cpu / (result["streams_per_s"] * args.seconds), 3)}
    figures["ratio_streams_per_s"] = round(figures["medreg"]["streams_per_s"] / figures["peer_a"]["streams_per_s"], 2)
    return figures


def llm(args: argparse.Namespace) -> dict:
    """Classify and standards streams on the stub, closed loop: medreg vs peer (b)."""
    reqs = payloads()
    stub = stub_for(args)
    figures: dict = {}
    try:
        calls = record_calls(stub, reqs)
        for label, start in [("medreg", lambda: medreg_llm(stub, args.workers)),
                             ("peer_b", lambda: peer_relay(stub, calls, args.workers))]:
            server = start()
            try:
                for step, payload in reqs.items():
                    clients = args.clients if step == "classify" else max(1, args.clients // 10)
                    figures.setdefault(step, {})[label] = closed_loop(server, payload, clients, args.seconds)
            finally:
                server.stop()
    finally:
        stub.stop()
    for step in reqs:
        pair = figures[step]
        pair["ratio_cpu_per_stream"] = round(pair["medreg"]["cpu_ms_per_stream"] / pair["peer_b"]["cpu_ms_per_stream"], 2)
    return figures


def held_open(server: Gunicorn, payload: bytes, count: int, ramp_rate: float, rate: float, arrivals_s: float,
              upstream_open: Optional[Callable[[], int]] = None) -> dict:
    """Open `count` long streams (at `ramp_rate`), then new ones at `rate`: RSS per open stream, first event.

    A first event goes out before the upstream call: `upstream_open` (the stub's count) says when all are open.
    """
    import socket

    rss0 = sum(rss_kb(pid) for pid in server.worker_pids())
    held: list[socket.socket] = []
    answered, errors = [0], [0]

    def hold() -> None:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=None)
        held.append(sock)
        sock.sendall(payload)
        seen = b""
        try:
            while chunk := sock.recv(65536):
                if not seen:
                    answered[0] += 1
                seen = (seen[-16:] + chunk)
                if b"event: error" in seen:
                    errors[0] += 1
                    break
        except OSError:
            pass

    started, readers = time.monotonic(), []
    for _ in range(count):
        readers.append(gevent.spawn(hold))
        gevent.sleep(1 / ramp_rate)
    # Measure once every stream is open (has its first event), not while the worker still works
    # through the ramp's backlog; at most a minute more.
    while (answered[0] < count or (upstream_open is not None and upstream_open() < count)) \
            and time.monotonic() - started < count / ramp_rate + 60:
        gevent.sleep(0.5)
    opened_s = time.monotonic() - started
    gevent.sleep(2)
    rss1 = sum(rss_kb(pid) for pid in server.worker_pids())
    if os.environ.get("MEDREG_MEM_DUMP"):  # bench/memdump.py: each worker reports into its log
        import signal

        for pid in server.worker_pids():
            os.kill(pid, signal.SIGUSR2)
        gevent.sleep(5)
    results: list[tuple[float, bool]] = []
    log_at = len(server.log_text())  # MEDREG_GC_LOG=1: the full collections from here

    def arrival() -> None:
        try:
            first, _, _ = stream(server.port, payload, stop_after=b"\ndata: ")
            results.append((first * 1000, first > 0))
        except OSError:
            results.append((0.0, False))

    arrivals = []
    for _ in range(int(rate * arrivals_s)):
        arrivals.append(gevent.spawn(arrival))
        gevent.sleep(1 / rate)
    gevent.joinall(arrivals, timeout=60)
    late = sum(1 for arriving in arrivals if not arriving.dead)  # no first event within a minute: failed
    still_open = sum(1 for reader in readers if not reader.dead)
    list(map(socket.socket.close, held))  # the clients go
    ttfe = [ms for ms, ok in results if ok]
    lines = server.log_text()[log_at:].splitlines()
    pauses = [float(line.split()[1]) for line in lines if line.startswith("gc-full-ms")]
    young = [float(line.split()[1]) for line in lines if line.startswith("gc-young-ms")]  # 5 ms or more
    return {"gc_full_in_arrivals": len(pauses), "gc_full_max_ms": max(pauses, default=0.0),
            "gc_young_5ms_in_arrivals": len(young), "gc_young_max_ms": max(young, default=0.0),
            "open": count, "opened": answered[0], "opened_in_s": round(opened_s, 1), "held_errors": errors[0],
            "upstream_open": upstream_open() if upstream_open is not None else None,
            "still_open": still_open, "rss_kib_per_open_stream": round((rss1 - rss0) / count, 1),
            "arrivals": len(arrivals), "failed": late + sum(1 for _, ok in results if not ok),
            "ttfe_ms_p50": round(percentile(ttfe, 50), 1), "ttfe_ms_p99": round(percentile(ttfe, 99), 1)}


def open_streams(args: argparse.Namespace) -> dict:
    """Long classify streams on a slow stub: medreg vs peer (b)."""
    reqs = payloads()
    stub = stub_for(args)
    figures: dict = {}
    try:
        calls = None if args.medreg_only else record_calls(stub, reqs)  # at the normal pace, then slow
        stub.control(tokens_per_s=args.slow_tokens_per_s, first_token_s=args.open_first_token_s or args.first_token_s)
        # A stub silent for longer than the default read timeout (60 s) is what the run asked for.
        silence_s = max(60.0, (args.open_first_token_s or args.first_token_s) + 30)
        for label, start in [("medreg", lambda: medreg_llm(stub, args.workers, silence_s)),
                             ("peer_b", lambda: peer_relay(stub, calls, args.workers))][:1 if args.medreg_only else 2]:
            server = start()
            try:
                figures[label] = held_open(server, reqs["classify"], args.open, args.ramp_rate, args.rate,
                                             args.arrivals_s, lambda: stub.stats()["open"])
            finally:
                server.stop()
    finally:
        stub.stop()
    if not args.medreg_only:
        figures["ratio_rss_per_stream"] = round(figures["medreg"]["rss_kib_per_open_stream"]
                                                / max(figures["peer_b"]["rss_kib_per_open_stream"], 0.1), 2)
    return figures


def main() -> None:
    """Parse arguments, run, print the figures as JSON."""
    stop_children_on_signals()  # Ctrl-C or a kill leaves no stub or server behind
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("figure", choices=("offline", "llm", "open", "all"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--clients", type=int, default=100, help="closed-loop clients (standards: a tenth)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--first-token-s", type=float, default=0.5)
    parser.add_argument("--tokens-per-s", type=float, default=50)
    parser.add_argument("--slow-tokens-per-s", type=float, default=10, help="open: long streams (~30 s each)")
    parser.add_argument("--ramp-rate", type=float, default=200, help="open: streams opened per second")
    parser.add_argument("--words", type=int, default=8)
    parser.add_argument("--stub-processes", type=int, default=1)
    parser.add_argument("--open", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--arrivals-s", type=float, default=10)
    parser.add_argument("--open-first-token-s", type=float, default=0.0,
                        help="open: the stub's wait before the first token of the long streams (0: --first-token-s)")
    parser.add_argument("--medreg-only", action="store_true", help="open: medreg alone (the 5,000-stream run)")
    args = parser.parse_args()
    figures = {"offline": offline, "llm": llm, "open": open_streams}
    chosen = list(figures) if args.figure == "all" else [args.figure]
    peers_needed = [name for name in chosen if name in ("offline", "llm") or (name == "open" and not args.medreg_only)]
    if peers_needed and importlib.util.find_spec("fastapi") is None:
        # The peers run in uvicorn servers of their own, which would only say "server exited with 1".
        parser.exit(2, f"peers.py {args.figure}: the peers need the bench extra: pip install -e '.[bench]'\n")
    for name in chosen:
        for run in range(args.repeat):
            result = figures[name](args)
            # Other work shares these cores: the load average says how much (1-minute, at the end).
            print(json.dumps({"figure": name, "run": run + 1, "workers": args.workers, **result,
                              "load_avg_1m": round(os.getloadavg()[0], 2)}), flush=True)


if __name__ == "__main__":
    main()
