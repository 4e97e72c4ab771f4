"""Liveness: GET /healthz."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz():
    """Say the service is up and which engine answers."""
    return jsonify({"status": "ok", "engine": current_app.extensions["medreg"].engine.name})
