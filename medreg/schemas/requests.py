"""marshmallow schemas for the four request bodies, with field names as the seed's clients send them.

A result medreg served (Classification, Purpose, Plan) comes back inside these requests. Its
schema validates it and hands it on exactly as sent: every key under the name the client used
(`class`, not `class_`), no default filled in, no unknown key dropped, no number turned into
another type, so that it means the same to the next step as it did when it was served.
"""
from __future__ import annotations

import math
from typing import Any

from marshmallow import (EXCLUDE, INCLUDE, Schema, ValidationError, fields, post_dump,
                         validate, validates_schema)

from medreg.markets import MARKETS as MARKET_CHOICES
from medreg.knowledge.classification.answers import unknown_answers

LANGUAGES = ("ko", "en")


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed before length checks."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.strip()


class _Request(Schema):
    class Meta:
        unknown = EXCLUDE

    language = fields.String(validate=validate.OneOf(LANGUAGES), allow_none=True,
                             metadata={"description": "`ko` or `en`; default from the text (Hangul → ko)."})


def _markets_field() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(MARKET_CHOICES)),
        validate=validate.Length(min=1, max=3), allow_none=True,
        metadata={"description": "Subset of US, EU, KR; default all three."})


class _ObjectSchema(Schema):
    """An object whose extra keys are kept: results from classify are sent back as they are."""

    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def _keep_extra_keys(self, data: dict, original: Any, **kwargs) -> dict:
        """Dump the extra keys too, so that dump(load(x)) == x as load(x) == x."""
        extra = {k: v for k, v in original.items() if k not in data} if isinstance(original, dict) else {}
        return {**data, **extra}


class ExactNumber(fields.Float):
    """A JSON number (not a bool, not a numeric string) kept as sent: 4 stays 4, 4.5 stays 4.5."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.make_error("special")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class ExactInteger(fields.Integer):
    """A JSON integer (not a bool, not 4.0, not "4") kept as sent."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def _scalar(value: Any) -> bool:
    if value is None or isinstance(value, (bool, str)):
        return True
    return isinstance(value, (int, float)) and abs(value) < 1e15


class ScalarDict(fields.Dict):
    """An object of short keys and scalar values (the attributes the rules read)."""

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        bad = [key for key, item in result.items() if len(key) > 100 or not _scalar(item)]
        if bad:
            raise ValidationError(f"Values must be strings, numbers, booleans or null: {bad[:5]}")
        return result


class DeviceRefInputSchema(_ObjectSchema):
    id = fields.String(validate=validate.Length(max=200))
    name = fields.String(validate=validate.Length(max=1000))
    name_ko = fields.String(validate=validate.Length(max=1000))
    score = ExactNumber(validate=validate.Range(0, 1))


class MarketInputSchema(_ObjectSchema):
    # `class` is a Python keyword: the field's name differs, the loaded key must not.
    class_ = fields.String(data_key="class", attribute="class", allow_none=True,
                           validate=validate.Length(max=20))
    pathway = fields.String(allow_none=True)
    rationale = fields.String(allow_none=True)
    citations = fields.List(fields.String())
    rules = fields.List(fields.String())
    grade = ExactInteger(allow_none=True)
    product_code = fields.String(allow_none=True)
    regulation = fields.String(allow_none=True)


class ClassificationInputSchema(_ObjectSchema):
    """A Classification sent back by a client: the parts the later steps read must be well typed."""

    concept = fields.String(validate=validate.Length(max=4000))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    device = fields.Nested(DeviceRefInputSchema, allow_none=True)
    alternatives = fields.List(fields.Nested(DeviceRefInputSchema))
    category = fields.Raw(allow_none=True)
    attributes = ScalarDict(keys=fields.String())
    attribute_sources = ScalarDict(keys=fields.String())
    markets = fields.Dict(keys=fields.String(validate=validate.OneOf(MARKET_CHOICES)),
                          values=fields.Nested(MarketInputSchema))
    confidence = ExactNumber(allow_none=True)
    questions = fields.List(fields.String())


class PurposeInputSchema(_ObjectSchema):
    """A Purpose sent back by a client."""

    intended_purpose = fields.String(allow_none=True)
    indications = fields.List(fields.String())
    contraindications = fields.List(fields.String())
    target_population = fields.String(allow_none=True)
    intended_users = fields.List(fields.String())
    use_environment = fields.List(fields.String())
    mechanism_of_action = fields.String(allow_none=True)
    key_components = fields.List(fields.String())


