"""The stream relay: the pacer with a fake clock (when a heartbeat is owed, when the deadline falls),
then the relay itself on the real hub (inline and greenlet forms, heartbeats, cancellation)."""
from __future__ import annotations

import gevent
import pytest

from medreg.events import Delta, Done, Result
from medreg.events import Status
from medreg.http.relay import HEARTBEAT, Due, Pacer, relay


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_silence_of_one_interval_owes_one_heartbeat(clock) -> None:
    """The first wait is one interval; when it ends silent a heartbeat is owed, and the next wait is whole."""
    pacer = Pacer(heartbeat_s=2.0, deadline_s=60.0, clock=clock)
    assert pacer.next_wait() == 2.0
    clock.advance(2.0)
    assert pacer.after_silent_wait() is Due.HEARTBEAT
    assert pacer.next_wait() == 2.0


def test_an_event_resets_the_silence(clock) -> None:
    """After a write the silence starts again: 1.5 s after an event at 1.5 s nothing is owed yet."""
    pacer = Pacer(heartbeat_s=2.0, deadline_s=60.0, clock=clock)
    clock.advance(1.5)
    pacer.wrote()
    clock.advance(1.5)
    assert pacer.after_silent_wait() is Due.NOTHING
    assert pacer.next_wait() == pytest.approx(0.5)


def test_many_short_waits_add_up_to_nothing(clock) -> None:
    """A hundred 0.3 s waits, each ended by an event, never owe a heartbeat (the reused-timer defect did)."""
    pacer = Pacer(heartbeat_s=2.0, deadline_s=60.0, clock=clock)
    for _ in range(100):
        assert pacer.next_wait() == pytest.approx(2.0)
        clock.advance(0.3)
        pacer.wrote()
    clock.advance(2.0)
    assert pacer.after_silent_wait() is Due.HEARTBEAT


def test_an_early_wake_owes_nothing_and_waits_the_rest(clock) -> None:
    """A timer that fires early (or a spurious wake) costs one short wait, never a heartbeat."""
    pacer = Pacer(heartbeat_s=2.0, deadline_s=60.0, clock=clock)
    clock.advance(1.999)
    assert pacer.after_silent_wait() is Due.NOTHING
    assert pacer.next_wait() == pytest.approx(0.001)


def test_the_deadline_cuts_a_wait_short(clock) -> None:
    """With 1 s left the wait is 1 s, not the heartbeat interval, and its end is the deadline."""
    pacer = Pacer(heartbeat_s=15.0, deadline_s=5.0, clock=clock)
    clock.advance(4.0)
    assert pacer.next_wait() == pytest.approx(1.0)
    clock.advance(1.0)
    assert pacer.after_silent_wait() is Due.DEADLINE
    assert pacer.next_wait() is None


def test_the_deadline_outranks_a_heartbeat_due_at_the_same_moment(clock) -> None:
    """At the deadline the stream ends; it does not send a last keep-alive first."""
    pacer = Pacer(heartbeat_s=2.0, deadline_s=4.0, clock=clock)
    clock.advance(4.0)
    assert pacer.after_silent_wait() is Due.DEADLINE


@pytest.mark.parametrize("heartbeat_s", [None, 0])
def test_no_heartbeats_wait_for_the_deadline(clock, heartbeat_s) -> None:
    """The JSON path has no heartbeats: one wait until the deadline."""
    pacer = Pacer(heartbeat_s=heartbeat_s, deadline_s=30.0, clock=clock)
    assert pacer.next_wait() == 30.0
    clock.advance(10.0)
    assert pacer.after_silent_wait() is Due.NOTHING


def paced_step(gaps: list[float]):
    """Waits on the hub for each gap, then sends a delta; then answers."""
    for n, gap in enumerate(gaps):
        gevent.sleep(gap)
        yield Delta(str(n))
    yield Result({})
    yield Done(0)


@pytest.mark.parametrize("gaps, heartbeat_s, heartbeats", [
    pytest.param([1.5], 0.6, 2, id="one-silence"),                  # at 0.6 and 1.2
    # 2 s of waits, none near 0.6 s: a relay counting total time would send 3. Margins of 0.3 s and more keep
    # a loaded CI machine, where a sleep can wake a few tenths late, from adding or dropping one.
    pytest.param([0.05] * 40, 0.6, 0, id="many-short-waits"),
    pytest.param(([0.05] * 5 + [0.9]) * 3, 0.6, 3, id="one-per-silence"),  # each 0.9 s silence: one at 0.6
])
def test_the_relay_sends_one_heartbeat_per_interval_of_silence(gaps, heartbeat_s: float, heartbeats: int) -> None:
    """In process on the real hub: heartbeats count silences, not the waits they were cut into."""
    items = list(relayed(paced_step(gaps), heartbeat_s=heartbeat_s))
    assert sum(1 for item in items if item is HEARTBEAT) == heartbeats
    assert items[-1].type == "done"


