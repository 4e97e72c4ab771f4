"""Runs at once on SQLite (two gevent workers writing one WAL database) lose no event and no
version; the 200-run measurement is bench/project_runs.py."""
from __future__ import annotations

from tests.projects.load import concurrent_runs


def test_concurrent_runs_lose_no_event_and_no_version(served) -> None:
    report = concurrent_runs(served.url, runs=30, projects=3)
    assert report.problems == []
    assert report.runs == 30 and report.events > 30 * 12
