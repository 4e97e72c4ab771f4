"""The four JSON endpoints and the four stream endpoints, over the same step generators."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from medreg.errors import MedregError, error_from_event
from medreg.events import Failure, Result
from medreg.http.bodies import BodyError, read_body
from medreg.http.disconnect import ClientWatch
from medreg.http.limits import client_key
from medreg.http.logs import REQUEST_ID_HEADER, current_request_id, log_line
from medreg.http.relay import relay, sse_error_response, sse_response
from medreg.pipeline import STEPS, build_input, run_step
from medreg.schemas.messages import localise

api_bp = Blueprint("api", __name__, url_prefix="/api")
stream_bp = Blueprint("stream", __name__, url_prefix="/api/stream")
stream_log = logging.getLogger("medreg.stream")


def _events(step: str, step_input, app: Flask, request_id: str, *, heartbeats: bool):
    config = app.config
    engine = app.extensions["medreg"].engine
    return relay(
        run_step(step, engine, step_input, request_id), waits_on_io=engine.waits_on_io,
        language=step_input.language,
        heartbeat_s=config["HEARTBEAT_S"] if heartbeats else None,
        deadline_s=min(config["STEP_DEADLINE_S"], config["MAX_STREAM_S"]),
    )


def answer_json(step: str) -> Response:
    """Run a step to its end and answer its result, or the error in the one JSON shape."""
    try:
        body, _ = read_body(request, step)
    except BodyError as exc:
        raise exc.error.with_language(exc.language)
    step_input = build_input(step, body)
    app = current_app._get_current_object()
    events = _events(step, step_input, app, current_request_id(), heartbeats=False)
    # A client that hangs up stops the upstream calls behind its answer.
    watch = ClientWatch(request.environ) if _watches(app) else None
    try:
        for event in (watch.relay(events) if watch is not None else events):
            if isinstance(event, Result):
                return jsonify(event.data)
            if isinstance(event, Failure):
                raise error_from_event(event.payload()).with_language(step_input.language)
    finally:
        if watch is not None:
            watch.stop()   # at once, not when the relay generator is collected
    if watch is not None and watch.gone:
        return Response(status=499)  # the client left (nobody reads this)
    raise MedregError("step ended without a result").with_language(step_input.language)


def _watches(app: Flask) -> bool:
    """Whether the engine waits on the network, so a hang-up must be noticed without waiting for a write."""
    return app.extensions["medreg"].engine.waits_on_io


def _stream_logger(step: str, request_id: str):
    """The `ended` callback of a stream: one log line saying how it ended."""
    started = time.monotonic()
    path = f"/api/stream/{step}"

    def ended(events: int, terminal: str | None) -> None:
        log_line(stream_log, "stream closed", request_id=request_id, path=path, status=200, events=events,
                 terminal=terminal or "client_gone", ms=round((time.monotonic() - started) * 1000, 1))
    return ended


def answer_stream(step: str) -> Response:
    """Stream a step as SSE; an invalid request gets a 4xx whose body is one `error` event."""
    http = request._get_current_object()  # one context lookup, not one per attribute
    try:
        body, _ = read_body(http, step)
    except BodyError as exc:
        error = exc.error
        return sse_error_response(error.code, error.message(exc.language), error.status,
                                  retryable=error.retryable, fields=localise(error.fields, exc.language))
    step_input = build_input(step, body)
    app = current_app._get_current_object()
    config, slots, client = app.config, app.extensions["medreg"].stream_slots, client_key()
    request_id = current_request_id()
    slots.acquire(client)  # raises RateLimited: answered as one SSE error event
    try:
        events = _events(step, step_input, app, request_id, heartbeats=True)
        response = sse_response(events, environ=http.environ, write_timeout_s=config["WRITE_TIMEOUT_S"],
                                headers=[(REQUEST_ID_HEADER, request_id)], ended=_stream_logger(step, request_id),
                                watch_client=_watches(app))
    except BaseException:
        slots.release(client)
        raise
    # On close, not in the generator: a body never iterated (client gone at once) still frees it.
    response.call_on_close(lambda: slots.release(client))
    return response


def _register(step: str) -> None:
    api_bp.add_url_rule(f"/{step}", step, lambda: answer_json(step), methods=["POST"])
    stream_bp.add_url_rule(f"/{step}", step, lambda: answer_stream(step), methods=["POST"])


for _step in STEPS:
    _register(_step)
