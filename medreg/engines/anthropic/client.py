"""The SDK client: timeouts, connection pool, SDK retries, and retry waits bounded by the step's deadline (middleware)."""
from __future__ import annotations

import contextvars
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Mapping, Optional

import anthropic
import httpx2

from medreg.config import DEFAULTS, setting
from medreg.engines.anthropic.transport import CONNECTIONS_PER_SHARD, ShardedTransport

# The deadline of the step running in this greenlet (each greenlet has its own context, so the
# fan-out sets it again in every child).
_DEADLINE: contextvars.ContextVar[Optional[float]] = contextvars.ContextVar("medreg_deadline", default=None)

# Never start a retry that would leave less than this for the call itself.
MIN_CALL_S = 1.0


class RetryWaitTooLong(Exception):
    """The SDK wanted to wait (e.g. a 429's retry-after) past the step's deadline."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"retry wait of {wait_s:.1f} s exceeds the step deadline")
        self.wait_s = wait_s


@dataclass(frozen=True)
class ClientSettings:
    """What the client needs from configuration."""

    api_key: Optional[str]
    base_url: Optional[str]
    connect_timeout_s: float = DEFAULTS["ANTHROPIC_CONNECT_TIMEOUT_S"]
    read_timeout_s: float = DEFAULTS["ANTHROPIC_READ_TIMEOUT_S"]
    max_connections: int = DEFAULTS["ANTHROPIC_MAX_CONNECTIONS"]
    max_retries: int = DEFAULTS["ANTHROPIC_MAX_RETRIES"]
    pool_shards: int = DEFAULTS["ANTHROPIC_POOL_SHARDS"]

    @classmethod
    def from_config(cls, config: Mapping) -> "ClientSettings":
        """Settings from the app config; the key and base URL fall back to the SDK's env variables."""
        return cls(
            api_key=config.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_API_KEY"),
            base_url=config.get("ANTHROPIC_BASE_URL") or os.environ.get("ANTHROPIC_BASE_URL") or None,
            connect_timeout_s=float(setting(config, "ANTHROPIC_CONNECT_TIMEOUT_S")),
            read_timeout_s=float(setting(config, "ANTHROPIC_READ_TIMEOUT_S")),
            max_connections=int(setting(config, "ANTHROPIC_MAX_CONNECTIONS")),
            max_retries=int(setting(config, "ANTHROPIC_MAX_RETRIES")),
            pool_shards=int(setting(config, "ANTHROPIC_POOL_SHARDS")),
        )


class DeadlineGuard(anthropic.Middleware):
    """SDK middleware (one pass per attempt) that refuses a retry wait running past the step's deadline.

    The SDK honours any `retry-after` without a cap (a 429 may ask for minutes); here an answer
    that would make it wait too close to the deadline ends the call at once with the wait it
    asked for, so the step fails fast with a retryable error that carries Retry-After.
    """

    def handle(self, request, call_next):
        """Run the attempt; raise `RetryWaitTooLong` when its retry-after cannot fit the deadline."""
        response = call_next(request)
        deadline = _DEADLINE.get()
        if deadline is not None and response.status_code in RETRIED_STATUSES:
            wait = retry_after_s(response.headers)
            if wait is not None and time.monotonic() + wait + MIN_CALL_S > deadline:
                raise RetryWaitTooLong(wait)
        return response


RETRIED_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})


def retry_after_s(headers: Mapping[str, str]) -> Optional[float]:
    """Seconds the upstream asked to wait (`retry-after-ms`, else `retry-after` in seconds), if it said."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return max(0.0, float(headers.get(name)) * scale)
        except (TypeError, ValueError):
            continue
    return None


def make_client(settings: ClientSettings) -> anthropic.Anthropic:
    """One client per process: pools sized for our concurrency, explicit connect/read timeouts."""
    timeout = httpx2.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
    limits = httpx2.Limits(max_connections=settings.max_connections,
                           max_keepalive_connections=min(settings.max_connections, 200))
    shards = max(1, min(settings.pool_shards, settings.max_connections // CONNECTIONS_PER_SHARD))
    http_client = anthropic.DefaultHttpxClient(timeout=timeout, transport=ShardedTransport(shards, limits))
    return anthropic.Anthropic(api_key=settings.api_key, base_url=settings.base_url, timeout=timeout,
                               max_retries=settings.max_retries, http_client=http_client,
                               middleware=[DeadlineGuard()])


@contextmanager
def deadline_scope(deadline: float) -> Iterator[None]:
    """Make `deadline` (a monotonic time) the bound for SDK retry waits in this greenlet."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining(deadline: float) -> float:
    """Seconds left before `deadline`."""
    return deadline - time.monotonic()


def flag(value) -> bool:
    """A boolean setting from config or the environment ("0", "false", "no", "off" and "" are false)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
