"""The cross-market link table built into the shipped catalogue, and the term map it is built from."""
from __future__ import annotations

import pytest

from medreg.knowledge import get_knowledge
from medreg.knowledge.catalogue.link import STRONG, Doc, agreement, fda_is_ivd
from medreg.knowledge.catalogue.shipped import load_catalogue
from medreg.knowledge.catalogue.terms import english_words, load_terms, parse_terms


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def terms():
    return load_terms()


def test_term_map_reads_both_languages_into_one_concept(terms) -> None:
    """An FDA name (comma order turned round), an MFDS name (spacing ignored) and plain English meet."""
    assert terms.english_name("Fork, Tuning") == ["tuning fork"]
    assert "tuning fork" in terms.korean("의료용 소리굽쇠")
    assert terms.korean("전산화 단층 촬영장치") == terms.korean("전산화단층촬영장치")
    assert english_words("Catheters, Brushes") == ["catheter", "brush"]
    # an unknown -scope word still names a scope, so a Korean "-경" can meet it
    assert "scope" in terms.english("Vaginoscope") and "scope" in terms.korean("부비강경")


def test_entries_sharing_an_english_phrase_are_one_concept() -> None:
    """Two Korean words for one English phrase map to the same concept id."""
    terms = parse_terms({"terms": [{"en": ["catheter"], "ko": ["카테터"]},
                                   {"en": ["tube", "catheter"], "ko": ["도관"]}]})
    assert terms.korean("도관") == terms.korean("카테터") == ["catheter"]


@pytest.mark.parametrize("fda_code, item", [
    ("GWX", "A29040.01"),     # tuning fork / 의료용 소리굽쇠
    ("DXY", "A09270.01"),     # implantable pacemaker pulse generator / 이식형 심장박동기
    ("NIQ", "B03300.20"),     # coronary drug-eluting stent / 약물 방출 관상동맥용 스텐트
    ("DQC", "A26180.01"),     # phonocardiograph / 심음계
])
def test_known_device_types_are_strongly_linked_both_ways(catalogue, fda_code: str, item: str) -> None:
    """The same device type, named in English by FDA and in Korean by MFDS, is linked above STRONG."""
    forward = dict(catalogue.linked("fda", fda_code, "mfds"))
    assert forward.get(item, 0) >= STRONG, (fda_code, catalogue.linked("fda", fda_code, "mfds"))
    assert fda_code in dict(catalogue.linked("mfds", item, "fda"))


def test_every_link_joins_entries_that_exist_and_agree_on_ivd(catalogue) -> None:
    """No link points to a missing code, every score is in (0, 1], and IVDs are never linked to non-IVDs."""
    links = catalogue.links
    assert len(links["fda"]) > 4000 and len(links["mfds"]) > 2000
    for code, row in links["fda"].items():
        for item, score in row.get("mfds", []):
            assert 0 < score <= 1 and item in catalogue.mfds
            assert fda_is_ivd(catalogue.fda[code]) == bool(catalogue.mfds[item].get("ivd")), (code, item)
        for term, score in row.get("emdn", []):
            assert term in catalogue.emdn and 0 < score <= 1
    for item, row in links["mfds"].items():
        for code, _ in row.get("fda", []):
            assert catalogue.is_device_type(code), (item, code)   # never a class N / U / f row


def test_official_attributes_scale_the_score() -> None:
    """IVD against non-IVD is no link; an implant against a grade 1 item is less plausible than grade 3."""
    implant = Doc("X", frozenset(), "", False, cls="3", implant=True)
    assert agreement(implant, Doc("Y", frozenset(), "", True, grade=3)) == 0.0
    assert agreement(implant, Doc("Y", frozenset(), "", False, grade=1)) < \
        agreement(implant, Doc("Y", frozenset(), "", False, grade=3)) == 1.0


def test_links_and_term_map_are_recorded_as_a_source(catalogue) -> None:
    """The catalogue names the term map it was linked with (file and sha256), as it does the official files."""
    source = catalogue.sources["terms"]
    assert source["file"] == "terms_en_ko.json" and len(source["sha256"]) == 64
    assert "not official" in source["version"]


def test_concept_space_meets_across_languages() -> None:
    """A Korean description reaches the FDA name of the same device type through the term map
    (뇌 혈류 모니터 -> LME, a brain blood-flow monitor), and one concept alone proposes nothing."""
    index = get_knowledge().concept_index()
    hits = index.search("열확산 방식 뇌 혈류 모니터")
    assert ("fda", "LME") in [(source, code) for source, code, _ in hits[:3]], hits
    assert index.search("monitor") == []
