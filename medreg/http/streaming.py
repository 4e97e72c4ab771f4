"""The one helper that makes a streaming response: headers, heartbeats, bounded writes, cleanup."""
from __future__ import annotations

import logging
from typing import Iterable, Iterator

from flask import Response, current_app, request, stream_with_context

from medreg.events import Event, Failure
from medreg.http.sse import HEARTBEAT as HEARTBEAT_FRAME, encode_payload
from medreg.pipeline.runner import Heartbeat

log = logging.getLogger(__name__)

SSE_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx: do not buffer this response even where proxy_buffering is on.
    "X-Accel-Buffering": "no",
}


def _bound_writes(environ: dict, seconds: float) -> None:
    # gunicorn leaves client sockets blocking with no timeout: a client that stops reading
    # would hold this greenlet forever in sendall. A timeout turns that into an error.
    sock = environ.get("gunicorn.socket")
    if sock is not None and seconds > 0:
        try:
            sock.settimeout(seconds)
        except OSError:
            pass


def encode_stream(items: Iterable[Event | Heartbeat]) -> Iterator[bytes]:
    """Encode events as SSE frames with ids from 1 and heartbeats as comments; closes `items`."""
    sequence = 0
    try:
        for item in items:
            if isinstance(item, Heartbeat):
                yield HEARTBEAT_FRAME
                continue
            sequence += 1
            yield encode_payload(sequence, item.payload())
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def sse_response(items: Iterable[Event | Heartbeat], status: int = 200) -> Response:
    """A `text/event-stream` response that writes each event as one chunk, in order."""
    _bound_writes(request.environ, current_app.config["WRITE_TIMEOUT_S"])
    response = Response(stream_with_context(encode_stream(items)), status=status,
                        mimetype="text/event-stream")
    response.headers.update(SSE_HEADERS)
    return response


def sse_error_response(code: str, message: str, status: int, *, retryable: bool = False,
                       fields: dict | None = None, headers: dict | None = None) -> Response:
    """A 4xx/5xx answer whose SSE body holds exactly one `error` event."""
    body = encode_payload(1, Failure(code, message, retryable, fields).payload())
    response = Response(body, status=status, mimetype="text/event-stream")
    response.headers.update(SSE_HEADERS)
    if headers:
        response.headers.update(headers)
    return response
