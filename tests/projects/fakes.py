"""Engines for the projects tests, loadable by a real gunicorn (`MEDREG_ENGINE=tests.projects.fakes:Name`):
the offline engine's own answers, paced so a test can cut a stream in the middle of `standards`."""
from __future__ import annotations

import os
from typing import Iterator

import gevent

from medreg.engines.base import StandardsInput
from medreg.engines.offline import OfflineEngine
from medreg.events import Event, PlanReady


class PacedOffline(OfflineEngine):
    """Offline answers; waits `MEDREG_TEST_PLAN_GAP_S` (default 0.3 s) on the hub before each plan,
    as an upstream model would between workstreams."""

    engine_id = "paced-offline"
    waits_on_io = True

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        gap = float(os.environ.get("MEDREG_TEST_PLAN_GAP_S", "0.3"))
        for event in super().standards(request):
            if isinstance(event, PlanReady):
                gevent.sleep(gap)
            yield event
