"""Runs the Node tests (`node --test`) of the JS stream client and of the seed guide's snippets,
the live ones against the session's real gunicorn server."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.require import require
from tests.shared_data import REPO_ROOT

JS_DIR = Path(__file__).resolve().parent
SEED_GUIDE = Path(os.environ.get("MEDREG_SEED_GUIDE", REPO_ROOT.parent / "shared" / "seed" / "streaming-guide.ko.md"))


@pytest.fixture(scope="module", autouse=True)
def node():
    """Node 18+ must be on PATH (skip, or fail under MEDREG_REQUIRE_ALL=1)."""
    require(shutil.which("node") is not None, "node is not installed (apt-get install nodejs npm; Node 18+)")


@pytest.fixture(scope="module")
def typescript():
    """TypeScript in tests/js/node_modules (for the seed's .ts hooks); `npm ci` installs it once if missing."""
    if not (JS_DIR / "node_modules" / "typescript").exists():
        require(shutil.which("npm") is not None, "npm is not installed: cannot install TypeScript for the seed hooks")
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"npm ci in tests/js failed:\n{done.stdout}{done.stderr}"


def run_node(test_file: str, env: dict) -> subprocess.CompletedProcess:
    """`node --test FILE` in tests/js with `env` added; TAP output so failures are readable."""
    return subprocess.run(["node", "--test", "--test-reporter=tap", test_file], cwd=JS_DIR,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=180)


def check(result: subprocess.CompletedProcess) -> None:
    """Fail with Node's own report when any Node test failed or was skipped."""
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "# fail 0" in report, report
    assert "# skipped 0" in report, f"a Node test skipped itself:\n{report}"


@pytest.mark.parametrize("test_file", ["sse-client.test.js", "timeline.test.js"])
def test_without_a_server(test_file):
    """Parser and client over byte-split test servers (mid-line, mid-character, ids, comments,
    retry:, timeouts, back-off); the Gantt schedule."""
    check(run_node(test_file, {}))


@pytest.mark.server
def test_client_against_live_server(live_server):
    """The client as the page uses it, against real gunicorn with the offline engine."""
    check(run_node("live.test.js", {"MEDREG_URL": live_server}))


@pytest.mark.server
def test_seed_guide_snippets_unchanged(live_server, typescript):
    """The guide's React hooks and vanilla client, transpiled unchanged, against the live server."""
    require(SEED_GUIDE.exists(), f"seed guide {SEED_GUIDE} is absent (set MEDREG_SEED_GUIDE)")
    check(run_node("seed-guide.test.js", {"MEDREG_URL": live_server, "MEDREG_SEED_GUIDE": str(SEED_GUIDE)}))
