"""Which language a user wrote in: the one Hangul test every part of medreg uses."""
from __future__ import annotations

import re
from typing import Any

# Hangul syllables and the compatibility jamo people type on their own (ㅋㅋ, ㅠ).
HANGUL = re.compile(r"[\u3131-\u318e\uac00-\ud7a3]")


def has_hangul(text: Any) -> bool:
    """True when `text` is a string with at least one Hangul character."""
    return isinstance(text, str) and bool(HANGUL.search(text))


def language_of(text: Any, default: str = "en") -> str:
    """`ko` when the text has Hangul, else `default`."""
    return "ko" if has_hangul(text) else default
