"""Peer (b) of bench/peers.py: a plain async relay, FastAPI + `AsyncAnthropic` + sse-starlette + uvicorn.

It validates with medreg's request schemas, then sends the upstream the very request bodies medreg
sent for the same step (recorded from the stub by bench/peers.py, file in MEDREG_PEER_CALLS) and
re-emits the same SSE events: a first `status`, a `delta` per text chunk (classify), a `plan` per
finished call (standards: all calls at once), the `result` and `done`.
"""
from __future__ import annotations

import asyncio
import json
import os

from anthropic import AsyncAnthropic
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from marshmallow import ValidationError
from sse_starlette.sse import EventSourceResponse

from medreg.http.sse import compact_json
from medreg.schemas.requests import REQUEST_SCHEMAS

app = FastAPI()
client = AsyncAnthropic(max_retries=2)
CALLS: dict[str, list[dict]] = json.loads(open(os.environ["MEDREG_PEER_CALLS"], encoding="utf-8").read())


@app.get("/healthz")
def healthz() -> dict:
    """Liveness, for the bench's start-up wait."""
    return {"status": "ok"}


def _frame(number: int, name: str, payload: dict) -> dict:
    return {"id": str(number), "event": name, "data": compact_json({"type": name, **payload})}


async def _to_end(body: dict) -> dict:
    async with client.messages.stream(**body) as stream:
        message = await stream.get_final_message()
    return json.loads("".join(block.text for block in message.content if block.type == "text"))


@app.post("/api/stream/{step}")
async def stream(step: str, request: Request):
    """The step's recorded upstream calls, relayed as SSE."""
    if not CALLS.get(step):
        return JSONResponse({"error": {"code": "not_found"}}, status_code=404)
    try:
        REQUEST_SCHEMAS[step].load(json.loads(await request.body()))
    except (ValueError, ValidationError) as exc:
        return JSONResponse({"error": {"code": "invalid_request", "message": str(exc)}}, status_code=400)
    bodies = CALLS[step]

    async def events():
        yield _frame(1, "status", {"message": "started", "stage": "started", "progress": 0.0})
        number = 1
        try:
            if len(bodies) == 1:
                async with client.messages.stream(**bodies[0]) as upstream:
                    async for text in upstream.text_stream:
                        number += 1
                        yield _frame(number, "delta", {"text": text})
                    message = await upstream.get_final_message()
                data = json.loads("".join(b.text for b in message.content if b.type == "text"))
            else:
                data = {"plans": []}
                for finished in asyncio.as_completed([_to_end(body) for body in bodies]):
                    plan = await finished
                    data["plans"].append(plan)
                    number += 1
                    yield _frame(number, "plan", {"plan": plan})
            yield _frame(number + 1, "result", {"data": data})
            yield _frame(number + 2, "done", {})
        except Exception as exc:  # noqa: BLE001  one error event ends the stream, like medreg's
            if os.environ.get("MEDREG_PEER_DEBUG"):
                import traceback
                traceback.print_exc()
            yield _frame(number + 1, "error", {"code": "upstream_error", "message": type(exc).__name__})

    return EventSourceResponse(events(), ping=15)
