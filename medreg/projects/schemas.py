"""marshmallow at the edge of the projects API: what a client may send, loaded exactly."""
from __future__ import annotations

from marshmallow import Schema, fields, validate, RAISE

from medreg.markets import MARKETS
from medreg.pipeline import STEPS


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ProjectCreateSchema(_Strict):
    """POST /api/projects: a name, and optionally the concept to start from (version 1)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"example": "스마트 인슐린 펌프"})
    concept = fields.String(validate=validate.Length(min=1, max=4000))
    context = fields.String(allow_none=True, validate=validate.Length(max=8000))
    markets = fields.List(fields.String(validate=validate.OneOf(MARKETS)), validate=validate.Length(min=1))
    language = fields.String(validate=validate.OneOf(["en", "ko"]))


class ProjectRenameSchema(_Strict):
    """PATCH /api/projects/{id}: a new name."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ProjectRunSchema(_Strict):
    """POST /api/projects/{id}/runs: which step, and what changes from the latest version."""

    step = fields.String(required=True, validate=validate.OneOf(STEPS))
    concept = fields.String(validate=validate.Length(min=1, max=4000),
                            metadata={"description": "A new concept (classify): the version records the change."})
    context = fields.String(allow_none=True, validate=validate.Length(max=8000))
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                          metadata={"description": "Answers to the classification's questions, kept in the version."})
    markets = fields.List(fields.String(validate=validate.OneOf(MARKETS)), validate=validate.Length(min=1))
    feedback = fields.String(validate=validate.Length(min=1, max=4000),
                             metadata={"description": "refine: what to change in the plans"})
    plan_id = fields.String(validate=validate.Length(min=1, max=200),
                            metadata={"description": "refine: only this plan"})
    language = fields.String(validate=validate.OneOf(["en", "ko"]))
    stream = fields.Boolean(load_default=False,
                            metadata={"description": "true: answer as SSE (also `Accept: text/event-stream`)"})


class VersionSchema(Schema):
    """One immutable version of a project's dossier."""

    number = fields.Integer()
    step = fields.String(allow_none=True)
    language = fields.String()
    concept = fields.String(allow_none=True)
    context = fields.String(allow_none=True)
    answers = fields.Dict(allow_none=True)
    markets = fields.List(fields.String(), allow_none=True)
    classification = fields.Dict(allow_none=True)
    purpose = fields.Dict(allow_none=True)
    plans = fields.List(fields.Dict(), allow_none=True)
    refinements = fields.List(fields.Dict(), allow_none=True)
    engine = fields.String(allow_none=True)
    model = fields.String(allow_none=True)
    kb_version = fields.String(allow_none=True)
    author = fields.String(metadata={"description": "The API key's id, or `local` on an open server."})
    created_at = fields.String()
    run_id = fields.String(allow_none=True)


class VersionSummarySchema(Schema):
    """A line of a project's history."""

    number = fields.Integer()
    step = fields.String(allow_none=True)
    author = fields.String()
    created_at = fields.String()
    engine = fields.String(allow_none=True)


class ProjectSchema(Schema):
    """A project and (on GET /api/projects/{id}) its versions, newest last."""

    id = fields.String()
    name = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    deleted = fields.Boolean()
    latest_version = fields.Integer()
    latest = fields.Nested(VersionSchema, allow_none=True)
    versions = fields.List(fields.Nested(VersionSummarySchema))


class RunSchema(Schema):
    """A run: its status, the version it made, and where its events can be read (resumed)."""

    id = fields.String()
    project_id = fields.String()
    step = fields.String()
    status = fields.String(metadata={"description": "running, done, failed or cancelled"})
    created_at = fields.String()
    ended_at = fields.String(allow_none=True)
    events = fields.Integer()
    version = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    events_url = fields.String()


class VersionChangeSchema(Schema):
    """One change between two versions, in both languages."""

    kind = fields.String()
    market = fields.String()
    plan = fields.String()
    en = fields.String()
    ko = fields.String()


class DiffSchema(Schema):
    """GET /api/projects/{id}/diff."""

    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    changes = fields.List(fields.Nested(VersionChangeSchema))
    summary = fields.Dict()
