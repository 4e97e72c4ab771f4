"""What each call is told: the facts a step needs from earlier results, without their prose or bookkeeping.

Fewer input tokens per call, and the same bytes for the same facts (so shared prefixes cache).
"""
from __future__ import annotations

import zlib
from typing import Any, Optional

import orjson

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


class Packed:
    """JSON-shaped findings an open stream keeps until its answer arrives, held as one compressed block.

    A classify stream keeps the knowledge base's classification for the merge (and for the prompt
    of a mid-stream retry) while it waits on the model: about 50 tracked dicts and lists, 8 KiB
    traced (`python bench/stream_memory.py --open 300 --trace 15`), against about 1.7 KiB packed.
    Packing and unpacking twice costs about 0.1 ms per stream.
    """

    __slots__ = ("_blob",)

    def __init__(self, value: Any) -> None:
        self._blob = zlib.compress(orjson.dumps(value), 1)

    def value(self) -> Any:
        """A fresh copy of the packed value (equal to the one packed: JSON data only)."""
        return orjson.loads(zlib.decompress(self._blob))
