"""The stack's floor: a minimal Flask app under the same gunicorn settings writing the same bytes as
medreg's classify stream with the canned engine (frames computed once at import)."""
from __future__ import annotations

from flask import Flask, Response, request, stream_with_context

from medreg.events import Done, Result, Status
from medreg.http.sse import encode_payload
from tests.fakes import canned_classification

FRAMES = [
    encode_payload(1, Status("Classifying the device concept…", "started", 0.0).payload()),
    encode_payload(2, Result(canned_classification("smart insulin pump", "en", "instant")).payload()),
    encode_payload(3, Done(0).payload()),
]

app = Flask(__name__)


@app.post("/api/stream/classify")
def classify_stream() -> Response:
    """Read the body, then write the canned frames one by one."""
    request.get_data()

    def generate():
        yield from FRAMES

    return Response(stream_with_context(generate()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@app.get("/healthz")
def healthz() -> dict:
    """Liveness, for the benchmark's start-up wait."""
    return {"status": "ok"}
