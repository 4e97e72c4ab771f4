"""Runs the Node tests (`node --test`) of the JS stream client and of the seed guide's snippets,
the live ones against the session's real gunicorn server."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shared_data import REPO_ROOT

JS_DIR = Path(__file__).resolve().parent
SEED_GUIDE = Path(os.environ.get("MEDREG_SEED_GUIDE", REPO_ROOT.parent / "shared" / "seed" / "streaming-guide.ko.md"))

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (Node 18+ runs these tests)")


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
def test_seed_guide_snippets_unchanged(live_server):
    """The guide's React hooks and vanilla client, transpiled unchanged, against the live server."""
    if not SEED_GUIDE.exists():
        pytest.skip(f"seed guide {SEED_GUIDE} is absent (set MEDREG_SEED_GUIDE)")
    if not (JS_DIR / "node_modules" / "typescript").exists():
        pytest.fail("TypeScript is missing: run `npm ci --prefix tests/js` (the seed hooks are .ts)")
    check(run_node("seed-guide.test.js", {"MEDREG_URL": live_server, "MEDREG_SEED_GUIDE": str(SEED_GUIDE)}))
