"""Helpers for driving medreg under real gunicorn against the stub: SSE reading, request bodies, waits."""
from __future__ import annotations

import json
import socket
import time
from typing import Callable
from urllib.parse import urlparse

from medreg.http.sse import SSEParser
from medreg.knowledge import get_knowledge
from medreg.markets import MARKETS

CONCEPT = "smart insulin pump controlled by a phone app"


def read_events(sock: socket.socket, until: set[str] = frozenset({"done", "error"}), *,
                timed: bool = False) -> list:
    """SSE events off a raw socket (medreg's own parser) until one whose type is in `until` or the
    server closes; with `timed`, each as (seconds since the call, event)."""
    started, parser, events = time.monotonic(), SSEParser(), []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return events
        for parsed in parser.feed(chunk):
            event = parsed.data
            events.append((time.monotonic() - started, event) if timed else event)
            if event["type"] in until:
                return events


def classification() -> dict:
    """The knowledge base's classification of the concept."""
    return get_knowledge().classify(CONCEPT, None, MARKETS, "en")


def bodies() -> dict[str, dict]:
    """A request body for each step (refine with three plans: a fan-out)."""
    found = classification()
    plans = get_knowledge().plans(found, found["category"], None, MARKETS, "en")
    return {"classify": {"concept": CONCEPT, "language": "en"},
            "purpose": {"concept": CONCEPT, "language": "en"},
            "standards": {"classification": found, "language": "en"},
            "refine": {"plans": plans[:3], "feedback": "we sell in Korea only", "language": "en"}}


def wait_until(condition: Callable[[], bool], timeout_s: float, every_s: float = 0.02) -> float:
    """Seconds until `condition()` held (polling), or raise AssertionError after `timeout_s`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"condition not met within {timeout_s} s")
        time.sleep(every_s)
    return time.monotonic() - started


def open_json_post(url: str, step: str, body: dict) -> socket.socket:
    """POST a JSON endpoint on a raw socket (so a test decides when the client leaves)."""
    raw = json.dumps(body).encode()
    parsed = urlparse(url)
    sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
    sock.sendall(f"POST /api/{step} HTTP/1.1\r\nHost: medreg\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(raw)}\r\n\r\n".encode() + raw)
    return sock
