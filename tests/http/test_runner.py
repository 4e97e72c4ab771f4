"""The cooperative runner: pooled producer greenlets, heartbeats, cancellation, blocking steps."""
from __future__ import annotations

import threading

import gevent
import pytest

from medreg.events import Done, Result, Status
from medreg.pipeline import runner
from medreg.pipeline.runner import HEARTBEAT, parked_producers, run_cooperatively


def instant_step(record: list, name: str = "step"):
    """Three events without ever blocking; records its start and its cleanup."""
    record.append(f"start {name}")
    try:
        yield Status("working", "started", 0.0)
        yield Result({"name": name})
        yield Done(0)
    finally:
        record.append(f"cleanup {name}")


def blocking_step(record: list, pause_s: float):
    """Waits on the hub between events, as a step reading an upstream API does."""
    try:
        yield Status("working", "started", 0.0)
        gevent.sleep(pause_s)
        yield Result({})
        yield Done(0)
    finally:
        record.append("cleanup blocking")


def relay(events, heartbeat_s=None, deadline_s=30.0):
    return run_cooperatively(events, language="en", heartbeat_s=heartbeat_s, deadline_s=deadline_s)


def types(items) -> list[str]:
    return ["heartbeat" if item is HEARTBEAT else item.type for item in items]


def test_instant_steps_reuse_one_parked_producer() -> None:
    """A step that never blocks runs in a pooled greenlet that is parked again when it ends."""
    record: list = []
    before = parked_producers()
    for n in range(5):
        assert types(relay(instant_step(record, f"s{n}"))) == ["status", "result", "done"]
    assert parked_producers() == max(before, 1)
    assert record == [entry for n in range(5) for entry in (f"start s{n}", f"cleanup s{n}")]


def test_a_consumer_leaving_mid_step_cancels_it_and_parks_the_producer() -> None:
    """Closing the relay after the first event runs the step's cleanup and keeps the greenlet for reuse."""
    record: list = []
    relayed = relay(instant_step(record, "left"))
    assert next(relayed).type == "status"
    relayed.close()
    assert record == ["start left", "cleanup left"]
    parked = parked_producers()
    assert parked >= 1
    assert types(relay(instant_step(record, "next"))) == ["status", "result", "done"]
    assert parked_producers() == parked


def test_a_blocking_step_gets_heartbeats_and_its_producer_is_parked_after() -> None:
    """A step that waits on the hub: heartbeats during the silence, then its events, in order."""
    record: list = []
    items = types(relay(blocking_step(record, 0.25), heartbeat_s=0.05))
    assert items[0] == "status" and items[-2:] == ["result", "done"]
    assert "heartbeat" in items
    assert record == ["cleanup blocking"]
    assert parked_producers() >= 1


def test_a_blocking_step_cancelled_while_waiting_runs_its_cleanup() -> None:
    """The client leaves while the step waits on the hub: the step is ended where it waits."""
    record: list = []
    relayed = relay(blocking_step(record, 30), heartbeat_s=0.05)
    assert next(relayed).type == "status"
    assert next(relayed) is HEARTBEAT
    relayed.close()
    assert record == ["cleanup blocking"]
    assert types(relay(instant_step(record, "after"))) == ["status", "result", "done"]


def test_the_deadline_ends_a_silent_step_with_one_error() -> None:
    """A step silent past the deadline: one `upstream_timeout` error, then nothing."""
    record: list = []
    items = list(relay(blocking_step(record, 30), heartbeat_s=None, deadline_s=0.1))
    assert types(items) == ["status", "error"] and items[-1].code == "upstream_timeout"
    assert record == ["cleanup blocking"]


def test_the_pool_keeps_at_most_its_cap(monkeypatch) -> None:
    """Past the cap, a producer that ends dies instead of parking."""
    monkeypatch.setattr(runner, "IDLE_PRODUCERS", 2)
    monkeypatch.setattr(runner, "_POOLS", type(runner._POOLS)())
    record: list = []
    open_relays = [relay(instant_step(record, f"s{n}")) for n in range(4)]
    for relayed in open_relays:
        assert next(relayed).type == "status"  # four producers busy at once
    for relayed in open_relays:
        assert types(relayed) == ["result", "done"]
    assert parked_producers() == 2


@pytest.mark.parametrize("threads", [2])
def test_each_thread_has_its_own_pool(threads: int) -> None:
    """Greenlets cannot switch across threads: a step in another thread never gets this one's producers."""
    record: list = []
    assert types(relay(instant_step(record, "main"))) == ["status", "result", "done"]
    outcomes: list = []

    def other() -> None:
        try:
            outcomes.append(types(relay(instant_step(record, "thread"))))
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))

    workers = [threading.Thread(target=other) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert outcomes == [["status", "result", "done"]] * threads
