"""Maps every error, ours or Werkzeug's, to the one JSON error shape (or one SSE error event)."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from medreg.errors import (MedregError, MethodNotAllowed, NotFound, PayloadTooLarge, InvalidJSON,
                           MedregError as Internal, RateLimited)
from medreg.http.bodies import guess_language
from medreg.http.relay import sse_error_response
from medreg.schemas.messages import localise

log = logging.getLogger(__name__)

_FROM_HTTP = {404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge, 400: InvalidJSON, 429: RateLimited}


def error_response(error: MedregError) -> Response:
    """The error as JSON, or as one SSE `error` event on a stream endpoint."""
    language = error.language or guess_language(request)
    if request.path.startswith("/api/stream/"):
        return sse_error_response(error.code, error.message(language), error.status,
                                  retryable=error.retryable, fields=localise(error.fields, language),
                                  headers=error.headers)
    response = jsonify(error.payload(language))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(MedregError)
    def _medreg(error: MedregError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        cls = _FROM_HTTP.get(error.code or 500)
        if cls is None:
            mapped = Internal()
            mapped.status = error.code or 500  # type: ignore[misc]
        else:
            mapped = cls()
        if error.code == 405 and getattr(error, "valid_methods", None):
            mapped.headers["Allow"] = ", ".join(error.valid_methods)
        # A Werkzeug 429 keeps its own Retry-After (RateLimited has a default otherwise).
        mapped.headers.update((name, value) for name, value in error.get_headers() if name == "Retry-After")
        return error_response(mapped)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(Internal())
