"""Fixtures for the hostile-input suite: one in-process app on the offline engine and a request counter."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import pytest

from medreg import create_app
from tests.hostile.checks import check_answer, no_hang

# The suite as a whole must send at least this many generated requests (issue 6).
MIN_REQUESTS = 5000
# No single answer may take longer than this in-process (a stream included).
ANSWER_S = 10.0


@dataclass
class Tally:
    """Requests sent by the generating tests, per test, and which generating tests ran."""

    by_test: dict[str, int] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    slowest_s: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.by_test.values())


_TALLY = Tally()


def pytest_collection_modifyitems(config, items) -> None:
    """Remember which collected tests generate requests, so the total is checked only on a full run."""
    _TALLY.expected = {item.nodeid for item in items
                       if "hostile" in item.nodeid and "sent" in getattr(item, "fixturenames", ())}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Note generating tests that failed: they stopped early, so the total cannot be judged."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and item.nodeid in _TALLY.expected:
        _TALLY.failed.add(item.nodeid)


@pytest.fixture(scope="session")
def tally() -> Tally:
    """The session's request tally."""
    return _TALLY


@pytest.fixture(scope="session")
def hostile_app():
    """The offline engine, with rate limits and the stream cap off: this suite hammers one client."""
    app = create_app({"ENGINE": "offline", "TESTING": True, "RATE_LIMIT": "off", "MAX_STREAMS_PER_CLIENT": 0})
    # One INFO line per request, thousands of times, is most of the suite's time; errors still show.
    logger = logging.getLogger("medreg")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield app
    logger.setLevel(level)


@pytest.fixture
def sent(request, hostile_app, tally):
    """send(method, path, data=..., headers=...): one checked request, counted for this test."""
    client = hostile_app.test_client()
    node = request.node.nodeid
    tally.by_test.setdefault(node, 0)

    def send(method: str, path: str, *, data: bytes | str | None = None, headers: dict | None = None,
             content_type: str | None = None):
        started = time.monotonic()
        with no_hang(ANSWER_S):
            with client.open(path, method=method, data=data, headers=headers or {},
                             content_type=content_type) as response:
                body = response.get_data()
                status, ctype = response.status_code, response.headers.get("Content-Type", "")
        tally.slowest_s = max(tally.slowest_s, time.monotonic() - started)
        tally.by_test[node] += 1
        check_answer(path, status, ctype, body)
        return status, ctype, body

    return send
