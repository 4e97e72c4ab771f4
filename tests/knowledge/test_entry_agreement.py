"""A US class from near FDA entries that agree: answered only when two or more almost-tied official
entries among the top matches share a class, flagged for review, citing each entry's regulation."""
from __future__ import annotations

import pytest

from medreg.knowledge import get_knowledge
from medreg.knowledge.classification.agreement import ENTRY_FLOOR, agree_us_entries, near_fda_entries
from medreg.knowledge.classification.matching import Match

# Real catalogue entries: OLX and OLZ (EEG analysis software, both class II under 21 CFR 882.1400),
# GWQ (full-montage electroencephalograph, class II), GWS (EEG signal spectrum analyzer, class I).


def _matches(*pairs: tuple[str, float]) -> list[Match]:
    kb = get_knowledge()
    return [Match(kb.catalogue_candidate(entry), score, "") for entry, score in pairs]


def _empty_us() -> dict:
    return {"authority": "FDA", "class": None, "product_code": None, "needs_review": True,
            "citations": ["21 CFR 860.200 (De Novo)", "FD&C Act section 513(g)"]}


@pytest.mark.parametrize("language, word", [("en", "No product code matched"), ("ko", "제품 코드 없이")])
def test_agreeing_near_entries_give_the_class_with_their_regulations(language: str, word: str) -> None:
    """Two near class II entries: class II, flagged, both entries named, their regulation cited first."""
    near = near_fda_entries(_matches(("fda:OLX", 0.5), ("fda:OLZ", 0.48)), None)
    assert [m.candidate.id for m in near] == ["fda:OLX", "fda:OLZ"]
    block = _empty_us()
    agree_us_entries(block, near, language)
    assert block["class"] == "II" and block["class_from"] == "catalogue_agreement" and block["needs_review"]
    assert block["agreed_entries"] == ["fda:OLX", "fda:OLZ"] and block["product_code"] is None
    assert block["citations"][0] == "21 CFR 882.1400" and "FD&C Act section 513(g)" in block["citations"]
    assert word in block["rationale"] and "OLX" in block["rationale"]


def test_entries_of_different_class_answer_nothing() -> None:
    """A class II and a class I entry, almost tied: no class."""
    block = _empty_us()
    agree_us_entries(block, near_fda_entries(_matches(("fda:GWQ", 0.5), ("fda:GWS", 0.49)), None), "en")
    assert block["class"] is None and "class_from" not in block


@pytest.mark.parametrize("pairs, primary", [
    ((("fda:OLX", ENTRY_FLOOR - 0.01), ("fda:OLZ", ENTRY_FLOOR - 0.02)), None),   # too weak to lean on
    ((("fda:OLX", 0.6), ("fda:OLZ", 0.5)), None),                                   # not near: the best is simply a weak match
    ((("fda:OLX", 0.5),), None),                                                     # one entry is no agreement
    ((("fda:OLX", 0.5), ("fda:OLZ", 0.49)), "fda:OLZ"),                              # the answer itself does not vote
])
def test_no_agreement_without_two_near_strong_enough_entries(pairs, primary) -> None:
    """Below the floor, outside the gap, alone, or one of them the answer itself: no near entries."""
    assert near_fda_entries(_matches(*pairs), primary) == []


def test_a_block_with_a_class_is_left_alone() -> None:
    """A market that already has its class (from a code or a curated type) keeps it."""
    block = {**_empty_us(), "class": "I", "product_code": "GWS"}
    agree_us_entries(block, near_fda_entries(_matches(("fda:OLX", 0.5), ("fda:OLZ", 0.49)), None), "en")
    assert block["class"] == "I" and "class_from" not in block
