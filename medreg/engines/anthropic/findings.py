"""What each call is told: the facts a step needs from earlier results, without their prose or bookkeeping.

Fewer input tokens per call, and the same bytes for the same facts (so shared prefixes cache).
"""
from __future__ import annotations

from typing import Optional

# What of a classification later steps need (alternatives and attribute sources are noise to them).
_CLASSIFICATION_KEYS = ("concept", "language", "device", "category", "attributes", "markets", "qualification",
                        "confidence")
_MARKET_PROSE = frozenset({"rationale", "citations", "alternatives", "unverified"})


def slim_classification(classification: Optional[dict]) -> Optional[dict]:
    """What later steps need of a classification: the facts and each market's class, not its prose."""
    if not isinstance(classification, dict):
        return classification
    slim = {key: classification[key] for key in _CLASSIFICATION_KEYS if key in classification}
    if isinstance(slim.get("markets"), dict):
        slim["markets"] = {market: {key: value for key, value in block.items() if key not in _MARKET_PROSE}
                           if isinstance(block, dict) else block for market, block in slim["markets"].items()}
    return slim


def own_plan(plan: dict) -> dict:
    """A KB plan as its own call needs it (its id is in the task, the markets in the shared findings)."""
    slim = {key: value for key, value in plan.items()
            if key in ("title", "standards", "estimated_weeks", "depends_on", "rationale")}
    slim["activities"] = [{key: activity.get(key) for key in ("name", "deliverable", "weeks")}
                          for activity in plan.get("activities", [])]
    return slim
