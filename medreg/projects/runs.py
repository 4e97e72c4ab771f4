"""Runs and their stored events: each event is written as it is sent, numbered from 1; a run has
exactly one terminal event, because only the writer that moves it out of "running" may add one."""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from medreg.projects.models import Run, RunEvent, Version, utcnow

HOST = socket.gethostname()
TERMINAL = ("done", "error")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Runs:
    """Run rows and (by default) their events, in the projects database."""

    def __init__(self, sessions: sessionmaker[Session], stored_events: bool = True) -> None:
        self.sessions = sessions
        # False when another log (Redis) keeps the events: the rows here keep status and count.
        self.stored_events = stored_events

    def create(self, run_id: str, project_id: str, owner: str, step: str, language: str) -> Run:
        """A new run, owned by this process."""
        with self.sessions.begin() as session:
            run = Run(id=run_id, project_id=project_id, owner=owner, step=step, language=language,
                      status="running", host=HOST, pid=os.getpid(), events=0)
            session.add(run)
        return run

    def get(self, owner: str, run_id: str) -> Optional[Run]:
        """The run when it is this owner's."""
        with self.sessions() as session:
            run = session.get(Run, run_id)
        return run if run is not None and run.owner == owner else None

    def append(self, run_id: str, seq: int, payload: dict) -> bool:
        """Store a non-terminal event; False when the run has already ended (stop producing)."""
        with self.sessions.begin() as session:
            moved = session.execute(update(Run).where(Run.id == run_id, Run.status == "running")
                                    .values(events=seq, heartbeat_at=utcnow())).rowcount
            if not moved:
                return False
            if self.stored_events:
                session.add(RunEvent(run_id=run_id, seq=seq, type=payload["type"], payload=payload))
        return True

    def finish(self, run_id: str, seq: Optional[int], payload: dict, status: str,
               make_version: Optional[Callable[[Session], Version]] = None) -> Optional[dict]:
        """Store the terminal event and end the run in one transaction; None if it had already ended.

        `seq` None: the next number after the last stored one (a run ended by another process).
        `make_version` adds the step's version in the same transaction; its number goes in the payload.
        """
        with self.sessions.begin() as session:
            moved = session.execute(update(Run).where(Run.id == run_id, Run.status == "running")
                                    .values(status=status, ended_at=utcnow(),
                                            error_code=payload.get("code"))).rowcount
            if not moved:
                return None
            if seq is None:
                seq = (session.scalar(select(Run.events).where(Run.id == run_id)) or 0) + 1
            if make_version is not None:
                version = make_version(session)
                session.flush()
                payload = {**payload, "version": version.number}
                session.execute(update(Run).where(Run.id == run_id).values(version=version.number))
            session.execute(update(Run).where(Run.id == run_id).values(events=seq))
            if self.stored_events:
                session.add(RunEvent(run_id=run_id, seq=seq, type=payload["type"], payload=payload))
        return {"seq": seq, "payload": payload}

    def events_after(self, run_id: str, after: int, limit: int = 500) -> list[tuple[int, dict]]:
        """Stored events with an id above `after`, in order."""
        with self.sessions() as session:
            rows = session.execute(select(RunEvent.seq, RunEvent.payload)
                                   .where(RunEvent.run_id == run_id, RunEvent.seq > after)
                                   .order_by(RunEvent.seq).limit(limit))
            return [(seq, payload) for seq, payload in rows]

    def state(self, run_id: str) -> Optional[Run]:
        """The run's row as it is now."""
        with self.sessions() as session:
            return session.get(Run, run_id)

    def beat(self, run_id: str) -> None:
        """The running process is alive (written every second or so)."""
        with self.sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id, Run.status == "running")
                            .values(heartbeat_at=utcnow()))

    def reader_seen(self, run_id: str) -> None:
        """Someone is following the run's events."""
        with self.sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id).values(reader_at=utcnow()))

    def is_orphan(self, run: Run, stale_s: float) -> bool:
        """A running run whose process is gone: dead on this host, or silent for `stale_s`."""
        if run.status != "running":
            return False
        if run.host == HOST and not _alive(run.pid):
            return True
        return utcnow() - _aware(run.heartbeat_at) > timedelta(seconds=stale_s)

    def running_ids(self) -> list[str]:
        """Ids of the runs still marked running (the start-up sweep checks them)."""
        with self.sessions() as session:
            return list(session.scalars(select(Run.id).where(Run.status == "running")))

    def count_events(self, run_id: str) -> int:
        """How many events are stored for a run."""
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(RunEvent).where(RunEvent.run_id == run_id))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its master) still answers kill(0): it is gone all the same.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True
