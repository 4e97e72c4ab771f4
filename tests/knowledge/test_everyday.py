"""Everyday devices and the way people name them: a connectivity word plus a device noun, a type
whose name excludes something, and the types split by material (metal vs ceramic brackets)."""
from __future__ import annotations

import pytest

from medreg.knowledge import Knowledge
from medreg.knowledge.catalogue.loader import load_data
from medreg.knowledge.classification.matching import Candidate, MatchIndex
from medreg.knowledge.words.text import features

KB = Knowledge(load_data())
MARKETS = ("US", "EU", "KR")


def classify(concept: str) -> dict:
    language = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in concept) else "en"
    return KB.classify(concept, None, MARKETS, language)


@pytest.mark.parametrize("concept, device", [
    ("블루투스 혈압계", "blood-pressure-monitor-automatic"),
    ("무선 혈압계", "blood-pressure-monitor-automatic"),
    ("wifi blood pressure cuff", "blood-pressure-monitor-automatic"),
    ("와이파이 체온계", "thermometer-electronic"),
    ("smart Bluetooth thermometer", "thermometer-electronic"),
    ("AI 청진기", "stethoscope-electronic"),
    ("AI stethoscope", "stethoscope-electronic"),
    ("블루투스 청진기", "stethoscope-electronic"),
    ("wireless ECG patch", "ecg-patch-wearable"),
    ("무선 심전도 패치", "ecg-patch-wearable"),
    ("스마트 혈당계", "blood-glucose-meter-self-testing"),
    ("bluetooth glucose meter", "blood-glucose-meter-self-testing"),
    ("블루투스 보청기", "hearing-aid-wireless"),
    ("wireless hearing aid", "hearing-aid-wireless"),
])
def test_connectivity_word_does_not_pick_the_device(concept: str, device: str) -> None:
    """The device noun decides the type; Bluetooth / Wi-Fi / smart only add an attribute."""
    result = classify(concept)
    assert result["device"] and result["device"]["id"] == device, (result["device"], result["alternatives"][:2])


@pytest.mark.parametrize("concept, device, us, eu, kr", [
    ("mechanical stethoscope for general practice", "stethoscope-mechanical", "I", "I", "1"),
    ("설압자", "tongue-depressor", "I", "I", "1"),
    ("surgical face mask", "surgical-mask", "II", "I", None),
    ("automated endoscope reprocessor", "endoscope-washer-disinfector", "II", "IIb", "2"),
    ("underarm crutches", "crutch", "I", "I", None),
    ("손가락 부목", "hand-splint", "I", "I", "1"),
    ("birth control app", "contraceptive-cycle-app", "II", "IIb", None),
])
def test_everyday_types_classify(concept: str, device: str, us: str, eu: str, kr) -> None:
    """Everyday types carry the classes of their official entries (KR null where not an MFDS item)."""
    result = classify(concept)
    assert result["device"]["id"] == device
    markets = result["markets"]
    assert (markets["US"]["class"], markets["EU"]["class"], markets["KR"]["class"]) == (us, eu, kr)


def test_ceramic_and_metal_brackets_differ_in_us_class() -> None:
    """Ceramic brackets are NJM (872.5470, class II); metal ones EJF (872.5410, class I)."""
    assert classify("ceramic braces")["markets"]["US"]["class"] == "II"
    assert classify("세라믹 브라켓")["markets"]["US"]["class"] == "II"
    assert classify("stainless steel metal bracket")["markets"]["US"]["class"] == "I"


def test_generic_bracket_is_not_answered_confidently() -> None:
    """Without the material the US class is open, so the answer must not look certain."""
    result = classify("orthodontic brackets")
    assert result["confidence"] < 0.8


