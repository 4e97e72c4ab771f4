"""marshmallow schemas of the results and of each SSE event: the OpenAPI document and the
check the Anthropic engine's structured output must pass."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from medreg.knowledge.qualification.qualify import STATUSES


class _Open(Schema):
    class Meta:
        unknown = INCLUDE


class DeviceRefSchema(_Open):
    id = fields.String(required=True)
    name = fields.String(required=True)
    name_ko = fields.String()
    score = fields.Float(validate=validate.Range(0, 1))


class CategorySchema(_Open):
    code = fields.String(required=True)
    label = fields.String()


class MarketSchema(_Open):
    authority = fields.String(required=True)
    # null when the engine cannot decide: the market then says needs_review and why.
    class_ = fields.String(data_key="class", allow_none=True, required=True)
    pathway = fields.String(allow_none=True, required=True)
    rationale = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    product_code = fields.String(allow_none=True)
    regulation = fields.String(allow_none=True)
    rules = fields.List(fields.String())
    grade = fields.Integer(allow_none=True, validate=validate.Range(1, 4))
    needs_review = fields.Boolean()
    verified = fields.Boolean()


class MarketsSchema(Schema):
    US = fields.Nested(MarketSchema)
    EU = fields.Nested(MarketSchema)
    KR = fields.Nested(MarketSchema)


QUALIFICATION_STATUSES = list(STATUSES)


class MarketQualificationSchema(_Open):
    status = fields.String(required=True, validate=validate.OneOf(QUALIFICATION_STATUSES))
    reason = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    verified = fields.Boolean()
    other_regime = fields.String(metadata={"description": "the regime that applies instead (cosmetics, PPE, radio …)"})


class QualificationMarketsSchema(Schema):
    US = fields.Nested(MarketQualificationSchema)
    EU = fields.Nested(MarketQualificationSchema)
    KR = fields.Nested(MarketQualificationSchema)


class QualificationSchema(_Open):
    """Is it a medical device at all: `device` when any requested market regulates it as one, `not_device`
    when none does, else `needs_review` (with the deciding `question`)."""

    status = fields.String(required=True, validate=validate.OneOf(QUALIFICATION_STATUSES))
    reason = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    markets = fields.Nested(QualificationMarketsSchema, required=True)
    basis = fields.String(metadata={"description": "what decided it: medical_claim, device_type, wellness, "
                                                   "admin_software, cosmetic, audio, ppe, annex_xvi, cds, unclear …"})
    question = fields.String(metadata={"description": "the question whose answer decides a needs_review"})
    cues = fields.List(fields.String(), metadata={"description": "the words in the concept that decided it"})


class OptionSchema(Schema):
    value = fields.String(required=True, metadata={"description": "what to send back in `answers`"})
    label = fields.String(required=True, metadata={"description": "the choice in the user's language"})


class QuestionDetailSchema(Schema):
    """One of `questions[]` with what answering it means; `options` is empty for a free-text question."""

    id = fields.String(required=True, metadata={"description": "the key to use in ClassifyRequest `answers`"})
    text = fields.String(required=True)
    attribute = fields.String(allow_none=True, required=True,
                              metadata={"description": "the attribute the answer decides (`device`: the device type)"})
    options = fields.List(fields.Nested(OptionSchema), required=True)


class ClassificationSchema(_Open):
    concept = fields.String(required=True)
    language = fields.String(required=True, validate=validate.OneOf(["ko", "en"]))
    device = fields.Nested(DeviceRefSchema, allow_none=True, required=True)
    alternatives = fields.List(fields.Nested(DeviceRefSchema), required=True)
    category = fields.Nested(CategorySchema, required=True)
    attributes = fields.Dict(keys=fields.String(), required=True)
    attribute_sources = fields.Dict(keys=fields.String(), values=fields.String())
    markets = fields.Nested(MarketsSchema, required=True)
    confidence = fields.Float(required=True, validate=validate.Range(0, 1))
    needs_review = fields.Boolean()
    questions = fields.List(fields.String(), required=True)
    question_details = fields.List(fields.Nested(QuestionDetailSchema), metadata={
        "description": "`questions[]` one to one, each with its id and options; answer with ClassifyRequest `answers`"})
    answers = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "the answers applied (their attributes have the source `answer`)"})
    engine = fields.String(required=True)
    qualification = fields.Nested(QualificationSchema)


class PurposeSchema(_Open):
    intended_purpose = fields.String(required=True)
    indications = fields.List(fields.String(), required=True)
    contraindications = fields.List(fields.String(), required=True)
    target_population = fields.String(required=True)
    intended_users = fields.List(fields.String(), required=True)
    use_environment = fields.List(fields.String(), required=True)
    mechanism_of_action = fields.String(required=True)
    key_components = fields.List(fields.String(), required=True)
    engine = fields.String(required=True)


class PlanStandardSchema(_Open):
    id = fields.String(required=True)
    edition = fields.String(allow_none=True, required=True)
    title = fields.String(required=True)
    why = fields.String(required=True)


class ActivitySchema(_Open):
    name = fields.String(required=True)
    deliverable = fields.String(required=True)
    weeks = fields.Float(required=True, validate=validate.Range(0, 520))


class PlanSchema(_Open):
    id = fields.String(required=True)
    title = fields.String(required=True)
    standards = fields.List(fields.Nested(PlanStandardSchema), required=True)
    activities = fields.List(fields.Nested(ActivitySchema), required=True)
    estimated_weeks = fields.Float(required=True)
    depends_on = fields.List(fields.String(), required=True)
    markets = fields.List(fields.String(), required=True)
    rationale = fields.String(required=True)


class PlansSchema(_Open):
    plans = fields.List(fields.Nested(PlanSchema), required=True)
    total_plans = fields.Integer(required=True)
    engine = fields.String(required=True)


class ChangeSchema(_Open):
    path = fields.String(required=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    reason = fields.String(required=True)


class NotAppliedSchema(_Open):
    text = fields.String(required=True)
    reason = fields.String(required=True)


class RefinementSchema(_Open):
    plan = fields.Nested(PlanSchema)
    plans = fields.List(fields.Nested(PlanSchema))
    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    not_applied = fields.List(fields.Nested(NotAppliedSchema))
    engine = fields.String(required=True)


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    retryable = fields.Boolean(required=True)
    fields_ = fields.Dict(data_key="fields")
    reason = fields.String(metadata={"description": "The model's stated reason (a refusal's), if given."})
    retry_after = fields.Integer(metadata={"description": "Seconds the upstream asked to wait (as Retry-After)."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


RESULT_SCHEMAS: dict[str, type[Schema]] = {
    "classify": ClassificationSchema,
    "purpose": PurposeSchema,
    "standards": PlansSchema,
    "refine": RefinementSchema,
}
