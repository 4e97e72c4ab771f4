"""Configuration: defaults, then `MEDREG_*` environment variables, then explicit overrides."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # Which engine answers: "auto" (anthropic when ANTHROPIC_API_KEY is set, else offline),
    # "offline", "anthropic", or "package.module:Class" for a plug-in engine.
    "ENGINE": "auto",
    # The one place the default model is named (claude-sonnet-4-5 was retired on 2026-11-30).
    # It is checked with the Models API at start-up and on /healthz?deep=1.
    "MODEL": "claude-sonnet-5-5",
    # Seconds of silence before a `: keep-alive` comment; below nginx's 60 s proxy_read_timeout.
    "HEARTBEAT_S": 15.0,
    # A step that has not finished by then ends with an `upstream_timeout` error.
    "STEP_DEADLINE_S": 120.0,
    # Longest a stream may stay open, and longest one write may block on a client that stopped reading.
    "MAX_STREAM_S": 600.0,
    "WRITE_TIMEOUT_S": 30.0,
    "FALLBACK_OFFLINE": True,
    # Upstream calls at once per request: one per workstream (12), so a standards answer
    # takes about as long as its slowest plan.
    "ANTHROPIC_CONCURRENCY": 12,
    "ANTHROPIC_CONNECT_TIMEOUT_S": 5.0,
    "ANTHROPIC_READ_TIMEOUT_S": 60.0,
    "ANTHROPIC_MAX_CONNECTIONS": 4000,
    # Retries the SDK makes on 429/5xx/connection errors (each bounded by the step deadline).
    "ANTHROPIC_MAX_RETRIES": 2,
    # HTTP connection pools per client, so one pool's lock is not shared by every greenlet.
    "ANTHROPIC_POOL_SHARDS": 16,
    # Ask the Models API at start-up whether MODEL exists for this key (what /healthz reports).
    "ANTHROPIC_CHECK_MODEL": True,
    # Comma-separated list; empty means any http(s)://localhost or 127.0.0.1 origin (development).
    "CORS_ORIGINS": "",
    # Comma-separated bearer keys; empty means /api is open.
    "API_KEYS": "",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # /api/export takes a whole session: 4x the largest realistic one (12 plans refined twice, 62 KB;
    # `python bench/export_size.py --per-plan`), still bounded.
    "EXPORT_MAX_CONTENT_LENGTH": 256 * 1024,
    "RATE_LIMIT": "120/minute",
    "RATE_LIMIT_STORAGE_URI": "memory://",
    "MAX_STREAMS_PER_CLIENT": 20,
    "LOG_LEVEL": "INFO",
    "LOG_TRACEBACKS": False,
    # "api": keys protect /api only; "all": also /, /docs and /openapi.json.
    "AUTH_SCOPE": "api",
    # How many proxies (nginx) stand in front: their X-Forwarded-For is trusted that deep.
    "PROXY_HOPS": 0,
    # /healthz also reports greenlets, resident memory and open streams (benchmarks).
    "STATS": False,
    "KB_STORE": None,
    # Projects (medreg/projects): the database (default: sqlite in the instance folder, WAL mode;
    # postgresql://... for several hosts), where run events are read back from (default: that
    # database; redis://... for several hosts), seconds a run goes on with no reader, and seconds
    # of silence after which a running run's worker counts as gone.
    "DATABASE_URL": None,
    "RUN_EVENTS_URL": None,
    "RUN_GRACE_S": 30.0,
    "RUN_STALE_S": 10.0,
}


def load_config(app: Flask, overrides: Optional[Mapping[str, Any]] = None) -> None:
    """Fill `app.config` from the defaults, the environment and `overrides`, in that order."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MEDREG")
    if overrides:
        app.config.from_mapping(overrides)
    for key in ("HEARTBEAT_S", "STEP_DEADLINE_S", "MAX_STREAM_S", "WRITE_TIMEOUT_S"):
        app.config[key] = float(app.config[key])


def setting(config: Mapping[str, Any], key: str) -> Any:
    """`config[key]`, or its default from DEFAULTS (for engines built from a plain mapping)."""
    return config.get(key, DEFAULTS[key])


def csv_setting(value: Any) -> list[str]:
    """A comma-separated setting (or a list) as a list of non-empty strings."""
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]
