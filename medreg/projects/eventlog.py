"""Where a run's events are read back from: the projects database (one host: readers poll it, and
readers in the run's own worker are woken at once), or Redis streams (several hosts: readers block
on XREAD). The run's row (status, count, one terminal) is always in the database."""
from __future__ import annotations

from collections import defaultdict
from datetime import timezone
from typing import Optional

import gevent.event

from medreg.projects.models import utcnow
from medreg.projects.runs import Runs

POLL_S = 0.25  # how often a reader in another process looks for new events in the database


class EventLog:
    """Events stored in the database (written by `Runs`): this class reads and wakes readers."""

    def __init__(self, runs: Runs) -> None:
        self.runs = runs
        self._bells: dict[str, gevent.event.Event] = {}
        self.readers: dict[str, int] = defaultdict(int)

    def write(self, run_id: str, seq: int, payload: dict) -> None:
        """An event was stored: wake this worker's readers of the run."""
        bell = self._bells.pop(run_id, None)
        if bell is not None:
            bell.set()

    def events_after(self, run_id: str, after: int) -> list[tuple[int, dict]]:
        """Events with an id above `after`, in order."""
        return self.runs.events_after(run_id, after)

    def wait(self, run_id: str, after: int, timeout: float) -> None:
        """Wait until an event after `after` may exist, or `timeout` (at most POLL_S here)."""
        bell = self._bells.get(run_id)
        if bell is None:
            bell = self._bells[run_id] = gevent.event.Event()
        bell.wait(min(timeout, POLL_S))

    def reader_arrived(self, run_id: str) -> None:
        """A reader in this worker started following the run."""
        self.readers[run_id] += 1

    def reader_left(self, run_id: str) -> None:
        """It stopped (the time is recorded: the grace counts from it)."""
        self.readers[run_id] -= 1
        if self.readers[run_id] <= 0:
            self.readers.pop(run_id, None)
        self.runs.reader_seen(run_id)

    def unread_for(self, run_id: str, runs: Runs) -> float:
        """Seconds since anyone, in any process, last read the run (0 while someone here is)."""
        if self.readers.get(run_id):
            return 0.0
        run = runs.state(run_id)
        if run is None:
            return 0.0
        seen = run.reader_at if run.reader_at.tzinfo else run.reader_at.replace(tzinfo=timezone.utc)
        return (utcnow() - seen).total_seconds()

    def close(self) -> None:
        """Nothing held here."""


def make_event_log(runs: Runs, url: Optional[str]) -> EventLog:
    """The database log, or the Redis one when RUN_EVENTS_URL is a redis:// URL."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        from medreg.projects.redis_log import RedisEventLog

        runs.stored_events = False
        return RedisEventLog(runs, url)
    return EventLog(runs)