def relayed(events, heartbeat_s=None, deadline_s=30.0, waits_on_io=True):
    """The relay as the stream endpoints call it."""
    return relay(events, waits_on_io=waits_on_io, language="en", heartbeat_s=heartbeat_s, deadline_s=deadline_s)


def types(items) -> list[str]:
    return ["heartbeat" if item is HEARTBEAT else item.type for item in items]


def recorded_step(record: list, pause_s: float = 0.0):
    """A status, an optional wait on the hub, a result and done; records its cleanup."""
    try:
        yield Status("working", "started", 0.0)
        if pause_s:
            gevent.sleep(pause_s)
        yield Result({})
        yield Done(0)
    finally:
        record.append("cleanup")


def test_a_computing_engine_is_iterated_inline() -> None:
    """No greenlet, no heartbeat: the step's own events, run in the request's greenlet (after one turn)."""
    where: list = []

    def step():
        where.append(gevent.getcurrent())
        yield Status(message="started", stage="started", progress=0.0)
        gevent.sleep(0.03)  # longer than heartbeat_s: still no heartbeat inline
        yield Done(1)

    items = list(relayed(step(), heartbeat_s=0.01, waits_on_io=False))
    assert where == [gevent.getcurrent()] and [type(item) for item in items] == [Status, Done]


def test_a_waiting_step_gets_heartbeats_then_its_events_in_order() -> None:
    """A step that waits on the hub: heartbeats during the silence, then its events, then cleanup."""
    record: list = []
    items = types(relayed(recorded_step(record, 0.25), heartbeat_s=0.05))
    assert items[0] == "status" and items[-2:] == ["result", "done"] and "heartbeat" in items
    assert record == ["cleanup"]


def test_a_client_leaving_during_a_wait_ends_the_step_where_it_waits() -> None:
    """Closing the relay while the step waits on the hub runs the step's cleanup at once."""
    record: list = []
    stream = relayed(recorded_step(record, 30), heartbeat_s=0.05)
    assert next(stream).type == "status"
    assert next(stream) is HEARTBEAT
    stream.close()
    assert record == ["cleanup"]


def test_the_deadline_ends_a_silent_step_with_one_error() -> None:
    """A step silent past the deadline: one `upstream_timeout` error, then nothing, and cleanup."""
    record: list = []
    items = list(relayed(recorded_step(record, 30), deadline_s=0.1))
    assert types(items) == ["status", "error"] and items[-1].code == "upstream_timeout"
    assert record == ["cleanup"]


def test_a_step_that_raises_ends_with_one_internal_error() -> None:
    """A bug in a step still ends the stream with exactly one error event."""
    def broken():
        yield Status("working", "started", 0.0)
        raise RuntimeError("bug")
    assert types(relayed(broken())) == ["status", "error"]


def test_a_step_that_ends_without_a_terminal_event_gets_one() -> None:
    """A generator that stops without done or error: the relay adds one internal error."""
    def unfinished():
        yield Status("working", "started", 0.0)
    items = list(relayed(unfinished()))
    assert types(items) == ["status", "error"] and items[-1].code == "internal"


def test_a_stream_whose_body_is_never_read_still_frees_its_client_watch() -> None:
    """The server closes every response: one never iterated (the client left first) stops its socket watch
    and closes the duplicate descriptor, rather than leaving them to the garbage collector."""
    import os
    import socket

    from flask import Flask

    from medreg.http.relay import sse_response

    server_side, client_side = socket.socketpair()
    try:
        with Flask(__name__).test_request_context():
            response = sse_response(iter([Done(1)]), environ={"gunicorn.socket": server_side}, write_timeout_s=0,
                                    watch_client=True)
        fds_open = len(os.listdir("/proc/self/fd"))
        response.close()
        assert len(os.listdir("/proc/self/fd")) == fds_open - 1   # the watch's duplicate descriptor
        server_side.getsockname()   # the request's own socket is untouched
    finally:
        server_side.close()
        client_side.close()


def test_an_inline_step_lets_other_connections_run_before_its_events():
    # A computing step never waits: without this turn one keep-alive connection's greenlet could serve
    # request after request while the others' waited (wrk: requests past 2 s on one worker).
    others = []
    gevent.spawn(others.append, "ran")

    def step():
        yield Status(message="started", stage="started", progress=0.0)
        yield Done(1)

    items = relay(step(), waits_on_io=False, language="en", heartbeat_s=None, deadline_s=5)
    first = next(items)
    assert others == ["ran"] and first.stage == "started"
    assert [type(item) for item in items] == [Done]
