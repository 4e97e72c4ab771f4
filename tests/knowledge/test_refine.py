"""Refine: feedback → revised plans, `changes` and `not_applied` (nothing silently dropped)."""
from __future__ import annotations

import copy
import re

import pytest

from medreg.knowledge.plans.schedule import critical_path
from tests.knowledge.plan_fixtures import classification_for, make_kb

MARKETS = ("US", "EU", "KR")
PATH = re.compile(r"^plans\[\d+\](\.(standards|activities|markets|depends_on|estimated_weeks|applicable)(\[\d+\])?(\.(weeks|at_risk))?)?$")


@pytest.fixture()
def kb():
    """The fixture knowledge base."""
    return make_kb()


@pytest.fixture()
def pump(kb):
    """(classification, plans) for the insulin pump in English."""
    cls = classification_for("insulin-pump-external")
    return cls, kb.plans(cls, None, None, MARKETS, "en")


def _ids(plans):
    return [p["id"] for p in plans]


def _standards(plans):
    return {s["id"] for p in plans for s in p["standards"]}


def _check_record(out: dict) -> None:
    assert out["engine"] == "offline"
    for change in out["changes"]:
        assert PATH.match(change["path"]), change["path"]
        assert change["reason"] and change["before"] != change["after"]
    for item in out["not_applied"]:
        assert item["text"] and item["reason"]


@pytest.mark.parametrize("feedback", ["no wireless", "무선 없음", "블루투스 기능은 빼주세요"])
def test_no_wireless_drops_cybersecurity(kb, pump, feedback) -> None:
    """Without wireless, IEC 81001-5-1 and the cybersecurity plan go; the rest stays."""
    cls, plans = pump
    out = kb.refine(plans, feedback, cls, None, "en")
    _check_record(out)
    assert "IEC 81001-5-1" not in _standards(out["plans"])
    assert "plan-cybersecurity" not in _ids(out["plans"])
    assert len(out["plans"]) == len(plans) - 1
    removed = [c for c in out["changes"] if c["after"] is None and isinstance(c["before"], dict)]
    assert any(c["before"].get("id") == "IEC 81001-5-1" and "wireless" in c["reason"] for c in removed)
    assert out["not_applied"] == []


def test_input_plans_are_not_mutated(kb, pump) -> None:
    """Refine works on a copy."""
    cls, plans = pump
    snapshot = copy.deepcopy(plans)
    kb.refine(plans, "Korea only, no software, must submit in 3 months", cls, None, "en")
    assert plans == snapshot


@pytest.mark.parametrize("feedback", ["we sell in Korea only", "한국만 판매합니다"])
def test_korea_only(kb, pump, feedback) -> None:
    """Markets shrink to KR everywhere; US and EU activities go; KGMP stays."""
    cls, plans = pump
    out = kb.refine(plans, feedback, cls, None, "ko")
    _check_record(out)
    assert all(p["markets"] == ["KR"] for p in out["plans"])
    assert all(a.get("market") in (None, "KR") for p in out["plans"] for a in p["activities"])
    assert any(c["path"].endswith(".markets") and c["after"] == ["KR"] for c in out["changes"])
    assert any("KGMP" in a["name"] for p in out["plans"] for a in p["activities"])
    assert any("한국" in c["reason"] or "시장" in c["reason"] for c in out["changes"])


def test_add_market_adds_its_activities(kb) -> None:
    """Adding the EU to KR-only plans brings EU activities and the EU clinical evaluation."""
    cls = classification_for("insulin-pump-external")
    plans = kb.plans(cls, None, None, ("KR",), "en")
    out = kb.refine(plans, "add Europe", cls, None, "en")
    _check_record(out)
    assert all("EU" in p["markets"] for p in out["plans"] if p["id"] != "plan-clinical-evaluation")
    clinical = next(p for p in out["plans"] if p["id"] == "plan-clinical-evaluation")
    assert any(a.get("market") == "EU" and "Article 61" in a["name"] for a in clinical["activities"])
    assert any(a.get("market") == "EU" and "Notified-body" in a["name"]
               for p in out["plans"] for a in p["activities"])