@pytest.mark.parametrize("concept, device, eu", [
    ("disposable syringe", "syringe-hypodermic", "Is"),
    ("일회용 주사기", "syringe-hypodermic", "Is"),
    ("바늘 달린 일회용 주사기", "syringe-with-needle", "IIa"),
])
def test_syringe_with_or_without_needle(concept: str, device: str, eu: str) -> None:
    """A syringe alone channels liquids (Rule 2, Is); an attached needle is surgically invasive (Rule 6, IIa)."""
    result = classify(concept)
    assert result["device"]["id"] == device
    assert result["markets"]["EU"]["class"] == eu


def _index(*names: tuple[str, list[str]]) -> MatchIndex:
    return MatchIndex((Candidate(name, name, "", "curated"), [(s, 1.0, False) for s in [name] + synonyms])
                      for name, synonyms in names)


def test_a_name_that_excludes_a_word_is_pushed_down() -> None:
    """'syringe (without needle)' loses to a plain syringe type when the concept names a needle."""
    index = _index(("syringe (without needle)", ["syringe"]), ("needle syringe", ["syringe"]))
    assert index.search(features("syringe with needle"))[0].candidate.id == "needle syringe"
    plain = {m.candidate.id: m.score for m in index.search(features("syringe"))}
    assert plain["syringe (without needle)"] == plain["needle syringe"]   # no penalty when no needle is named


def test_connectivity_words_weigh_less_than_device_nouns() -> None:
    """A shared 'bluetooth' must not outweigh a shared device noun."""
    index = _index(("bluetooth hearing aid", []), ("blood pressure monitor", []))
    top = index.search(features("bluetooth blood pressure monitor"))[0]
    assert top.candidate.id == "blood pressure monitor"
    assert index.weights["bluetooth"] < index.weights["blood"]


@pytest.mark.parametrize("concept, device", [
    ("Reusable stainless tissue forceps for general surgery. Hospitals autoclave them after each use.",
     "surgical-forceps-reusable"),
    ("재사용 스테인리스 조직 겸자예요. 병원에서 오토클레이브로 멸균해서 씁니다.", "surgical-forceps-reusable"),
    # The lead sentence is about the company, so the device named later is not discounted.
    ("We are a small team in Seoul. We build a tabletop steam autoclave for dental clinics.", "steam-sterilizer"),
    ("서울에 있는 스타트업이에요. 치과용 소형 오토클레이브 멸균기를 만들어요.", "steam-sterilizer"),
])
def test_the_lead_sentence_names_the_device(concept: str, device: str) -> None:
    """A device the concept leads with beats one only mentioned after it (how the product is cleaned)."""
    result = classify(concept)
    assert result["device"] and result["device"]["id"] == device, (result["device"], result["alternatives"][:2])


@pytest.mark.parametrize("text, lead", [
    ("Tissue forceps. Autoclaved after use.", "Tissue forceps."),
    ("조직 겸자예요. 오토클레이브로 멸균해요.", "조직 겸자예요."),
    ("1.4% sodium hyaluronate gel", "1.4% sodium hyaluronate gel"),
    ("insulin pump\nwith Bluetooth", "insulin pump"),
])
def test_lead_sentence(text: str, lead: str) -> None:
    from medreg.knowledge.words.text import lead_sentence

    assert lead_sentence(text) == lead


@pytest.mark.parametrize("concept", ["vascular graft", "인공혈관", "bare-metal stent"])
def test_a_tie_between_types_of_different_class_needs_review(concept: str) -> None:
    """Words that fit a central (III) and a peripheral (IIb) type alike: flagged, and the question asks which."""
    result = classify(concept)
    assert result["needs_review"] is True and result["confidence"] < 0.8
    assert result["questions"] and any(alt in result["questions"][0] for alt in
                                       [a["name"] for a in result["alternatives"][:1]] + ["중심순환계", "Peripheral", "peripheral"])


def test_a_clear_match_is_not_flagged() -> None:
    result = classify("스마트 인슐린 펌프")
    assert result["needs_review"] is False and result["confidence"] >= 0.8
