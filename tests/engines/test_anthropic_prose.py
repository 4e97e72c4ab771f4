"""The incremental prose extractor behind `delta` events: same output however the JSON is split."""
from __future__ import annotations

import json

import pytest

from medreg.engines.anthropic.prose import ProseExtractor

KEYS = frozenset({"rationale", "summary"})

CASES = [
    ({"summary": "Class II."}, "Class II."),
    ({"summary": "a", "rationale": "b"}, "a\n\nb"),
    ({"title": "skip", "rationale": "keep"}, "keep"),
    ({"rationale": "quote \" and \\ slash"}, "quote \" and \\ slash"),
    ({"rationale": "한국어 등급 4"}, "한국어 등급 4"),
    ({"markets": {"US": {"rationale": "us", "citations": ["rationale"]}}}, "us"),
    ({"list": [{"rationale": "x"}, {"rationale": "y"}], "other": "z"}, "x\n\ny"),
    ({"rationale": "tab\tnew\nline é"}, "tab\tnew\nline é"),
    ({"confidence": 0.9, "ok": True, "none": None, "summary": "a, b: [c] {d}", "n": [1, 2]}, "a, b: [c] {d}"),
    ({"rationale": "\\u0041 and \\"}, "\\u0041 and \\"),
]


@pytest.mark.parametrize("value, expected", CASES)
@pytest.mark.parametrize("ascii_only", [False, True])
def test_prose_is_the_same_for_every_split(value, expected, ascii_only) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    whole = ProseExtractor(KEYS).feed(text)
    assert whole == expected
    for cut in range(1, len(text)):
        extractor = ProseExtractor(KEYS)
        assert extractor.feed(text[:cut]) + extractor.feed(text[cut:]) == expected
    one_by_one = ProseExtractor(KEYS)
    assert "".join(one_by_one.feed(char) for char in text) == expected
