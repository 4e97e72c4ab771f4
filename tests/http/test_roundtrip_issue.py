"""Issue 11's high-class concepts through the web app's flow over real gunicorn, with both engines
(Anthropic against the local stub): the plans a user reads keep the classes classify gave."""
from __future__ import annotations

import json

import pytest

from tests.http.conftest import KINDS
from medreg.engines.base import RefineInput
from tests.http.roundtrip import (FEEDBACK, ISSUE_CONCEPTS, UNDETERMINED, Served, activity_names, classified_markets,
                                  in_process, run_flow, undetermined_markets)
from tests.stub_anthropic.process import StubProcess

pytestmark = pytest.mark.server

# Activities only a known class brings, as each language names them.
MARKERS = {
    "notified body": {"en": "Notified-body conformity assessment (QMS", "ko": "인증기관(NB) 적합성 평가"},
    "clinical investigation": {"en": "Clinical investigation (generally required", "ko": "임상시험(이식형·3등급"},
    "PMA": {"en": "a PMA normally needs clinical data", "ko": "PMA는 통상 임상 자료가 필요"},
    "MFDS clinical trial": {"en": "clinical trial plan approval by MFDS", "ko": "식약처 임상시험계획 승인"},
}
ALL = tuple(MARKERS)
NO_PMA = ("notified body", "clinical investigation", "MFDS clinical trial")
# (concept, language, classes US/EU/KR, activities the plans must hold); concepts from ISSUE_CONCEPTS.
EXPECTED = {
    "implantable cardiac pacemaker": (("III", "III", "4"), ALL),
    "implantable cardioverter defibrillator (ICD)": (("III", "III", "4"), ALL),
    "mechanical heart valve replacement": (("III", "III", "4"), ALL),
    "drug-eluting coronary stent": (("III", "III", "4"), ALL),
    "patch insulin pump worn on the skin": (("II", "IIb", "4"), ("notified body", "MFDS clinical trial")),
    "total hip replacement implant": (("II", "III", "3"), NO_PMA),
    "total knee replacement implant": (("II", "III", "3"), NO_PMA),
    "cervical artificial disc replacement": (("III", "III", "3"), ALL),
    "diagnostic X-ray imaging system": (("II", "IIb", "2"), ("notified body",)),
    "AI software that detects stroke on CT scans": (("II", None, None), ()),
    "absorbable surgical suture": (("II", "III", "4"), NO_PMA),
    "ICU mechanical ventilator": (("II", "IIb", "3"), ("notified body", "MFDS clinical trial")),
    "home oxygen concentrator": (("II", "IIb", "2"), ("notified body",)),
    "copper intrauterine device (IUD)": (("III", "III", "4"), ALL),
    "deep brain stimulation (DBS) system": (("III", "III", "4"), ALL),
}
KOREAN = [("이식형 심장 박동기", "ko", ("III", "III", "4"), ALL), ("인공 고관절", "ko", ("II", "III", "3"), NO_PMA)]
ROWS = [(concept, language, *EXPECTED[concept]) for concept, language in ISSUE_CONCEPTS] + KOREAN
KOREAN_IDS = {"이식형 심장 박동기": "pacemaker-ko", "인공 고관절": "hip-prosthesis-ko"}


def row_ids(rows: list) -> list[str]:
    """Test ids in ASCII."""
    return [KOREAN_IDS.get(row[0], row[0]) for row in rows]


def check_flow(flow, classes: tuple, markers: tuple) -> None:
    """Classify gave `classes`; the standards plans hold `markers` and call no classified market undetermined."""
    assert tuple(flow.classification["markets"][m]["class"] for m in ("US", "EU", "KR")) == classes
    names = activity_names(flow.plans["plans"])
    missing = [m for m in markers if not any(MARKERS[m][flow.language] in name for name in names)]
    assert not missing, (flow.concept, missing, names)
    assert not undetermined_markets(flow.plans["plans"], flow.language) & classified_markets(flow.classification)
    if all(classes):
        assert not undetermined_markets(flow.plans["plans"], flow.language)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("concept", "language", "classes", "markers"), ROWS, ids=row_ids(ROWS))
def test_offline_plans_keep_the_served_class(roundtrip_url, kind, concept, language, classes, markers) -> None:
    """The issue's concepts: notified body, clinical investigation, PMA and MFDS activities where the class calls for them."""
    check_flow(run_flow(Served(roundtrip_url), kind, concept, language, 0), classes, markers)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("concept", "language", "classes", "markers"), ROWS[::4], ids=row_ids(ROWS[::4]))
def test_a_refined_plan_refines_again(roundtrip_url, offline_engine, kind, concept, language, classes, markers) -> None:
    """A Refinement's plan, sent back to refine with new feedback, is revised as the engine in process revises it."""
    served = Served(roundtrip_url)
    flow = run_flow(served, kind, concept, language, 0)
    assert flow.single and flow.refinement["changes"]
    again = {"plan": flow.refinement["plan"], "feedback": FEEDBACK[language][1], "classification": flow.classification,
             "purposeMechanism": flow.purpose, "language": language}
    wanted = in_process(offline_engine, "refine", RefineInput([flow.refinement["plan"]], FEEDBACK[language][1], language,
                                                              True, flow.classification, flow.purpose))
    assert served.call(kind, "refine", again) == wanted


def asked_of_the_model(stub: StubProcess) -> str:
    """The request bodies the stub received since its last reset, as one text."""
    bodies = [json.loads(r["body"]) if isinstance(r["body"], str) else r["body"] for r in stub.requests()]
    return json.dumps(bodies, ensure_ascii=False)


ANTHROPIC_ROWS = [row for row in ROWS if row[0] in ("implantable cardiac pacemaker", "total hip replacement implant",
                                                  "이식형 심장 박동기")]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("concept", "language", "classes", "markers"), ANTHROPIC_ROWS, ids=row_ids(ANTHROPIC_ROWS))
def test_anthropic_plans_keep_the_served_class(anthropic_server, kind, concept, language, classes, markers) -> None:
    """The Anthropic engine's served Classification and Purpose, sent back to standards, keep their classes:
    the knowledge base's draft the model is asked to fit holds the class's activities, and no plan
    calls a classified market undetermined."""
    url, stub = anthropic_server
    served = Served(url)
    classification = served.call(kind, "classify", {"concept": concept, "language": language})
    assert classification["engine"].startswith("anthropic:")
    assert tuple(classification["markets"][m]["class"] for m in ("US", "EU", "KR")) == classes
    purpose = served.call(kind, "purpose", {"concept": concept, "classification": classification, "language": language})
    stub.control(reset=True)
    plans = served.call(kind, "standards", {"classification": classification, "category": classification["category"],
                                            "purposeMechanism": purpose, "language": language})
    assert plans["engine"].startswith("anthropic:") and plans["plans"]
    assert not undetermined_markets(plans["plans"], language)
    asked = asked_of_the_model(stub)
    assert stub.stats()["completed"] == len(plans["plans"])
    missing = [m for m in markers if MARKERS[m][language] not in asked]
    assert not missing, missing
    assert not any(pattern.search(asked) for pattern in UNDETERMINED.values())
