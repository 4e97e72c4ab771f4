"""Runs a step's generator in its own greenlet so heartbeats and deadlines never wait on it.

The producer greenlet hands each event straight to the consumer (the request's greenlet) with a
direct switch, so a step that never blocks costs no trip through gevent's hub: at 1,000 open
streams one extra hub round per stream cost about a third of the throughput (bench/streams.py).
Only when the producer blocks (network I/O) does the consumer fall back to waiting on the hub,
with a timer that wakes it for heartbeats and at the deadline.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from typing import Iterator, Optional

import gevent
import gevent.event
from gevent.hub import Waiter, get_hub
from greenlet import getcurrent, greenlet

from medreg.errors import message_for
from medreg.events import Done, Event, Failure

log = logging.getLogger(__name__)


class Heartbeat:
    """Marker yielded by `run_cooperatively` when the step has been silent for a while."""


HEARTBEAT = Heartbeat()
_END = object()
_WAKE = object()


class _Producer:
    """Drives the step generator in its own greenlet and hands events to the consumer."""

    def __init__(self, events: Iterator[Event], language: str) -> None:
        self.events = events
        self.language = language
        self.consumer = getcurrent()
        self.greenlet = greenlet(self._run, parent=self.consumer)
        self.direct = True          # the consumer is inside greenlet.switch(), waiting for a hand-off
        self.buffer: deque = deque()  # events produced while the consumer waits on the hub instead
        self.waiter: Optional[Waiter] = None
        self.finished = False
        self.delivered_terminal = False  # the consumer has the step's Done or Failure
        self.timer = None  # one libev timer per stream, re-armed for each wait
        self.timer_s = -1.0

    def _hand(self, item: object) -> None:
        if self.direct:
            self.consumer.switch(item)
            return
        self.buffer.append(item)
        if self.waiter is not None:
            waiter, self.waiter = self.waiter, None
            get_hub().loop.run_callback(waiter.switch, None)

    def _run(self) -> object:
        try:
            for event in self.events:
                self._hand(event)
        except gevent.GreenletExit:
            raise
        except Exception:  # run_step already turns engine errors into events; this is a last guard
            log.exception("step producer failed")
            self._hand(Failure("internal", message_for("internal", self.language), True))
        finally:
            self.finished = True
        if self.direct:
            return _END  # returns to the parent: the consumer, still waiting in switch()
        self._hand(_END)
        return None

    def next_item(self, wait_s: float) -> object:
        """The next event, `_END`, or `_WAKE` when nothing came within `wait_s` seconds."""
        if self.buffer:
            return self.buffer.popleft()
        if self.finished and not self.direct:
            return _END
        hub = get_hub()
        wait_s = max(wait_s, 0.0)
        if self.timer is None or abs(self.timer_s - wait_s) > 0.001:
            if self.timer is not None:
                self.timer.close()
            self.timer, self.timer_s = hub.loop.timer(wait_s), wait_s
        timer = self.timer
        try:
            if self.direct:
                timer.start(self.consumer.switch, _WAKE)
                item = self.greenlet.switch()
                if item is _WAKE:
                    # The producer blocked on I/O and now waits on the hub: from here on it must
                    # only be resumed by the hub, and it ends by returning to the hub.
                    self.direct = False
                    self.greenlet.parent = hub
                return item
            waiter = Waiter()
            self.waiter = waiter
            timer.start(waiter.switch, None)
            waiter.get()
            self.waiter = None
            return self.buffer.popleft() if self.buffer else _WAKE
        finally:
            timer.stop()

    def stop(self) -> None:
        """End the step: its generator's `finally` blocks run (upstream streams are closed)."""
        if self.timer is not None:
            self.timer.close()
            self.timer = None
        if self.greenlet.dead:
            return
        if self.direct and self.delivered_terminal:
            # The step has said its last word: let it run to its end (cheaper than a throw).
            while not self.greenlet.dead:
                self.greenlet.switch()
            return
        if self.direct:
            # Suspended at a hand-off: throw straight in; it dies and returns here, its parent.
            self.greenlet.throw(gevent.GreenletExit)
            return
        done = gevent.event.Event()
        self.greenlet.parent = hub = get_hub()
        hub.loop.run_callback(self._throw_then, done)
        done.wait(timeout=5)

    def _throw_then(self, done) -> None:
        try:
            if not self.greenlet.dead:
                self.greenlet.throw(gevent.GreenletExit)
        finally:
            done.set()


def run_cooperatively(events: Iterator[Event], *, language: str, heartbeat_s: Optional[float],
                      deadline_s: float) -> Iterator[Event | Heartbeat]:
    """Relay `events` from a producer greenlet; yield `HEARTBEAT` during silences; stop at the deadline.

    Closing this generator (the client went away) ends the producer, whose generator then
    runs its own `finally` blocks, so engines release upstream streams.
    """
    producer = _Producer(events, language)
    deadline = time.monotonic() + deadline_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                yield Failure("upstream_timeout", message_for("upstream_timeout", language), True)
                return
            item = producer.next_item(remaining if heartbeat_s is None else min(heartbeat_s, remaining))
            if item is _WAKE:
                if heartbeat_s is not None and deadline - time.monotonic() > 0:
                    yield HEARTBEAT
                continue
            if item is _END:
                yield Failure("internal", message_for("internal", language), True)
                return
            if isinstance(item, (Done, Failure)):
                producer.delivered_terminal = True
                yield item
                return
            yield item
    finally:
        producer.stop()
        close = getattr(events, "close", None)
        if close is not None:
            close()
