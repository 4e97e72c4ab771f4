"""What real gunicorn serves for catalogue answers reached through the cross-market link."""
from __future__ import annotations

import json
import urllib.request

from medreg.knowledge.catalogue.link import STRONG
from medreg.knowledge.catalogue.shipped import load_catalogue

ROMAN = {"1": "I", "2": "II", "3": "III"}


def _classify(url: str, concept: str) -> dict:
    body = json.dumps({"concept": concept}).encode()
    request = urllib.request.Request(url + "/api/classify", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def test_english_concept_gets_its_kr_grade_from_the_linked_mfds_item(live_server: str) -> None:
    """"tuning fork" matches FDA GWX; its KR block is the linked MFDS item's official grade, and says how it was reached."""
    catalogue = load_catalogue()
    served = _classify(live_server, "tuning fork for hearing tests")
    assert served["device"]["id"] == "fda:GWX" and served["language"] == "en"
    item, score = catalogue.linked("fda", "GWX", "mfds")[0]
    kr = served["markets"]["KR"]
    assert kr["item_code"] == item and kr["grade"] == catalogue.mfds[item]["grade"] and kr["class"] == str(kr["grade"])
    assert kr["source"] == "catalogue" and kr["linked_from"] == "FDA GWX" and score >= STRONG
    assert "linked from FDA GWX" in kr["reached"] and "cross-market link" in kr["rationale"]
    assert served["markets"]["US"]["source"] == "catalogue" and "matched FDA GWX" in served["markets"]["US"]["reached"]
    assert served["confidence"] < 0.8    # a catalogue answer is never one to act on unreviewed


def test_korean_concept_gets_its_us_class_from_the_linked_fda_code(live_server: str) -> None:
    """"안진계" matches MFDS A28260.01; the US block is the linked FDA code's class and regulation, in Korean."""
    catalogue = load_catalogue()
    served = _classify(live_server, "안진계")
    assert served["device"]["id"] == "mfds:A28260.01" and served["language"] == "ko"
    code, _ = catalogue.linked("mfds", "A28260.01", "fda")[0]
    us = served["markets"]["US"]
    assert us["product_code"] == code and us["class"] == ROMAN[catalogue.fda[code]["class"]]
    assert us["regulation"] == f"21 CFR {catalogue.fda[code]['regulation']}"
    assert us["source"] == "catalogue" and "MFDS A28260.01에서 연결됨" in us["reached"]
    assert "시장 간 연결" in us["rationale"]
    assert served["markets"]["KR"]["item_code"] == "A28260.01"


def test_weak_link_gives_no_grade_but_the_lead(live_server: str) -> None:
    """FDA BTC links only weakly to any MFDS item: no KR grade, needs review, the item shown as an alternative."""
    catalogue = load_catalogue()
    item, score = catalogue.linked("fda", "BTC", "mfds")[0]
    assert score < STRONG
    served = _classify(live_server, catalogue.fda["BTC"]["name"])
    assert served["device"]["id"] == "fda:BTC"
    kr = served["markets"]["KR"]
    assert kr["grade"] is None and kr["class"] is None and kr["needs_review"] is True
    assert kr["alternatives"][0]["item_code"] == item and "weakly" in kr["rationale"]


def test_eu_class_of_a_catalogue_answer_uses_the_entry_flags(live_server: str) -> None:
    """An implant-flagged FDA code is classified by Annex VIII as an implant (not the non-invasive default),
    says which inputs came from the entry, and needs review."""
    catalogue = load_catalogue()
    code = "DZK"   # Wire, Fixation, Intraosseous: FDA implant flag, linked EMDN P09 (osteosynthesis)
    assert catalogue.fda[code].get("implant")
    served = _classify(live_server, catalogue.fda[code]["name"])
    assert served["device"]["id"] == f"fda:{code}", served["device"]
    eu = served["markets"]["EU"]
    assert eu["class"] in ("IIb", "III") and "Rule 8" in eu["rules"]
    assert eu["source"] == "catalogue" and f"FDA {code} implant flag" in eu["reached"]
    assert eu["needs_review"] is True and "invasiveness" not in eu["inputs_unknown"]


def test_derived_kr_grade_is_served_as_a_suggestion_in_both_languages(live_server: str) -> None:
    """No MFDS item for the cycle app: `grade` is null (CONTRACT.md has no field for a suggestion), the
    별표 1 suggestion is the block's first alternative and is said in the rationale, in the user's language."""
    for concept, words in (("Contraceptive fertility-awareness software (cycle app)", "suggest grade 1"),
                           ("피임용 가임기 예측 소프트웨어 앱", "1등급이 제안됩니다")):
        kr = _classify(live_server, concept)["markets"]["KR"]
        assert kr["grade"] is None and kr["class"] is None and kr["needs_review"] is True and kr["derived"] is True
        assert kr["alternatives"][0]["grade"] == 1 and kr["alternatives"][0]["basis"] == "의료기기법 시행규칙 별표 1"
        assert words in kr["rationale"] and kr["derived_class"] == "1"


def test_a_classless_link_yields_to_the_fda_code_the_korean_words_meet(live_server: str) -> None:
    """A Korean concept matched to an MFDS item whose FDA link is too weak to give a class: the FDA
    code the concept's own words meet best in concept space is shown instead, as a lead that needs
    review (a class to check, not a confident one), and says how it was reached."""
    from medreg.knowledge import get_knowledge
    concept = "인공심폐 회로용 동맥 혈액 필터"
    kb = get_knowledge()
    served = _classify(live_server, concept)
    assert served["device"]["list"] == "mfds"
    item = served["device"]["id"].split(":", 1)[1]
    links = kb.catalogue.linked("mfds", item, "fda")
    assert not links or links[0][1] < STRONG          # the link alone gives no class
    own = next(code for source, code, _ in kb.concept_index().search(concept) if source == "fda")
    us = served["markets"]["US"]
    assert us["product_code"] == own and us["class"] == ROMAN[kb.catalogue.fda[own]["class"]]
    assert us["source"] == "catalogue" and us["reached"].startswith(f"matched FDA {own}")
    assert us["needs_review"] is True and served["needs_review"] is True and served["confidence"] < 0.8


def test_a_gradeless_link_yields_to_the_mfds_item_the_english_words_meet(live_server: str) -> None:
    """An English concept matched to an FDA code whose MFDS link is weak (< 0.5) and gives no grade:
    the MFDS item the concept's own words meet best is shown instead, as a lead that needs review;
    a link near the strong threshold ("transducer, gas pressure", BXO, 0.53) stays the lead and gives no grade."""
    from medreg.knowledge.classification.classify import LINK_LEAD
    catalogue = load_catalogue()
    served = _classify(live_server, "aspirating tube")
    code = served["device"]["id"].split(":", 1)[1]
    assert served["device"]["list"] == "fda" and catalogue.linked("fda", code, "mfds")[0][1] < LINK_LEAD
    kr = served["markets"]["KR"]
    item = kr["item_code"]
    assert kr["grade"] == catalogue.mfds[item]["grade"] and kr["reached"].startswith(f"matched MFDS {item}")
    assert kr["needs_review"] is True and served["needs_review"] is True and served["confidence"] < 0.8
    near = _classify(live_server, "transducer, gas pressure")["markets"]["KR"]
    assert near["grade"] is None and near["reached"].startswith("linked from FDA") and near["link_score"] >= LINK_LEAD
