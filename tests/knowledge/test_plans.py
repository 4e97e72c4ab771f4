"""Standards plans: triggers + the device type's own list, one plan per workstream."""
from __future__ import annotations

import pytest

from medreg.knowledge.catalogue.loader import load_data
from medreg.knowledge import Knowledge
from medreg.knowledge.plans.schedule import critical_path, plan_duration
from tests.knowledge.plan_fixtures import classification_for, make_kb

MARKETS = ("US", "EU", "KR")
PLAN_KEYS = {"id", "title", "standards", "activities", "estimated_weeks", "depends_on", "markets", "rationale"}


def _plans(device_id, language="en", markets=MARKETS, **attrs) -> list[dict]:
    kb = make_kb()
    return kb.plans(classification_for(device_id, language, markets, **attrs), None, None, markets, language)


def _standard_ids(plans: list[dict]) -> set[str]:
    return {s["id"] for p in plans for s in p["standards"]}


def _by_id(plans: list[dict]) -> dict[str, dict]:
    return {p["id"]: p for p in plans}


@pytest.mark.parametrize("device_id", ["insulin-pump-external", "hip-stem", "ecg-analysis-software", None])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_plan_shape(device_id, language) -> None:
    """Every plan has the contract's fields, typed as the schema says."""
    plans = _plans(device_id, language)
    assert plans
    for plan in plans:
        assert PLAN_KEYS <= set(plan)
        assert plan["id"].startswith("plan-")
        assert isinstance(plan["estimated_weeks"], float) and plan["estimated_weeks"] > 0
        for std in plan["standards"]:
            assert {"id", "edition", "title", "why"} <= set(std) and std["why"]
        for activity in plan["activities"]:
            assert {"name", "deliverable", "weeks"} <= set(activity) and activity["weeks"] >= 0
        assert set(plan["markets"]) <= set(MARKETS)


@pytest.mark.parametrize("device_id, present, absent", [
    ("insulin-pump-external",
     {"ISO 14971", "ISO 13485", "IEC 62366-1", "IEC 62304", "IEC 60601-1", "IEC 60601-1-2", "IEC 60601-1-11",
      "IEC 81001-5-1", "ISO 10993-1", "IEC 60601-2-24"},
     {"ISO 11135", "IEC 82304-1", "IEC 61010-1"}),
    ("hip-stem", {"ISO 14971", "ISO 13485", "IEC 62366-1", "ISO 10993-1", "ISO 11135", "ISO 11607-1", "ISO 14155"},
     {"IEC 60601-1", "IEC 60601-1-2", "IEC 62304", "IEC 81001-5-1"}),
    ("ecg-analysis-software", {"ISO 14971", "ISO 13485", "IEC 62366-1", "IEC 62304", "IEC 82304-1"},
     {"IEC 60601-1", "IEC 60601-1-2", "ISO 10993-1", "IEC 81001-5-1"}),
])
def test_standards_follow_triggers(device_id, present, absent) -> None:
    """Horizontal standards by attribute, particular ones by the device type's list."""
    ids = _standard_ids(_plans(device_id))
    assert present <= ids
    assert not absent & ids


@pytest.mark.parametrize("device_id, present, absent", [
    ("insulin-pump-external", {"plan-software", "plan-cybersecurity", "plan-electrical-safety", "plan-emc", "plan-particular"},
     {"plan-sterilisation-packaging"}),
    ("hip-stem", {"plan-sterilisation-packaging", "plan-biocompatibility", "plan-clinical-evaluation"},
     {"plan-electrical-safety", "plan-emc", "plan-software", "plan-cybersecurity"}),
])
def test_only_applicable_workstreams(device_id, present, absent) -> None:
    """No electrical safety for a passive implant; no software plan without software."""
    ids = set(_by_id(_plans(device_id)))
    assert present <= ids and not absent & ids


def test_unknown_device_gets_common_plans_marked_for_review() -> None:
    """An unidentified device still gets the always-applicable plans, flagged for review."""
    plans = _plans(None)
    assert {"plan-risk-management", "plan-quality-system", "plan-usability", "plan-labelling"} <= set(_by_id(plans))
    assert "plan-electrical-safety" not in _by_id(plans)
    assert all("Needs review" in p["rationale"] for p in plans)


def test_dependencies_and_order() -> None:
    """Everything but QMS depends on risk management; clinical waits for verification; order is topological."""
    plans = _plans("insulin-pump-external")
    by_id = _by_id(plans)
    for plan in plans:
        if plan["id"] not in ("plan-risk-management", "plan-quality-system"):
            assert "plan-risk-management" in plan["depends_on"], plan["id"]
    assert {"plan-software", "plan-electrical-safety"} <= set(by_id["plan-clinical-evaluation"]["depends_on"])
    seen: set[str] = set()
    for plan in plans:
        assert set(plan["depends_on"]) <= seen, plan["id"]
        seen.add(plan["id"])
    assert all(d in by_id for p in plans for d in p["depends_on"])


