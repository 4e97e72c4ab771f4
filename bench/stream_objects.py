"""What an open, waiting stream holds for the garbage collector, and what a full collection costs.

  python bench/stream_objects.py --open 3000

In process: the WSGI app (tests.fakes:PacedEngine) is called for `--open` streams, each read to its
first event and left waiting, as under gunicorn. Prints the gc-tracked objects per open stream and
the time of one full collection (gc.collect()) with them open, without and with `gc.freeze()` of
what start-up made (gunicorn.conf.py freezes after each worker loads the app).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import gevent
import gevent.event

from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MEDREG_ENGINE", "tests.fakes:PacedEngine")
os.environ.setdefault("MEDREG_RATE_LIMIT", "off")
os.environ.setdefault("MEDREG_MAX_STREAMS_PER_CLIENT", "0")
os.environ.setdefault("MEDREG_LOG_LEVEL", "WARNING")

from medreg import create_app  # noqa: E402


class Streams:
    """`count` classify streams, each in its own greenlet (as gunicorn runs requests), read to its
    first chunk and left waiting until `close()`."""

    def __init__(self, app, count: int) -> None:
        self.release = gevent.event.Event()
        self.greenlets = [gevent.spawn(self._one, app, n) for n in range(count)]
        self.opened = 0
        while self.opened < count:
            gevent.sleep(0.01)

    def _one(self, app, n: int) -> None:
        environ = EnvironBuilder(path="/api/stream/classify", method="POST",
                                 json={"concept": "gaps 600", "language": "en"},
                                 environ_base={"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250}"}).get_environ()
        body = app(environ, lambda status, headers, exc_info=None: None)
        next(iter(body))
        self.opened += 1
        try:
            self.release.wait()
        finally:
            body.close()

    def close(self) -> None:
        """End every stream (as clients leaving would)."""
        self.release.set()
        gevent.joinall(self.greenlets)


def full_collection_ms(repeat: int = 3) -> float:
    """The fastest of `repeat` full collections, in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main() -> None:
    """Measure and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=3000)
    args = parser.parse_args()
    app = create_app()
    Streams(app, 5).close()  # first requests import what they import
    gc.collect()
    baseline = len(gc.get_objects())
    idle_ms = full_collection_ms()
    held = Streams(app, args.open)
    gc.collect()
    per_stream = (len(gc.get_objects()) - baseline) / args.open
    unfrozen_ms = full_collection_ms()
    held.close()
    del held
    gc.collect()
    gc.freeze()
    frozen_idle_ms = full_collection_ms()
    held = Streams(app, args.open)
    frozen_ms = full_collection_ms()
    print(json.dumps({"open": args.open, "tracked_objects_at_start": baseline,
                      "tracked_objects_per_open_stream": round(per_stream, 1),
                      "full_gc_ms_idle": round(idle_ms, 1), "full_gc_ms_open": round(unfrozen_ms, 1),
                      "full_gc_ms_idle_after_freeze": round(frozen_idle_ms, 1),
                      "full_gc_ms_open_after_freeze": round(frozen_ms, 1)}, indent=2))
    held.close()


if __name__ == "__main__":
    main()
