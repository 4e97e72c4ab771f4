"""Liveness: GET /healthz (with process figures when MEDREG_STATS is on)."""
from __future__ import annotations

import gc

from flask import Blueprint, current_app, jsonify
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


@health_bp.get("/healthz")
def healthz():
    """Say the service is up and which engine answers."""
    medreg = current_app.extensions["medreg"]
    body = {"status": "ok", "engine": medreg.engine.name}
    if current_app.config.get("STATS"):
        # Live ones only: a dead one holds no stack, it waits for the collector.
        body["greenlets"] = sum(1 for obj in gc.get_objects() if isinstance(obj, greenlet) and not obj.dead)
        body["rss_kb"] = _rss_kb()
        body["open_streams"] = medreg.stream_slots.total
    return jsonify(body)
