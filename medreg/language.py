"""Which language a user wrote in (the one Hangul test), and the one shape of a bilingual text."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

# A bilingual text: {"en": ..., "ko": ...}, the shape the data files and the API use too, so a text
# read from JSON needs no conversion. Korean falls back to English where a text has none.
Text = Mapping[str, str]

# The precomposed syllables (가..힣): what Korean words are made of.
SYLLABLES = "\uac00-\ud7a3"
# Hangul syllables and the compatibility jamo people type on their own (ㅋㅋ, ㅠ).
HANGUL = re.compile(rf"[\u3131-\u318e{SYLLABLES}]")
SYLLABLE = re.compile(rf"[{SYLLABLES}]")


def has_hangul(text: Any) -> bool:
    """True when `text` is a string with at least one Hangul character."""
    return isinstance(text, str) and bool(HANGUL.search(text))


def has_syllable(text: str) -> bool:
    """True when `text` has a Hangul syllable (a Korean word, not only jamo such as ㅋㅋ)."""
    return bool(SYLLABLE.search(text))


def language_of(text: Any, default: str = "en") -> str:
    """`ko` when the text has Hangul, else `default`."""
    return "ko" if has_hangul(text) else default


def tr(text: Text, language: str, /, **values: Any) -> str:
    """The text in `language` (English when missing), formatted with `values`."""
    template = text.get(language) or text["en"]
    return template.format(**values) if values else template


@lru_cache(maxsize=None)
def wording(name: str) -> dict[str, Any]:
    """The tables of one wording file, `knowledge/data/wording/<name>.json`, read once per process."""
    path = resources.files("medreg") / "knowledge" / "data" / "wording" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
