"""Alembic migrations shipped in the package: from an empty database and from the previous schema
(revision 0001: projects and versions, no runs), on SQLite and on a real PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from medreg.projects.db import current_revision, head_revision, make_engine, upgrade


def _check_head(engine) -> None:
    assert current_revision(engine) == head_revision() == "0002"
    tables = set(inspect(engine).get_table_names())
    assert {"projects", "versions", "runs", "run_events", "alembic_version"} <= tables
    assert "run_id" in {column["name"] for column in inspect(engine).get_columns("versions")}


def _from_previous(engine) -> None:
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "runs" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO projects (id, owner, name, created_at, updated_at, latest_version) "
                                "VALUES ('p1', 'local', '인슐린 펌프', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"))
        connection.execute(text("INSERT INTO versions (project_id, number, language, concept, author, created_at) "
                                "VALUES ('p1', 1, 'ko', '스마트 인슐린 펌프', 'local', CURRENT_TIMESTAMP)"))
    upgrade(engine)
    _check_head(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT concept, run_id FROM versions WHERE project_id = 'p1'")).one()
    assert tuple(row) == ("스마트 인슐린 펌프", None)
    upgrade(engine)  # idempotent: nothing to do
    _check_head(engine)


def test_sqlite_from_empty_and_wal(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'folder' / 'medreg.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    _check_head(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_sqlite_from_the_previous_schema(tmp_path) -> None:
    _from_previous(make_engine(f"sqlite:///{tmp_path / 'medreg.db'}"))


def _fresh_pg(postgres_url: str, name: str):
    admin = make_engine(postgres_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return make_engine(postgres_url.rsplit("/", 1)[0] + f"/{name}")


@pytest.mark.server
def test_postgres_from_empty(postgres_url) -> None:
    engine = _fresh_pg(postgres_url, "migrate_empty")
    upgrade(engine)
    _check_head(engine)


@pytest.mark.server
def test_postgres_from_the_previous_schema(postgres_url) -> None:
    _from_previous(_fresh_pg(postgres_url, "migrate_previous"))
