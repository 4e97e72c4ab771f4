"""The four JSON endpoints and the four stream endpoints, over the same step generators."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from medreg.errors import error_from_code, message_for
from medreg.events import Failure, Result
from medreg.http.bodies import BodyError, read_body
from medreg.http.streaming import sse_error_response, sse_response
from medreg.pipeline import STEPS, build_input, run_step
from medreg.pipeline.runner import run_cooperatively

api_bp = Blueprint("api", __name__, url_prefix="/api")
stream_bp = Blueprint("stream", __name__, url_prefix="/api/stream")


def _engine():
    return current_app.extensions["medreg"].engine


def _events(step: str, body: dict, *, heartbeats: bool):
    step_input = build_input(step, body)
    config = current_app.config
    return run_cooperatively(
        run_step(step, _engine(), step_input),
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
    result = None
    for event in _events(step, body, heartbeats=False):
        if isinstance(event, Result):
            result = event.data
        elif isinstance(event, Failure):
            raise error_from_code(event.code, fields=event.fields, retryable=event.retryable).with_language(
                build_input(step, body).language)
    return jsonify(result)


def answer_stream(step: str) -> Response:
    """Stream a step as SSE; an invalid request gets a 4xx whose body is one `error` event."""
    try:
        body, _ = read_body(request, step)
    except BodyError as exc:
        error = exc.error
        return sse_error_response(error.code, message_for(error.code, exc.language), error.status,
                                  retryable=error.retryable, fields=error.fields)
    return sse_response(_events(step, body, heartbeats=True))


def _register(step: str) -> None:
    api_bp.add_url_rule(f"/{step}", f"{step}", lambda: answer_json(step), methods=["POST"])
    stream_bp.add_url_rule(f"/{step}", f"{step}", lambda: answer_stream(step), methods=["POST"])


for _step in STEPS:
    _register(_step)
