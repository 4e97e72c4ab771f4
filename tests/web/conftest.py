"""Playwright fixtures: Debian's chromium, headless, one fresh page per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.require import require
from tests.servers import Gunicorn

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session (skips when Debian's chromium is absent)."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is absent: apt-get install -y chromium fonts-noto-cjk (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


def _expected(text: str) -> bool:
    # Chrome logs every 4xx answer; the tests provoke 401 and 422 on purpose. Anything else
    # (a 404 for a module, a Content-Security-Policy refusal) fails the test.
    return "Failed to load resource" in text and ("status of 401" in text or "status of 422" in text)


@pytest.fixture
def open_page(browser):
    """Factory: a page in a new context with the given locale; fails the test on any page or console error."""
    contexts, errors = [], []

    def open_(url: str, locale: str = "ko-KR", width: int = 1200):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 900},
                                      device_scale_factor=1, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not _expected(msg.text) else None)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored): screenshots kept after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def sample_url(server_logs):
    """One real gunicorn with the fixed-dossier engine for the page tests that need no settings of their own
    (each has its own browser context; none changes anything on the server)."""
    server = Gunicorn(env={"MEDREG_ENGINE": "tests.web.sample:SampleEngine"}).start(server_logs)
    yield server.url
    server.stop(graceful=False)
