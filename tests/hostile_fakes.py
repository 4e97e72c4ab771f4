"""Engines that misbehave on purpose, for lifecycle tests against real gunicorn
(`MEDREG_ENGINE=tests.hostile_fakes:Name`)."""
from __future__ import annotations

import os
from typing import Iterator

import gevent

from medreg.engines.base import ClassifyInput
from medreg.events import Delta, Event, Result
from tests.fakes import SlowEngine, canned_classification


class FloodEngine(SlowEngine):
    """Classify emits `MEDREG_TEST_FLOOD_EVENTS` (default 1,000) deltas of 200 KB as fast as the client
    takes them: a client that stops reading fills the socket buffers within a few events."""

    engine_id = "flood"
    chunk = "x" * (200 * 1024)

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        count = int(os.environ.get("MEDREG_TEST_FLOOD_EVENTS", "1000"))
        self._note(f"start {request.concept}")
        try:
            for n in range(count):
                yield Delta(self.chunk)
                if n % 10 == 0:
                    gevent.sleep(0)  # let other greenlets in, as a real upstream read would
                    self._note(f"sent {n + 1}")
            yield Result(canned_classification(request.concept, request.language, self.name))
            self._note(f"finish {request.concept}")
        finally:
            self._note(f"cleanup {request.concept}")
