"""Structured JSON logs with a request id; never keys, and no concept text unless asked for."""
from __future__ import annotations

import itertools
import logging
import os
import re
import sys
import time

from flask import Flask, Response, g, request

from medreg.http.sse import compact_json

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("medreg.access")
# Ids made here: a random per-process prefix and a counter (unique, and far cheaper than uuid4,
# which reads the OS random source on every request).
_ID_PREFIX = os.urandom(8).hex()
_ID_COUNTER = itertools.count(1)


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Tracebacks only when MEDREG_LOG_TRACEBACKS is on (they can
    carry request data); otherwise the exception's type alone."""

    def __init__(self, tracebacks: bool = False) -> None:
        super().__init__()
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        """Render `record` as compact JSON."""
        entry = {"ts": round(record.created, 3), "level": record.levelname.lower(),
                 "logger": record.name, "msg": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            if self.tracebacks:
                entry["traceback"] = self.formatException(record.exc_info)
        return compact_json(entry)


class JsonLineHandler(logging.StreamHandler):
    """Writes each record as one line in one `write`, taking no lock.

    Under gevent the handler's RLock is a Python-level lock taken twice a record (emit and
    flush), a fair share of a stream's whole cost at 1,000 clients; a single write of one line
    needs no lock to stay whole (a line-buffered or unbuffered stream, or O_APPEND file).
    """

    def createLock(self) -> None:
        """No lock (see the class docstring)."""
        self.lock = None

    def emit(self, record: logging.LogRecord) -> None:
        """Format `record` and write it as one line."""
        try:
            self.stream.write(self.format(record) + "\n")
            if not getattr(self.stream, "line_buffering", True):
                self.stream.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


def current_request_id() -> str:
    """This request's id (taken from X-Request-ID when well-formed, else made)."""
    rid = getattr(g, "request_id", None)
    if rid is None:
        incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
        rid = g.request_id = incoming if REQUEST_ID.match(incoming) else f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"
    return rid


def log_line(logger: logging.Logger, message: str, **fields) -> None:
    """Log one INFO line with structured fields, skipping the caller lookup (frames walked per call)."""
    if logger.isEnabledFor(logging.INFO):
        logger.handle(logger.makeRecord(logger.name, logging.INFO, "", 0, message, None, None,
                                        extra={"fields": fields}))


def _lean_log_records() -> None:
    # Under gevent the thread name a LogRecord asks for makes a dummy Thread object per
    # greenlet: ~100 µs a stream line (bench/streams.py). Only this flag is turned off: it is
    # process-wide, and other formats (gunicorn's "[%(process)d]") need the other record fields.
    logging.logThreads = False


def init_app(app: Flask) -> None:
    """Configure the `medreg` loggers and log one line per request."""
    _lean_log_records()
    logger = logging.getLogger("medreg")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = JsonLineHandler(sys.stderr)
        handler.setFormatter(JsonFormatter(tracebacks=bool(app.config.get("LOG_TRACEBACKS"))))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())

    @app.before_request
    def _start() -> None:
        g.started = time.monotonic()
        current_request_id()

    @app.after_request
    def _finish(response: Response) -> Response:
        if REQUEST_ID_HEADER not in response.headers:  # streams set it when they are made
            response.headers[REQUEST_ID_HEADER] = current_request_id()
        # A stream logs one line when it closes (medreg.stream), with how it ended.
        if response.mimetype != "text/event-stream":
            log_line(access_log, "request", request_id=current_request_id(), method=request.method,
                     path=request.path, status=response.status_code,
                     ms=round((time.monotonic() - g.get("started", time.monotonic())) * 1000, 1))
        return response
