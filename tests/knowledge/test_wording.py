"""The bilingual wording files: every text says the same in Korean and English, with the same blanks."""
from __future__ import annotations

import string
from importlib import resources

import pytest

from medreg.language import has_syllable, tr, wording

WORDING_DIR = resources.files("medreg") / "knowledge" / "data" / "wording"
NAMES = sorted(p.name[:-5] for p in WORDING_DIR.iterdir() if p.name.endswith(".json"))


def _texts(node, path=()):
    """Every {"en": ..., "ko": ...} in a wording file, with where it is."""
    if isinstance(node, dict) and "en" in node:
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "_about":
                yield from _texts(value, path + (key,))


def _blanks(template: str) -> set[str]:
    # `name_ro` is the name with its Korean particle (purpose.texts.with_ro): the same blank.
    return {field.removesuffix("_ro") for _, field, _, _ in string.Formatter().parse(template) if field}


ALL_TEXTS = [(name, "/".join(path), text) for name in NAMES for path, text in _texts(wording(name))]


def test_every_module_file_is_there():
    assert set(NAMES) >= {"plans", "purpose", "refine", "memo", "errors"}
    assert len(ALL_TEXTS) > 200


@pytest.mark.parametrize("name,where,text", ALL_TEXTS, ids=[f"{n}:{w}" for n, w, _ in ALL_TEXTS])
def test_korean_and_english_say_it_with_the_same_blanks(name, where, text):
    assert set(text) == {"en", "ko"}, where
    assert text["en"].strip() and text["ko"].strip(), where
    assert _blanks(text["en"]) == _blanks(text["ko"]), where
    # A Korean text with no Korean word in it is an English one pasted twice (blanks-only texts aside).
    literal = "".join(part for part, *_ in string.Formatter().parse(text["ko"]))
    if any(ch.isalpha() for ch in literal):
        assert has_syllable(literal), where


def test_a_text_read_from_the_file_formats_in_either_language():
    why = wording("plans")["why"]["device"]
    assert tr(why, "en", name="insulin pump") == "particular standard for this device type (insulin pump)"
    assert tr(why, "ko", name="인슐린 펌프") == "이 기기 유형(인슐린 펌프)의 개별 규격"
