"""The tables: projects, their immutable versions, runs and the events each run sent."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Now, in UTC, with its time zone (stored as UTC on every backend)."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """The declarative base; Alembic's migrations, not `create_all`, make the schema."""


class Project(Base):
    """A device project: a name, its owner (an API key's id, or "local") and its versions."""

    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Soft delete: a deleted project is hidden from lists and can be restored.
    deleted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)


class Version(Base):
    """One immutable state of a project's dossier; each step result makes the next one."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_versions_project_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    step: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    concept: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    context: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    answers: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    markets: Mapped[Optional[list]] = mapped_column(JSON, nullable=True)
    classification: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    purpose: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    plans: Mapped[Optional[list]] = mapped_column(JSON, nullable=True)
    refinements: Mapped[Optional[list]] = mapped_column(JSON, nullable=True)
    engine: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    model: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    kb_version: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_id: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)

    DOSSIER = ("concept", "context", "answers", "markets", "classification", "purpose", "plans",
               "refinements")

    def as_dict(self) -> dict[str, Any]:
        """The version as the API shows it."""
        return {"number": self.number, "step": self.step, "language": self.language,
                **{key: getattr(self, key) for key in self.DOSSIER},
                "engine": self.engine, "model": self.model, "kb_version": self.kb_version,
                "author": self.author, "created_at": _iso(self.created_at), "run_id": self.run_id}


class Run(Base):
    """One step run into a project: who runs it where, and how it ended."""

    __tablename__ = "runs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    step: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # running -> done | failed | cancelled; changed only while still "running" (one terminal).
    status: Mapped[str] = mapped_column(String(12), default="running", index=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reader_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    events: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    error_code: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)

    def as_dict(self) -> dict[str, Any]:
        """The run as the API shows it."""
        return {"id": self.id, "project_id": self.project_id, "step": self.step, "status": self.status,
                "created_at": _iso(self.created_at), "ended_at": _iso(self.ended_at),
                "events": self.events, "version": self.version, "error": self.error_code,
                "events_url": f"/api/runs/{self.id}/events"}


class RunEvent(Base):
    """One event a run sent, numbered from 1 as its SSE id; (run, seq) is unique."""

    __tablename__ = "run_events"
    __table_args__ = (UniqueConstraint("run_id", "seq", name="uq_run_events_run_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON)


def _iso(moment: Optional[datetime]) -> Optional[str]:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives back naive datetimes: they were stored as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")
