"""Liveness: GET /healthz (with process figures when MEDREG_STATS is on); `?deep=1` re-checks the engine.

`engine` is `{name, model, status, ...}`: the model check's outcome in words ("ok", "model claude-x
not found — set MEDREG_MODEL", "invalid API key — set ANTHROPIC_API_KEY") and how many answers fell
back to the offline engine. A configuration that cannot work makes `status` "degraded"; the deep
check then answers 503, so a readiness probe can use it while liveness stays on the plain form.
"""
from __future__ import annotations

import gc

from flask import Blueprint, current_app, jsonify, request
from greenlet import greenlet


health_bp = Blueprint("health", __name__)


def _rss_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def engine_health(engine, deep: bool) -> dict:
    """The engine's own report, or `{name, status: ok}` for engines that have none."""
    report = getattr(engine, "health", None)
    if report is None:
        return {"name": engine.name, "status": "ok", "usable": True}
    return report(deep=deep)


@health_bp.get("/healthz")
def healthz():
    """Say the service is up, which engine answers and whether it can."""
    medreg = current_app.extensions["medreg"]
    deep = request.args.get("deep") in ("1", "true", "yes")
    engine = engine_health(medreg.engine, deep)
    usable = engine.pop("usable", True)
    body = {"status": "ok" if usable else "degraded", "engine": engine}
    if current_app.config.get("STATS"):
        # Live ones only: a dead one holds no stack, it waits for the collector.
        body["greenlets"] = sum(1 for obj in gc.get_objects() if isinstance(obj, greenlet) and not obj.dead)
        body["rss_kb"] = _rss_kb()
        body["open_streams"] = medreg.stream_slots.total
    response = jsonify(body)
    if deep and not usable:
        response.status_code = 503
    return response
