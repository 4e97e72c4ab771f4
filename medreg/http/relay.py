"""The stream relay: a step's events to SSE frames to the WSGI response, with heartbeats, the step
deadline and cleanup when the client leaves. The one place that owns a stream's life.

Two forms, chosen by the engine's `waits_on_io` capability:
- an engine that only computes (the offline engine: a whole step in about a millisecond) is
  iterated inline in the request's greenlet. Nothing can fall silent, so there is nothing to
  heartbeat and no deadline to enforce; no greenlet or timer is made.
- an engine that waits on the network (the Anthropic engine) runs in its own greenlet feeding a
  queue; the request's greenlet waits on the queue with a timeout the `Pacer` computes, sends a
  heartbeat in each silence, and ends the step at its deadline. Its client's socket is watched
  (`disconnect.ClientWatch`), so a hang-up is seen at once, not at the next write. Leaving (the
  client went away, the deadline) kills the producer, so the step's `finally` blocks close its
  upstream streams.
This plain form replaced a pooled-producer scheme with direct greenlet switches (233 lines):
`python bench/streams.py throughput --seconds 5 --repeat 2` (offline-style instant engine, 1,000
closed-loop clients, one worker) gave 2,457 streams/s (0.575x the minimal-Flask floor) with it and
3,063 (0.731x) with this; `python bench/open_streams.py` (3,000 silent streams) kept the same
worker CPU (1-2 %) and objects per open stream (~90 tracked) as the pool.
"""
from __future__ import annotations

import enum
import logging
import time
from typing import Callable, Iterable, Iterator, Optional

import gevent
from flask import Response, stream_with_context

from medreg.errors import message_for
from medreg.events import Done, Event, Failure
from medreg.http.disconnect import GONE, ClientWatch
from medreg.http.pipe import Empty, Pipe
from medreg.http.sse import HEARTBEAT as HEARTBEAT_FRAME, encode_payload

log = logging.getLogger(__name__)

SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
SSE_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx: do not buffer this response even where proxy_buffering is on.
    "X-Accel-Buffering": "no",
}
# Events a fast producer may run ahead of a slow client before it waits for the client.
QUEUE_SIZE = 64


Clock = Callable[[], float]


class Due(enum.Enum):
    """What a wait that ended with nothing leaves owed to the stream."""

    NOTHING = "nothing"      # woke early: wait again for the rest
    HEARTBEAT = "heartbeat"  # `heartbeat_s` of silence: send one keep-alive
    DEADLINE = "deadline"    # the step's time is up


class Pacer:
    """Heartbeat and deadline bookkeeping for one stream."""

    __slots__ = ("heartbeat_s", "deadline", "last_write", "clock")

    def __init__(self, heartbeat_s: Optional[float], deadline_s: float, clock: Clock = time.monotonic) -> None:
        now = clock()
        self.clock = clock
        self.heartbeat_s = heartbeat_s if heartbeat_s and heartbeat_s > 0 else None
        self.deadline = now + deadline_s
        self.last_write = now

    def next_wait(self) -> Optional[float]:
        """Seconds the relay may wait for an event before something is owed; None past the deadline."""
        now = self.clock()
        wait = self.deadline - now
        if wait <= 0:
            return None
        if self.heartbeat_s is not None:
            wait = min(wait, self.last_write + self.heartbeat_s - now)
        return max(wait, 0.0)

    def wrote(self) -> None:
        """An event went out: the silence starts again from now."""
        self.last_write = self.clock()

    def after_silent_wait(self) -> Due:
        """What is owed now that a wait ended with no event; a heartbeat counts as a write."""
        now = self.clock()
        if now >= self.deadline:
            return Due.DEADLINE
        if self.heartbeat_s is not None and now - self.last_write >= self.heartbeat_s:
            self.last_write = now
            return Due.HEARTBEAT
        return Due.NOTHING


class Heartbeat:
    """Marker the relay yields when a stream has been silent for `heartbeat_s`."""


HEARTBEAT = Heartbeat()
_END = object()


def relay(events: Iterator[Event], *, waits_on_io: bool, language: str, heartbeat_s: Optional[float],
          deadline_s: float) -> Iterator[Event | Heartbeat]:
    """The step's events, with heartbeats and the deadline where the engine can fall silent."""
    if not waits_on_io:
        return _taking_turns(events)
    return _relay_from_greenlet(events, language, heartbeat_s, deadline_s)


def _taking_turns(events: Iterator[Event]) -> Iterator[Event]:
    # A computing step never waits, and a keep-alive client's next request is often in the socket
    # before the last one's cleanup ends: with no wait anywhere, one connection's greenlet served
    # request after request while the others' waited (wrk closed loop, 100 connections, one worker:
    # p50 6 ms but p75 811 ms, p90 1.3 s, 45-139 requests past wrk's 2 s timeout a run). One yield
    # to the other greenlets per step serves the connections in turn.
    gevent.sleep(0)
    yield from events


def _produce(events: Iterator[Event], queue: Pipe, language: str) -> None:
    try:
        for event in events:
            queue.put(event)
            break
        # The first event (run_step's "started" status, made without any work) goes out before the
        # step's work starts: a put does not switch, so without this yield it waited until the step
        # first blocked, after the knowledge base and the SDK's request building. With 5,000 streams
        # open on 2 workers and 100/s arriving (bench/peers.py open --medreg-only --workers 2 --open
        # 5000 --open-first-token-s 150): p99 first event 31.5 -> 5.5 ms, p50 8.4 -> 1.7 ms (load ~2).
        gevent.sleep(0)
        for event in events:
            queue.put(event)
    except gevent.GreenletExit:
        raise
    except Exception:  # run_step already turns engine errors into events; this is a last guard
        log.exception("step producer failed")
        queue.put(Failure("internal", message_for("internal", language), True))
    queue.put(_END)


