"""Round 6b as the user reads it from real gunicorn: a doubted curated answer held below 0.8, an
official entry that explains more answering instead of a curated type, and a class answered from
the closest types' agreement; the JSON endpoint and the stream's result agree on each."""
from __future__ import annotations

import requests

from tests.catalogue.served import classify_both




def test_a_nose_implant_is_not_a_confident_breast_implant(live_server: str) -> None:
    """The curated silicone breast implant meets "실리콘 보형물", but the concept names the nose
    (FDA FZE, nose prosthesis): the answer is held below 0.8; the breast implant itself is not."""
    held = classify_both(live_server, {"concept": "코 성형용 실리콘 보형물", "language": "ko"})
    assert held["device"]["id"] == "breast-implant-silicone" and held["confidence"] < 0.8
    # the reading it is held against is shown: the nose prosthesis, whatever its surface rank
    assert held["doubt"] == {"reason": "same_head", "entry": "fda:FZE"}
    assert "fda:FZE" in [a["id"] for a in held["alternatives"]]
    plans = requests.post(f"{live_server}/api/standards", json={"classification": held}, timeout=30)
    assert plans.status_code == 200 and plans.json()["plans"]     # accepted back unchanged
    kept = classify_both(live_server, {"concept": "실리콘겔 유방 보형물", "language": "ko"})
    assert kept["device"]["id"] == "breast-implant-silicone" and kept["confidence"] >= 0.8
    assert kept["doubt"] is None


def test_an_official_entry_answers_where_it_explains_more(live_server: str) -> None:
    """A pacemaker's polymer mesh pouch is FDA DSW (21 CFR 870.3650, class I), not the class III pacemaker."""
    served = classify_both(live_server, {"concept": "pacemaker pouch made of polymer mesh"})
    assert served["device"]["id"] == "fda:DSW" and served["device"]["source"] == "catalogue"
    us = served["markets"]["US"]
    assert us["product_code"] == "DSW" and us["class"] == "I" and us["regulation"] == "21 CFR 870.3650"
    assert "pacemaker-implantable" in [a["id"] for a in served["alternatives"]]
    assert served["confidence"] < 0.8


def test_the_class_the_closest_types_agree_on(live_server: str) -> None:
    """No type matched "HbA1c rapid test for clinics", but both HbA1c types are FDA class II: US says
    II, flagged, naming both types; EU and KR give no class; the answer is not a confident one."""
    served = classify_both(live_server, {"concept": "HbA1c rapid test for clinics"})
    us = served["markets"]["US"]
    assert served["device"] is None and served["confidence"] < 0.8 and served["needs_review"] is True
    assert us["class"] == "II" and us["class_from"] == "agreement" and us["needs_review"] is True
    assert set(us["agreed_types"]) == {"hba1c-analyzer", "hba1c-self-test-otc"}
    assert "class II" in us["rationale"] and us["product_code"] is None
    assert served["markets"]["EU"]["class"] is None and served["markets"]["KR"]["class"] is None


def test_a_reusable_product_is_not_a_confident_single_use_type(live_server: str) -> None:
    """The curated laparoscopic trocar is the single-use one (MFDS grade 2); a reusable trocar is another
    MFDS item (grade 1) and may be a reusable surgical instrument under MDR Rule 6: the answer says it
    applied the user's word, asks which it is, in the user's language, and is not a confident one."""
    held = classify_both(live_server, {"concept": "reusable stainless laparoscopic trocar, autoclaved between cases"})
    assert held["device"]["id"] == "trocar-laparoscopic" and held["confidence"] < 0.8
    assert held["attributes"]["single_use"] is False and held["attribute_sources"]["single_use"] == "text"
    assert any("reuse after reprocessing" in q and "single use" in q for q in held["questions"])
    held_ko = classify_both(live_server, {"concept": "세척 후 멸균해서 다시 쓰는 재사용 복강경 투관침"})
    assert held_ko["device"]["id"] == "trocar-laparoscopic" and held_ko["confidence"] < 0.8
    assert any("재처리 후 재사용" in q and "일회용" in q for q in held_ko["questions"])
    kept = classify_both(live_server, {"concept": "single-use laparoscopic trocar"})
    assert kept["device"]["id"] == "trocar-laparoscopic" and kept["confidence"] >= 0.8
    assert not any("reuse" in q for q in kept["questions"])
