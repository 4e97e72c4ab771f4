"""The relay's producer-to-writer hand-over (medreg.http.pipe): order, bound, timeouts, no switch on put."""
from __future__ import annotations

import time

import gevent
import pytest

from medreg.http.pipe import Empty, Pipe


def test_items_come_out_in_order_and_a_put_does_not_switch():
    pipe, seen = Pipe(4), []
    reader = gevent.spawn(lambda: [seen.append(pipe.get(5)) for _ in range(3)])
    gevent.sleep(0)  # the reader now waits
    pipe.put("a")
    assert seen == []  # put woke the reader by a callback, it did not run it
    pipe.put("b")
    pipe.put("c")
    reader.join(5)
    assert seen == ["a", "b", "c"]


def test_get_waits_at_most_its_timeout():
    pipe = Pipe(4)
    started = time.monotonic()
    with pytest.raises(Empty):
        pipe.get(0.05)
    assert 0.04 <= time.monotonic() - started < 1.0
    pipe.put(1)
    assert pipe.get(0.0) == 1  # an item already there needs no wait


def test_a_full_pipe_holds_the_producer_until_the_reader_takes_one():
    pipe, done = Pipe(2), []

    def produce():
        for item in range(3):
            pipe.put(item)
            done.append(item)

    producer = gevent.spawn(produce)
    gevent.sleep(0.05)
    assert done == [0, 1]  # the third waits for room
    assert pipe.get(1) == 0
    producer.join(1)
    assert done == [0, 1, 2] and [pipe.get(1), pipe.get(1)] == [1, 2]


def test_a_reader_killed_while_waiting_leaves_no_stale_wake_up():
    pipe = Pipe(2)
    reader = gevent.spawn(pipe.get, None)
    gevent.sleep(0)
    reader.kill(block=True)
    pipe.put("x")      # schedules a wake-up for a reader that has gone
    gevent.sleep(0.01)  # the callback finds no reader and does nothing
    assert pipe.get(0.1) == "x"
