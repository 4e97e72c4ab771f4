"""Runs several calls at once in child greenlets and hands back each answer the moment it is ready."""
from __future__ import annotations

from typing import Callable, Iterator, Optional

import gevent
import gevent.queue
from gevent.lock import BoundedSemaphore

from medreg.engines.claude.calls import map_error
from medreg.engines.claude.client import remaining
from medreg.errors import MedregError, UpstreamTimeout

Outcome = tuple[int, Optional[dict], Optional[MedregError]]


def fan_out(jobs: list[Callable[[], dict]], concurrency: int, deadline: float,
            label: str = "fan-out") -> Iterator[Outcome]:
    """Yield `(index, answer, error)` per job in order of completion; at most `concurrency` run at once.

    Closing this generator (the client went away, or the caller stopped on an error) kills every
    child greenlet still running; each then leaves its SDK `with` block, closing its upstream stream.
    """
    slots = BoundedSemaphore(max(1, concurrency))
    finished: gevent.queue.Queue = gevent.queue.Queue()

    def run(index: int, job: Callable[[], dict]) -> None:
        with slots:
            try:
                finished.put((index, job(), None))
            except MedregError as exc:
                finished.put((index, None, exc))
            except Exception as exc:  # a bug in one job must not hang the others' consumer
                finished.put((index, None, map_error(exc, label)))

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
