"""Runs several calls at once in child greenlets and hands back each answer the moment it is ready.

The first call starts alone; the others start once it has begun answering (its first event), by
when the upstream holds the shared prompt prefix in its cache: one fan-out writes the cache once
and every other call reads it, instead of all of them racing to write it.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

import gevent
import gevent.event
import gevent.queue
from gevent.lock import BoundedSemaphore

from medreg.engines.anthropic.client import remaining
from medreg.engines.anthropic.failures import map_error
from medreg.errors import MedregError, UpstreamTimeout

Outcome = tuple[int, Optional[dict], Optional[MedregError]]
# A job gets the callback to call when its upstream has begun answering.
Job = Callable[[Callable[[], None]], dict]


def fan_out(jobs: list[Job], concurrency: int, deadline: float, label: str = "fan-out") -> Iterator[Outcome]:
    """Yield `(index, answer, error)` per job in order of completion; at most `concurrency` run at once.

    Closing this generator (the client went away, or the caller stopped on an error) kills every
    child greenlet still running; each then leaves its SDK `with` block, closing its upstream stream.
    """
    slots = BoundedSemaphore(max(1, concurrency))
    finished: gevent.queue.Queue = gevent.queue.Queue()
    first_open = gevent.event.Event()

    def run(index: int, job: Job) -> None:
        if index:
            first_open.wait(timeout=max(remaining(deadline), 0))
        with slots:
            try:
                finished.put((index, job(first_open.set), None))
            except MedregError as exc:
                finished.put((index, None, exc))
            except Exception as exc:  # a bug in one job must not hang the others' consumer
                finished.put((index, None, map_error(exc, label)))
            finally:
                first_open.set()  # the first call failed before it began: let the others go

    children = [gevent.spawn(run, index, job) for index, job in enumerate(jobs)]
    try:
        for _ in jobs:
            try:
                outcome = finished.get(timeout=max(remaining(deadline), 0))
            except gevent.queue.Empty:
                raise UpstreamTimeout("fan-out deadline") from None
            yield outcome
    finally:
        gevent.killall([child for child in children if not child.dead], block=True, timeout=5)
