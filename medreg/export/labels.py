"""Words of the memo in both languages: headings (LABELS) and human labels for every attribute.

Headings live in knowledge/data/wording/memo.json; attribute labels in medreg/static/labels.json,
the one source the web app reads too.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from medreg.language import wording

LABELS: dict[str, dict[str, str]] = wording("memo")["labels"]

PURPOSE_FIELDS = ("intended_purpose", "mechanism_of_action", "target_population", "indications",
                  "contraindications", "intended_users", "use_environment", "key_components")


@lru_cache(maxsize=1)
def _attribute_labels() -> dict:
    path = resources.files("medreg") / "static" / "labels.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _words(key: str) -> str:
    """A key nobody labelled, as words ("home_use" -> "home use"): never the raw key."""
    return re.sub(r"[_\-]+", " ", str(key)).strip()


def attribute_label(key: str, lang: str) -> str:
    """"Used at home by lay people" for `home_use` (or its Korean)."""
    entry = _attribute_labels()["attributes"].get(key)
    return entry[lang] if entry else _words(key)


def value_label(key: str, value: Any, lang: str) -> str:
    """The value of an attribute in words: yes/no, "more than 30 days (long term)" …"""
    values = _attribute_labels()["values"]
    if isinstance(value, bool):
        return values["true" if value else "false"][lang]
    entry = values.get(f"{key}.{value}")
    return entry[lang] if entry else _words(value)


def source_label(source: Any, lang: str) -> str:
    """Where an attribute came from: the device type, the description, an answer, or assumed."""
    entry = _attribute_labels()["sources"].get(str(source))
    return entry[lang] if entry else _words(source)
