"""When a stream is owed a heartbeat or has run out of time: pure arithmetic on one clock.

The relay asks `Pacer` how long it may wait for the step's next event, and after a wait that
ended with nothing asks it what is due. Every answer is computed from the clock at that moment,
never from what a timer object remembers, so an early or spurious wake costs one more short wait
and a heartbeat goes out once per `heartbeat_s` of silence however the silence was cut into waits.
"""
from __future__ import annotations

import enum
import time
from typing import Callable, Optional

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
