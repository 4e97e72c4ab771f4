"""The head noun of a description (words/head.py) and what it decides: a curated type that never
names the thing described yields to an official entry that does, or is held below 0.8."""
from __future__ import annotations

import pytest

from medreg.knowledge import get_knowledge
from medreg.knowledge.classification.head_choice import names_head
from medreg.knowledge.classification.matching import Candidate, Match
from medreg.knowledge.words.head import final_noun_ko, head_en, head_features, head_ko


@pytest.mark.parametrize("text, head", [
    ("disposable nose clip for lung function tests", ["clip"]),
    ("isoflurane vaporizer mounted on an anaesthesia machine", ["vaporizer"]),
    ("Digital panoramic X-ray system for dental clinics", ["xray"]),          # a generic head: the word before
    ("Sterile wound dressing (silver alginate) with adhesive border", ["dress"]),
    ("Blood pressure cuff, reusable", ["cuff"]),
    ("We are building an app that helps patients log symptoms and share them with clinicians", []),  # a sentence
])
def test_english_head(text: str, head: list[str]) -> None:
    assert head_en(text) == head


@pytest.mark.parametrize("text, head", [
    ("폐기능 검사 때 쓰는 일회용 코 집게", "집게"),
    ("가정용 전동식 유축기예요. 배터리 내장", "유축기"),            # the copula is cut, the lead sentence read
    ("휴대용 초음파 방광 스캐너를 만들고 있어요", "스캐너"),          # verbs after the noun are skipped
    ("수술용 (일회용, 멸균) 봉합 바늘", "바늘"),                        # parentheses are not the end of the phrase
    ("심전도 측정 장치", "측정"),                                        # a generic head: the word before
    ("바늘이 미리 결합된 제품이에요", ""),                                 # "결합된 제품": no head is claimed
])
def test_korean_head(text: str, head: str) -> None:
    assert head_ko(text) == head


def test_a_one_syllable_korean_head_decides_nothing() -> None:
    assert head_features("멸균 일회용 침", "ko") == frozenset()


@pytest.mark.parametrize("text, noun", [
    ("수술 중 인공심폐기와 환자 혈관을 이어 피를 돌려 보내는 데 쓰는 일회용 관 세트", "관"),   # long clause, one syllable
    ("멸균 일회용 스테인리스 침이에요", "침"),                                              # the copula is cut
    ("혈압을 재는 것", ""),                                                                # a bound noun names nothing
    ("바늘이 미리 결합된 제품이에요", ""),
])
def test_the_final_korean_noun(text: str, noun: str) -> None:
    assert final_noun_ko(text) == noun


def _curated(device_id: str) -> Match:
    device = get_knowledge().data.devices[device_id]
    return Match(Candidate(device_id, device["name"], device.get("name_ko", ""), "curated", device), 0.9, "")


def test_names_head_reads_the_curated_names() -> None:
    """A spirometer is named by its own names; a nose clip is not one of them."""
    spirometer = _curated("spirometer")
    assert names_head("portable spirometer for asthma clinics", spirometer)
    assert not names_head("disposable nose clip for lung function tests", spirometer)
    assert names_head("for lung function tests", spirometer)   # no head found: nothing is decided


def test_a_long_korean_clause_still_names_its_thing() -> None:
    """A tube set for the heart-lung machine, described in one long clause, is a 관 (tube), which the
    machine's names never say: the curated answer is then held below 0.8; the machine itself is not."""
    machine = _curated("heart-lung-machine")
    assert not names_head("수술 중 인공심폐기와 환자 혈관을 이어 피를 돌려 보내는 데 쓰는 일회용 관 세트", machine)
    assert names_head("심장 수술 중 혈액을 산소화하고 순환시켜 주는 병원용 인공심폐기", machine)


def test_a_word_an_official_entry_of_another_class_explains_holds_confidence() -> None:
    """"temporary" makes a pacing lead another type (FDA has temporary pacing electrodes in class II,
    the curated permanent lead is III): the curated answer is held below 0.8; a plain one is not."""
    kb = get_knowledge()
    temporary = kb.classify("temporary pacing lead placed through a vein", None, ("US", "EU", "KR"), "en")
    plain = kb.classify("implantable pacemaker lead", None, ("US", "EU", "KR"), "en")
    assert temporary["device"]["id"] == plain["device"]["id"] == "pacemaker-lead"
    assert temporary["confidence"] < 0.8 <= plain["confidence"]


def test_an_entry_naming_the_head_leads_below_the_catalogue_floor() -> None:
    """Nothing reaches the catalogue's floor (0.45) for "관절 가동범위를 재는 각도계", but the MFDS
    item whose name holds the head noun (각도계) is the lead: a catalogue answer, low confidence, for review."""
    from medreg.knowledge.catalogue.shipped import load_catalogue
    from medreg.knowledge.classification.catalogue_choice import CATALOGUE_NONE
    from medreg.knowledge.classification.head_choice import HEAD_NONE
    served = get_knowledge().classify("관절 가동범위를 재는 각도계", None, ("US", "EU", "KR"), "ko")
    device = served["device"]
    assert device is not None and device["source"] == "catalogue" and device["list"] == "mfds"
    assert "각도계" in load_catalogue().mfds[device["id"].split(":", 1)[1]]["name_ko"]
    assert HEAD_NONE <= device["score"] < CATALOGUE_NONE
    assert served["needs_review"] is True and served["confidence"] < 0.8
