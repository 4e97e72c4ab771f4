"""Korean and English reasons for the changes refine makes and for what it could not apply.

The tables live in knowledge/data/wording/refine.json."""
from __future__ import annotations

from medreg.language import Text, wording

_WORDING = wording("refine")
REASONS: dict[str, Text] = _WORDING["reasons"]
NOT_APPLIED: dict[str, Text] = _WORDING["not_applied"]
NOTES: dict[str, Text] = _WORDING["notes"]
