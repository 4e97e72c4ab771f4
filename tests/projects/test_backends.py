"""The several-hosts options over real gunicorn: projects in a real PostgreSQL, and run events in
a real redis-server (a stream cut mid-standards resumes with Last-Event-ID from Redis)."""
from __future__ import annotations

import pytest
import redis
import requests
from sqlalchemy import text

from medreg.projects.db import make_engine
from tests.projects.conftest import BASE_ENV, Served, headers, read_events
from tests.projects.load import concurrent_runs
from tests.projects.test_migrations import _fresh_pg
from tests.projects.test_resume import _project_with_classification, _start_and_read

PACED = {"MEDREG_ENGINE": "tests.projects.fakes:PacedOffline", "MEDREG_TEST_PLAN_GAP_S": "0.1"}


def _cut_and_resume(url: str) -> tuple[str, list]:
    pid = _project_with_classification(url)
    run_id, before, sock = _start_and_read(url, pid, plans_before_cut=2)
    sock.close()
    with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(**{"Last-Event-ID": before[-1].id}),
                      stream=True, timeout=60) as response:
        after = read_events(response)
    events = before + after
    assert [int(e.id) for e in events] == list(range(1, len(events) + 1))
    assert [e.event for e in events].count("done") == 1 and events[-1].event == "done"
    plans = [e.data["data"]["id"] for e in events if e.event == "plan"]
    assert len(plans) == len(set(plans)) > 2
    return run_id, events


@pytest.mark.server
def test_projects_on_postgresql(server_logs, postgres_url) -> None:
    engine = _fresh_pg(postgres_url, "served")
    url = engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg", "postgresql")
    server = Served(server_logs, {**BASE_ENV, **PACED, "MEDREG_DATABASE_URL": url})
    try:
        run_id, events = _cut_and_resume(server.url)
        report = concurrent_runs(server.url, runs=8, projects=2)  # `bench/project_runs.py --database` for more
        assert report.problems == []
    finally:
        server.stop()
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM run_events WHERE run_id = :r"), {"r": run_id}).scalar()
        status = connection.execute(text("SELECT status FROM runs WHERE id = :r"), {"r": run_id}).scalar()
    assert stored == len(events) and status == "done"


@pytest.mark.server
def test_run_events_in_redis(server_logs, redis_url, tmp_path) -> None:
    database = f"sqlite:///{tmp_path / 'medreg.db'}"
    server = Served(server_logs, {**BASE_ENV, **PACED, "MEDREG_DATABASE_URL": database,
                                  "MEDREG_RUN_EVENTS_URL": redis_url})
    try:
        run_id, events = _cut_and_resume(server.url)
    finally:
        server.stop()
    entries = redis.Redis.from_url(redis_url).xrange(f"medreg:run:{run_id}")
    assert [entry_id.decode() for entry_id, _ in entries] == [f"{n}-1" for n in range(1, len(events) + 1)]
    with make_engine(database).connect() as connection:
        in_db = connection.execute(text("SELECT count(*) FROM run_events")).scalar()
        count = connection.execute(text("SELECT events FROM runs WHERE id = :r"), {"r": run_id}).scalar()
    assert in_db == 0 and count == len(events)  # the events live in Redis; the row keeps count and status