def test_markets_limit_market_activities() -> None:
    """A KR-only plan set has no FDA or notified-body work, and KGMP appears."""
    plans = _plans("insulin-pump-external", markets=("KR",))
    activities = [a for p in plans for a in p["activities"]]
    assert all(a.get("market") in (None, "KR") for a in activities)
    assert all(p["markets"] == ["KR"] for p in plans)
    qms = _by_id(plans)["plan-quality-system"]
    assert any("KGMP" in a["name"] for a in qms["activities"])


def test_clinical_plan_per_market() -> None:
    """EU clinical evaluation always; a class III / implant needs a clinical investigation."""
    hip = _by_id(_plans("hip-stem"))["plan-clinical-evaluation"]
    assert "EU" in hip["markets"]
    assert any(a.get("kind") == "clinical" and a.get("market") == "EU" for a in hip["activities"])
    ecg = _by_id(_plans("ecg-analysis-software"))["plan-clinical-evaluation"]
    assert not any(a.get("kind") == "clinical" for a in ecg["activities"])
    assert "KR" not in ecg["markets"]          # grade 2: no KR clinical-trial question


@pytest.mark.parametrize("language, word", [("en", "Risk management"), ("ko", "위험관리")])
def test_language(language, word) -> None:
    """Titles and why-texts follow the request's language."""
    plans = _plans("insulin-pump-external", language)
    assert plans[0]["title"] == word
    why = next(s["why"] for p in plans for s in p["standards"] if s["id"] == "IEC 62304")
    assert ("software" in why) if language == "en" else ("소프트웨어" in why)


def test_why_names_the_trigger() -> None:
    """`why` says which attribute or device type caused a standard."""
    plans = _plans("insulin-pump-external")
    whys = {s["id"]: s["why"] for p in plans for s in p["standards"]}
    assert "wireless" in whys["IEC 81001-5-1"] and "software" in whys["IEC 81001-5-1"]
    assert "home use" in whys["IEC 60601-1-11"]
    assert "External insulin infusion pump" in whys["IEC 60601-2-24"]
    assert whys["ISO 14971"] == "applies to every medical device"


def test_estimates_follow_activities() -> None:
    """A plan's estimate is its activities' duration; lab tests run side by side."""
    for plan in _plans("insulin-pump-external"):
        assert plan["estimated_weeks"] == plan_duration(plan["activities"])
    electrical = _by_id(_plans("insulin-pump-external"))["plan-electrical-safety"]
    tests = [a["weeks"] for a in electrical["activities"] if a.get("parallel") == "standards"]
    assert len(tests) == 2 and electrical["estimated_weeks"] < sum(a["weeks"] for a in electrical["activities"])


def test_listed_standard_missing_from_catalogue_is_flagged() -> None:
    """A device-listed standard the catalogue lacks is kept, unverified, and says so."""
    kb = make_kb(devices=None)
    kb.data.devices["insulin-pump-external"]["standards"].append("ISO 99999-9")
    plans = kb.plans(classification_for("insulin-pump-external"), None, None, MARKETS, "en")
    entry = next(s for p in plans for s in p["standards"] if s["id"] == "ISO 99999-9")
    assert entry["verified"] is False and entry["edition"] is None and "catalogue" in entry["why"]


def test_home_use_from_purpose() -> None:
    """A purpose that says home use triggers home-use standards when the attributes are silent."""
    kb = make_kb()
    cls = classification_for("insulin-pump-external")
    cls["attributes"].pop("home_use")
    without = _standard_ids(kb.plans(cls, None, None, MARKETS, "en"))
    purpose = {"use_environment": ["home"], "intended_users": []}
    with_purpose = _standard_ids(kb.plans(cls, None, purpose, MARKETS, "en"))
    assert "IEC 60601-1-11" not in without and "IEC 60601-1-11" in with_purpose


# ---- against the real catalogue and device types --------------------------------------------

REAL = load_data()
HAS_REAL = bool(REAL.standards) and bool(REAL.devices)
# One knowledge base for the cases below, as a server has one for every request (plans and classify keep
# no state between calls); a new one per case built its indexes again: 49 ms a case, 601 cases.
REAL_KB = Knowledge(REAL)
real = pytest.mark.skipif(not HAS_REAL, reason="standards.json or devices/*.json not present yet")


def _required(attrs: dict) -> tuple[set[str], set[str]]:
    software = attrs.get("software") or attrs.get("software_only")
    hardware = attrs.get("active") and not attrs.get("software_only") and not attrs.get("ivd")
    need = {"ISO 14971", "IEC 62366-1", "ISO 13485"}
    forbidden: set[str] = set()
    if software:
        need.add("IEC 62304")
    else:
        forbidden |= {"IEC 62304", "IEC 81001-5-1"}
    if hardware:
        need |= {"IEC 60601-1", "IEC 60601-1-2"}
    else:
        forbidden |= {"IEC 60601-1", "IEC 60601-1-2"}
    if attrs.get("ivd") and attrs.get("active"):
        need.add("IEC 61010-1")
    if attrs.get("body_contact") not in (None, "none"):
        need.add("ISO 10993-1")
    if attrs.get("sterile"):
        need |= {"ISO 11607-1"}
    if software and attrs.get("wireless"):
        need.add("IEC 81001-5-1")
    return need, forbidden


