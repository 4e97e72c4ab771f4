"""Bearer API keys (MEDREG_API_KEYS): required on every /api route when set."""
from __future__ import annotations

import hashlib
import hmac
from typing import Optional

from flask import Flask, g, request

from medreg.config import csv_setting
from medreg.errors import Unauthorized

OPEN_PATHS = ("/healthz",)


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def presented_key() -> Optional[str]:
    """The bearer token of this request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def key_id(key: str) -> str:
    """A short, non-reversible name for a key, for rate-limit buckets and logs."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Check keys before any protected route runs."""
    keys = [_digest(key) for key in csv_setting(app.config["API_KEYS"])]
    # "api" protects /api only; "all" also the web app, /docs and /openapi.json.
    scope = str(app.config.get("AUTH_SCOPE") or "api")

    def protected(path: str) -> bool:
        if path.startswith(OPEN_PATHS):
            return False
        return path.startswith("/api/") or scope == "all"

    if not keys:
        return  # an open server: no hook on every request (client_key() reads a missing id as none)

    @app.before_request
    def _require_key():
        g.api_key_id = None
        if request.method == "OPTIONS" or not protected(request.path):
            return None
        token = presented_key()
        # Compare against every key, whatever matches, so timing says nothing about which failed.
        candidate = _digest(token or "")
        matched = False
        for expected in keys:
            matched |= hmac.compare_digest(candidate, expected)
        if token is None or not matched:
            raise Unauthorized(headers={"WWW-Authenticate": "Bearer"})
        g.api_key_id = key_id(token)
        return None
