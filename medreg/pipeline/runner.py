"""Runs a step's generator in its own greenlet so heartbeats and deadlines never wait on it."""
from __future__ import annotations

import logging
import time
from typing import Iterator, Optional

import gevent
from gevent.queue import Empty, Queue

from medreg.errors import message_for
from medreg.events import Done, Event, Failure

log = logging.getLogger(__name__)


class Heartbeat:
    """Marker yielded by `run_cooperatively` when the step has been silent for a while."""


HEARTBEAT = Heartbeat()
_END = object()


def run_cooperatively(events: Iterator[Event], *, language: str, heartbeat_s: Optional[float],
                      deadline_s: float) -> Iterator[Event | Heartbeat]:
    """Relay `events` from a producer greenlet; yield `HEARTBEAT` during silences; stop at the deadline.

    Closing this generator (the client went away) kills the producer, whose generator then
    runs its own `finally` blocks, so engines release upstream streams.
    """
    queue: Queue = Queue()

    def produce() -> None:
        try:
            for event in events:
                queue.put(event)
        except Exception:  # already logged by run_step in normal cases; never leave the consumer waiting
            log.exception("step producer failed")
            queue.put(Failure("internal", message_for("internal", language), True))
        finally:
            queue.put(_END)

    producer = gevent.spawn(produce)
    deadline = time.monotonic() + deadline_s
    terminal_sent = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if not terminal_sent:
                    terminal_sent = True
                    yield Failure("upstream_timeout", message_for("upstream_timeout", language), True)
                return
            wait = remaining if heartbeat_s is None else min(heartbeat_s, remaining)
            try:
                item = queue.get(timeout=wait)
            except Empty:
                if heartbeat_s is not None and deadline - time.monotonic() > 0:
                    yield HEARTBEAT
                continue
            if item is _END:
                if not terminal_sent:
                    terminal_sent = True
                    yield Failure("internal", message_for("internal", language), True)
                return
            if isinstance(item, (Done, Failure)):
                terminal_sent = True
                yield item
                return
            yield item
    finally:
        if not producer.dead:
            producer.kill(block=True, timeout=5)
        close = getattr(events, "close", None)
        if close is not None:
            close()
