"""Python side of the stream clients: two transports (the app in-process, or a medreg server over
HTTP), read with the one SSE parser in `medreg.http.sse`. The CLI reads every step through these."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from typing import Callable, Iterator, Optional

from medreg.http.sse import SSEEvent, SSEParser, parse_stream  # noqa: F401  (SSEParser: callers read it from here)

class TransportError(Exception):
    """The server could not be reached or did not answer with an event stream."""


class InProcess:
    """Runs the app in this process through Flask's test client; the body streams as it is made."""

    def __init__(self, app=None) -> None:
        if app is None:
            from medreg import create_app

            # Request logs would interleave with the command's own progress; warnings still show.
            quiet = {} if os.environ.get("MEDREG_LOG_LEVEL") else {"LOG_LEVEL": "WARNING"}
            from medreg.projects.db import cli_database_url

            # The command's projects database is the user's own (~/.local/share/medreg), not the server's.
            app = create_app({**quiet, "DATABASE_URL": cli_database_url()})
        self.client = app.test_client()

    def stream(self, step: str, body: dict) -> Iterator[SSEEvent]:
        """The events of one step; closing the iterator early stops the work behind it."""
        response = self.client.post(f"/api/stream/{step}", json=body, buffered=False)
        try:
            yield from parse_stream(response.response)
        finally:
            response.close()

    def post(self, path: str, body: dict) -> tuple[int, str, bytes]:
        """A plain JSON POST: status, content type, body."""
        response = self.client.post(path, json=body)
        return response.status_code, response.content_type, response.get_data()


class Remote:
    """Talks to a medreg server over HTTP; retries a refused connection with 1 s, 2 s, 3 s back-off."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, timeout: float = 120.0,
                 retries: int = 3, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep

    def _request(self, path: str, body: dict, accept: str) -> urllib.request.Request:
        headers = {"Content-Type": "application/json", "Accept": accept}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return urllib.request.Request(self.base_url + path, data=json.dumps(body).encode("utf-8"),
                                      headers=headers, method="POST")

    def _open(self, request: urllib.request.Request):
        for attempt in range(self.retries + 1):
            try:
                return urllib.request.urlopen(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                return exc  # 4xx/5xx still carry a body (an SSE error event or the JSON error)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if attempt >= self.retries:
                    raise TransportError(f"cannot reach {self.base_url}: {getattr(exc, 'reason', exc)}") from exc
                self.sleep(attempt + 1)
        raise AssertionError("unreachable")

    def stream(self, step: str, body: dict) -> Iterator[SSEEvent]:
        """The events of one step, read as they arrive."""
        response = self._open(self._request(f"/api/stream/{step}", body, "text/event-stream"))
        try:
            if "text/event-stream" not in (response.headers.get("Content-Type") or ""):
                raise TransportError(f"HTTP {response.status}: not an event stream")
            yield from parse_stream(iter(lambda: response.read1(65536), b""))
        finally:
            response.close()

    def post(self, path: str, body: dict) -> tuple[int, str, bytes]:
        """A plain JSON POST: status, content type, body."""
        response = self._open(self._request(path, body, "*/*"))
        with response:
            return response.status, response.headers.get("Content-Type") or "", response.read()