def test_no_software_removes_software_plans_and_dependencies(kb, pump) -> None:
    """'no software' drops IEC 62304, the software and cybersecurity plans, and dependencies on them."""
    cls, plans = pump
    out = kb.refine(plans, "소프트웨어 없음", cls, None, "ko")
    _check_record(out)
    assert not {"IEC 62304", "IEC 81001-5-1"} & _standards(out["plans"])
    assert not {"plan-software", "plan-cybersecurity"} & set(_ids(out["plans"]))
    assert all("plan-software" not in p["depends_on"] for p in out["plans"])


def test_no_software_for_samd_is_refused(kb) -> None:
    """Standalone software cannot lose its software: reported, not applied."""
    cls = classification_for("ecg-analysis-software")
    plans = kb.plans(cls, None, None, MARKETS, "en")
    out = kb.refine(plans, "no software", cls, None, "en")
    assert out["changes"] == [] and out["plans"] == plans
    assert len(out["not_applied"]) == 1 and "standalone software" in out["not_applied"][0]["reason"]


def test_sterile_adds_a_plan(kb, pump) -> None:
    """'sterile' adds sterilisation standards in a new plan, depending on risk management."""
    cls, plans = pump
    out = kb.refine(plans, "supplied sterile", cls, None, "en")
    _check_record(out)
    sterile = next(p for p in out["plans"] if p["id"] == "plan-sterilisation-packaging")
    assert {"ISO 11135", "ISO 11607-1"} <= {s["id"] for s in sterile["standards"]}
    assert "plan-risk-management" in sterile["depends_on"]
    assert any(c["before"] is None and c["path"] == f"plans[{len(out['plans']) - 1}]" for c in out["changes"])


def test_hospital_only_drops_home_standard_and_shortens(kb, pump) -> None:
    """Home-use standard and its test go; the estimate drops with them."""
    cls, plans = pump
    out = kb.refine(plans, "hospital use only", cls, None, "en")
    _check_record(out)
    assert "IEC 60601-1-11" not in _standards(out["plans"])
    paths = [c["path"] for c in out["changes"]]
    assert any(p.startswith("plans[") and ".activities[" in p for p in paths)


def test_already_true_is_reported(kb, pump) -> None:
    """Feedback that changes nothing is reported as such."""
    cls, plans = pump
    out = kb.refine(plans, "add EU. home use", cls, None, "en")
    assert out["changes"] == []
    assert [n["text"] for n in out["not_applied"]] == ["add EU", "home use"]


def test_unparsed_and_unsupported_are_reported(kb, pump) -> None:
    """Unknown requests and other markets come back in not_applied, in the request's language."""
    cls, plans = pump
    out = kb.refine(plans, "일본에도 출시. 등급을 1등급으로 바꿔 주세요", cls, None, "ko")
    texts = {n["text"]: n["reason"] for n in out["not_applied"]}
    assert set(texts) == {"일본에도 출시", "등급을 1등급으로 바꿔 주세요"}
    assert all(re.search(r"[\uac00-\ud7a3]", r) for r in texts.values())
    assert out["changes"] == []


def test_added_market_without_classification_block_is_flagged(kb) -> None:
    """Adding a market the classification never covered adds it, and says class-dependent work is missing."""
    cls = classification_for("insulin-pump-external", markets=("KR",))
    plans = kb.plans(cls, None, None, ("KR",), "en")
    out = kb.refine(plans, "add the US", cls, None, "en")
    assert all("US" in p["markets"] for p in out["plans"] if p["id"] != "plan-clinical-evaluation")
    assert [n["text"] for n in out["not_applied"]] == ["add the US"]
    assert "classify again" in out["not_applied"][0]["reason"]


