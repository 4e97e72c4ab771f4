"""Matching free text to device types: spacing, word order, inflection, synonyms, both languages."""
from __future__ import annotations

import pytest

from medreg.knowledge.classification.matching import build_device_index
from medreg.knowledge.words.text import features, stem_en
from tests.knowledge.classify_fixtures import DEVICES

INDEX = build_device_index({d["id"]: d for d in DEVICES})


def best(text: str):
    matches = INDEX.search(features(text))
    return matches[0] if matches else None


@pytest.mark.parametrize("text, expected", [
    ("insulin pump", "insulin-pump"),
    ("pump for insulin", "insulin-pump"),                 # word order
    ("insulin pumps for type 1 diabetes", "insulin-pump"),  # plural
    ("인슐린 펌프", "insulin-pump"),
    ("인슐린펌프", "insulin-pump"),                         # Korean spacing
    ("인슐린 펌프를 개발합니다", "insulin-pump"),              # particle and verb
    ("스마트인슐린펌프", "insulin-pump"),
    ("implantable pacemaker", "pacemaker"),
    ("인공 심박동기", "pacemaker"),
    ("fingertip oximeter", "pulse-oximeter"),
    ("손가락 산소포화도측정기", "pulse-oximeter"),
    ("tongue blades", "tongue-depressor"),
])
def test_finds_the_device_type(text: str, expected: str) -> None:
    match = best(text)
    assert match is not None and match.candidate.id == expected, (text, match)
    assert match.score >= 0.6


@pytest.mark.parametrize("a, b", [("인슐린펌프", "인슐린 펌프"), ("pump insulin", "insulin pump")])
def test_spacing_and_order_give_close_scores(a: str, b: str) -> None:
    assert abs(best(a).score - best(b).score) < 0.15


@pytest.mark.parametrize("text", ["a chair for the waiting room", "회계 소프트웨어", "banana"])
def test_unrelated_text_scores_low(text: str) -> None:
    match = best(text)
    assert match is None or match.score < 0.4


def test_specific_phrase_beats_generic_one() -> None:
    # "insulin pump app" names the app; the pump itself ranks below it.
    matches = INDEX.search(features("insulin pump app"))
    assert matches[0].candidate.id == "pump-controller-app"
    assert matches[1].candidate.id == "insulin-pump"


@pytest.mark.parametrize("word, stem", [("pumps", "pump"), ("monitoring", "monitor"), ("batteries", "battery"), ("measured", "measur"), ("measure", "measur"), ("sterilised", "steriliz"), ("sterilize", "steriliz"), ("stimulation", "stimul"), ("stimulator", "stimul"), ("endoscopy", "endoscop"), ("endoscope", "endoscop"),
                                        ("stents", "stent"), ("glass", "glass"), ("status", "status")])
def test_stemmer(word: str, stem: str) -> None:
    assert stem_en(word) == stem


def test_every_curated_name_and_synonym_finds_its_own_device_type() -> None:
    """Over the real knowledge base: a type's own names retrieve it (or tie with a type sharing the name)."""
    from medreg.knowledge.catalogue.loader import load_data

    devices = load_data().devices
    if not devices:
        pytest.skip("no curated device types yet")
    index = build_device_index(devices)
    total, misses = 0, []
    for device in devices.values():
        for phrase in [device["name"], device["name_ko"], *device.get("synonyms_en", []), *device.get("synonyms_ko", [])]:
            total += 1
            matches = index.search(features(phrase), limit=10)
            own = next((m.score for m in matches if m.candidate.id == device["id"]), None)
            if own is None or own < matches[0].score - 1e-9:
                misses.append((device["id"], phrase, matches[0].candidate.id if matches else None))
    assert len(misses) <= 0.02 * total, misses[:20]


def _tiny_index(*devices: tuple[str, list[str]]):
    return build_device_index({i: {"id": i, "name": names[0], "name_ko": "", "synonyms_en": names[1:],
                                   "synonyms_ko": [], "attributes": {}} for i, names in devices})


@pytest.mark.parametrize("text", ["PMMA bone cement without antibiotic", "antibiotic-free bone cement",
                                  "bone cement, no antibiotic", "항생제가 없는 골 시멘트"])
def test_what_the_concept_says_it_lacks_pushes_a_candidate_down(text: str) -> None:
    from medreg.knowledge.words.text import negated_features

    index = _tiny_index(("cement-plain", ["PMMA bone cement", "골 시멘트"]),
                        ("cement-antibiotic", ["antibiotic bone cement", "항생제 골 시멘트"]))
    matches = index.search(features(text), avoid=negated_features(text))
    assert matches[0].candidate.id == "cement-plain", matches


def test_non_prefix_is_its_own_word() -> None:
    index = _tiny_index(("lens", ["contact lens"]), ("tonometer", ["non-contact tonometer"]))
    assert index.search(features("non-contact tonometer"))[0].candidate.id == "tonometer"
    assert "contact" not in features("non-contact tonometer")


def test_paraphrase_found_by_pooled_words_but_not_confidently() -> None:
    index = _tiny_index(("capsule", ["capsule endoscope", "pill camera", "wireless small bowel capsule"]),
                        ("colonoscope", ["video colonoscope"]))
    match = index.search(features("a capsule with a camera the patient swallows to image the small bowel"))[0]
    assert match.candidate.id == "capsule" and match.score < 0.8


@pytest.mark.parametrize("a, b", [("therapeutic", "therapy"), ("surgeon", "surgical"), ("surgery", "surgical"),
                                  ("diagnosis", "diagnostic"), ("implantable", "implant"), ("dentist", "dental"),
                                  ("anaesthetic", "anesthesia"), ("ophthalmologist", "ophthalmic")])
def test_word_families_meet(a: str, b: str) -> None:
    """Derived words a suffix rule would miss fold onto one form, on both sides of a match."""
    assert stem_en(a) == stem_en(b)
