"""Runs a step's generator in its own greenlet so heartbeats and deadlines never wait on it.

The producer greenlet hands each event straight to the consumer (the request's greenlet) with a
direct switch, so a step that never blocks costs no trip through gevent's hub: at 1,000 open
streams one extra hub round per stream cost about a third of the throughput (bench/streams.py).
Only when the producer blocks (network I/O) does the consumer fall back to waiting on the hub,
with a timer that wakes it for heartbeats and at the deadline.
"""
from __future__ import annotations

import logging
import weakref
from collections import deque
from typing import Iterator, Optional

import gevent
import gevent.event
from gevent.hub import Waiter, get_hub
from greenlet import getcurrent, greenlet

from medreg.errors import message_for
from medreg.events import Done, Event, Failure
from medreg.pipeline.pacing import Due, Pacer

log = logging.getLogger(__name__)


class Heartbeat:
    """Marker yielded by `run_cooperatively` when the step has been silent for a while."""


HEARTBEAT = Heartbeat()
_END = object()
_WAKE = object()
# Parked producer greenlets kept per process. A new greenlet costs an mmap and a munmap of its
# frame stack (CPython 3.11), about 8 µs, a fair share of a short stream's whole cost.
IDLE_PRODUCERS = 256


class _Cancelled(gevent.GreenletExit):
    """Thrown into a producer to end its step; the producer survives and goes back to the pool."""


class _ProducerPool:
    """Greenlets that run one step after another, parked between steps."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.idle: list[greenlet] = []

    def start(self, producer: "_Producer") -> greenlet:
        """A parked greenlet ready to run `producer` on its first switch, or a new one."""
        worker = self.idle.pop() if self.idle else greenlet(self._serve)
        worker.parent = producer.consumer
        producer.greenlet = worker
        return worker

    def _serve(self, producer: "_Producer") -> object:
        while True:
            try:
                producer.run()
            except _Cancelled:
                pass
            if len(self.idle) >= self.cap:
                return _END if producer.direct else None  # dies: back to its parent, as a fresh one would
            self.idle.append(getcurrent())
            if producer.direct:
                # The consumer waits in switch() or throw(): give it the end, wait for the next step.
                job = producer.consumer.switch(_END)
            else:
                job = get_hub().switch()
            while not isinstance(job, _Producer):  # only a new step may wake a parked producer
                job = get_hub().switch()
            producer = job


# Greenlets cannot switch across threads, and each thread running gevent has its own hub.
_POOLS: "weakref.WeakKeyDictionary[object, _ProducerPool]" = weakref.WeakKeyDictionary()


def parked_producers() -> int:
    """Producer greenlets parked in this thread's pool, waiting for a step."""
    pool = _POOLS.get(get_hub())
    return len(pool.idle) if pool is not None else 0


def _pool() -> _ProducerPool:
    hub = get_hub()
    pool = _POOLS.get(hub)
    if pool is None:
        pool = _POOLS[hub] = _ProducerPool(IDLE_PRODUCERS)
    return pool