def test_no_market_left_is_refused(kb) -> None:
    """Dropping the only market keeps it."""
    cls = classification_for("insulin-pump-external")
    plans = kb.plans(cls, None, None, ("KR",), "en")
    out = kb.refine(plans, "drop Korea", cls, None, "en")
    assert out["changes"] == [] and "no market" in out["not_applied"][0]["reason"]


def test_mandatory_standard_stays(kb, pump) -> None:
    """ISO 14971 cannot be removed; a particular standard can, with its plan."""
    cls, plans = pump
    out = kb.refine(plans, "remove ISO 14971", cls, None, "en")
    assert out["changes"] == [] and "every medical device" in out["not_applied"][0]["reason"]
    out = kb.refine(plans, "remove IEC 60601-2-24", cls, None, "en")
    _check_record(out)
    assert "plan-particular" not in _ids(out["plans"])


@pytest.mark.parametrize("feedback, language", [("must submit in 3 months", "en"), ("3개월 안에 제출", "ko")])
def test_infeasible_deadline_is_said(kb, pump, feedback, language) -> None:
    """A deadline shorter than the compressed critical path is flagged and explained."""
    cls, plans = pump
    before = critical_path(plans).weeks
    out = kb.refine(plans, feedback, cls, None, language)
    _check_record(out)
    assert out["schedule"]["feasible"] is False
    assert out["schedule"]["critical_path_weeks_before"] == before
    assert out["schedule"]["critical_path_weeks"] < before
    assert [n["text"] for n in out["not_applied"]] == [feedback]
    assert any(c["path"].endswith(".at_risk") for c in out["changes"])


def test_feasible_deadline_after_compression(kb, pump) -> None:
    """A deadline reachable by compression shortens critical activities only as needed."""
    cls, plans = pump
    before = critical_path(plans).weeks
    target = before - 4
    out = kb.refine(plans, f"must submit within {int(target)} weeks", cls, None, "en")
    _check_record(out)
    assert out["schedule"]["feasible"] is True and out["schedule"]["critical_path_weeks"] <= target
    assert critical_path(out["plans"]).weeks == out["schedule"]["critical_path_weeks"]
    assert any(c["path"].endswith(".weeks") for c in out["changes"])
    assert out["not_applied"] == [] and out["notes"]


def test_comfortable_deadline_changes_nothing(kb, pump) -> None:
    """A generous deadline is confirmed in notes without edits."""
    cls, plans = pump
    out = kb.refine(plans, "must submit in 2 years", cls, None, "en")
    assert out["changes"] == [] and out["schedule"]["feasible"] is True and out["notes"]


def test_single_plan_is_kept_and_marked(kb, pump) -> None:
    """A single plan that stops applying is kept, marked not applicable (the client asked about it)."""
    cls, plans = pump
    cyber = [p for p in plans if p["id"] == "plan-cybersecurity"]
    out = kb.refine(cyber, "no wireless", cls, None, "en")
    assert len(out["plans"]) == 1 and out["plans"][0]["applicable"] is False
    assert any(c["path"] == "plans[0].applicable" for c in out["changes"])


def test_single_plan_needing_a_new_plan_says_so(kb, pump) -> None:
    """Sterile on a single plan: the new sterilisation plan is reported, not smuggled in."""
    cls, plans = pump
    out = kb.refine(plans[:1], "supplied sterile", cls, None, "en")
    assert len(out["plans"]) == 1
    assert any("new plan" in n["reason"] for n in out["not_applied"])


def test_without_classification_only_decided_standards_move(kb, pump) -> None:
    """With no classification, 'no wireless' still removes the wireless-only standard."""
    _, plans = pump
    out = kb.refine(plans, "no wireless", None, None, "en")
    _check_record(out)
    assert "IEC 81001-5-1" not in _standards(out["plans"])
    assert "IEC 62304" in _standards(out["plans"]) and "ISO 14971" in _standards(out["plans"])


