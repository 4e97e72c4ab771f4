"""A SQLite file the workers of one host share: rate-limit windows (a `limits` storage) and open streams.

flask-limiter's `memory://` storage counts per worker, so N workers let N times the limit through
(225 requests passed a 120/minute limit on 2 workers). gunicorn.conf.py points every worker of one
master at one file (in /dev/shm where it exists) with `sqlite:///path`; `redis://` shares across hosts.
Each update is one statement or one short `BEGIN IMMEDIATE` transaction, so concurrent workers
never lose a count. Durability is not wanted (the file dies with the server): WAL, synchronous off.
Cost (`python bench/limit_storage.py`, 2 shared cores, two runs): a rate-limit hit 16 µs (memory://
5-8 µs, Redis on loopback 43-70 µs); a stream cap's take + drop 38-55 µs (Redis 86-139 µs): under
a tenth of the ~1 ms CPU an offline stream costs.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS streams (id TEXT PRIMARY KEY, client TEXT NOT NULL, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS streams_client ON streams (client, expires);
"""
# One statement, so atomic across processes: a window past its expiry restarts at `amount`.
_INCR = """
INSERT INTO windows (key, count, expires) VALUES (?1, ?2, ?3 + ?4)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN expires <= ?3 THEN excluded.count ELSE count + excluded.count END,
  expires = CASE WHEN expires <= ?3 THEN excluded.expires ELSE expires END
RETURNING count
"""


class SharedFile:
    """One connection per process to the shared file (opened after fork, used under a lock)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def connection(self) -> sqlite3.Connection:
        """This process's connection (a forked child must not reuse its parent's)."""
        if self._conn is None or self._pid != os.getpid():
            # autocommit (isolation_level=None): transactions are explicit BEGIN IMMEDIATE below.
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(_SCHEMA)
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def run(self, sql: str, params: tuple = ()) -> list[tuple]:
        """One statement (atomic on its own) and its rows."""
        with self._lock:
            return self.connection().execute(sql, params).fetchall()

    def take_stream(self, client: str, stream_id: str, cap: int, lifetime_s: float) -> bool:
        """Record an open stream unless `client` already holds `cap` live ones."""
        now = time.time()
        with self._lock:
            conn = self.connection()
            conn.execute("BEGIN IMMEDIATE")  # the write lock first: two workers cannot both see cap-1
            try:
                conn.execute("DELETE FROM streams WHERE client = ? AND expires <= ?", (client, now))
                (held,) = conn.execute("SELECT count(*) FROM streams WHERE client = ?", (client,)).fetchone()
                if held >= cap:
                    return False
                conn.execute("INSERT INTO streams (id, client, expires) VALUES (?, ?, ?)",
                             (stream_id, client, now + lifetime_s))
                return True
            finally:
                conn.execute("COMMIT")

    def drop_stream(self, stream_id: str) -> None:
        """Forget a closed stream."""
        self.run("DELETE FROM streams WHERE id = ?", (stream_id,))


def path_of(uri: str) -> str:
    """`sqlite:///dev/shm/x.db` -> `/dev/shm/x.db`."""
    return uri.split("://", 1)[1]


class SQLiteStorage(Storage):
    """flask-limiter / `limits` fixed-window storage in a SQLite file (`sqlite:///path`)."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.file = SharedFile(path_of(uri))
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """What a failing storage raises."""
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the window `key` (restarted when expired); the new count."""
        now = time.time()
        self._hits += 1
        if self._hits % 1000 == 0:  # expired windows of clients that went away
            self.file.run("DELETE FROM windows WHERE expires <= ?", (now,))
        return self.file.run(_INCR, (key, amount, now, float(expiry)))[0][0]

    def get(self, key: str) -> int:
        """The live count of window `key`."""
        rows = self.file.run("SELECT count FROM windows WHERE key = ? AND expires > ?", (key, time.time()))
        return rows[0][0] if rows else 0

    def get_expiry(self, key: str) -> float:
        """When window `key` ends (now when there is none)."""
        rows = self.file.run("SELECT expires FROM windows WHERE key = ? AND expires > ?", (key, time.time()))
        return rows[0][0] if rows else time.time()

    def check(self) -> bool:
        """Whether the file answers."""
        try:
            self.file.run("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        """Forget every window."""
        return len(self.file.run("DELETE FROM windows RETURNING key"))

    def clear(self, key: str) -> None:
        """Forget window `key`."""
        self.file.run("DELETE FROM windows WHERE key = ?", (key,))