class _Producer:
    """Drives the step generator in a pooled greenlet and hands events to the consumer."""

    def __init__(self, events: Iterator[Event], language: str) -> None:
        self.events = events
        self.language = language
        self.consumer = getcurrent()
        self.greenlet: Optional[greenlet] = None  # taken from the pool at the first switch
        self.direct = True          # the consumer is inside greenlet.switch(), waiting for a hand-off
        self.buffer: deque = deque()  # events produced while the consumer waits on the hub instead
        self.waiter: Optional[Waiter] = None
        self.finished = False
        self.delivered_terminal = False  # the consumer has the step's Done or Failure
        self.timer = None  # one libev timer per stream, re-armed with again() for each wait
        self.timer_s = -1.0

    def _hand(self, item: object) -> None:
        if self.direct:
            self.consumer.switch(item)
            return
        self.buffer.append(item)
        if self.waiter is not None:
            waiter, self.waiter = self.waiter, None
            get_hub().loop.run_callback(waiter.switch, None)

    def run(self) -> None:
        """Run the step to its end (in the producer greenlet)."""
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
        if not self.direct:
            self._hand(_END)

    def _switch_in(self) -> object:
        if self.greenlet is not None:
            return self.greenlet.switch()
        return _pool().start(self).switch(self)

    def next_item(self, wait_s: float) -> object:
        """The next event, `_END`, or `_WAKE` when nothing came within `wait_s` seconds."""
        if self.buffer:
            return self.buffer.popleft()
        if self.finished:
            return _END
        hub = get_hub()
        # A repeating timer with no interval never fires under again(): keep at least 1 ms.
        wait_s = max(wait_s, 0.001)
        # Why again() and not start(): a libev timer keeps its remaining time across stop() and
        # start(), and once it has fired it starts already expired, so one timer reused that way
        # fires at once on every later wait and the stream sends keep-alives in a tight loop.
        # again() re-arms a repeating timer for its whole interval from now, on every wait.
        if self.timer is None or abs(self.timer_s - wait_s) > 0.001:
            if self.timer is not None:
                self.timer.close()
            self.timer, self.timer_s = hub.loop.timer(wait_s, wait_s), wait_s
        timer = self.timer
        try:
            if self.direct:
                timer.again(self.consumer.switch, _WAKE)
                item = self._switch_in()
                if item is _WAKE:
                    # The producer blocked on I/O and now waits on the hub: from here on it must
                    # only be resumed by the hub, and it ends by returning to the hub.
                    self.direct = False
                    self.greenlet.parent = hub
                return item
            waiter = Waiter()
            self.waiter = waiter
            timer.again(waiter.switch, None)
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
        if self.greenlet is None or self.finished:
            return
        if self.direct and self.delivered_terminal:
            # The step has said its last word: let it run to its end (cheaper than a throw).
            while not self.finished:
                self.greenlet.switch()
            return
        if self.direct:
            # Suspended at a hand-off: throw straight in; it parks (or dies) and comes back here.
            self.greenlet.throw(_Cancelled)
            return
        done = gevent.event.Event()
        self.greenlet.parent = hub = get_hub()
        hub.loop.run_callback(self._throw_then, done)
        done.wait(timeout=5)

    def _throw_then(self, done) -> None:
        try:
            if not self.finished and not self.greenlet.dead:
                self.greenlet.throw(_Cancelled)
        finally:
            done.set()


def run_cooperatively(events: Iterator[Event], *, language: str, heartbeat_s: Optional[float],
                      deadline_s: float) -> Iterator[Event | Heartbeat]:
    """Relay `events` from a producer greenlet; yield `HEARTBEAT` during silences; stop at the deadline.

    Closing this generator (the client went away) ends the producer, whose generator then
    runs its own `finally` blocks, so engines release upstream streams.
    """
    producer = _Producer(events, language)
    pacer = Pacer(heartbeat_s, deadline_s)
    try:
        while True:
            wait_s = pacer.next_wait()
            if wait_s is None:
                yield Failure("upstream_timeout", message_for("upstream_timeout", language), True)
                return
            item = producer.next_item(wait_s)
            if item is _WAKE:
                due = pacer.after_silent_wait()
                if due is Due.DEADLINE:
                    yield Failure("upstream_timeout", message_for("upstream_timeout", language), True)
                    return
                if due is Due.HEARTBEAT:
                    yield HEARTBEAT
                    pacer.wrote()
                continue
            if item is _END:
                yield Failure("internal", message_for("internal", language), True)
                return
            if isinstance(item, (Done, Failure)):
                producer.delivered_terminal = True
                yield item
                return
            yield item
            pacer.wrote()
    finally:
        producer.stop()
        close = getattr(events, "close", None)
        if close is not None:
            close()