class ClassifyRequestSchema(_Request):
    concept = TrimmedString(required=True, validate=validate.Length(min=1, max=4000),
                            metadata={"example": "스마트 인슐린 펌프"})
    context = fields.String(allow_none=True, validate=validate.Length(max=8000))
    markets = _markets_field()
    answers = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=50)),
                          values=fields.String(validate=validate.Length(min=1, max=200)),
                          validate=validate.Length(max=20), allow_none=True, metadata={
                              "description": "Answers to a previous Classification's `question_details`: "
                                             "`{question id: option value}`; they outrank the text.",
                              "example": {"duration": "long_term"}})

    @validates_schema
    def _answers_known(self, data: dict, **kwargs) -> None:
        if data.get("answers"):
            from medreg.knowledge import get_knowledge   # the device type ids live in the knowledge base
            errors = unknown_answers(data["answers"], get_knowledge().data.devices)
            if errors:
                raise ValidationError({"answers": errors})


class PurposeRequestSchema(_Request):
    concept = TrimmedString(required=True, validate=validate.Length(min=1, max=4000))
    classification = fields.Nested(ClassificationInputSchema, allow_none=True)
    context = fields.String(allow_none=True, validate=validate.Length(max=8000))


class CategoryField(fields.Field):
    """`{code, label}` as classify returns it, or a bare category code."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and 0 < len(value) <= 200:
            return {"code": value}
        if isinstance(value, dict) and isinstance(value.get("code"), str):
            return value
        raise ValidationError("Expected a category object {code, label} or a category code.")


class StandardsRequestSchema(_Request):
    classification = fields.Nested(ClassificationInputSchema, required=True)
    category = CategoryField(allow_none=True)
    purposeMechanism = fields.Nested(PurposeInputSchema, allow_none=True)
    markets = _markets_field()


class _PlanStandardInput(_ObjectSchema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    edition = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    why = fields.String(allow_none=True)


class _ActivityInput(_ObjectSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    deliverable = fields.String(allow_none=True)
    weeks = ExactNumber(validate=validate.Range(0, 520))
    # Scheduling hints the standards step writes: activities in one `parallel` group run side
    # by side; a `market` activity runs per market.
    parallel = fields.String(allow_none=True, validate=validate.Length(max=100))
    market = fields.String(allow_none=True, validate=validate.Length(max=20))


class PlanInputSchema(_ObjectSchema):
    """A plan as the standards step returned it (extra keys kept; parts it lacks stay absent)."""

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    workstream = fields.String(validate=validate.Length(max=50))
    title = fields.String()
    standards = fields.List(fields.Nested(_PlanStandardInput))
    activities = fields.List(fields.Nested(_ActivityInput))
    markets = fields.List(fields.String(validate=validate.Length(max=20)))
    depends_on = fields.List(fields.String(validate=validate.Length(max=200)))
    estimated_weeks = ExactNumber(validate=validate.Range(0, 520))
    rationale = fields.String(allow_none=True)


class RefineRequestSchema(_Request):
    plan = fields.Nested(PlanInputSchema, allow_none=True)
    plans = fields.List(fields.Nested(PlanInputSchema), validate=validate.Length(min=1, max=30),
                        allow_none=True)
    feedback = TrimmedString(required=True, validate=validate.Length(min=1, max=4000))
    classification = fields.Nested(ClassificationInputSchema, allow_none=True)
    purposeMechanism = fields.Nested(PurposeInputSchema, allow_none=True)

    @validates_schema
    def _one_of_plan_or_plans(self, data: dict, **kwargs) -> None:
        if (data.get("plan") is None) == (data.get("plans") is None):
            raise ValidationError("Send either `plan` or `plans`.", field_name="plan")


def _time_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(f"Unknown time zone: {name}.") from None


class ExportRequestSchema(_Request):
    format = fields.String(required=True, validate=validate.OneOf(["markdown", "html"]))
    timezone = fields.String(allow_none=True, validate=[validate.Length(max=64), _time_zone], metadata={
        "description": "The reader's IANA time zone (e.g. Asia/Seoul), for the memo's local time; default the server's.",
        "example": "Asia/Seoul"})
    dossier = fields.Nested(_ObjectSchema, required=True, metadata={
        "description": "{concept, classification, purpose, plans, refinements, answered?} as the steps returned them "
                       "(`answered`: [{id, text, label}] of the questions the user answered, for the memo)."})

    @validates_schema
    def _something_to_export(self, data: dict, **kwargs) -> None:
        dossier = data.get("dossier") or {}
        if not any(dossier.get(key) for key in ("concept", "classification", "purpose", "plans")):
            raise ValidationError("Nothing to export: give at least a concept or a classification.",
                                  field_name="dossier")


REQUEST_SCHEMAS: dict[str, Schema] = {
    "classify": ClassifyRequestSchema(),
    "purpose": PurposeRequestSchema(),
    "standards": StandardsRequestSchema(),
    "refine": RefineRequestSchema(),
    "export": ExportRequestSchema(),
}
