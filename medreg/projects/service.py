"""Running a step into a project: the one step generator (`run_step`) behind the one relay, in a
greenlet of its own, so the run goes on when its client leaves; each event is stored as it is
sent, and the result becomes the project's next version in the transaction of the `done` event.

A run with no reader for `RUN_GRACE_S` is cancelled (one `error` event, `run_cancelled`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

import gevent
from greenlet import getcurrent

from medreg.events import Done, Failure, Result
from medreg.http.relay import relay
from medreg.pipeline import build_input, run_step
from medreg.projects.eventlog import EventLog
from medreg.projects.messages import failure_payload
from medreg.projects.repository import add_version, new_id
from medreg.projects.runs import Runs

log = logging.getLogger(__name__)
KEEP_S = 1.0  # how often a running run says it is alive and checks for readers


class RunCancelled(Exception):
    """Thrown into a run that nobody has read for the grace period."""


@dataclass
class StepJob:
    """What one run needs: the validated step body and what the version records beside the result."""

    project_id: str
    owner: str
    author: str
    step: str
    body: dict
    inputs: dict
    meta: dict


class RunService:
    """Starts runs in this worker and keeps them until their one terminal event."""

    def __init__(self, app, runs: Runs, events: EventLog) -> None:
        self.app = app
        self.runs = runs
        self.events = events
        self.grace_s = float(app.config.get("RUN_GRACE_S", 30))
        self.active: dict[str, gevent.Greenlet] = {}

    def start(self, job: StepJob) -> str:
        """Create the run and start it; returns its id at once."""
        step_input = build_input(job.step, job.body)
        job.inputs.setdefault("language", step_input.language)  # the version is in the run's language
        run_id = new_id()
        self.runs.create(run_id, job.project_id, job.owner, job.step, step_input.language)
        greenlet = gevent.spawn(self._drive, run_id, job, step_input)
        self.active[run_id] = greenlet
        greenlet.link(lambda _: self.active.pop(run_id, None))
        return run_id

    def _drive(self, run_id: str, job: StepJob, step_input) -> None:
        config = self.app.config
        engine = self.app.extensions["medreg"].engine
        language = step_input.language
        events = relay(run_step(job.step, engine, step_input, run_id), waits_on_io=engine.waits_on_io,
                       language=language, heartbeat_s=None,
                       deadline_s=min(config["STEP_DEADLINE_S"], config["MAX_STREAM_S"]))
        keeper = gevent.spawn(self._keep, run_id, getcurrent())
        seq, result = 0, None
        try:
            for event in events:
                seq += 1
                payload = event.payload()
                if isinstance(event, Result):
                    result = event.data
                if isinstance(event, Done):
                    self._finish(run_id, seq, payload, "done", job, result)
                    return
                if isinstance(event, Failure):
                    self._finish(run_id, seq, payload, "failed", job, None)
                    return
                if not self.runs.append(run_id, seq, payload):
                    return  # ended elsewhere (marked lost): nothing more may be added
                self.events.write(run_id, seq, payload)
        except RunCancelled:
            self._finish(run_id, None, failure_payload("run_cancelled", language), "cancelled", job, None)
        except Exception:  # a bug here must still end the run with its one terminal event
            log.exception("run %s failed", run_id)
            self._finish(run_id, None, failure_payload("internal", language), "failed", job, None)
        finally:
            keeper.kill(block=False)
            close = getattr(events, "close", None)
            if close is not None:
                close()

    def _finish(self, run_id: str, seq: Optional[int], payload: dict, status: str, job: StepJob,
                result: Optional[dict]) -> None:
        def make_version(session):
            return add_version(session, job.project_id, job.step, result, author=job.author,
                               meta=job.meta, run_id=run_id, inputs=job.inputs)
        # A run that produced no result stores no version.
        ended = self.runs.finish(run_id, seq, payload, status, make_version if result is not None else None)
        if ended is not None:
            self.events.write(run_id, ended["seq"], ended["payload"])

    def _keep(self, run_id: str, runner) -> None:
        # Beats so other processes know the run is alive; cancels it after the grace with no reader.
        while True:
            gevent.sleep(KEEP_S)
            try:
                self.runs.beat(run_id)
                if self.events.unread_for(run_id, self.runs) > self.grace_s:
                    log.info("run %s: no reader for %.0f s, cancelled", run_id, self.grace_s)
                    runner.throw(RunCancelled())
                    return
            except gevent.GreenletExit:
                raise
            except Exception:
                log.exception("run %s keeper", run_id)

    def sweep(self, stale_s: float) -> int:
        """Mark failed every run whose process is gone (start-up); returns how many."""
        swept = 0
        for run_id in self.runs.running_ids():
            run = self.runs.state(run_id)
            if run is not None and self.runs.is_orphan(run, stale_s):
                swept += self.fail_lost(run_id, run.language)
        return swept

    def fail_lost(self, run_id: str, language: str) -> int:
        """End a run whose worker died: one `error` event (`run_lost`); 1 if this call ended it."""
        ended = self.runs.finish(run_id, None, failure_payload("run_lost", language), "failed")
        if ended is None:
            return 0
        self.events.write(run_id, ended["seq"], ended["payload"])
        return 1
