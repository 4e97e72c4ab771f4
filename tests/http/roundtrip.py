"""The web app's flow over real HTTP (each answer sent back verbatim) and the same steps run by the
engine in process, for the round-trip tests."""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import requests

from medreg.engines.base import MARKETS, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.events import Failure, Result
from medreg.knowledge.words.phrases import tr
from medreg.markets import MARKET_NAMES
from medreg.pipeline import run_step
from tests.sse_parse import events_of

BENCH = Path(__file__).resolve().parent.parent.parent / "bench" / "data"
FEEDBACK = {"en": ("we sell in Korea only", "no wireless", "we must launch in 12 months"),
            "ko": ("한국에서만 판매합니다", "무선 기능은 없습니다", "12개월 안에 출시해야 합니다")}
# The 14 high-class concepts of the issue report.
ISSUE_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("implantable cardiac pacemaker", "en"), ("implantable cardioverter defibrillator (ICD)", "en"),
    ("mechanical heart valve replacement", "en"), ("drug-eluting coronary stent", "en"),
    ("patch insulin pump worn on the skin", "en"), ("total hip replacement implant", "en"),
    ("total knee replacement implant", "en"), ("cervical artificial disc replacement", "en"),
    ("diagnostic X-ray imaging system", "en"), ("AI software that detects stroke on CT scans", "en"),
    ("absorbable surgical suture", "en"), ("ICU mechanical ventilator", "en"),
    ("home oxygen concentrator", "en"), ("copper intrauterine device (IUD)", "en"),
    ("deep brain stimulation (DBS) system", "en"),
)
# The sentence a plan carries for the markets whose class it did not know (knowledge/plans.py).
UNDETERMINED = {"en": re.compile(r"Needs review for ([^:]*): the class is not determined"),
                "ko": re.compile(r"([^.:]*) 검토 필요: 등급이 결정되지 않아")}


