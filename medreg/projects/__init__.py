"""Device projects that last: versioned dossiers in a database (SQLite in WAL mode by default,
PostgreSQL by URL), runs whose events are stored and can be resumed, and the API over them."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask

from medreg.projects.db import make_engine, served_database_url, session_factory, upgrade
from medreg.projects.eventlog import EventLog, make_event_log
from medreg.projects.repository import Projects
from medreg.projects.runs import Runs
from medreg.projects.service import RunService

log = logging.getLogger(__name__)
EXTENSION = "medreg_projects"
_ENGINES: dict = {}


@dataclass
class ProjectsStore:
    """Everything the projects API uses, built once per worker."""

    projects: Projects
    runs: Runs
    events: EventLog
    service: RunService
    stale_s: float


def init_app(app: Flask) -> None:
    """Open (and migrate) the database, sweep runs left by dead workers, register the API."""
    from medreg.http.projects import projects_bp

    url = served_database_url(app.instance_path, app.config.get("DATABASE_URL"))
    engine = _ENGINES.get(url)
    if engine is None:
        # One engine (pool) and one migration per database per process, however many apps are made.
        engine = _ENGINES[url] = make_engine(url)
        upgrade(engine)
    sessions = session_factory(engine)
    runs = Runs(sessions)
    events = make_event_log(runs, app.config.get("RUN_EVENTS_URL"))
    service = RunService(app, runs, events)
    store = ProjectsStore(Projects(sessions), runs, events, service, float(app.config.get("RUN_STALE_S", 10)))
    app.extensions[EXTENSION] = store
    swept = service.sweep(store.stale_s)
    if swept:
        log.warning("%d run(s) left by a stopped worker marked failed", swept)
    app.register_blueprint(projects_bp)
