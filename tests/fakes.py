"""Hand-written engines for tests: canned answers, slow steps, failures; selectable by
`MEDREG_ENGINE=tests.fakes:Name` so a real gunicorn can load them too."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator

import gevent

from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.errors import UpstreamUnavailable
from medreg.events import Delta, Event, PlanReady, Result, Status


def canned_classification(concept: str, language: str, engine: str) -> dict:
    """A classification of realistic size (about 2 KB), as the offline engine would give."""
    market = {"rationale": "Matched product code LZG (21 CFR 880.5725); class II, 510(k).",
              "citations": ["21 CFR 880.5725", "FDA product code LZG"], "verified": True}
    return {
        "concept": concept, "language": language,
        "device": {"id": "insulin-pump-external", "name": "External insulin infusion pump",
                   "name_ko": "체외용 인슐린 주입기", "score": 0.93},
        "alternatives": [{"id": "insulin-pen", "name": "Insulin pen injector", "name_ko": "인슐린 펜형 주입기", "score": 0.41}],
        "category": {"code": "drug_delivery", "label": "Drug delivery and infusion"},
        "attributes": {"active": True, "administers_medicine": True, "administration_hazardous": True,
                       "wireless": True, "home_use": True, "software": True},
        "attribute_sources": {"active": "device_type", "wireless": "text", "home_use": "text"},
        "markets": {
            "US": {"authority": "FDA", "class": "II", "pathway": "510(k)", "product_code": "LZG",
                   "regulation": "21 CFR 880.5725", **market},
            "EU": {"authority": "EU MDR 2017/745", "class": "IIb", "rules": ["Rule 12"],
                   "pathway": "Notified body: Annex IX or Annex X + XI", **market},
            "KR": {"authority": "MFDS", "class": "4", "grade": 4, "pathway": "허가", "item_code": "A79050.01",
                   "item_name": "체외용 인슐린 주입기", "derived": False, **market},
        },
        "confidence": 0.86, "needs_review": False,
        "questions": ["Does the pump adjust doses automatically from a glucose sensor?"],
        "engine": engine,
    }


class InstantEngine(Engine):
    """Answers every step at once with a canned result of realistic size (for benchmarks)."""

    engine_id = "instant"
    waits_on_io = False

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        yield Result(canned_classification(request.concept, request.language, self.name))

    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        yield Result({"intended_purpose": request.concept, "indications": [], "contraindications": [],
                      "target_population": "", "intended_users": [], "use_environment": [],
                      "mechanism_of_action": "", "key_components": [], "engine": self.name})

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        plans = [{"id": f"plan-{n}", "title": f"Plan {n}", "standards": [], "activities": [],
                  "estimated_weeks": 4, "depends_on": [], "markets": ["US"], "rationale": "test"}
                 for n in range(1, 4)]
        for index, plan in enumerate(plans, start=1):
            yield PlanReady(plan, index, len(plans))
        yield Result({"plans": plans, "total_plans": len(plans), "engine": self.name})

    def refine(self, request: RefineInput) -> Iterator[Event]:
        yield Result({"plans": request.plans, "changes": [], "not_applied": [], "engine": self.name})


class SlowEngine(InstantEngine):
    """Takes `MEDREG_TEST_STEP_S` seconds (default 2) per step, saying so as it goes, and
    records in `MEDREG_TEST_RECORD` (a file) when a step starts, finishes and cleans up."""

    engine_id = "slow"
    waits_on_io = True

    def __init__(self) -> None:
        self.step_s = float(os.environ.get("MEDREG_TEST_STEP_S", "2"))
        record = os.environ.get("MEDREG_TEST_RECORD")
        self.record = Path(record) if record else None

    def close(self) -> None:
        self._note("engine closed")

    def _note(self, text: str) -> None:
        if self.record is not None:
            with self.record.open("a", encoding="utf-8") as handle:
                handle.write(f"{time.time():.3f} {text}\n")

    def _slowly(self, inner: Iterator[Event], concept: str) -> Iterator[Event]:
        self._note(f"start {concept}")
        try:
            gevent.sleep(self.step_s / 2)
            yield Status(message="halfway", stage="working", progress=0.5)
            gevent.sleep(self.step_s / 2)
            for event in inner:
                yield event
            self._note(f"finish {concept}")
        finally:
            self._note(f"cleanup {concept}")

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        return self._slowly(super().classify(request), request.concept)

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        return self._slowly(super().standards(request), "standards")


class PacedEngine(InstantEngine):
    """Classify waits on the hub for each gap the concept lists ("gaps 0.3 0.3 3 0.3"), sending a
    delta after each, then answers: an upstream whose silences a test chooses."""

    engine_id = "paced"
    waits_on_io = True

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        gaps = [float(word) for word in request.concept.split()[1:]]
        for n, gap in enumerate(gaps):
            gevent.sleep(gap)
            yield Delta(text=f"{n} ")
        yield from super().classify(request)


class ScriptedEngine(Engine):
    """Yields the events (or raises the exception) queued with `enqueue`, recording each call."""

    engine_id = "scripted"

    def __init__(self) -> None:
        self.script: list = []
        self.history: list = []
        self.cleaned_up = 0

    def enqueue(self, *items) -> "ScriptedEngine":
        """Queue events or exceptions for the next step."""
        self.script.extend(items)
        return self

    def _play(self, request) -> Iterator[Event]:
        self.history.append(request)
        try:
            while self.script:
                item = self.script.pop(0)
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, float):
                    gevent.sleep(item)
                    continue
                yield item
        finally:
            self.cleaned_up += 1

    classify = purpose = standards = refine = _play


class OverloadedEngine(InstantEngine):
    """Fails every classify with an upstream overload, as the LLM engine would."""

    engine_id = "overloaded"

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        yield Status(message="calling", stage="model")
        raise UpstreamUnavailable("overloaded")


__all__ = ["InstantEngine", "SlowEngine", "ScriptedEngine", "OverloadedEngine", "Delta"]
