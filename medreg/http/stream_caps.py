"""Where the per-client cap on open streams is counted: one worker, a host's shared file, or Redis.

Each open stream is a row / sorted-set member that expires at the longest a stream may live, so
a worker that dies holding streams frees them by itself at worst after that time.
"""
from __future__ import annotations

import time
from typing import Optional, Protocol

from medreg.http.shared_store import SharedFile, path_of

# Atomic on the server: drop expired members, refuse at the cap, else add this stream.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class SharedCounts(Protocol):
    """Open streams counted where every worker sees them."""

    def take(self, client: str, stream_id: str, cap: int) -> bool:
        """Record a stream unless the client holds `cap`."""

    def drop(self, client: str, stream_id: str) -> None:
        """Forget a stream."""


class FileCounts:
    """The host's shared SQLite file (the default under gunicorn.conf.py)."""

    def __init__(self, uri: str, lifetime_s: float) -> None:
        self.file, self.lifetime_s = SharedFile(path_of(uri)), lifetime_s

    def take(self, client: str, stream_id: str, cap: int) -> bool:
        """Record a stream unless the client holds `cap`."""
        return self.file.take_stream(client, stream_id, cap, self.lifetime_s)

    def drop(self, client: str, stream_id: str) -> None:
        """Forget a stream."""
        self.file.drop_stream(stream_id)


class RedisCounts:
    """A Redis sorted set per client (member: stream id, score: when it expires)."""

    def __init__(self, uri: str, lifetime_s: float) -> None:
        import redis  # only when a redis:// storage is configured

        self.client = redis.Redis.from_url(uri)
        self.lifetime_s = lifetime_s
        self._take = self.client.register_script(_TAKE)

    def take(self, client: str, stream_id: str, cap: int) -> bool:
        """Record a stream unless the client holds `cap`."""
        now = time.time()
        return bool(self._take(keys=[f"medreg:streams:{client}"],
                               args=[now, cap, now + self.lifetime_s, stream_id, int(self.lifetime_s) + 1]))

    def drop(self, client: str, stream_id: str) -> None:
        """Forget a stream."""
        self.client.zrem(f"medreg:streams:{client}", stream_id)


def shared_counts(uri: str, lifetime_s: float) -> Optional[SharedCounts]:
    """The shared counter for a limits storage URI; None for `memory://` (this worker alone)."""
    scheme = uri.split("://", 1)[0].lower()
    if scheme == "sqlite":
        return FileCounts(uri, lifetime_s)
    if scheme in ("redis", "rediss"):
        return RedisCounts(uri, lifetime_s)
    return None
