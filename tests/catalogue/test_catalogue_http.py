"""What a user receives from real gunicorn when the answer rests on the shipped catalogue."""
from __future__ import annotations

import json
import urllib.request

from medreg.knowledge.catalogue.shipped import load_catalogue
from medreg.knowledge.words.text import ko_features


def _post(url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def test_long_tail_concept_reaches_an_official_code(live_server: str) -> None:
    """"flexible bronchoscope" is no curated type; the catalogue's EOQ "Bronchoscope (Flexible Or Rigid)" answers,
    says it is a catalogue answer, and stays below the confidence a user may act on unreviewed."""
    served = _post(live_server, "/api/classify", {"concept": "flexible bronchoscope"})
    entry = load_catalogue().fda["EOQ"]
    assert served["device"]["id"] == "fda:EOQ" and served["device"]["source"] == "catalogue"
    us = served["markets"]["US"]
    assert us["product_code"] == "EOQ" and us["regulation"] == f"21 CFR {entry['regulation']}"
    assert us["class"] == {"1": "I", "2": "II", "3": "III"}[entry["class"]]
    assert served["confidence"] < 0.8 and served["needs_review"] is True


def test_a_concept_in_the_words_of_an_official_description(live_server: str) -> None:
    """No name of an MFDS elevator (기자) is in "치근을 들어 올리는 치과용 수동 기구"; their annex
    descriptions say it, so the user is shown one, from the catalogue, and no confident answer."""
    served = _post(live_server, "/api/classify", {"concept": "치근을 들어 올리는 치과용 수동 기구"})
    shown = [served["device"]] + served["alternatives"]
    elevators = [s for s in shown if s["id"].startswith("mfds:A48010.")]
    assert elevators and all(s["source"] == "catalogue" for s in elevators)
    assert all("기자" in load_catalogue().mfds[s["id"][5:]]["name_ko"] for s in elevators)
    assert served["confidence"] < 0.8


def test_not_classified_rows_are_not_matched(live_server: str) -> None:
    """FDA rows of class N / U / f are no device type: no answer rests on one."""
    catalogue = load_catalogue()
    code, entry = next((c, e) for c, e in sorted(catalogue.fda.items()) if e["class"] == "N" and len(e["name"]) > 12)
    served = _post(live_server, "/api/classify", {"concept": entry["name"]})
    ids = [served["device"]["id"] if served["device"] else None] + [a["id"] for a in served["alternatives"]]
    assert f"fda:{code}" not in ids


def test_special_controls_plan_cites_each_item(live_server: str) -> None:
    """A class II device under 21 CFR 886.1100 gets a plan with (b)(1)..(b)(6), each cited."""
    classification = _post(live_server, "/api/classify",
                           {"concept": "diabetic retinopathy AI screening software for primary care"})
    assert classification["markets"]["US"]["regulation"] == "21 CFR 886.1100"
    plans = _post(live_server, "/api/standards", {"classification": classification})["plans"]
    plan = next(p for p in plans if p["id"] == "plan-us-special-controls")
    cites = [a["citation"] for a in plan["activities"]]
    assert cites == [f"21 CFR 886.1100(b)({n})" for n in range(1, 7)]
    assert plan["activities"][1]["deliverable"].startswith("Clinical performance data")
    assert plan["markets"] == ["US"]


def test_one_syllable_korean_noun_is_a_feature() -> None:
    """침 (needle) after any word is still evidence ("멸균 일회용 스테인리스 침" meets "멸균 침")."""
    assert "\u3131침" in ko_features("멸균 일회용 스테인리스 침", query=True)
    assert "\u3131및" not in ko_features("침 및 관", query=True)


def test_medicinal_substance_in_the_text_fires_rule_14(live_server: str) -> None:
    """A spermicide named in the concept makes the condom EU class III (MDR Annex VIII Rule 14); without it, not."""
    served = _post(live_server, "/api/classify", {"concept": "latex condom with nonoxynol-9 spermicide"})
    eu = served["markets"]["EU"]
    assert served["attributes"].get("medicinal_substance") is True
    assert eu["class"] == "III" and any("14" in str(r) for r in eu.get("rules", []))
    plain = _post(live_server, "/api/classify", {"concept": "latex condom without spermicide"})
    assert plain["markets"]["EU"]["class"] != "III" and not plain["attributes"].get("medicinal_substance")


def test_the_head_noun_picks_the_official_entry(live_server: str) -> None:
    """A nose clip used in lung-function testing is a clip, not the curated spirometer its purpose
    words meet: FDA BXJ answers (a catalogue answer, below 0.8), the spirometer stays an alternative."""
    served = _post(live_server, "/api/classify", {"concept": "disposable nose clip for lung function tests"})
    entry = load_catalogue().fda["BXJ"]
    assert served["device"]["id"] == "fda:BXJ" and served["device"]["source"] == "catalogue"
    assert "clip" in entry["name"].lower()
    assert served["markets"]["US"]["product_code"] == "BXJ"
    assert served["markets"]["US"]["class"] == {"1": "I", "2": "II", "3": "III"}[entry["class"]]
    assert "spirometer" in [a["id"] for a in served["alternatives"]]
    assert served["confidence"] < 0.8


def test_a_curated_type_that_does_not_name_the_thing_is_not_confident(live_server: str) -> None:
    """"membrane oxygenator ... heart-lung machine" meets the curated heart-lung machine, but the
    thing described is an oxygenator, which the type's names never say: the official oxygenator
    (FDA DTZ) answers, below 0.8; the heart-lung machine itself keeps its answer and confidence."""
    other = _post(live_server, "/api/classify",
                  {"concept": "membrane oxygenator used with a heart-lung machine in bypass surgery"})
    itself = _post(live_server, "/api/classify", {"concept": "heart-lung machine for cardiac surgery"})
    assert itself["device"]["id"] == "heart-lung-machine"
    assert other["device"]["id"] == "fda:DTZ" and "oxygenator" in load_catalogue().fda["DTZ"]["name"].lower()
    assert other["confidence"] < 0.8 <= itself["confidence"]
