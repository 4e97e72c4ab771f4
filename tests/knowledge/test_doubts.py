"""Honest confidence, curated preference and the class without a code (round 6b), in process.

Each doubt is shown on a paraphrase (none of these texts is in a holdout) and beside a control the
curated type does fit, which must stay confident: a check that held every answer below 0.8 would
fail the controls.
"""
from __future__ import annotations

import pytest

from medreg.knowledge import get_knowledge
from medreg.knowledge.classification.agreement import near_types
from medreg.knowledge.classification.attributes import extract
from medreg.knowledge.classification.doubts import negated_word
from medreg.knowledge.classification.ranking import find

MARKETS = ("US", "EU", "KR")


@pytest.fixture(scope="module")
def kb():
    return get_knowledge()


def _ask(kb, concept: str) -> dict:
    language = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in concept) else "en"
    return kb.classify(concept, None, MARKETS, language)


@pytest.mark.parametrize("doubted, control, reason", [
    # another device with the same head: a nose implant is no breast implant (FDA FZE, 21 CFR 878.3680)
    ("코 성형용 실리콘 보형물", "실리콘겔 유방 보형물", "same_head"),
    # a negated type word: 비팽창형 is the rigid prosthesis (FDA FTQ), not the inflatable one
    ("비팽창형 음경 보형물", "팽창형 음경 보형물", "negated"),
    # the dental split: a bone graft that never says dental may be the orthopaedic heterograft (888.3015)
    ("bone graft substitute from bovine bone for filling bone defects", "dental bone graft from bovine bone",
     "dental_type"),
])
def test_a_doubted_curated_answer_stays_below_0_8(kb, doubted: str, control: str, reason: str) -> None:
    """The doubted paraphrase keeps its curated type but below 0.8, saying why; the control stays at
    or above it, with no doubt."""
    held, kept = _ask(kb, doubted), _ask(kb, control)
    assert held["device"]["source"] == "curated" and held["device"]["id"] == kept["device"]["id"]
    assert held["confidence"] < 0.8 <= kept["confidence"]
    assert held["doubt"]["reason"] == reason and kept["doubt"] is None


def test_a_dental_concept_against_a_non_dental_type(kb) -> None:
    """A dental bone saw answered with the orthopaedic powered instrument (878.4820, class I) is held:
    the dental bone saw is 21 CFR 872.4120, class II."""
    served = _ask(kb, "치과용 전동 뼈 톱")
    assert served["device"]["id"] == "powered-bone-surgical-instrument"
    assert served["doubt"] == {"reason": "dental_concept", "entry": "fda:DZH"}
    assert served["markets"]["US"]["regulation"] == "21 CFR 878.4820"
    assert served["confidence"] < 0.8
    assert kb.catalogue.fda["DZH"]["regulation"] == "872.4120" and kb.catalogue.fda["DZH"]["class"] == "2"


def test_a_type_that_is_itself_the_negated_kind_is_not_doubted(kb) -> None:
    """비흡수성 in the concept and in the type's own name (the non-absorbable suture) is no contradiction."""
    concept = "비흡수성 봉합사"
    primary = find(kb, concept, None, extract(concept).values).primary
    assert primary.candidate.id == "suture-nonabsorbable-polypropylene"
    assert not negated_word(concept, primary)
    inflatable = find(kb, "비팽창형 음경 보형물", None, extract("비팽창형 음경 보형물").values).primary
    assert negated_word("비팽창형 음경 보형물", inflatable)
    assert not negated_word("비강 캐뉼라", inflatable)     # 비강 (nasal cavity) is no negation


@pytest.mark.parametrize("concept", ["전치부 충치를 메우는 복합레진", "치과의사가 구치부 충치에 채우는 복합레진"])
def test_dental_words_of_everyday_korean_say_dental(kb, concept: str) -> None:
    """충치 (caries), 전치부 / 구치부 (front / back teeth) and 치과의사 (dentist) are dental words: the
    dental-only composite resin answering them is not doubted as a guess outside dentistry."""
    served = _ask(kb, concept)
    assert served["device"]["id"] == "dental-composite-resin" and served["doubt"] is None


@pytest.mark.parametrize("concept, entry, curated", [
    # a mesh bag holding a pacemaker is FDA DSW (21 CFR 870.3650, class I), not the class III pacemaker
    ("pacemaker pouch made of polymer mesh", "fda:DSW", "pacemaker-implantable"),
    # the MFDS item's own name: a vectorcardiograph (A26030.01), not the curated electrocardiograph
    ("벡터 심전계", "mfds:A26030.01", "ecg-electrocardiograph"),
])
def test_an_official_entry_that_explains_more_is_the_answer(kb, concept: str, entry: str, curated: str) -> None:
    """The entry names the thing (bag, vectorcardiograph) the curated type never names and explains more
    of the concept: it answers, flagged as a catalogue answer below 0.8, the curated type an alternative."""
    served = _ask(kb, concept)
    assert served["device"]["id"] == entry and served["device"]["source"] == "catalogue"
    code = entry.split(":")[1]
    block = served["markets"]["US" if entry.startswith("fda") else "KR"]
    assert (block.get("product_codes") or block.get("item_codes"))[0] == code
    assert curated in [a["id"] for a in served["alternatives"]]
    assert served["confidence"] < 0.8


def test_the_closest_types_agree_on_a_class(kb) -> None:
    """Nothing matched, but both HbA1c types are FDA class II: US answers II (flagged), the EU class
    (IVDR B or C) and the KR grade (1 or 2) stay open; in both languages."""
    for concept in ("HbA1c rapid test for clinics", "HbA1c 신속 검사 (병원용)"):
        served = _ask(kb, concept)
        us = served["markets"]["US"]
        assert served["device"] is None and served["confidence"] < 0.8
        assert us["class"] == "II" and us["needs_review"] is True and us["class_from"] == "agreement"
        assert set(us["agreed_types"]) == {"hba1c-analyzer", "hba1c-self-test-otc"}
        assert us["product_code"] is None
        assert served["markets"]["EU"]["class"] is None and served["markets"]["KR"]["grade"] is None
    assert "검토가 필요합니다" in _ask(kb, "HbA1c 신속 검사 (병원용)")["markets"]["US"]["rationale"]


def test_no_class_for_a_concept_that_is_not_known_to_be_a_device(kb) -> None:
    """Near-tied surgical robots agree on class II, but a coding robot for children is not a device:
    no class is answered from the agreement."""
    concept = "Kids' educational coding robot that teaches programming through puzzles"
    assert len(near_types(find(kb, concept, None, extract(concept).values).curated)) >= 2
    served = _ask(kb, concept)
    assert all(block["class"] is None for block in served["markets"].values())


def test_a_finer_subtype_keeps_the_replaced_types_class_where_it_gives_none(kb) -> None:
    """A dry-method chemistry analyser is MFDS J01040.01 (건식 임상화학분석장치), a finer item than the
    curated analyser's; its FDA link is weak (no class), so the US class is the replaced type's, flagged."""
    served = _ask(kb, "건식 방식 임상화학 자동 분석 장치")
    assert served["device"]["id"] == "mfds:J01040.01" and served["device"]["source"] == "catalogue"
    us = served["markets"]["US"]
    assert us["class"] == "I" and us["needs_review"] is True
    assert us["reached"] == "from the nearest curated type clinical-chemistry-analyzer (no class from the entry)"
    assert served["markets"]["KR"]["item_code"] == "J01040.01"
    assert "clinical-chemistry-analyzer" in [a["id"] for a in served["alternatives"]]
