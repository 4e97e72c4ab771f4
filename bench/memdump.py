"""Where a gunicorn worker's memory goes, printed to its log on SIGUSR2 (benchmarks only).

  MEDREG_MEM_DUMP=1 gunicorn -c gunicorn.conf.py wsgi:app ; kill -USR2 <worker pid>

Prints live greenlets and the C stack bytes they keep saved, gc-tracked objects by type (top 15),
generators and bound methods by function (top 15), glibc malloc's in-use and free bytes (mallinfo2)
and pymalloc's arena totals. With MEDREG_MEM_TRACE=<frames> the worker traces allocations
(tracemalloc) from the end of its start-up and each report also writes a snapshot to `$MEDREG_MEM_SNAPSHOT-<pid>-<n>.snap` (bench/stream_memory.py diffs two of them).
"""
from __future__ import annotations

import collections
import ctypes
import gc
import itertools
import os
import signal
import sys
import types

_dumps = itertools.count(1)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _top(counter: collections.Counter) -> str:
    return " ".join(f"{name}={n}" for name, n in counter.most_common(15))


def dump() -> None:
    """Write one memory report to stderr."""
    from greenlet import greenlet

    objects = gc.get_objects()
    live = [obj for obj in objects if isinstance(obj, greenlet) and not obj.dead]
    saved = sum(getattr(g, "_stack_saved", 0) for g in live)
    counts = collections.Counter(type(obj).__name__ for obj in objects)
    generators = collections.Counter(obj.__qualname__ for obj in objects if isinstance(obj, types.GeneratorType))
    methods = collections.Counter(getattr(obj.__func__, "__qualname__", "?") for obj in objects
                                  if isinstance(obj, types.MethodType))
    out = sys.stderr
    out.write(f"memdump greenlets {len(live)} stack_saved_bytes {saved} tracked {len(objects)}\n")
    out.write("memdump types " + _top(counts) + "\n")
    out.write("memdump generators " + _top(generators) + "\n")
    out.write("memdump methods " + _top(methods) + "\n")
    del objects, live
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        out.write(f"memdump malloc arena {info.arena} mmap {info.hblkhd} in_use {info.uordblks} free {info.fordblks}\n")
    except (OSError, AttributeError):
        pass
    import tracemalloc

    if tracemalloc.is_tracing() and os.environ.get("MEDREG_MEM_SNAPSHOT"):
        path = f"{os.environ['MEDREG_MEM_SNAPSHOT']}-{os.getpid()}-{next(_dumps)}.snap"
        tracemalloc.take_snapshot().dump(path)
        out.write(f"memdump snapshot {path}\n")
    sys._debugmallocstats()
    out.write("memdump end\n")
    out.flush()


def install() -> None:
    """Dump on SIGUSR2 (from the gevent hub, so the dump never interrupts a greenlet mid-switch)."""
    import gevent

    if os.environ.get("MEDREG_MEM_TRACE"):
        import tracemalloc

        tracemalloc.start(int(os.environ["MEDREG_MEM_TRACE"]))
    gevent.signal_handler(signal.SIGUSR2, dump)