def _relay_from_greenlet(events: Iterator[Event], language: str, heartbeat_s: Optional[float],
                         deadline_s: float) -> Iterator[Event | Heartbeat]:
    queue = Pipe(QUEUE_SIZE)
    producer = gevent.spawn(_produce, events, queue, language)
    pacer = Pacer(heartbeat_s, deadline_s)
    timeout = Failure("upstream_timeout", message_for("upstream_timeout", language), True)
    try:
        while True:
            wait_s = pacer.next_wait()
            if wait_s is None:
                yield timeout
                return
            try:
                # A fresh Timeout for each get(): no timer state outlives a wait.
                item = queue.get(wait_s)
            except Empty:
                due = pacer.after_silent_wait()
                if due is Due.DEADLINE:
                    yield timeout
                    return
                if due is Due.HEARTBEAT:
                    yield HEARTBEAT
                    pacer.wrote()
                continue
            if item is _END:
                yield Failure("internal", message_for("internal", language), True)
                return
            yield item
            if isinstance(item, (Done, Failure)):
                return
            pacer.wrote()
    finally:
        # GreenletExit inside the step runs its finally blocks: engines close upstream streams.
        producer.kill(block=True, timeout=5)
        close = getattr(events, "close", None)
        if close is not None:
            close()


StreamEnded = Callable[[int, Optional[str]], None]


def encode_stream(items: Iterable[Event | Heartbeat], ended: Optional[StreamEnded] = None,
                  watch: Optional[ClientWatch] = None, first_id: int = 1) -> Iterator[bytes]:
    """Encode events as SSE frames with ids from `first_id` and heartbeats as comments; closes `items`.

    With a `watch`, a client that hangs up ends the stream while it waits for the next event.

    `ended(events, terminal)` is called once at the end with the number of events sent and the
    terminal event's type or error code (None when the client left first).
    """
    sequence, terminal = first_id - 1, None  # a resumed run stream goes on from Last-Event-ID
    iterator = iter(items)
    try:
        while (item := watch.next_item(iterator) if watch is not None else next(iterator, GONE)) is not GONE:
            if item is HEARTBEAT:
                yield HEARTBEAT_FRAME
                continue
            sequence += 1
            if isinstance(item, (Done, Failure)):
                terminal = item.type if isinstance(item, Done) else item.code
            elif item.type in ("done", "error"):  # a stored event (projects/follow.py)
                terminal = item.type
            yield encode_payload(sequence, item.payload())
    finally:
        if watch is not None:
            watch.stop()
        close = getattr(items, "close", None)
        if close is not None:
            close()
        if ended is not None:
            ended(sequence, terminal)


class _Body:
    """A response body the server iterates itself; closing it closes the response (its on-close calls).

    Handed over with `direct_passthrough`, werkzeug's `ClosingIterator` and its `_iter_encoded`
    generator (two layers on each open stream's C stack while it waits) are not put around it.
    """

    __slots__ = ("_frames", "response")

    def __init__(self, frames: Iterator[bytes]) -> None:
        self._frames = frames
        self.response: Optional[Response] = None

    def __iter__(self) -> Iterator[bytes]:
        return self._frames

    def close(self) -> None:
        """Close the frames, then the response; once (the response's own close calls this again)."""
        frames, self._frames = self._frames, iter(())
        close = getattr(frames, "close", None)
        if close is not None:
            close()
        response, self.response = self.response, None
        if response is not None:
            response.close()


def _bound_writes(environ: dict, seconds: float) -> None:
    # gunicorn leaves client sockets blocking with no timeout: a client that stops reading
    # would hold this greenlet forever in sendall. A timeout turns that into an error; gevent
    # applies it to each write on its own, so a slow but steady reader is never cut off.
    sock = environ.get("gunicorn.socket")
    if sock is not None and seconds > 0:
        try:
            sock.settimeout(seconds)
        except OSError:
            pass


def sse_response(items: Iterable[Event | Heartbeat], *, environ: dict, write_timeout_s: float,
                 headers: Iterable[tuple[str, str]] = (), ended: Optional[StreamEnded] = None,
                 status: int = 200, watch_client: bool = False, first_id: int = 1) -> Response:
    """A `text/event-stream` response that writes each event as one chunk, in order.

    `watch_client` (engines that wait on the network) watches the socket so a hang-up stops the step at once.
    The stream keeps Flask's request context (`stream_with_context`, the project's fixed choice) for
    every stream; releasing it when a step's view returns saved 3.5 KiB per open stream (62.1 -> 58.6
    KiB, bench/peers.py open --open 1000) and was not kept.
    """
    _bound_writes(environ, write_timeout_s)
    watch = ClientWatch(environ) if watch_client else None
    frames = encode_stream(items, ended, watch, first_id)
    body = _Body(stream_with_context(frames))
    response = Response(body, status=status, headers=[*SSE_HEADERS.items(), *headers],
                        content_type=SSE_CONTENT_TYPE, direct_passthrough=True)
    body.response = response
    if watch is not None:
        # The server closes every response, iterated or not: a body never read still frees its watcher.
        response.call_on_close(watch.stop)
    return response


def sse_error_response(code: str, message: str, status: int, *, retryable: bool = False,
                       fields: dict | None = None, headers: dict | None = None) -> Response:
    """A 4xx/5xx answer whose SSE body holds exactly one `error` event."""
    body = encode_payload(1, Failure(code, message, retryable, fields).payload())
    return Response(body, status=status, content_type=SSE_CONTENT_TYPE,
                    headers=[*SSE_HEADERS.items(), *(headers or {}).items()])
