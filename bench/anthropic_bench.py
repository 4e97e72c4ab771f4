"""Benchmarks of the Anthropic engine against the stub at realistic latency (issue 4's three figures).

  python bench/anthropic_bench.py throughput  # streams/s and p99 time-to-first-event, 1,000 concurrent clients
  python bench/anthropic_bench.py fanout      # standards wall time over the slowest single plan call (≤ 1.2×)
  python bench/anthropic_bench.py cancel      # share of upstream streams closed after 500 client disconnects
  python bench/anthropic_bench.py cpu         # the engine alone, in-process: CPU ms per classify stream
                                              # (or --step standards)

Each starts the stub (first token 0.5 s, 50 tokens/s by default) and real gunicorn (gevent workers)
with MEDREG_ENGINE=anthropic pointed at it.
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
import gevent.pool  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402
from bench.streams import UNLIMITED, percentile  # noqa: E402
from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.markets import MARKETS  # noqa: E402
from tests.servers import Gunicorn, stream_request  # noqa: E402
from tests.stub_anthropic.process import StubProcess  # noqa: E402

CLASSIFY = {"concept": "smart insulin pump controlled by a phone app", "language": "en"}


def stream(port: int, payload: bytes, stop_after: bytes | None = None) -> tuple[float, float, bool]:
    """One stream: (seconds to the first event, seconds to the end, ended with done).

    With `stop_after`, the client hangs up as soon as that text arrives (a mid-stream disconnect).
    """
    started = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    try:
        sock.sendall(payload)
        received, first = b"", None
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            if first is None and b"\ndata: " in received:
                first = time.monotonic() - started
            if stop_after is not None and stop_after in received:
                return first or 0.0, time.monotonic() - started, False
            if b"event: done" in received or b"event: error" in received:
                if b"\n\n" in received.split(b"event: ")[-1]:
                    break
        ok = received.count(b"event: done") == 1 and b"event: error" not in received
        return (first if first is not None else float("inf")), time.monotonic() - started, ok
    finally:
        sock.close()


def start_servers(args: argparse.Namespace, env: dict | None = None) -> tuple[StubProcess, Gunicorn]:
    """The stub and medreg (anthropic engine) on loopback ports."""
    stub = StubProcess(first_token_s=args.first_token_s, tokens_per_s=args.tokens_per_s, words=args.words,
                       processes=args.stub_processes).start()
    server = Gunicorn(env={"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": "sk-bench", "ANTHROPIC_BASE_URL": stub.url,
                           "MEDREG_FALLBACK_OFFLINE": "0", "MEDREG_ACCESS_LOG": "", **UNLIMITED, **(env or {})},
                      workers=args.workers)
    try:
        server.start(Path(tempfile.mkdtemp()))
    except Exception:
        stub.stop()
        raise
    return stub, server


def throughput(args: argparse.Namespace) -> dict:
    """N closed-loop clients on the classify stream (one model call each) for `seconds`."""
    stub, server = start_servers(args, {"MEDREG_HEARTBEAT_S": "15"})
    payload = stream_request("classify", CLASSIFY)
    try:
        stream(server.port, payload)  # warm-up
        stub.control(reset=True)
        cpu_before = server.worker_cpu_s()
        ttfe: list[float] = []
        durations: list[float] = []
        failed = 0
        stop_at = time.monotonic() + args.ramp + args.seconds

        def client(n: int) -> None:
            nonlocal failed
            gevent.sleep(args.ramp * n / args.clients)
            while time.monotonic() < stop_at:
                try:
                    first, total, ok = stream(server.port, payload)
                except OSError:
                    first, total, ok = float("inf"), 0.0, False
                if ok:
                    ttfe.append(first * 1000)
                    durations.append(total)
                else:
                    failed += 1

        started = time.monotonic()
        gevent.joinall([gevent.spawn(client, n) for n in range(args.clients)])
        wall = time.monotonic() - started
        worker_cpu = server.worker_cpu_s() - cpu_before
        stats = stub.stats()
    finally:
        server.stop()
        stub.stop()
    streams = len(ttfe) + failed
    return {"figure": "throughput", "clients": args.clients, "workers": args.workers,
            "first_token_s": args.first_token_s, "tokens_per_s": args.tokens_per_s,
            "completed_streams": len(ttfe), "failed": failed, "wall_s": round(wall, 1),
            "streams_per_s": round(len(ttfe) / wall, 1),
            "ttfe_ms_p50": round(percentile(ttfe, 50), 1), "ttfe_ms_p99": round(percentile(ttfe, 99), 1),
            "stream_s_p50": round(percentile(durations, 50), 2), "stream_s_p99": round(percentile(durations, 99), 2),
            # Includes the HTTP layer (Flask, SSE framing, socket writes) besides the engine.
            "worker_cpu_s": round(worker_cpu, 2),
            "worker_cpu_ms_per_stream": round(1000 * worker_cpu / max(streams, 1), 2),
            "worker_cpu_share": round(worker_cpu / wall / max(len(server.worker_pids()), 1), 3),
            "upstream": stats}


def fanout(args: argparse.Namespace) -> dict:
    """Standards for a device with many workstreams: wall time over the slowest single plan call."""
    stub, server = start_servers(args, {"MEDREG_ANTHROPIC_CONCURRENCY": str(args.concurrency)})
    classification = get_knowledge().classify(CLASSIFY["concept"], None, MARKETS, "en")
    payload = stream_request("standards", {"classification": classification, "language": "en"})
    runs = []
    try:
        stream(server.port, payload)  # warm-up
        for _ in range(args.repeat):
            stub.control(reset=True)
            _, wall, ok = stream(server.port, payload)
            calls = stub.durations()
            runs.append({"ok": ok, "wall_s": round(wall, 3), "calls": len(calls),
                         "slowest_call_s": round(max(calls), 3), "sum_calls_s": round(sum(calls), 2),
                         "ratio": round(wall / max(calls), 3)})
    finally:
        server.stop()
        stub.stop()
    return {"figure": "fanout", "concurrency": args.concurrency, "first_token_s": args.first_token_s,
            "tokens_per_s": args.tokens_per_s, "worst_ratio": max(r["ratio"] for r in runs), "runs": runs}


def cancel(args: argparse.Namespace) -> dict:
    """N clients each hang up mid-stream (after the first model delta); count upstream streams closed."""
    args.words = max(args.words, 60)  # long answers: no upstream stream could finish on its own
    stub, server = start_servers(args, {"MEDREG_HEARTBEAT_S": str(args.heartbeat_s)})
    payload = stream_request("classify", CLASSIFY)
    try:
        stream(server.port, stream_request("classify", {**CLASSIFY, "concept": "warm-up insulin pump"}))
        stub.control(reset=True)
        gevent.joinall([gevent.spawn(stream, server.port, payload, b"event: delta") for _ in range(args.clients)])
        hung_up = time.monotonic()
        while stub.stats()["open"] > 0 and time.monotonic() - hung_up < args.grace_s:
            time.sleep(0.1)
        closed_after = time.monotonic() - hung_up
        stats = stub.stats()
    finally:
        server.stop()
        stub.stop()
    return {"figure": "cancel", "clients": args.clients, "heartbeat_s": args.heartbeat_s,
            "upstream_started": stats["started"], "upstream_cancelled": stats["cancelled"],
            "upstream_completed": stats["completed"], "upstream_open": stats["open"],
            "closed_share": round(stats["cancelled"] / max(stats["started"], 1), 4),
            "all_closed_within_s": round(closed_after, 2)}


def engine_cpu(args: argparse.Namespace) -> dict:
    """The engine alone, in this process (no HTTP layer): CPU milliseconds per classify or standards stream."""
    from medreg.engines.anthropic.engine import AnthropicEngine
    from medreg.engines.base import ClassifyInput, StandardsInput
    from medreg.events import Result

    stub = StubProcess(first_token_s=0.0, tokens_per_s=args.tokens_per_s, words=args.words).start()
    engine = AnthropicEngine.from_config({"ANTHROPIC_API_KEY": "sk-bench", "ANTHROPIC_BASE_URL": stub.url,
                                          "FALLBACK_OFFLINE": False, "ANTHROPIC_CONCURRENCY": 16})
    classification = get_knowledge().classify(CLASSIFY["concept"], None, MARKETS, "en")

    def one(_: int) -> int:
        if args.step == "classify":
            events = list(engine.classify(ClassifyInput(CLASSIFY["concept"], "en")))
        else:
            events = list(engine.standards(StandardsInput(classification, "en")))
        if not isinstance(events[-1], Result):
            raise RuntimeError(f"step ended without a result: {events[-1]!r}")
        return len(events)

    try:
        one(0)  # warm-up: imports, formats, connections
        pool = gevent.pool.Pool(args.concurrency)
        cpu, started = time.process_time(), time.monotonic()
        events = sum(pool.map(one, range(args.streams)))
        cpu, wall = time.process_time() - cpu, time.monotonic() - started
    finally:
        engine.close()
        stub.stop()
    return {"figure": "engine_cpu", "step": args.step, "streams": args.streams, "concurrency": args.concurrency,
            "tokens_per_s": args.tokens_per_s, "events_per_stream": round(events / args.streams, 1),
            "cpu_ms_per_stream": round(1000 * cpu / args.streams, 2), "wall_s": round(wall, 1)}


def tokens(args: argparse.Namespace) -> dict:
    """Input tokens per standards request and the prompt cache's work, in the stub's accounting.

    The stub accounts caching like the real API (prefix up to a breakpoint, 1,024-token minimum,
    a write readable once its response began, 5-minute TTL). Each of `--concepts` dev-set concepts
    is planned `--repeat` times in a row.
    """
    from medreg.engines.anthropic.engine import AnthropicEngine
    from medreg.engines.base import StandardsInput

    stub = StubProcess().start()
    engine = AnthropicEngine.from_config({"ANTHROPIC_API_KEY": "sk-bench", "ANTHROPIC_BASE_URL": stub.url,
                                          "FALLBACK_OFFLINE": False, "MODEL": "claude-sonnet-5-5"})
    cases = load_rows(args.dev_set)[:args.concepts]
    per_request, first_reads, later_reads, writes = [], [], [], []
    recall = {"anthropic": [0, 0], "offline": [0, 0]}  # must-apply standards found, expected
    try:
        for case in cases:
            found = get_knowledge().classify(case["concept"], None, MARKETS, case.get("language", "en"))
            for repeat in range(args.repeat):
                if repeat == 0:  # a new concept: a cold cache, as for any first request
                    stub.control(reset=True)
                before = len(stub.usages())
                result = list(engine.standards(StandardsInput(found, case.get("language", "en"))))[-1].data
                if repeat == 0 and case.get("must_standards"):
                    offline = get_knowledge().plans(found, found["category"], None, MARKETS,
                                                    case.get("language", "en"))
                    for plans, tally in ((result["plans"], recall["anthropic"]), (offline, recall["offline"])):
                        ids = {standard["id"] for plan in plans for standard in plan["standards"]}
                        tally[0] += sum(1 for must in case["must_standards"] if must in ids)
                        tally[1] += len(case["must_standards"])
                calls = stub.usages()[before:]
                per_request.append(sum(u["input_tokens"] + u["cache_read_input_tokens"]
                                       + u["cache_creation_input_tokens"] for u in calls))
                writes.append(sum(1 for u in calls if u["cache_creation_input_tokens"]))
                prefix = max(u["cache_read_input_tokens"] + u["cache_creation_input_tokens"] for u in calls) or 1
                share = sum(u["cache_read_input_tokens"] for u in calls[1:]) / (prefix * max(len(calls) - 1, 1))
                (first_reads if repeat == 0 else later_reads).append(share)
    finally:
        engine.close()
        stub.stop()
    return {"figure": "tokens", "concepts": len(cases), "repeat": args.repeat,
            "input_tokens_per_request_max": max(per_request),
            "input_tokens_per_request_mean": round(sum(per_request) / len(per_request)),
            "cache_writes_per_request_max": max(writes),
            "prefix_read_share_calls_2_to_n_first_request_min": round(min(first_reads), 3),
            "prefix_read_share_calls_2_to_n_later_requests_min": round(min(later_reads), 3) if later_reads else None,
            "must_standards_recall": {engine_id: round(found / max(expected, 1), 4)
                                      for engine_id, (found, expected) in recall.items()}}


def main() -> None:
    """Parse arguments, run one figure, print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first-token-s", type=float, default=0.5)
    parser.add_argument("--tokens-per-s", type=float, default=50)
    parser.add_argument("--words", type=int, default=8, help="words per generated string (answer length)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--stub-processes", type=int, default=1)
    sub = parser.add_subparsers(dest="figure", required=True)
    thr = sub.add_parser("throughput")
    thr.add_argument("--clients", type=int, default=1000)
    thr.add_argument("--seconds", type=float, default=30)
    thr.add_argument("--ramp", type=float, default=2.0)
    fan = sub.add_parser("fanout")
    fan.add_argument("--concurrency", type=int, default=16)
    fan.add_argument("--repeat", type=int, default=5)
    can = sub.add_parser("cancel")
    can.add_argument("--clients", type=int, default=500)
    can.add_argument("--heartbeat-s", type=float, default=1.0)
    can.add_argument("--grace-s", type=float, default=20.0)
    cpu = sub.add_parser("cpu")
    cpu.add_argument("--step", choices=("classify", "standards"), default="classify")
    cpu.add_argument("--streams", type=int, default=300)
    cpu.add_argument("--concurrency", type=int, default=100)
    tok = sub.add_parser("tokens")
    tok.add_argument("--dev-set", default="bench/data/dev_set.jsonl")
    tok.add_argument("--concepts", type=int, default=20)
    tok.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    figures = {"throughput": throughput, "fanout": fanout, "cancel": cancel, "cpu": engine_cpu, "tokens": tokens}
    result = figures[args.figure](args)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
