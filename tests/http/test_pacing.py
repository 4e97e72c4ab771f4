"""The pacer with a fake clock: when a heartbeat is owed and when the deadline falls."""
from __future__ import annotations

import gevent
import pytest

from medreg.events import Delta, Done, Result
from medreg.pipeline.pacing import Due, Pacer
from medreg.pipeline.runner import HEARTBEAT, run_cooperatively


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


@pytest.mark.parametrize("gaps, heartbeats", [
    pytest.param([0.5], 2, id="one-silence"),                  # at 0.2 and 0.4
    pytest.param([0.05] * 20, 0, id="many-short-waits"),       # 1 s of waits, none near 0.2 s
    pytest.param(([0.05] * 5 + [0.3]) * 3, 3, id="one-per-silence"),
])
def test_the_relay_sends_one_heartbeat_per_interval_of_silence(gaps, heartbeats: int) -> None:
    """In process on the real hub: heartbeats count silences, not the waits they were cut into."""
    items = list(run_cooperatively(paced_step(gaps), language="en", heartbeat_s=0.2, deadline_s=30))
    assert sum(1 for item in items if item is HEARTBEAT) == heartbeats
    assert items[-1].type == "done"
