"""Schemas of the SSE event payloads, for the OpenAPI document."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from medreg.schemas.results import PlanSchema


class StatusEventSchema(Schema):
    type = fields.Constant("status", required=True)
    message = fields.String(required=True, metadata={"description": "Human text in the request's language."})
    stage = fields.String(required=True, metadata={"description": "Machine code of the stage."})
    progress = fields.Float(validate=validate.Range(0, 1))


class DeltaEventSchema(Schema):
    type = fields.Constant("delta", required=True)
    text = fields.String(required=True)


class PlanEventSchema(Schema):
    type = fields.Constant("plan", required=True)
    data = fields.Nested(PlanSchema, required=True)
    index = fields.Integer(required=True, metadata={"description": "1-based."})
    total = fields.Integer(required=True)


class ResultEventSchema(Schema):
    type = fields.Constant("result", required=True)
    data = fields.Dict(required=True, metadata={"description": "The JSON endpoint's answer."})


class DoneEventSchema(Schema):
    type = fields.Constant("done", required=True)
    elapsed_ms = fields.Integer(required=True)
    total_plans = fields.Integer(metadata={"description": "standards only"})
    usage = fields.Dict(metadata={"description": "LLM token usage (anthropic engine)."})


class ErrorEventSchema(Schema):
    type = fields.Constant("error", required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    retryable = fields.Boolean(required=True)
    fields_ = fields.Dict(data_key="fields")
    reason = fields.String(metadata={"description": "The model's stated reason (a refusal's), if given."})
    retry_after = fields.Integer(metadata={"description": "Seconds the upstream asked to wait (as Retry-After)."})


EVENT_SCHEMAS = {
    "status": StatusEventSchema, "delta": DeltaEventSchema, "plan": PlanEventSchema,
    "result": ResultEventSchema, "done": DoneEventSchema, "error": ErrorEventSchema,
}
