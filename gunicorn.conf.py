"""gunicorn settings for medreg: gevent workers for many long-lived SSE streams."""
import multiprocessing
import os

# gevent records, for every greenlet, the stack that spawned it (a debugging aid): a dozen objects
# per open stream that every full collection walks. bench/stream_objects.py: a full collection with
# 3,000 streams open took 238 ms with it, 57 ms without (start-up objects frozen in both).
os.environ.setdefault("GEVENT_TRACK_GREENLET_TREE", "0")

bind = os.environ.get("MEDREG_BIND", os.environ.get("BIND", "0.0.0.0:8000"))
workers = int(os.environ.get("MEDREG_WORKERS", os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count()))))
worker_class = "gevent"
# Each open stream holds one connection; 1,000 is gunicorn's default and too few.
worker_connections = int(os.environ.get("MEDREG_WORKER_CONNECTIONS", 4000))
# With gevent this is a liveness check of the worker's hub, not a limit on request length.
timeout = int(os.environ.get("MEDREG_WORKER_TIMEOUT", 60))
# In-flight streams get this long to finish on SIGTERM / reload.
graceful_timeout = int(os.environ.get("MEDREG_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# No preload: the gevent worker must monkey-patch before the app (and ssl) is imported.
preload_app = False
accesslog = os.environ.get("MEDREG_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("MEDREG_LOG_LEVEL", "info")


def on_starting(server):
    """Rate limits and stream caps hold across this master's workers: one SQLite file they share.

    Without it each worker counted alone (225 requests passed a 120/minute limit on 2 workers).
    The file is named after the master, so two servers on one host keep apart; redis:// (set
    MEDREG_RATE_LIMIT_STORAGE_URI) shares them across hosts; memory:// goes back to per worker.
    """
    import tempfile

    if not os.environ.get("MEDREG_RATE_LIMIT_STORAGE_URI"):
        folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
        path = os.path.join(folder, f"medreg-limits-{os.getpid()}.sqlite")
        for suffix in ("", "-wal", "-shm"):  # a file left by a killed master of the same pid
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.environ["MEDREG_RATE_LIMIT_STORAGE_URI"] = f"sqlite://{path}"
        _owned_files.append(path)


def on_exit(server):
    """Remove the shared limits file this master made."""
    for path in _owned_files:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


_owned_files: list = []


def post_worker_init(worker):
    """Freeze what start-up made (app, knowledge base, imports: ~90k objects) out of the collector.

    Every full collection walks every tracked object; with thousands of streams open those walks
    stall every greenlet in the worker, and the start-up objects never become garbage anyway.
    """
    import gc

    from gevent import get_hub

    from medreg.engines.anthropic.transport import literal_resolver

    get_hub().resolver = literal_resolver(get_hub())
    gc.collect()
    if os.environ.get("MEDREG_GC_FREEZE", "1") != "0":
        gc.freeze()
    # Collect the young generation every 10,000 new objects (CPython's default: 700). A full
    # collection runs only after 10 collections of generation 1 (100 of generation 0), and objects
    # of a stream only a few milliseconds old are no longer caught in flight and promoted: with
    # 5,000 silent streams open on 2 workers (bench/peers.py open --medreg-only --workers 2 --open
    # 5000 --open-first-token-s 150 --slow-tokens-per-s 50, 40 s of arrivals at 100/s), full
    # collections during the arrivals 1 (372 ms) -> 0, and none at all while the 5,000 opened
    # (16 before, the last ones 0.4-0.5 s each, 520-730k objects scanned). Cyclic garbage is
    # still collected: a full collection found 24-72 objects to free.
    # Generation 1 every 2 young collections (not 10), so each scans fewer survivors; a full one
    # after 40 of those. Same command, 10 s of arrivals, five runs each in turn (1-minute load
    # 1.9-3.4): p99 first event 9.3 / 25.4 / 211.9 / 49.5 / 31.8 ms with 10000,10,10 and
    # 13.9 / 11.6 / 38.8 / 5.8 / 18.0 ms with this; no full collection in any arrival window.
    gc.set_threshold(*(int(part) for part in os.environ.get("MEDREG_GC_THRESHOLD", "10000,2,40").split(",")))
    if os.environ.get("MEDREG_GC_LOG"):  # benchmarks: one line per full collection and its pause
        import sys
        import time

        started = [0.0]

        def log_collections(phase, info):
            if phase == "start":
                started[0] = time.perf_counter()
                return
            ms = (time.perf_counter() - started[0]) * 1000
            if info["generation"] == 2:
                tracked = len(gc.get_objects(generation=2))
                sys.stderr.write(f"gc-full-ms {ms:.1f} collected {info['collected']} tracked {tracked}\n")
            elif ms >= 5:  # a young collection long enough to matter to a 20 ms first event
                sys.stderr.write(f"gc-young-ms {ms:.1f} generation {info['generation']}\n")

        gc.callbacks.append(log_collections)
    if os.environ.get("MEDREG_MEM_DUMP"):  # benchmarks: a memory report on SIGUSR2 (bench/memdump.py)
        from bench.memdump import install

        install()


def worker_exit(server, worker):
    """Close the engine (its upstream connection pool) when a worker stops."""
    app = getattr(worker, "wsgi", None)
    medreg = getattr(app, "extensions", {}).get("medreg") if app is not None else None
    if medreg is not None:
        medreg.engine.close()
