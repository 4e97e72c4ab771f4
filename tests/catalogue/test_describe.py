"""The description channel of catalogue retrieval: weaker than names, and generic words carry nothing."""
from __future__ import annotations

from medreg.knowledge import get_knowledge
from medreg.knowledge.catalogue import describe
from medreg.knowledge.catalogue.describe import DescriptionIndex
from medreg.knowledge.catalogue.index import CatalogueIndex
from medreg.knowledge.classification.matching import Candidate
from medreg.knowledge.words.text import features

# Hand-written entries: names that say little, descriptions that say what the device does.
ENTRIES = [("fda:AAA", "Gauge, Pressure", "A device that measures pressure in the bladder during filling."),
           ("fda:BBB", "Probe, Cryosurgical", "A device that destroys tissue by applying extreme cold from liquid nitrogen."),
           ("fda:CCC", "Bladder Pressure Gauge", "A device used in urology."),
           ("fda:DDD", "Holder, Device", "A device used to hold another device.")]


def _index(entries=ENTRIES) -> CatalogueIndex:
    items = [(Candidate(cid, name, "", "fda", {}), [(name, 1.0, False)]) for cid, name, _ in entries]
    return CatalogueIndex(items, [text for _, _, text in entries])


def _ids(matches) -> list[str]:
    return [m.candidate.id for m in matches]


def test_a_description_finds_what_no_name_says() -> None:
    """"liquid nitrogen ... destroys tissue" names no entry; one description says it."""
    feats = features("freezes and destroys warts with liquid nitrogen")
    assert "fda:BBB" not in _ids(_index().search(feats, described=False))
    found = _index().search(feats)
    assert _ids(found)[0] == "fda:BBB" and found[0].phrase == "(description)"
    assert found[0].score <= describe.ONLY_CAP


def test_one_shared_word_proposes_nothing() -> None:
    """A single shared word is not a description match, however rare."""
    index = DescriptionIndex(list(enumerate(text for _, _, text in ENTRIES)))
    assert index.search(features("nitrogen")) == {}
    assert set(index.search(features("liquid nitrogen"))) == {1}


def test_a_word_in_many_descriptions_carries_nothing() -> None:
    """"device" is in every description: not a word of the channel at all."""
    index = DescriptionIndex(list(enumerate(text for _, _, text in ENTRIES)))
    assert not any(f in index.weights for f in features("device"))


def test_a_description_never_outranks_a_firm_name_match() -> None:
    """"bladder pressure gauge" names CCC; AAA's description says bladder pressure too, and stays below."""
    found = _index().search(features("bladder pressure gauge"))
    assert found[0].candidate.id == "fda:CCC" and found[0].score >= describe.NAME_FIRM
    assert all(m.score < found[0].score for m in found[1:])


def test_a_weak_name_is_not_carried_across_the_match_line() -> None:
    """Description evidence raises a weak name match, but not to where a match starts to count."""
    weak = [m for m in _index().search(features("pressure gauge for bladder filling")) if m.candidate.id == "fda:AAA"]
    named = [m for m in _index().search(features("pressure gauge for bladder filling"), described=False)
             if m.candidate.id == "fda:AAA"]
    assert weak and named and weak[0].score >= named[0].score
    if named[0].score < describe.NAME_MIN:
        assert weak[0].score < describe.NAME_MIN


def test_the_shipped_catalogue_reaches_an_item_by_its_korean_description() -> None:
    """MFDS elevators (기자) are named by a word nobody types; their annex descriptions say 들어올리는."""
    index = get_knowledge().catalogue_index()
    feats = features("치근을 들어 올리는 치과용 수동 기구")
    assert not any(i.startswith("mfds:A48010.") for i in _ids(index.search(feats, described=False)))
    assert any(i.startswith("mfds:A48010.") for i in _ids(index.search(feats)))


def test_the_shipped_catalogue_reaches_an_mfds_item_by_its_english_name() -> None:
    """An English concept meets the annex's English name of an MFDS item ("Root elevator")."""
    index = get_knowledge().catalogue_index()
    assert "mfds:A48010.04" in _ids(index.search(features("root elevator")))
