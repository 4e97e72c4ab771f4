"""Fixtures for deployment tests: real gunicorn behind real nginx (skipped, or failed in CI, without nginx)."""
from __future__ import annotations

import pytest

from tests.deploy.nginx import NGINX, Nginx
from tests.deploy.require import require
from tests.servers import Gunicorn

# Logs the headers gunicorn received, so tests can see what nginx passed upstream.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s rid=%({x-request-id}i)s xff=%({x-forwarded-for}i)s"


@pytest.fixture
def proxied(tmp_path, server_logs):
    """Factory: gunicorn with `env` behind nginx running deploy/nginx.conf; returns (nginx, gunicorn)."""
    require(NGINX.exists(), f"{NGINX} is absent: apt-get install -y nginx (.ci/run does)")
    started: list = []

    def start(env: dict, stream_read_timeout: str = "2s") -> tuple[Nginx, Gunicorn]:
        access = tmp_path / f"gunicorn-access-{len(started)}.log"
        server = Gunicorn(env={"MEDREG_RATE_LIMIT": "off", "MEDREG_ACCESS_LOG": str(access),
                               "GUNICORN_CMD_ARGS": f"--access-logformat '{ACCESS_FORMAT}'", **env})
        started.append(server.start(server_logs))
        proxy = Nginx(prefix=tmp_path / f"nginx-{len(started)}", upstream_port=server.port,
                      stream_read_timeout=stream_read_timeout)
        started.append(proxy)
        proxy.start()
        server.access_path = access  # type: ignore[attr-defined]
        return proxy, server

    yield start
    for process in reversed(started):
        if isinstance(process, Gunicorn):
            process.stop(graceful=False)  # the test is over: no need to wait out keep-alive connections
        else:
            process.stop()
