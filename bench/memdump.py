"""Where a gunicorn worker's memory goes, printed to its log on SIGUSR2 (benchmarks only).

  MEDREG_MEM_DUMP=1 gunicorn -c gunicorn.conf.py wsgi:app ; kill -USR2 <worker pid>

Prints live greenlets and the C stack bytes they keep saved, gc-tracked objects by type (top 15),
glibc malloc's in-use and free bytes (mallinfo2) and pymalloc's arena totals.
"""
from __future__ import annotations

import collections
import ctypes
import gc
import signal
import sys


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def dump() -> None:
    """Write one memory report to stderr."""
    from greenlet import greenlet

    objects = gc.get_objects()
    live = [obj for obj in objects if isinstance(obj, greenlet) and not obj.dead]
    saved = sum(getattr(g, "_stack_saved", 0) for g in live)
    counts = collections.Counter(type(obj).__name__ for obj in objects)
    out = sys.stderr
    out.write(f"memdump greenlets {len(live)} stack_saved_bytes {saved} tracked {len(objects)}\n")
    out.write("memdump types " + " ".join(f"{name}={n}" for name, n in counts.most_common(15)) + "\n")
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        out.write(f"memdump malloc arena {info.arena} mmap {info.hblkhd} in_use {info.uordblks} free {info.fordblks}\n")
    except (OSError, AttributeError):
        pass
    sys._debugmallocstats()
    out.flush()


def install() -> None:
    """Dump on SIGUSR2 (from the gevent hub, so the dump never interrupts a greenlet mid-switch)."""
    import gevent

    gevent.signal_handler(signal.SIGUSR2, dump)
