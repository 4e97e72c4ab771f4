"""Projects and versions: create, list, read, rename, soft delete, restore, and the next version.

Every query is scoped by owner: a project of another API key is simply not found.
"""
from __future__ import annotations

import secrets
from typing import Any, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from medreg.projects.models import Project, Version, utcnow

# What a step's result replaces, and what it makes stale (later steps built on the old answer).
STEP_CLEARS: dict[str, tuple[str, ...]] = {
    "classify": ("purpose", "plans", "refinements"),
    "purpose": ("plans", "refinements"),
    "standards": ("refinements",),
    "refine": (),
}


def new_id() -> str:
    """A random, unguessable id (16 hex digits... times two)."""
    return secrets.token_hex(16)


class Projects:
    """The projects of every owner, always asked for by (owner, id)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def create(self, owner: str, name: str, author: str, dossier: Optional[dict] = None,
               meta: Optional[dict] = None) -> tuple[Project, Optional[Version]]:
        """A new project; with a dossier (concept, ...) it starts at version 1."""
        with self.sessions.begin() as session:
            project = Project(id=new_id(), owner=owner, name=name, latest_version=0)
            session.add(project)
            session.flush()
            version = None
            if dossier:
                project.latest_version = 1
                version = Version(project_id=project.id, number=1, author=author, step=None,
                                  **_dossier_fields(dossier), **(meta or {}))
                session.add(version)
            return project, version

    def list(self, owner: str, deleted: bool = False) -> list[Project]:
        """The owner's projects, newest change first; the deleted ones instead with `deleted`."""
        with self.sessions() as session:
            query = select(Project).where(Project.owner == owner)
            query = query.where(Project.deleted_at.is_not(None) if deleted else Project.deleted_at.is_(None))
            return list(session.scalars(query.order_by(Project.updated_at.desc(), Project.id)))

    def get(self, owner: str, project_id: str, include_deleted: bool = False) -> Optional[Project]:
        """The project, or None when it is not this owner's (or deleted, unless asked)."""
        with self.sessions() as session:
            project = session.get(Project, project_id)
        if project is None or project.owner != owner:
            return None
        if project.deleted_at is not None and not include_deleted:
            return None
        return project

    def versions(self, project_id: str) -> list[Version]:
        """Every version of a project, oldest first."""
        with self.sessions() as session:
            return list(session.scalars(select(Version).where(Version.project_id == project_id)
                                        .order_by(Version.number)))

    def version(self, project_id: str, number: int) -> Optional[Version]:
        """Version `number` of a project (None when there is none)."""
        with self.sessions() as session:
            return session.scalars(select(Version).where(Version.project_id == project_id,
                                                         Version.number == number)).first()

    def rename(self, owner: str, project_id: str, name: str) -> Optional[Project]:
        """Give a project a new name (names are not versioned: the dossier is)."""
        return self._set(owner, project_id, True, name=name, updated_at=utcnow())

    def delete(self, owner: str, project_id: str) -> Optional[Project]:
        """Hide a project (soft delete: restorable)."""
        return self._set(owner, project_id, False, deleted_at=utcnow())

    def restore(self, owner: str, project_id: str) -> Optional[Project]:
        """Bring a deleted project back."""
        return self._set(owner, project_id, True, deleted_at=None, updated_at=utcnow())

    def _set(self, owner: str, project_id: str, include_deleted: bool, **values: Any) -> Optional[Project]:
        if self.get(owner, project_id, include_deleted=include_deleted) is None:
            return None
        with self.sessions.begin() as session:
            session.execute(update(Project).where(Project.id == project_id, Project.owner == owner)
                            .values(**values))
        return self.get(owner, project_id, include_deleted=True)


def add_version(session: Session, project_id: str, step: str, result: dict, *, author: str,
                meta: dict, run_id: Optional[str], inputs: dict) -> Version:
    """In the caller's transaction: the next version, the previous one with this step's result applied."""
    # The UPDATE comes first: it takes the write lock (SQLite) or the row lock (PostgreSQL), so two
    # runs finishing at once get numbers n and n+1, never the same one.
    session.execute(update(Project).where(Project.id == project_id)
                    .values(latest_version=Project.latest_version + 1, updated_at=utcnow()))
    number = session.scalar(select(Project.latest_version).where(Project.id == project_id))
    previous = session.scalars(select(Version).where(Version.project_id == project_id,
                                                     Version.number == number - 1)).first()
    fields = {key: getattr(previous, key) for key in Version.DOSSIER} if previous else {}
    fields.update(_dossier_fields(inputs))
    for key in STEP_CLEARS[step]:
        fields[key] = None
    _apply_result(fields, step, result)
    version = Version(project_id=project_id, number=number, step=step, author=author, run_id=run_id,
                      **fields, **meta)
    session.add(version)
    return version


def _apply_result(fields: dict, step: str, result: dict) -> None:
    if step == "classify":
        fields["classification"] = result
    elif step == "purpose":
        fields["purpose"] = result
    elif step == "standards":
        fields["plans"] = result.get("plans") or []
    elif step == "refine":
        plans = result.get("plans") or ([result["plan"]] if result.get("plan") else [])
        by_id = {plan.get("id"): plan for plan in plans}
        old = fields.get("plans") or []
        fields["plans"] = [by_id.pop(plan.get("id"), plan) for plan in old] + list(by_id.values())
        fields["refinements"] = [*(fields.get("refinements") or []), result]


def _dossier_fields(dossier: dict) -> dict:
    keys = ("concept", "context", "answers", "markets", "language")
    return {key: dossier[key] for key in keys if dossier.get(key) is not None}
