"""medreg: a regulatory co-pilot for medical-device makers."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from flask import Flask


class Medreg:
    """What the app shares across requests: the engine."""

    def __init__(self, engine) -> None:
        self.engine = engine


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    """Build the Flask app: configuration, engine, blueprints, CORS, error handlers."""
    from medreg.config import load_config
    from medreg.engines.registry import build_engine
    from medreg.http import cors, docs, errors, health
    from medreg.http.api import api_bp, stream_bp

    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    app.json.ensure_ascii = False  # Korean stays readable in JSON answers
    app.extensions["medreg"] = Medreg(build_engine(app.config))
    errors.init_app(app)
    cors.init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(stream_bp)
    app.register_blueprint(health.health_bp)
    app.register_blueprint(docs.docs_bp)
    _register_optional(app)
    return app


def _register_optional(app: Flask) -> None:
    # Parts that live in their own modules; each registers itself when present.
    try:
        from medreg.http import web
    except ImportError:
        web = None
    if web is not None:
        web.init_app(app)
    try:
        from medreg.knowledge.commands import kb_cli
    except ImportError:
        kb_cli = None
    if kb_cli is not None:
        app.cli.add_command(kb_cli)
