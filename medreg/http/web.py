"""The web app at `/` and the dossier export at `/api/export` (Markdown or printable HTML)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request, send_from_directory

from medreg.errors import InvalidJSON, InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from medreg.export import dossier_language, to_html, to_markdown

STATIC = Path(__file__).resolve().parent.parent / "static"

web_bp = Blueprint("web", __name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

_FORMATS = {
    "markdown": (to_markdown, "text/markdown; charset=utf-8", "md"),
    "html": (to_html, "text/html; charset=utf-8", "html"),
}


@web_bp.get("/")
def index() -> Response:
    """The single-page app: static HTML that loads ES modules from /static/."""
    response = send_from_directory(STATIC, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    # Everything the page needs is its own: a script injected through a result could not run.
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _language() -> str:
    return request.accept_languages.best_match(["ko", "en"], default="en") or "en"


def _export_body() -> dict:
    """The validated export request, or raise a medreg error in the user's language."""
    language = _language()
    if request.content_length is not None and request.content_length > current_app.config["MAX_CONTENT_LENGTH"]:
        raise PayloadTooLarge().with_language(language)
    if request.mimetype != "application/json":
        raise UnsupportedMediaType().with_language(language)
    try:
        body = json.loads(request.get_data(cache=True).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidJSON().with_language(language) from None
    if not isinstance(body, dict):
        raise InvalidRequest(fields={"_schema": ["The body must be a JSON object."]}).with_language(language)
    fields: dict[str, list[str]] = {}
    if body.get("format") not in _FORMATS:
        fields["format"] = ['Must be "markdown" or "html".']
    dossier = body.get("dossier")
    if not isinstance(dossier, dict):
        fields["dossier"] = ["Must be an object {concept, classification, purpose, plans, refinements}."]
    elif not any(dossier.get(k) for k in ("concept", "classification", "purpose", "plans")):
        fields["dossier"] = ["Nothing to export: give at least a concept or a classification."]
    if body.get("language") not in (None, "ko", "en"):
        fields["language"] = ['Must be "ko" or "en".']
    if fields:
        raise InvalidRequest(fields=fields).with_language(language)
    return body


def _filename(dossier: dict, ext: str) -> str:
    # ASCII-only file name: non-ASCII in Content-Disposition needs RFC 5987 and old clients mangle it.
    slug = re.sub(r"[^A-Za-z0-9]+", "-", str(dossier.get("concept") or "")).strip("-").lower()[:40]
    return f"medreg-{slug or 'dossier'}.{ext}"


@web_bp.post("/api/export")
def export() -> Response:
    """The dossier as `text/markdown` or `text/html`, offered as a download."""
    body = _export_body()
    render, mimetype, ext = _FORMATS[body["format"]]
    dossier = body["dossier"]
    text = render(dossier, dossier_language(dossier, body.get("language")))
    response = Response(text, mimetype=mimetype.split(";")[0])
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(dossier, ext)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _shareable_client(response: Response) -> Response:
    # The stream client is a public module other origins (a React dev server) may import;
    # ES modules load in CORS mode, so it needs this header. No credentials are involved.
    if request.path == "/static/sse-client.js":
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def init_app(app: Flask) -> None:
    """Register the web blueprint on `app`, and let other origins import the stream client."""
    app.register_blueprint(web_bp)
    app.after_request(_shareable_client)
