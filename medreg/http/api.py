"""The four JSON endpoints and the four stream endpoints, over the same step generators."""
from __future__ import annotations

import logging
import time
from typing import Iterator

from flask import Blueprint, Response, current_app, jsonify, request

from medreg.errors import MedregError, error_from_code, message_for
from medreg.events import Done, Failure, Result
from medreg.http.bodies import BodyError, read_body
from medreg.http.limits import client_key, stream_slots
from medreg.http.logs import current_request_id, log_fields
from medreg.http.streaming import sse_error_response, sse_response
from medreg.pipeline import STEPS, build_input, run_step
from medreg.pipeline.runner import run_cooperatively

api_bp = Blueprint("api", __name__, url_prefix="/api")
stream_bp = Blueprint("stream", __name__, url_prefix="/api/stream")
stream_log = logging.getLogger("medreg.stream")


def _events(step: str, step_input, *, heartbeats: bool):
    config = current_app.config
    return run_cooperatively(
        run_step(step, current_app.extensions["medreg"].engine, step_input, current_request_id()),
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
    for event in _events(step, step_input, heartbeats=False):
        if isinstance(event, Result):
            return jsonify(event.data)
        if isinstance(event, Failure):
            error = error_from_code(event.code, fields=event.fields, retryable=event.retryable)
            raise error.with_language(step_input.language)
    raise MedregError("step ended without a result").with_language(step_input.language)


def _logged_stream(step: str, items: Iterator) -> Iterator:
    """Relay a stream's items and log how it ended."""
    started, events, terminal = time.monotonic(), 0, None
    request_id = current_request_id()
    try:
        for item in items:
            if isinstance(item, (Done, Failure)):
                terminal = item.type if isinstance(item, Done) else item.code
            events += 1
            yield item
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
        if stream_log.isEnabledFor(logging.INFO):
            stream_log.info("stream closed", extra=log_fields(
                request_id=request_id, path=f"/api/stream/{step}", status=200, events=events,
                terminal=terminal or "client_gone", ms=round((time.monotonic() - started) * 1000, 1)))


def answer_stream(step: str) -> Response:
    """Stream a step as SSE; an invalid request gets a 4xx whose body is one `error` event."""
    try:
        body, _ = read_body(request, step)
    except BodyError as exc:
        error = exc.error
        return sse_error_response(error.code, message_for(error.code, exc.language), error.status,
                                  retryable=error.retryable, fields=error.fields)
    step_input = build_input(step, body)
    client, slots = client_key(), stream_slots()
    slots.acquire(client)  # raises RateLimited: answered as one SSE error event
    try:
        response = sse_response(_logged_stream(step, _events(step, step_input, heartbeats=True)))
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
