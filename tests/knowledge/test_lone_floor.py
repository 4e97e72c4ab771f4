"""Where no curated type is near, an official entry met at 0.4 answers (round 7b, catalogue_choice.LONE_NONE):
a description spreads its words, so the best official name is met less than a short name would be."""
from __future__ import annotations

from medreg.knowledge import get_knowledge
from medreg.knowledge.catalogue.shipped import load_catalogue


def test_a_lone_official_entry_answers_below_the_old_floor() -> None:
    """"rubber band ligator for internal haemorrhoids": no curated type comes near; the MFDS
    hemorrhoid ligator item and its FDA link (FHN, 21 CFR 876.4400) answer, with low confidence."""
    result = get_knowledge().classify("rubber band ligator for internal haemorrhoids", None, ("US", "EU", "KR"), "en")
    catalogue = load_catalogue()
    assert result["device"]["id"] == "mfds:A38030.01" and result["device"]["score"] < 0.45
    assert "결찰" in catalogue.mfds["A38030.01"]["name_ko"]
    us = result["markets"]["US"]
    assert us["product_codes"] == ["FHN"] and us["class"] == {"1": "I", "2": "II", "3": "III"}[catalogue.fda["FHN"]["class"]]
    assert result["markets"]["KR"]["grade"] == int(catalogue.mfds["A38030.01"]["grade"])
    assert result["confidence"] < 0.6 and result["needs_review"] is True


def test_a_near_curated_type_keeps_the_old_floor() -> None:
    """The control: a curated type met at 0.5 or more keeps an entry under 0.45 from answering."""
    result = get_knowledge().classify("silicone toe joint implant", None, ("US", "EU", "KR"), "en")
    assert result["device"]["source"] == "curated"
