"""JSON schemas the model answers in (structured output), one per kind of call.

They describe only what the model writes; the engine merges each answer into the knowledge
base's result and the merged result is then checked with the API's marshmallow schemas
(`medreg.schemas.results`), so a field the API requires can never be missing.
Structured outputs need closed objects (`additionalProperties: false`) with every property required;
optional values are nullable instead.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence


def _string(nullable: bool = False) -> dict:
    return {"type": ["string", "null"]} if nullable else {"type": "string"}


def _strings() -> dict:
    return {"type": "array", "items": {"type": "string"}}


def _object(properties: dict[str, Any]) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


US_CLASSES = ["I", "II", "III"]
EU_CLASSES = ["I", "Is", "Im", "Ir", "IIa", "IIb", "III", "A", "B", "C", "D"]

MARKET_SCHEMAS: dict[str, dict] = {
    "US": _object({
        "class": {"type": ["string", "null"], "enum": [*US_CLASSES, None]},
        "pathway": _string(),
        "product_code": _string(nullable=True),
        "regulation": _string(nullable=True),
        "rationale": _string(),
        "citations": _strings(),
    }),
    "EU": _object({
        "class": {"type": ["string", "null"], "enum": [*EU_CLASSES, None]},
        "rules": _strings(),
        "pathway": _string(),
        "rationale": _string(),
        "citations": _strings(),
    }),
    "KR": _object({
        "grade": {"type": ["integer", "null"], "enum": [1, 2, 3, 4, None]},
        "item_code": _string(nullable=True),
        "pathway": _string(),
        "rationale": _string(),
        "citations": _strings(),
    }),
}


def classify_schema(markets: Sequence[str]) -> dict:
    """The model's classification answer for the requested markets."""
    return _object({
        "summary": _string(),
        "markets": _object({market: MARKET_SCHEMAS[market] for market in markets}),
        "questions": _strings(),
        "confidence": {"type": "number"},
    })


PURPOSE_SCHEMA: dict = _object({
    "intended_purpose": _string(),
    "indications": _strings(),
    "contraindications": _strings(),
    "target_population": _string(),
    "intended_users": _strings(),
    "use_environment": _strings(),
    "mechanism_of_action": _string(),
    "key_components": _strings(),
})

_STANDARD = _object({"id": _string(), "edition": _string(nullable=True), "title": _string(), "why": _string()})
_ACTIVITY = _object({"name": _string(), "deliverable": _string(), "weeks": {"type": "number"}})

PLAN_SCHEMA: dict = _object({
    "title": _string(),
    "rationale": _string(),
    "standards": {"type": "array", "items": _STANDARD},
    "activities": {"type": "array", "items": _ACTIVITY},
    "estimated_weeks": {"type": "number"},
})

REFINED_PLAN_SCHEMA: dict = _object({
    "plan": PLAN_SCHEMA,
    "markets": _strings(),
    "changes": {"type": "array", "items": _object({
        "path": _string(), "before": _string(nullable=True), "after": _string(nullable=True),
        "reason": _string()})},
    "not_applied": {"type": "array", "items": _object({"text": _string(), "reason": _string()})},
})


@lru_cache(maxsize=64)
def classify_schema_for(markets: tuple[str, ...]) -> dict:
    """The classification answer's schema for these markets (at most 15 orderings; each built once)."""
    return classify_schema(markets)


# Keys whose string values are prose worth showing while the model writes (as `delta` events).
PROSE_KEYS: frozenset[str] = frozenset({
    "summary", "rationale", "intended_purpose", "mechanism_of_action", "target_population", "why", "reason",
})