def bench_concepts() -> list[tuple[str, str]]:
    """(concept, language) of every row in the dev and holdout sets, bench/data/*.jsonl."""
    rows = []
    for path in sorted(BENCH.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if "status" in row.get("expected", {}):
                    continue  # the qualification sets: not devices, by design (tests/server/test_qualification_served.py)
                rows.append((row["concept"], row.get("language") or "en"))
    return rows


def unlabelled_concepts() -> set[str]:
    """The bench concepts labelled with no class in any market (non-devices the sets hold on purpose)."""
    out = set()
    for path in sorted(BENCH.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            labels = row.get("expected", {})
            if row and "status" not in labels and not any(labels.get(k) for k in ("us_class", "eu_class", "kr_grade")):
                out.add(row["concept"])
    return out


def as_json(value: Any) -> Any:
    """`value` as a client receives it (tuples become lists, and so on)."""
    return json.loads(json.dumps(value))


class Served:
    """A client of a real medreg: JSON endpoints and the `result` of stream endpoints (one session per thread)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def json(self, step: str, body: dict) -> dict:
        """POST /api/<step>; the 200 answer."""
        response = self._session().post(f"{self.url}/api/{step}", json=body, timeout=60)
        if response.status_code == 422 and response.json()["error"]["code"] == "not_a_device":
            return {"refused": "not_a_device"}
        assert response.status_code == 200, (step, response.status_code, response.text[:500])
        return response.json()

    def stream(self, step: str, body: dict) -> dict:
        """POST /api/stream/<step>; the `result` event's data (the stream must end with `done`)."""
        response = self._session().post(f"{self.url}/api/stream/{step}", json=body, timeout=60)
        events = events_of(response.content)
        if events[-1]["data"].get("code") == "not_a_device":
            assert [e["event"] for e in events].count("error") == 1 and "result" not in [e["event"] for e in events]
            return {"refused": "not_a_device"}
        assert response.status_code == 200, (step, response.status_code, response.text[:500])
        assert events[-1]["event"] == "done", events[-1]
        results = [e["data"]["data"] for e in events if e["event"] == "result"]
        assert len(results) == 1, [e["event"] for e in events]
        return results[0]

    def call(self, kind: str, step: str, body: dict) -> dict:
        """`json` or `stream`, by name."""
        return self.json(step, body) if kind == "json" else self.stream(step, body)


@dataclass
class Flow:
    """One concept through classify → purpose → standards → refine, each answer sent back verbatim."""

    concept: str
    language: str
    feedback: str
    single: bool
    classification: dict = field(default_factory=dict)
    purpose: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    refinement: dict = field(default_factory=dict)

    def refine_body(self) -> dict:
        """The web app refines one plan; a client may send all of them."""
        plans = self.plans["plans"]
        chosen = {"plan": plans[0]} if self.single else {"plans": plans}
        return {**chosen, "feedback": self.feedback, "classification": self.classification,
                "purposeMechanism": self.purpose, "language": self.language}


def run_flow(served: Served, kind: str, concept: str, language: str, index: int) -> Flow:
    """The web app's request bodies (app.js), over `kind` (json or stream) endpoints."""
    flow = Flow(concept, language, FEEDBACK[language][index % 3], single=index % 2 == 0)
    markets = list(MARKETS)
    flow.classification = served.call(kind, "classify", {"concept": concept, "markets": markets,
                                                         "language": language})
    flow.purpose = served.call(kind, "purpose", {"concept": concept, "classification": flow.classification,
                                                 "language": language})
    flow.plans = served.call(kind, "standards", {
        "classification": flow.classification, "category": flow.classification["category"],
        "purposeMechanism": flow.purpose, "markets": markets, "language": language})
    if flow.plans.get("plans"):
        flow.refinement = served.call(kind, "refine", flow.refine_body())
    return flow


def in_process(engine: Engine, step: str, request) -> dict:
    """The step's result from the engine called directly (no HTTP, no request schema), as JSON."""
    for event in run_step(step, engine, request):
        if isinstance(event, Failure) and event.code == "not_a_device":
            return {"refused": event.code}  # what the endpoints answer with 422, and compared as such
        assert not isinstance(event, Failure), event
        if isinstance(event, Result):
            return as_json(event.data)
    raise AssertionError(f"{step} gave no result")


def expected(engine: Engine, flow: Flow) -> dict[str, Optional[dict]]:
    """What the engine in process answers to each later step, given the served earlier answers."""
    cls, language = flow.classification, flow.language
    refine: Optional[dict] = {}  # no plans: nothing to refine (Flow.refinement stays empty)
    if flow.plans.get("plans"):
        plans = flow.plans["plans"][:1] if flow.single else flow.plans["plans"]
        refine = in_process(engine, "refine", RefineInput(plans, flow.feedback, language, flow.single, cls, flow.purpose))
    return {
        "purpose": in_process(engine, "purpose", PurposeInput(flow.concept, language, cls)),
        "standards": in_process(engine, "standards", StandardsInput(cls, language, cls["category"], flow.purpose, MARKETS)),
        "refine": refine,
    }


def plan_text(plans: list[dict]) -> str:
    """Everything a user reads in the plans, as one string."""
    return json.dumps(plans, ensure_ascii=False)


def undetermined_markets(plans: list[dict], language: str) -> set[str]:
    """The markets the plans say have no class yet ("Needs review for …: the class is not determined")."""
    text = plan_text(plans)
    if "class is not determined" not in text and "등급이 결정되지 않아" not in text:
        return set()
    named = " ".join(match.group(1) for pattern in UNDETERMINED.values() for match in pattern.finditer(text))
    return {market for market, name in MARKET_NAMES.items() if tr(name, language) in named}


def classified_markets(classification: dict) -> set[str]:
    """The markets classify gave a class."""
    return {market for market, block in classification["markets"].items() if block.get("class")}


def activity_names(plans: list[dict]) -> list[str]:
    """Every activity name in the plans."""
    return [activity["name"] for plan in plans for activity in plan.get("activities", [])]
