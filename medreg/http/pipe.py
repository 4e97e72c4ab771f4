"""The bounded hand-over between a stream's producer greenlet and the request's greenlet that writes it.

One producer, one reader, nothing else: `gevent.queue.Queue` serves any number of each and
makes three deques (items, waiting getters, waiting putters), 2.5 KiB traced per open stream
(`python bench/stream_memory.py --open 300 --trace 15`), where this keeps a list and two slots.
RSS per silent open stream 64.7 / 65.9 -> 61.3 / 61.9 KiB (`python bench/peers.py open
--medreg-only --open 1000 --open-first-token-s 150 --rate 50`). It behaves as the relay used the
queue: a `put` never switches (the reader is woken by a hub callback, as gevent's queue does it),
a put past `size` unread items waits for the reader, and a `get` waits at most its timeout.
"""
from __future__ import annotations

from typing import Any, Optional

from gevent import get_hub
from gevent.timeout import Timeout
from greenlet import getcurrent


class Empty(Exception):
    """A `get` waited its whole timeout and nothing came."""


class Pipe:
    """A bounded FIFO from one producer greenlet to one reader greenlet."""

    __slots__ = ("items", "size", "_reader", "_writer")

    def __init__(self, size: int) -> None:
        self.items: list = []
        self.size = size
        self._reader: Optional[Any] = None   # the reader's greenlet while it waits in `get`
        self._writer: Optional[Any] = None   # the producer's greenlet while it waits in `put`

    def put(self, item: Any) -> None:
        """Add `item`; wait first while `size` items are unread. Wakes a waiting reader without switching."""
        while len(self.items) >= self.size:
            self._writer = getcurrent()
            try:
                get_hub().switch()
            finally:
                self._writer = None
        self.items.append(item)
        if self._reader is not None:
            get_hub().loop.run_callback(self._wake_reader)

    def get(self, timeout: Optional[float]) -> Any:
        """The oldest item; waits up to `timeout` seconds for one (None: no limit), else raises `Empty`."""
        if not self.items:
            # The timer raises `Empty` itself: catching its Timeout and raising anew chained the two and
            # left frame <-> traceback cycles, one per silent wait, for the collector.
            timer = Timeout.start_new(timeout, Empty) if timeout is not None else None
            self._reader = getcurrent()
            try:
                while not self.items:
                    get_hub().switch()
            finally:
                self._reader = None
                if timer is not None:
                    timer.close()
        item = self.items.pop(0)
        if self._writer is not None:
            get_hub().loop.run_callback(self._wake_writer)
        return item

    def _wake_reader(self) -> None:
        # Only a reader still waiting is switched to: one that timed out or left has cleared the slot.
        reader = self._reader
        if reader is not None:
            reader.switch()

    def _wake_writer(self) -> None:
        writer = self._writer
        if writer is not None:
            writer.switch()
