"""The web app at `/` and the dossier export at `/api/export` (Markdown or printable HTML)."""
from __future__ import annotations

import re
from pathlib import Path

from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, current_app, request, send_from_directory

from medreg import __version__
from medreg.http.bodies import BodyError, read_body
from medreg.export import dossier_language, provenance, to_html, to_markdown
from medreg.knowledge import get_knowledge

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


def _export_body() -> dict:
    """The validated export request, or raise a medreg error in the user's language."""
    # A whole session (12 plans refined twice) is larger than a step request: its own, still bounded, limit.
    request.max_content_length = current_app.config["EXPORT_MAX_CONTENT_LENGTH"]
    try:
        body, _ = read_body(request, "export")
    except BodyError as exc:
        raise exc.error.with_language(exc.language) from None
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
    local = ZoneInfo(body["timezone"]) if body.get("timezone") else None
    meta = provenance(dossier, get_knowledge(), version=__version__, local=local)
    text = render(dossier, dossier_language(dossier, body.get("language")), meta)
    response = Response(text, mimetype=mimetype.split(";")[0])
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(dossier, ext)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the web blueprint on `app`."""
    app.register_blueprint(web_bp)
