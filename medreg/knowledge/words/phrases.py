"""Korean and English wording shared by purpose, plans and refine (its tables: knowledge/data/wording/plans.json)."""
from __future__ import annotations

from typing import Any

from medreg.language import Text, tr, wording  # noqa: F401  (the one bilingual shape, re-exported for the texts here)


def join(items: list[str], language: str) -> str:
    """A readable list: 'a, b and c' / 'a, b, c'."""
    items = [i for i in items if i]
    if language == "ko" or len(items) < 2:
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_WORDING = wording("plans")
# Why an attribute triggers a standard, in plain words.
ATTRIBUTE_LABELS: dict[str, Text] = _WORDING["attribute_labels"]
# How a false flag reads ("no software" rather than "not contains software").
NEGATED_LABELS: dict[str, Text] = _WORDING["negated_labels"]
VALUE_LABELS: dict[str, Text] = _WORDING["value_labels"]
WHY: dict[str, Text] = _WORDING["why"]


def attribute_label(key: str, language: str) -> str:
    """A readable name for an attribute key."""
    label = ATTRIBUTE_LABELS.get(key)
    return tr(label, language) if label else key.replace("_", " ")


def value_label(value: Any, language: str) -> str:
    """A readable attribute value."""
    if isinstance(value, str) and value in VALUE_LABELS:
        return tr(VALUE_LABELS[value], language)
    if value is True:
        return "yes" if language == "en" else "예"
    if value is False:
        return "no" if language == "en" else "아니요"
    return str(value)


def attribute_phrase(key: str, value: Any, language: str) -> str:
    """'contains software' for a true flag, 'body contact: intact skin' for a value."""
    if value is True:
        return tr(WHY["attr_true"], language, label=attribute_label(key, language))
    if value is False:
        if key in NEGATED_LABELS:
            return tr(NEGATED_LABELS[key], language)
        return tr(WHY["not"], language, label=attribute_label(key, language))
    return tr(WHY["attr_value"], language, label=attribute_label(key, language),
              value=value_label(value, language))
