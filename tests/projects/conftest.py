"""Fixtures for projects: real gunicorn (gevent) on a database of the test's own, a throwaway
PostgreSQL cluster and a redis-server on random loopback ports (skipped, with the reason, when absent)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

from medreg.http.sse import SSEParser
from tests.servers import Gunicorn, free_port

KEYS = {"alpha": "alpha-key-0123456789", "beta": "beta-key-0123456789"}
BASE_ENV = {"MEDREG_API_KEYS": ",".join(KEYS.values()), "MEDREG_RATE_LIMIT": "off",
            "MEDREG_LOG_LEVEL": "WARNING", "MEDREG_MAX_STREAMS_PER_CLIENT": "500"}
REQUIRE_ALL = os.environ.get("MEDREG_REQUIRE_ALL") == "1"


def headers(who: str = "alpha", **extra: str) -> dict:
    """Bearer headers for one of the two test keys."""
    return {"Authorization": f"Bearer {KEYS[who]}", **extra}


def read_events(response: requests.Response) -> list:
    """Every SSE event of a streamed response, to its end."""
    parser, events = SSEParser(), []
    for chunk in response.iter_content(chunk_size=None):
        events.extend(parser.feed(chunk))
    return events


class Served:
    """A gunicorn serving medreg on a given database; restartable on the same database."""

    def __init__(self, logs: Path, env: dict, workers: int = 2) -> None:
        self.logs, self.env, self.workers = logs, env, workers
        self.server = Gunicorn(env=env, workers=workers).start(logs)

    @property
    def url(self) -> str:
        return self.server.url

    def restart(self) -> None:
        """Stop it and start a new one on the same database."""
        self.server.stop()
        self.server = Gunicorn(env=self.env, workers=self.workers).start(self.logs)

    def stop(self, graceful: bool = True) -> None:
        """Stop it (SIGTERM; SIGQUIT when not `graceful`: see Gunicorn.stop)."""
        self.server.stop(graceful)


def _skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    """A fresh SQLite database file for the projects tests."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'medreg.db'}"


@pytest.fixture(scope="session")
def served(server_logs, sqlite_url):
    """Two gevent workers, offline engine paced between plans, on one SQLite database (shared by the
    projects tests: each makes its own projects; some restart it, which keeps the database)."""
    server = Served(server_logs, {**BASE_ENV, "MEDREG_DATABASE_URL": sqlite_url,
                                  "MEDREG_ENGINE": "tests.projects.fakes:PacedOffline",
                                  "MEDREG_TEST_PLAN_GAP_S": "0.1"})
    yield server
    server.stop(graceful=False)


def _as_user(user: str) -> list[str]:
    return ["runuser", "-u", user, "--"] if os.getuid() == 0 else []


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A throwaway PostgreSQL cluster (initdb + pg_ctl, as a non-root user) on a random port."""
    initdb = shutil.which("initdb") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)
    if not initdb:
        _skip_or_fail("PostgreSQL is not installed (Debian package `postgresql`)")
    bindir = Path(initdb).resolve().parent
    user = "postgres" if os.getuid() == 0 else None
    if os.getuid() == 0 and subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        _skip_or_fail("running as root with no `postgres` user to own the cluster")
    # Not under pytest's folder: that is private to root, and the cluster's owner must reach it.
    root = Path(tempfile.mkdtemp(prefix="medreg-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if user:
        shutil.chown(root, user)
        shutil.chown(sockets, user)
    prefix = _as_user(user) if user else []
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "medreg", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    port = free_port()
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "pg.log"), "-w",
                    "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([*prefix, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "medreg",
                        "medreg"], check=True, capture_output=True)
        yield f"postgresql://medreg@127.0.0.1:{port}/medreg"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A redis-server on a random loopback port, no persistence."""
    binary = shutil.which("redis-server")
    if not binary:
        _skip_or_fail("redis-server is not installed (Debian package `redis-server`)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            import time

            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)