@real
@pytest.mark.parametrize("device_id", sorted(REAL.devices))
def test_real_horizontal_recall(device_id) -> None:
    """Must-apply horizontal standards for every curated device type, and none that cannot apply."""
    device = REAL.devices[device_id]
    cls = {"device": {"id": device_id, "name": device["name"]}, "category": {"code": device.get("category")},
           "attributes": device.get("attributes") or {}, "markets": {}}
    plans = REAL_KB.plans(cls, None, None, MARKETS, "en")
    ids = _standard_ids(plans)
    need, forbidden = _required(device.get("attributes") or {})
    assert need <= ids, f"missing {sorted(need - ids)}"
    assert not forbidden & ids, f"should not apply: {sorted(forbidden & ids)}"
    assert {s for s in device.get("standards") or []} <= ids
    assert critical_path(plans).weeks > 0


@pytest.mark.parametrize("eu_class, sterile, full, limited, declared", [
    ("I", False, False, False, True), ("Is", True, False, True, False), ("Im", False, False, True, False),
    ("IIa", False, True, False, False), ("III", True, True, False, False),
    ("A", False, False, False, True), ("A", True, True, False, False), ("C", False, True, False, False),
])
def test_eu_conformity_route_by_class(eu_class, sterile, full, limited, declared) -> None:
    """MDR Article 52(7): self-declared class I, limited notified body for Is/Im/Ir, full audit above;
    IVD class A is self-declared unless sterile."""
    kb = make_kb()
    cls = classification_for("hip-stem", sterile=sterile)
    cls["markets"]["EU"]["class"] = eu_class
    qms = _by_id(kb.plans(cls, None, None, MARKETS, "en"))["plan-quality-system"]
    names = [a["name"] for a in qms["activities"] if a.get("market") == "EU"]
    assert any(n.startswith("Notified-body conformity") for n in names) is full
    assert any("limited to the sterile" in n for n in names) is limited
    assert any(n.startswith("Self-declared") for n in names) is declared


def test_undetermined_class_is_flagged_in_class_dependent_plans() -> None:
    """A market without a class gets a needs-review note where activities depend on the class."""
    kb = make_kb()
    cls = classification_for("insulin-pump-external")
    cls["markets"]["EU"]["class"] = None
    by_id = _by_id(kb.plans(cls, None, None, MARKETS, "en"))
    assert "Needs review for EU (MDR/IVDR)" in by_id["plan-quality-system"]["rationale"]
    assert "Needs review" not in by_id["plan-electrical-safety"]["rationale"]
    assert not any(a.get("market") == "EU" and a.get("kind") == "audit" for a in by_id["plan-quality-system"]["activities"])


def test_firmware_brings_the_software_life_cycle_and_no_software_drops_it() -> None:
    """An electronic device without stated software still gets IEC 62304 (firmware), said as assumed."""
    kb = Knowledge(load_data())
    with_firmware = kb.classify("infrared ear thermometer for parents, battery powered", None, MARKETS, "en")
    assert with_firmware["attributes"].get("firmware") is True
    assert with_firmware["attribute_sources"]["firmware"] == "default"
    plans = kb.plans(with_firmware, None, None, MARKETS, "en")
    software = [s for p in plans for s in p["standards"] if s["id"] == "IEC 62304"]
    assert software and "firmware" in software[0]["why"]
    refined = kb.refine(plans, "no software at all", with_firmware, None, "en")
    assert "IEC 62304" not in {s["id"] for p in refined["plans"] for s in p["standards"]}


def test_a_network_link_brings_security() -> None:
    """Software sending results over the hospital network needs IEC 81001-5-1 even without radio."""
    kb = Knowledge(load_data())
    result = kb.classify("12-lead resting ECG cart with interpretation, exports reports over the hospital network to the EMR",
                         None, MARKETS, "en")
    assert result["attributes"].get("connected") is True and not result["attributes"].get("wireless")
    assert "IEC 81001-5-1" in _standard_ids(kb.plans(result, None, None, MARKETS, "en"))


@pytest.mark.parametrize("concept", ["스마트 인슐린 펌프", "블루투스 가정용 혈압계", "AI 흉부 X선 판독 소프트웨어",
                                     "인공 고관절", "멸균 흡수성 봉합사", "치과 임플란트", "임신 진단 키트"])
def test_korean_plans_speak_korean(concept: str) -> None:
    """Every activity and deliverable of a Korean plan has Korean words (ids and acronyms may sit beside them)."""
    import re

    kb = REAL_KB
    result = kb.classify(concept, None, MARKETS, "ko")
    plans = kb.plans(result, result.get("category"), None, MARKETS, "ko")
    english_only = [text for plan in plans for activity in plan["activities"]
                    for text in (activity["name"], activity.get("deliverable") or "가")
                    if not re.search(r"[\uac00-\ud7a3]", text)]
    assert plans and not english_only, english_only
