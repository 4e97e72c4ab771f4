"""medreg: a regulatory co-pilot for medical-device makers."""
from __future__ import annotations

from importlib import metadata
from typing import Any, Mapping, Optional

from flask import Flask

from medreg.markets import MARKETS

try:
    __version__ = metadata.version("medreg")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"


class Medreg:
    """What the app shares across requests: the engine, the limiter, the open-stream counter."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.limiter = None
        self.stream_slots = None


SHAREABLE_STATIC = "sse-client.js"


class MedregFlask(Flask):
    """Flask, remembering which view and hook functions are plain (not `async def`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: dict = {}

    def ensure_sync(self, func: Any) -> Any:
        """`func` itself when it is synchronous; Flask's async wrapper otherwise."""
        # Flask asks inspect about every hook on every request (seven times a stream here).
        wrapped = self._sync_functions.get(func)
        if wrapped is None:
            wrapped = self._sync_functions[func] = super().ensure_sync(func)
        return wrapped

    def send_static_file(self, filename: str) -> Any:
        """A static file; the stream client also to other origins."""
        response = super().send_static_file(filename)
        if filename == SHAREABLE_STATIC:
            # A public ES module other origins (a React dev server) may import: ES modules load
            # in CORS mode. No credentials are involved.
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    """Build the Flask app: configuration, engine, blueprints, CORS, error handlers."""
    from medreg.config import load_config
    from medreg.engines.registry import build_engine
    from medreg.http import auth, cors, docs, errors, health, limits, logs
    from medreg.http.api import api_bp, stream_bp

    app = MedregFlask(__name__, instance_relative_config=True)
    load_config(app, config)
    app.json.ensure_ascii = False  # Korean stays readable in JSON answers
    app.extensions["medreg"] = Medreg(build_engine(app.config))
    _prepare_knowledge(app)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:  # behind nginx: take the client address from X-Forwarded-For
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logs.init_app(app)
    errors.init_app(app)
    cors.init_app(app)
    auth.init_app(app)
    limits.init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(stream_bp)
    app.register_blueprint(health.health_bp)
    app.register_blueprint(docs.docs_bp)
    _register_parts(app)
    return app


def _prepare_knowledge(app: Flask) -> None:
    # Load the knowledge base and build its indexes now, in each worker before it serves:
    # done lazily, the first request would block that worker's hub for up to a second.
    from medreg.knowledge import get_knowledge
    from medreg.knowledge.catalogue.store import configure

    knowledge = get_knowledge()
    configure(knowledge, app)
    knowledge.classify("warm-up", None, MARKETS, "en")


def _register_parts(app: Flask) -> None:
    # The web app and the `flask kb` commands are parts of the package, not optional: one that does
    # not import is a bug and must stop start-up, not leave the service running without its page.
    from medreg.http import web
    from medreg.knowledge.catalogue.commands import kb_cli

    web.init_app(app)
    app.cli.add_command(kb_cli)
    # Projects (issue 17): versioned dossiers in a database, resumable run streams.
    if app.config.get("PROJECTS", True):
        from medreg import projects

        projects.init_app(app)
