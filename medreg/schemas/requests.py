"""marshmallow schemas for the four request bodies, with field names as the seed's clients send them."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import (EXCLUDE, INCLUDE, Schema, ValidationError, fields,
                         validate, validates_schema)

MARKET_CHOICES = ("US", "EU", "KR")
LANGUAGES = ("ko", "en")
HANGUL = re.compile(r"[\u3131-\u318e\uac00-\ud7a3]")


def has_hangul(text: Any) -> bool:
    """True when `text` is a string with at least one Hangul character."""
    return isinstance(text, str) and bool(HANGUL.search(text))


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed before length checks."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.strip()


class _Request(Schema):
    class Meta:
        unknown = EXCLUDE

    language = fields.String(validate=validate.OneOf(LANGUAGES), load_default=None,
                             metadata={"description": "`ko` or `en`; default from the text (Hangul → ko)."})


def _markets_field() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(MARKET_CHOICES)),
        validate=validate.Length(min=1, max=3), load_default=None,
        metadata={"description": "Subset of US, EU, KR; default all three."})


class _ObjectSchema(Schema):
    """An object whose extra keys are kept: results from classify are sent back as they are."""

    class Meta:
        unknown = INCLUDE


class ClassifyRequestSchema(_Request):
    concept = TrimmedString(required=True, validate=validate.Length(min=1, max=4000),
                            metadata={"example": "스마트 인슐린 펌프"})
    context = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=8000))
    markets = _markets_field()


class PurposeRequestSchema(_Request):
    concept = TrimmedString(required=True, validate=validate.Length(min=1, max=4000))
    classification = fields.Nested(_ObjectSchema, load_default=None, allow_none=True)
    context = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=8000))


class CategoryField(fields.Field):
    """`{code, label}` as classify returns it, or a bare category code."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and 0 < len(value) <= 200:
            return {"code": value}
        if isinstance(value, dict) and isinstance(value.get("code"), str):
            return value
        raise ValidationError("Expected a category object {code, label} or a category code.")


class StandardsRequestSchema(_Request):
    classification = fields.Nested(_ObjectSchema, required=True)
    category = CategoryField(load_default=None, allow_none=True)
    purposeMechanism = fields.Nested(_ObjectSchema, load_default=None, allow_none=True)
    markets = _markets_field()


class PlanInputSchema(Schema):
    """A plan as the standards step returned it (extra keys kept)."""

    class Meta:
        unknown = INCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    title = fields.String(load_default="")
    standards = fields.List(fields.Dict(), load_default=list)
    activities = fields.List(fields.Dict(), load_default=list)
    markets = fields.List(fields.String(), load_default=list)


class RefineRequestSchema(_Request):
    plan = fields.Nested(PlanInputSchema, load_default=None)
    plans = fields.List(fields.Nested(PlanInputSchema), validate=validate.Length(min=1, max=30),
                        load_default=None)
    feedback = TrimmedString(required=True, validate=validate.Length(min=1, max=4000))
    classification = fields.Nested(_ObjectSchema, load_default=None, allow_none=True)
    purposeMechanism = fields.Nested(_ObjectSchema, load_default=None, allow_none=True)

    @validates_schema
    def _one_of_plan_or_plans(self, data: dict, **kwargs) -> None:
        if (data.get("plan") is None) == (data.get("plans") is None):
            raise ValidationError("Send either `plan` or `plans`.", field_name="plan")


REQUEST_SCHEMAS: dict[str, Schema] = {
    "classify": ClassifyRequestSchema(),
    "purpose": PurposeRequestSchema(),
    "standards": StandardsRequestSchema(),
    "refine": RefineRequestSchema(),
}
