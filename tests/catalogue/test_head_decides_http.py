"""Round 7b as the user reads it from real gunicorn: the head noun decides what the thing is. A
curated type that met only the concept's modifiers ("... mounted on a dental handpiece") gives way
to the official entry that names the head, in English and Korean; the JSON answer and the stream's
one result agree."""
from __future__ import annotations


from medreg.knowledge.catalogue.shipped import load_catalogue
from tests.catalogue.served import classify_both




def test_a_wheel_for_a_handpiece_is_a_wheel(live_server: str) -> None:
    """The curated dental handpiece meets "dental handpiece" (what the wheel is mounted on); the
    thing is a polishing wheel, FDA EJQ (21 CFR 872.6010, class I): that entry answers, from the
    catalogue, below 0.8, with the handpiece kept as an alternative; KR reads the MFDS wheel item."""
    served = classify_both(live_server, {"concept": "abrasive polishing wheel mounted on a dental handpiece"})
    entry = load_catalogue().fda["EJQ"]
    assert served["device"]["id"] == "fda:EJQ" and served["device"]["source"] == "catalogue"
    us = served["markets"]["US"]
    assert us["product_code"] == "EJQ" and us["regulation"] == f"21 CFR {entry['regulation']}" == "21 CFR 872.6010"
    assert us["class"] == "I" == {"1": "I", "2": "II", "3": "III"}[entry["class"]]
    kr = served["markets"]["KR"]
    assert "휠" in load_catalogue().mfds[kr["item_codes"][0]]["name_ko"]
    assert "dental-handpiece" in [a["id"] for a in served["alternatives"]]
    assert served["confidence"] < 0.8 and served["qualification"]["status"] == "device"


def test_a_vaporizer_for_an_anaesthesia_machine_is_a_vaporizer(live_server: str) -> None:
    """"마취기에 장착하는 세보플루란 기화기": the head (Korean puts it last) is 기화기, which the
    curated anaesthesia machine never names: MFDS A06010.02 마취용 기화기 answers, below 0.8."""
    served = classify_both(live_server, {"concept": "마취기에 장착하는 세보플루란 기화기", "language": "ko"})
    item = load_catalogue().mfds["A06010.02"]
    assert served["device"]["id"] == "mfds:A06010.02" and served["device"]["source"] == "catalogue"
    kr = served["markets"]["KR"]
    assert kr["item_codes"] == ["A06010.02"] and kr["grade"] == int(item["grade"]) and "기화기" in item["name_ko"]
    assert "anesthesia-machine" in [a["id"] for a in served["alternatives"]]
    assert served["confidence"] < 0.8


def test_a_type_that_names_the_head_keeps_its_answer(live_server: str) -> None:
    """The control: a concept whose head the curated type names is answered by it, unchanged."""
    served = classify_both(live_server, {"concept": "air-driven dental handpiece for cutting enamel"})
    assert served["device"]["id"] == "dental-handpiece" and served["device"]["source"] == "curated"


def test_a_generic_penile_implant_is_held(live_server: str) -> None:
    """"음경 보형물" (no word for inflatable) is answered by the curated inflatable prosthesis (FDA
    JCW, class III) but held below 0.8, naming FDA FAE (class II) as the other reading; in English
    the same, and "inflatable" in the concept lifts the doubt."""
    for body in ({"concept": "음경 보형물", "language": "ko"}, {"concept": "penile implant"}):
        held = classify_both(live_server, body)
        assert held["device"]["id"] == "penile-prosthesis-inflatable" and held["confidence"] < 0.8
        assert held["doubt"] == {"reason": "unstated_subtype", "entry": "fda:FAE"}
        assert load_catalogue().fda["FAE"]["class"] == "2" and held["markets"]["US"]["class"] == "III"
    kept = classify_both(live_server, {"concept": "three-piece inflatable penile implant with a scrotal pump"})
    assert kept["doubt"] is None and kept["confidence"] >= 0.8
