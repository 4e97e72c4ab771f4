"""The JS stream client (medreg/static/sse-client.js) resumes a cut project run with Last-Event-ID,
under Node against real gunicorn (tests/js/runs.test.js)."""
from __future__ import annotations

import shutil

import pytest

from tests.deploy.require import require
from tests.js.test_node import check, run_node
from tests.projects.conftest import KEYS


@pytest.mark.server
def test_js_client_resumes_a_cut_run(served) -> None:
    require(shutil.which("node") is not None, "node is not installed (apt-get install nodejs npm; Node 18+)")
    check(run_node("runs.test.js", {"MEDREG_URL": served.url, "MEDREG_KEY": KEYS["alpha"]}))
