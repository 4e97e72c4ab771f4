"""The Redis event log for several hosts: one stream per run (`medreg:run:<id>`), entry ids
`<seq>-1`, so Redis itself refuses a second entry with a number already used, and a reader
resumes with XREAD from `<Last-Event-ID>-1`; streams expire a day after their last event."""
from __future__ import annotations

import json

import redis

from medreg.projects.eventlog import EventLog
from medreg.projects.runs import Runs

KEEP_S = 24 * 3600


class RedisEventLog(EventLog):
    """Events in Redis streams; readers on any host block on XREAD instead of polling."""

    def __init__(self, runs: Runs, url: str) -> None:
        super().__init__(runs)
        self.client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=5)

    @staticmethod
    def key(run_id: str) -> str:
        """The stream of one run."""
        return f"medreg:run:{run_id}"

    def write(self, run_id: str, seq: int, payload: dict) -> None:
        """Append the event as entry `<seq>-1` (a repeated number is refused by Redis)."""
        key = self.key(run_id)
        try:
            self.client.xadd(key, {"data": json.dumps(payload, ensure_ascii=False)}, id=f"{seq}-1")
        except redis.ResponseError as exc:
            if "equal or smaller" not in str(exc):
                raise
            return
        self.client.expire(key, KEEP_S)
        super().write(run_id, seq, payload)

    def events_after(self, run_id: str, after: int) -> list[tuple[int, dict]]:
        """Entries after `<after>-1`, in order."""
        entries = self.client.xrange(self.key(run_id), min=f"({after}-1", max="+", count=500)
        return [(_seq(entry_id), json.loads(fields[b"data"])) for entry_id, fields in entries]

    def wait(self, run_id: str, after: int, timeout: float) -> None:
        """Block on XREAD until an entry after `<after>-1` arrives, or `timeout` (at most 1 s: the
        reader then records that it is still there, and checks that the run's worker is alive)."""
        self.client.xread({self.key(run_id): f"{after}-1"}, count=1, block=max(1, int(min(timeout, 1.0) * 1000)))

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


def _seq(entry_id: bytes) -> int:
    return int(entry_id.split(b"-", 1)[0])
