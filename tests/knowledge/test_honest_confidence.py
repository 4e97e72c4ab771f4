"""Curated answers that are only a guess are never given at confidence >= 0.8 (issue 14, item 4)."""
from __future__ import annotations

import pytest

from medreg.knowledge import get_knowledge
from medreg.knowledge.classification.accessory import accessory_of, head_noun
from medreg.knowledge.classification.attributes import extract
from medreg.knowledge.classification.catalogue_choice import official_rival
from medreg.knowledge.classification.matching import Match
from medreg.knowledge.classification.ranking import find
from medreg.knowledge.classification.us import us_block
from medreg.markets import MARKETS

HIGH = 0.8


@pytest.fixture(scope="module")
def kb():
    return get_knowledge()


def test_an_accessory_of_a_curated_type_is_not_confident(kb) -> None:
    """A mixing bowl for bone cement is matched to bone cement, but an accessory is classified in its
    own right (MDR Annex VIII 3.2): the class is a guess; bone cement itself stays confident."""
    bowl = kb.classify("Vacuum bone-cement mixing bowl for preparing PMMA in the OR", None, MARKETS, "en")
    assert bowl["device"]["source"] == "curated" and bowl["confidence"] < HIGH
    cement = kb.classify("PMMA bone cement", None, MARKETS, "en")
    assert cement["device"]["id"] == bowl["device"]["id"] and cement["confidence"] >= HIGH
    assert head_noun("Vacuum bone-cement mixing bowl for preparing PMMA") == "bowl"


def test_a_temporary_device_matched_to_an_implant_type_asks_and_is_not_confident(kb) -> None:
    """A temporary pacing lead is not an implant (MDR Article 2(5)): the conflict is asked about, in words."""
    served = kb.classify("Temporary transvenous bipolar pacing lead connected to an external pacemaker",
                         None, MARKETS, "en")
    assert served["confidence"] < HIGH
    assert any(d["id"] == "conflict" and d["attribute"] == "duration" for d in served["question_details"])
    assert "temporary use (up to 30 days)" in served["questions"][0]
    answered = kb.classify("Temporary transvenous bipolar pacing lead connected to an external pacemaker",
                           None, MARKETS, "en", {"conflict": "different"})
    assert answered["attributes"]["invasiveness"] == "surgically_invasive" and answered["confidence"] < HIGH


def test_an_official_rival_reached_through_the_link_caps_a_curated_answer(kb) -> None:
    """A Korean zinc-oxide-eugenol cement matches the curated luting cement (US II); its MFDS item is
    linked to FDA EMB (class I): two readings that disagree, so the curated answer is no confident one.
    Since round 6b the finer MFDS item itself (C11030.01, which explains more of the concept) is the
    answer, a catalogue answer below 0.8; the curated type stays an alternative, and would be capped."""
    concept = "산화아연-유지놀(ZOE) 임시 합착 및 이장용 치과 시멘트"
    served = kb.classify(concept, None, MARKETS, "ko")
    assert served["device"]["id"] == "mfds:C11030.01" and served["confidence"] < HIGH
    assert "dental-luting-cement" in [a["id"] for a in served["alternatives"]]
    assert ("EMB", pytest.approx(0.68, abs=0.1)) in [(c, s) for c, s in kb.catalogue.linked("mfds", "C11030.01", "fda")]
    found = find(kb, concept, None, extract(concept).values)
    cement = next(m for m in found.curated if m.candidate.id == "dental-luting-cement")
    markets = {"US": us_block(cement.candidate.payload, "ko"), "KR": {}}
    assert markets["US"]["class"] == "II"
    assert official_rival(cement, found.best_fda, found.best_mfds, markets, kb.catalogue)


@pytest.mark.parametrize("concept, language, word", [
    ("bone cement mixing bowl", "en", "bowl"),
    ("Vacuum mixer, for bone cement", "en", "mixer"),
    ("bone cement", "en", None),
    ("골시멘트 진공 혼합기", "ko", "혼합기"),
    ("골시멘트", "ko", None),
])
def test_accessory_words(kb, concept: str, language: str, word) -> None:
    """The accessory test reads the English head noun, or a Korean accessory noun, against the type's phrase."""
    candidate = next(c for c in kb.device_index().candidates if c.id == "bone-cement-pmma")
    match = Match(candidate, 0.9, "bone cement")
    assert accessory_of(concept, language, match) == word


@pytest.mark.parametrize("concept, language", [
    ("pacemaker system analyzer for checking pulse generator output during implant", "en"),
    ("근관 충전재를 수직 가압하는 근관 플러거", "ko"),
])
def test_an_instrument_that_tests_or_places_a_type_is_not_confident(kb, concept: str, language: str) -> None:
    """An analyzer for a pacemaker, a plugger for root-canal filling: another product than the type matched."""
    result = kb.classify(concept, None, MARKETS, language)
    assert result["confidence"] < HIGH, (result["device"], result["confidence"])
