"""Where a stream's CPU goes: in-process cost of one classify stream, whole and with parts stubbed.

    python bench/stream_cost.py              # floor, medreg, then medreg with each part stubbed
    python bench/stream_cost.py --streams 20000

Each row drives the WSGI app directly (no server, no sockets) with the same request the throughput
benchmark sends, under gevent's monkey-patching as in a worker, and prints CPU µs per stream. The
"without" rows are cumulative: each stubs one more part, so the last one is the cost of what is
left (Flask dispatch, the step generator, the encoder, the response). Stubbed parts are for this
measurement only; gunicorn multiplies the in-process figures (cache misses at 1,000 connections),
so read the differences, not the absolute values.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BODY = b'{"concept":"smart insulin pump","language":"en"}'


def environ() -> dict:
    """A WSGI environ like gunicorn's for the benchmark's POST."""
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/stream/classify", "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(BODY)), "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "wsgi.input": io.BytesIO(BODY),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False}


def one_stream(app: Callable) -> bytes:
    """Serve one request and read its whole body."""
    body = app(environ(), lambda status, headers, exc_info=None: None)
    try:
        return b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()


def cpu_per_stream(app: Callable, streams: int) -> float:
    """CPU µs per stream after a warm-up."""
    for _ in range(500):
        one_stream(app)
    started = time.process_time()
    for _ in range(streams):
        one_stream(app)
    return (time.process_time() - started) / streams * 1e6


def medreg_app():
    """medreg's app with the benchmark's instant engine and no per-client limits; logs to /dev/null."""
    os.environ.update({"MEDREG_ENGINE": "tests.fakes:InstantEngine", "MEDREG_RATE_LIMIT": "off",
                       "MEDREG_MAX_STREAMS_PER_CLIENT": "0"})
    from medreg import create_app

    app = create_app()
    for handler in logging.getLogger("medreg").handlers:
        if hasattr(handler, "stream"):
            handler.stream = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    return app


def stubs(app) -> list[tuple[str, str, Callable[[], None]]]:
    """(name, label, stub) triples, applied one after another."""
    import medreg.http.api as api

    def body() -> None:
        api.read_body = lambda request, step: ({"concept": "smart insulin pump", "language": "en"}, "en")

    def runner() -> None:
        api.run_cooperatively = lambda events, **_: events

    def hooks() -> None:
        app.before_request_funcs = {}
        app.after_request_funcs = {}

    def log() -> None:
        logging.getLogger("medreg").setLevel(logging.WARNING)

    return [("body", "without body parsing and validation", body), ("runner", "  and without the greenlet runner", runner),
            ("hooks", "  and without the request hooks", hooks), ("log", "  and without the stream log line", log)]


def main() -> None:
    """Print CPU µs per stream for each row."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=10000)
    args = parser.parse_args()
    from bench.floor_app import app as floor

    app = medreg_app()
    floor_us = cpu_per_stream(floor, args.streams)
    print(f"{'minimal Flask floor':42s} {floor_us:7.1f} µs")
    print(f"{'medreg, full path':42s} {cpu_per_stream(app, args.streams):7.1f} µs")
    for _, label, stub in stubs(app):
        stub()
        print(f"{label:42s} {cpu_per_stream(app, args.streams):7.1f} µs")


if __name__ == "__main__":
    main()
