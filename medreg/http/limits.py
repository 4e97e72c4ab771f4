"""Rate limits per API key or client address (flask-limiter) and a cap on open streams per client.

Both are counted where every worker sees them when MEDREG_RATE_LIMIT_STORAGE_URI says so:
`sqlite:///path` (gunicorn.conf.py's default: one file per master) or `redis://` (across hosts).
"""
from __future__ import annotations

import math
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter, RequestLimit

from medreg.errors import RateLimited
from medreg.http import shared_store  # noqa: F401  registers the sqlite:// limits storage
from medreg.http.stream_caps import SharedCounts, shared_counts


def client_key() -> str:
    """The API key's id when one was presented, else the client address (after ProxyFix)."""
    key = getattr(g, "api_key_id", None)
    return f"key:{key}" if key else f"ip:{request.remote_addr or 'unknown'}"


class StreamSlots:
    """Counts open streams per client (in this worker, and in `shared` when set); refuses one past the cap."""

    def __init__(self, cap: int, shared: SharedCounts | None = None) -> None:
        self.cap = cap
        self.shared = shared
        self.open: Counter = Counter()
        self._ids: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        """Streams open in this worker."""
        return sum(self.open.values())

    def acquire(self, client: str) -> None:
        """Take a slot or raise `RateLimited`."""
        if self.cap and self.shared is not None:
            stream_id = uuid.uuid4().hex
            if not self.shared.take(client, stream_id, self.cap):
                raise RateLimited(headers={"Retry-After": "5"})
            with self._lock:
                self._ids.setdefault(client, []).append(stream_id)
                self.open[client] += 1
            return
        with self._lock:
            if self.cap and self.open[client] >= self.cap:
                raise RateLimited(headers={"Retry-After": "5"})
            self.open[client] += 1

    def release(self, client: str) -> None:
        """Give a slot back."""
        stream_id = None
        with self._lock:
            self.open[client] -= 1
            if self.open[client] <= 0:
                del self.open[client]
            ids = self._ids.get(client)
            if ids:
                stream_id = ids.pop()  # any of the client's ids: they are interchangeable
                if not ids:
                    del self._ids[client]
        if stream_id is not None:
            self.shared.drop(client, stream_id)

    @contextmanager
    def held(self, client: str) -> Iterator[None]:
        """Hold a slot for the life of a stream."""
        self.acquire(client)
        try:
            yield
        finally:
            self.release(client)


def _on_breach(limit: RequestLimit) -> Response:
    retry_after = max(1, math.ceil(limit.reset_at - time.time()))
    item = getattr(limit, "limit", None)
    if item is not None:
        # The window's reset is rounded up to the next second: never more than the window itself.
        retry_after = min(retry_after, int(item.get_expiry()))
    raise RateLimited(headers={"Retry-After": str(retry_after)})


def init_app(app: Flask) -> None:
    """Install the limiter (in memory by default, or MEDREG_RATE_LIMIT_STORAGE_URI, e.g. redis://)."""
    rate = str(app.config["RATE_LIMIT"] or "off").strip()
    enabled = rate.lower() not in ("off", "none", "0", "")
    limiter = Limiter(
        client_key, app=app, enabled=enabled, storage_uri=app.config["RATE_LIMIT_STORAGE_URI"],
        # One budget per client across every /api route, JSON and stream alike.
        application_limits=[rate] if enabled else [],
        application_limits_exempt_when=lambda: not request.path.startswith("/api/") or request.method == "OPTIONS",
        on_breach=_on_breach, headers_enabled=False,
    )
    app.extensions["medreg"].limiter = limiter
    # A stream's record outlives the longest stream, so one a dead worker held frees itself.
    lifetime_s = app.config["MAX_STREAM_S"] + app.config["WRITE_TIMEOUT_S"] + 60
    cap = int(app.config["MAX_STREAMS_PER_CLIENT"] or 0)
    shared = shared_counts(app.config["RATE_LIMIT_STORAGE_URI"], lifetime_s) if cap else None
    app.extensions["medreg"].stream_slots = StreamSlots(cap, shared)


def stream_slots() -> StreamSlots:
    """This app's stream counter."""
    return current_app.extensions["medreg"].stream_slots