def test_foreign_plans_are_handled(kb) -> None:
    """Plans made elsewhere (unknown ids, no kinds) keep their offsets and still get edits."""
    foreign = [{"id": "p1", "title": "Cyber", "standards": [{"id": "IEC 81001-5-1", "edition": "2021", "title": "x", "why": "y"}],
                "activities": [{"name": "Pen test", "deliverable": "report", "weeks": 4}], "estimated_weeks": 10,
                "depends_on": [], "markets": ["US", "KR"], "rationale": "r"},
               {"id": "p2", "title": "Risk", "standards": [{"id": "ISO 14971", "edition": "2019", "title": "x", "why": "y"}],
                "activities": [{"name": "FMEA", "deliverable": "fmea", "weeks": 6}], "estimated_weeks": 6,
                "depends_on": ["p1"], "markets": ["US", "KR"], "rationale": "r"}]
    out = kb.refine(foreign, "no wireless. US only", None, None, "en")
    _check_record(out)
    assert [p["markets"] for p in out["plans"]] == [["US"], ["US"]]
    assert out["plans"][0]["standards"] == []


# ---- end to end on the real knowledge base ---------------------------------------------------

from medreg.knowledge import Knowledge  # noqa: E402
from medreg.knowledge.catalogue.loader import load_data  # noqa: E402

REAL = load_data()


@pytest.mark.skipif(not (REAL.standards and REAL.devices), reason="real catalogue not present yet")
@pytest.mark.parametrize("concept, language, feedback, gone, kept", [
    ("스마트 인슐린 펌프, 블루투스로 앱 연동, 가정용", "ko", "무선 없음, 한국만 판매", {"IEC 81001-5-1"}, {"IEC 62304", "IEC 60601-1"}),
    ("Smart insulin pump with Bluetooth app for home use", "en", "hospital use only", {"IEC 60601-1-11"}, {"IEC 60601-1"}),
    ("Wearable ECG monitor with Bluetooth", "en", "no wireless", {"IEC 81001-5-1"}, {"ISO 14971"}),
])
def test_real_end_to_end(concept, language, feedback, gone, kept) -> None:
    """classify → plans → refine with the real knowledge base, in both languages."""
    kb = Knowledge(REAL)
    try:
        cls = kb.classify(concept, None, MARKETS, language)
    except ImportError:
        pytest.skip("classifier not present yet")
    plans = kb.plans(cls, None, None, MARKETS, language)
    if not gone <= _standards(plans):
        pytest.skip(f"classification of {concept!r} did not yield {gone}")
    out = kb.refine(plans, feedback, cls, None, language)
    _check_record(out)
    assert not gone & _standards(out["plans"])
    assert kept <= _standards(out["plans"])
    assert out["not_applied"] == []


def test_single_plan_without_classification_reports_no_effect() -> None:
    """'no wireless' on a lone plan with no classification, when standalone software would still
    trigger the standard, cannot be decided: said, not dropped; dependencies on plans not sent are kept."""
    from tests.knowledge.plan_fixtures import STANDARDS

    standards = [dict(s) for s in STANDARDS]
    cyber_std = next(s for s in standards if s["id"] == "IEC 81001-5-1")
    cyber_std["triggers"] = {"any": [{"attr": "software_only", "eq": True},
                                     {"all": [{"attr": "software", "eq": True}, {"attr": "wireless", "eq": True}]}]}
    kb = make_kb(standards=standards)
    plans = kb.plans(classification_for("insulin-pump-external"), None, None, MARKETS, "en")
    cyber = [p for p in plans if p["id"] == "plan-cybersecurity"]
    out = kb.refine(cyber, "no wireless", None, None, "en")
    assert out["plans"][0]["depends_on"] == cyber[0]["depends_on"]
    assert out["changes"] == []
    assert [n["text"] for n in out["not_applied"]] == ["no wireless"]
    assert "classification" in out["not_applied"][0]["reason"]


