"""Reads the regulatory-activity data files (us_pathways.json, ai_software.json, ivdr_rules.json)
once per process and turns their bilingual entries into plan activities."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from medreg.language import tr


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """A data file of `medreg/knowledge/data/` by name, parsed once."""
    path = resources.files("medreg.knowledge") / "data" / name
    with path.open("r", encoding="utf-8") as handle:
        return json.load(handle)


class _Missing(dict):
    """Formatting values where an unknown placeholder stays as written (data may name more than we fill)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(entry: dict, language: str, **values: Any) -> str:
    """A bilingual entry in `language`, its placeholders filled."""
    return tr(entry, language).format_map(_Missing(values))


def activity(entry: dict, language: str, market: Optional[str] = None, **values: Any) -> dict:
    """A plan activity from a data entry: name, deliverable, weeks, kind, market and the cited provision."""
    out = {"name": text(entry["name"], language, **values),
           "deliverable": text(entry["deliverable"], language, **values),
           "weeks": float(entry.get("weeks", 1)), "kind": entry.get("kind", "document")}
    market = market or entry.get("market")
    if market:
        out["market"] = market
    if entry.get("citation"):
        out["citation"] = entry["citation"].format_map(_Missing(values))
    if entry.get("verified") is False:
        out["verified"] = False
    return out
