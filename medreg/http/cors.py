"""CORS for browser clients: an allow-list, or any localhost origin in development."""
from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

from medreg.config import csv_setting

LOCALHOST_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$")


def init_app(app: Flask) -> None:
    """Allow the configured origins (MEDREG_CORS_ORIGINS) on /api, /openapi.json and /healthz."""
    origins = csv_setting(app.config["CORS_ORIGINS"]) or [LOCALHOST_ORIGIN]
    CORS(app, resources={r"/api/*": {}, r"/openapi.json": {}, r"/healthz": {}}, origins=origins,
         allow_headers=["Content-Type", "Authorization", "X-Request-ID", "Last-Event-ID"],
         expose_headers=["X-Request-ID", "Retry-After"], methods=["GET", "POST", "OPTIONS"], max_age=600)
