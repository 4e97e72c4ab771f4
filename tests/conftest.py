"""Shared fixtures: in-process apps and clients, and real gunicorn servers."""
from __future__ import annotations

import os
import tempfile

import pytest

from medreg import create_app
from tests.servers import Gunicorn

# Projects (medreg/projects) open a database in every app: the suite's apps and servers share one
# throwaway file, never the checkout's instance/ folder. Tests of projects pass their own.
os.environ.setdefault("MEDREG_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='medreg-db-')}/medreg.db")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist with `--dist loadfile` (`python3 dev.py test`): files whole, and grouped where they
    share a server (tests/xdist_groups.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests.xdist_groups import GroupedFileScheduling

    return GroupedFileScheduling(config, log)


@pytest.fixture
def app():
    """The app with the offline engine."""
    return create_app({"ENGINE": "offline", "TESTING": True})


@pytest.fixture
def client(app):
    """A Flask test client of `app`."""
    return app.test_client()


@pytest.fixture
def scripted():
    """An app whose engine plays back what the test enqueues; yields (app, engine)."""
    app = create_app({"ENGINE": "tests.fakes:ScriptedEngine", "TESTING": True, "HEARTBEAT_S": 0.05})
    return app, app.extensions["medreg"].engine


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory):
    """A folder for server logs."""
    return tmp_path_factory.mktemp("server-logs")


@pytest.fixture
def gunicorn_server(server_logs):
    """Factory: start real gunicorn (gevent workers) with extra env; returns its base URL."""
    started: list[Gunicorn] = []

    def start(env: dict | None = None, workers: int = 1) -> str:
        server = Gunicorn(env=dict(env or {}), workers=workers).start(server_logs)
        started.append(server)
        return server.url

    yield start
    for server in started:
        server.stop(graceful=False)


@pytest.fixture(scope="session")
def live_server(server_logs):
    """A session-wide real gunicorn with the offline engine; yields its base URL."""
    # The whole session's page and API tests share it, far past 120 requests a minute from one address;
    # limits have their own servers (tests/server/test_shared_limits.py, tests/http/test_auth_limits_logs.py).
    server = Gunicorn(env={"MEDREG_ENGINE": "offline", "MEDREG_RATE_LIMIT": "off"}, workers=1).start(server_logs)
    yield server.url
    server.stop(graceful=False)
