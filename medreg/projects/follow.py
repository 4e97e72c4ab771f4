"""Reading a run: replay the stored events after `Last-Event-ID`, then follow live until the one
terminal event. A run whose process died is ended here (`run_lost`) rather than left hanging."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator, Optional

from medreg.http.relay import HEARTBEAT, Heartbeat
from medreg.projects.eventlog import EventLog
from medreg.projects.runs import TERMINAL, Runs

MISSING_TRIES = 50  # reads (0.1 s apart) for a terminal event the run's row says was written
TOUCH_S = 1.0  # how often a reader records that it is still there (the run's grace counts from it)


@dataclass(frozen=True)
class StoredEvent:
    """An event as it was stored: its id (seq) and payload; encoded by the one relay like any event."""

    seq: int
    data: dict

    @property
    def type(self) -> str:
        """The event's type (`status`, `plan`, ..., `done`, `error`)."""
        return self.data["type"]

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        return self.data


def follow(run_id: str, after: int, events: EventLog, runs: Runs, *, heartbeat_s: Optional[float],
           stale_s: float, on_lost) -> Iterator[StoredEvent | Heartbeat]:
    """Every event with an id above `after`, live, until the terminal one; heartbeats in silences."""
    events.reader_arrived(run_id)
    last_write = last_touch = time.monotonic()
    missing = 0
    try:
        while True:
            batch = events.events_after(run_id, after)
            for seq, payload in batch:
                if seq != after + 1:  # ids are consecutive: a gap would mean a lost event
                    raise RuntimeError(f"run {run_id}: event {after + 1} missing, got {seq}")
                after = seq
                yield StoredEvent(seq, payload)
                if payload.get("type") in TERMINAL:
                    return
            now = time.monotonic()
            if batch:
                last_write = now
                continue
            run = runs.state(run_id)
            if run is None:
                return
            if run.status != "running":
                if run.events <= after:  # ended, and every stored event was sent
                    return
                # The terminal event is on its way (Redis gets it just after the database): read
                # again shortly; a writer that died in between leaves nothing to wait for.
                missing += 1
                if missing > MISSING_TRIES:
                    return
                events.wait(run_id, after, 0.1)
                continue
            if runs.is_orphan(run, stale_s):
                on_lost(run_id, run.language)
                continue
            if now - last_touch >= TOUCH_S:
                runs.reader_seen(run_id)
                last_touch = now
            if heartbeat_s and now - last_write >= heartbeat_s:
                yield HEARTBEAT
                last_write = now
            events.wait(run_id, after, heartbeat_s or 1.0)
    finally:
        events.reader_left(run_id)
