"""What a user receives from real gunicorn when the maker's own words reach an official entry through
the term map (a manual suction device described "by hand" / 손으로); the JSON endpoint and the
stream's one result agree on each."""
from __future__ import annotations


from medreg.knowledge.catalogue.shipped import load_catalogue
from tests.catalogue.served import classify_both




def test_by_hand_in_korean_reaches_the_manual_suction_item(live_server: str) -> None:
    """"손으로 짜는 흡인기" (a suction device squeezed by hand) reads 손으로 as manual, so the MFDS
    item for manually-operated suction (수동식 의료용 흡인기, grade 1) answers from the catalogue,
    with its FDA counterpart for non-powered portable suction (21 CFR 878.4680, class I); the
    one-syllable 손 (hand) no longer stands alone. Below 0.8: a catalogue answer is for review."""
    item = load_catalogue().mfds["A39010.01"]
    served = classify_both(live_server, {"concept": "손으로 짜는 흡인기", "language": "ko"})
    assert served["qualification"]["status"] == "device"
    assert served["device"]["id"] == "mfds:A39010.01" and served["device"]["source"] == "catalogue"
    kr = served["markets"]["KR"]
    assert kr["item_codes"][0] == "A39010.01" and item["grade"] == 1 and "수동식" in item["name_ko"]
    us = served["markets"]["US"]
    assert us["product_codes"][0] == "GCY" and us["class"] == "I" and us["regulation"] == "21 CFR 878.4680"
    assert served["confidence"] < 0.8 and served["needs_review"] is True


def test_hand_operated_in_english_reaches_the_same_korean_item(live_server: str) -> None:
    """"hand operated suction apparatus" reads "hand operated" as manual: the same MFDS item (grade 1)
    now answers the KR market, where no item was given before, beside FDA GCX for the US."""
    served = classify_both(live_server, {"concept": "hand operated suction apparatus", "language": "en"})
    kr = served["markets"]["KR"]
    assert kr["item_codes"][0] == "A39010.01"
    assert served["markets"]["US"]["product_codes"][0] == "GCX"
    assert served["confidence"] < 0.8
