"""Alembic environment: always run programmatically (medreg.projects.db.upgrade) on a given connection."""
from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # only medreg.projects.db drives these migrations
    raise RuntimeError("run migrations with `medreg db upgrade` or medreg.projects.db.upgrade()")
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