def test_accepted_fact_without_effect_is_reported(kb) -> None:
    """A fact that changes nothing in the plans sent (home use, the usability plan not among them) is reported."""
    cls = classification_for("hip-stem")
    plans = [p for p in kb.plans(cls, None, None, MARKETS, "en") if p["id"] != "plan-usability"]
    out = kb.refine(plans, "home use", cls, None, "en")
    assert out["changes"] == [] and [n["text"] for n in out["not_applied"]] == ["home use"]


def test_a_fact_adds_and_removes_the_activities_a_fresh_plan_would_have(kb) -> None:
    """Refined plans carry the fact-based activities of plans built fresh for the new facts: home use adds the
    lay-user validation, and taking it back removes it, each change saying which feedback caused it."""
    cls = classification_for("hip-stem")
    plans = kb.plans(cls, None, None, MARKETS, "en")
    home = kb.refine(plans, "home use", cls, None, "en")
    fresh = kb.plans(dict(cls, attributes=dict(cls["attributes"], home_use=True)), None, None, MARKETS, "en")
    names = lambda ps: {p["id"]: [a["name"] for a in p["activities"]] for p in ps}  # noqa: E731
    assert names(home["plans"]) == names(fresh)
    added = [c for c in home["changes"] if c["before"] is None and ".activities[" in c["path"]]
    assert added and all("home use" in c["reason"] for c in added)
    back = kb.refine(home["plans"], "not for home use", dict(cls, attributes=dict(cls["attributes"], home_use=True)),
                     None, "en")
    assert names(back["plans"]) == names(plans)


# ---- robustness: plans made elsewhere ----------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_ids_st = st.sampled_from(["p1", "p2", "p3", "plan-software", "plan-cybersecurity"])
_weeks_st = st.one_of(st.none(), st.integers(-3, 60), st.floats(allow_nan=True, allow_infinity=False), st.text(max_size=3))
_activity_st = st.fixed_dictionaries({"name": st.text(max_size=20), "weeks": _weeks_st},
                                     optional={"market": st.sampled_from(["US", "EU", "KR", "JP"]),
                                               "kind": st.sampled_from(["test", "clinical", "odd"])})
_standard_st = st.fixed_dictionaries({}, optional={"id": st.sampled_from(["ISO 14971", "IEC 81001-5-1", "IEC 62304",
                                                                            "ISO 11135", "X 1"]),
                                                   "markets": st.lists(st.sampled_from(["US", "EU", "KR"]), max_size=2)})
_plan_st = st.fixed_dictionaries({"id": _ids_st}, optional={
    "title": st.text(max_size=10), "standards": st.lists(_standard_st, max_size=4),
    "activities": st.lists(_activity_st, max_size=4), "estimated_weeks": _weeks_st,
    "depends_on": st.lists(_ids_st, max_size=3), "markets": st.lists(st.sampled_from(["US", "EU", "KR"]), max_size=3)})
_feedback_st = st.lists(st.sampled_from(["no wireless", "Korea only", "add EU", "sterile", "hospital use only",
                                         "must submit in 3 months", "remove IEC 62304", "무선 없음", "6개월 안에",
                                         "drop the US", "no software", "blah"]), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(_plan_st, min_size=1, max_size=4), feedback=_feedback_st, with_cls=st.booleans())
def test_refine_never_fails_on_foreign_plans(kb, plans, feedback, with_cls) -> None:
    """Any plan shape the schema lets through is refined without error, and every clause is accounted for."""
    cls = classification_for("insulin-pump-external") if with_cls else None
    out = kb.refine(plans, ". ".join(feedback), cls, None, "en")
    assert out["engine"] == "offline" and isinstance(out["plans"], list)
    for change in out["changes"]:
        assert PATH.match(change["path"]) and change["reason"]
