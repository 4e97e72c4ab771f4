"""CORS for browser clients: an allow-list, or any localhost origin in development.

Written here rather than with flask-cors: it must cost nothing on the many requests that carry
no `Origin` (every stream counts at 1,000 clients), and it needs only one policy.
"""
from __future__ import annotations

import re

from flask import Flask, Response, request

from medreg.config import csv_setting

LOCALHOST_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$")
CORS_PATHS = ("/api/", "/openapi.json", "/healthz")
ALLOW_HEADERS = "Content-Type, Authorization, X-Request-ID, Last-Event-ID"
EXPOSE_HEADERS = "X-Request-ID, Retry-After"


class OriginPolicy:
    """Decides whether a browser origin may call the API."""

    def __init__(self, origins: list[str]) -> None:
        self.exact = {origin.rstrip("/") for origin in origins if origin != "*"}
        self.any = "*" in origins
        self.localhost = not origins

    def allows(self, origin: str) -> bool:
        """True when `origin` is on the list (or is localhost in the development default)."""
        if self.any or origin in self.exact:
            return True
        return self.localhost and bool(LOCALHOST_ORIGIN.match(origin))


def init_app(app: Flask) -> None:
    """Answer preflights and add CORS headers for allowed origins on the API paths."""
    policy = OriginPolicy(csv_setting(app.config["CORS_ORIGINS"]))

    def applies() -> str | None:
        origin = request.headers.get("Origin")
        if origin and request.path.startswith(CORS_PATHS) and policy.allows(origin):
            return origin
        return None

    @app.before_request
    def _preflight():
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            response = Response(status=204)
            origin = applies()
            if origin:
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
            return response
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        if "HTTP_ORIGIN" not in request.environ:
            return response
        origin = applies()
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            response.headers.add("Vary", "Origin")
        return response
