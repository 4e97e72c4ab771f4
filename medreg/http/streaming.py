"""The one helper that makes a streaming response: headers, heartbeats, bounded writes, cleanup."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional

from flask import Response, stream_with_context

from medreg.events import Done, Event, Failure
from medreg.http.disconnect import ClientWatch
from medreg.http.sse import HEARTBEAT as HEARTBEAT_FRAME, encode_payload
from medreg.pipeline.runner import HEARTBEAT, Heartbeat


SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
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


StreamEnded = Callable[[int, Optional[str]], None]


def encode_stream(items: Iterable[Event | Heartbeat], ended: Optional[StreamEnded] = None,
                  watch: Optional[ClientWatch] = None) -> Iterator[bytes]:
    """Encode events as SSE frames with ids from 1 and heartbeats as comments; closes `items`.

    With a `watch`, a client that hangs up ends the stream while it waits for the next event.

    `ended(events, terminal)` is called once at the end with the number of events sent and the
    terminal event's type or error code (None when the client left first).
    """
    sequence, terminal = 0, None
    try:
        for item in (watch.relay(items) if watch is not None else items):
            if item is HEARTBEAT:
                yield HEARTBEAT_FRAME
                continue
            sequence += 1
            if isinstance(item, (Done, Failure)):
                terminal = item.type if isinstance(item, Done) else item.code
            yield encode_payload(sequence, item.payload())
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
        if ended is not None:
            ended(sequence, terminal)


def sse_response(items: Iterable[Event | Heartbeat], *, environ: dict, write_timeout_s: float,
                 headers: Iterable[tuple[str, str]] = (), ended: Optional[StreamEnded] = None,
                 status: int = 200, watch_client: bool = False) -> Response:
    """A `text/event-stream` response that writes each event as one chunk, in order.

    `watch_client` (engines that call upstream) watches the socket so a hang-up stops the step at once.
    """
    _bound_writes(environ, write_timeout_s)
    watch = ClientWatch(environ) if watch_client else None
    return Response(stream_with_context(encode_stream(items, ended, watch)), status=status,
                    headers=[*SSE_HEADERS.items(), *headers], content_type=SSE_CONTENT_TYPE)


def sse_error_response(code: str, message: str, status: int, *, retryable: bool = False,
                       fields: dict | None = None, headers: dict | None = None) -> Response:
    """A 4xx/5xx answer whose SSE body holds exactly one `error` event."""
    body = encode_payload(1, Failure(code, message, retryable, fields).payload())
    return Response(body, status=status, content_type=SSE_CONTENT_TYPE,
                    headers=[*SSE_HEADERS.items(), *(headers or {}).items()])
