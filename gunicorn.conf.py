"""gunicorn settings for medreg: gevent workers for many long-lived SSE streams."""
import multiprocessing
import os

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
