"""The offline knowledge-base engine: deterministic, cites its sources, keeps concepts local."""
from __future__ import annotations

from typing import Iterator

from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.events import Event, PlanReady, Result, Status
from medreg.knowledge import Knowledge, get_knowledge
from medreg.language import Text, tr

STAGE_TEXT: dict[str, Text] = {
    "matching": {"en": "Matching the concept against the knowledge base…", "ko": "지식 베이스에서 기기 유형을 찾는 중..."},
    "rules": {"en": "Applying US, EU and Korean classification rules…", "ko": "미국·유럽·한국 분류 규칙을 적용하는 중..."},
    "purpose": {"en": "Writing purpose, users and mechanism of action…", "ko": "사용 목적, 사용자, 작용 원리를 작성하는 중..."},
    "triggers": {"en": "Selecting the standards that apply…", "ko": "적용 규격을 선정하는 중..."},
    "feedback": {"en": "Applying your feedback…", "ko": "피드백을 적용하는 중..."},
}


class OfflineEngine(Engine):
    """Answers every step from the curated knowledge base, with no network."""

    engine_id = "offline"
    waits_on_io = False

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or get_knowledge()

    @classmethod
    def from_config(cls, config) -> "OfflineEngine":
        """The offline engine needs no settings."""
        return cls()

    def _status(self, stage: str, language: str, progress: float) -> Status:
        return Status(message=tr(STAGE_TEXT[stage], language), stage=stage, progress=progress)

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        """Match the concept, then apply each market's rules."""
        yield self._status("matching", request.language, 0.3)
        data = self.knowledge.classify(request.concept, request.context, request.markets, request.language,
                                       request.answers)
        data["engine"] = self.name
        yield Result(data)

    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        """Describe the intended purpose from the device type and the concept's words."""
        yield self._status("purpose", request.language, 0.4)
        data = self.knowledge.purpose(request.concept, request.classification, request.context,
                                      request.language)
        data["engine"] = self.name
        yield Result(data)

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        """Assemble the plans from the catalogue's triggers, then send them one by one."""
        yield self._status("triggers", request.language, 0.2)
        plans = self.knowledge.plans(request.classification, request.category, request.purpose,
                                     request.markets, request.language)
        for index, plan in enumerate(plans, start=1):
            yield PlanReady(plan, index, len(plans))
        yield Result({"plans": plans, "total_plans": len(plans), "engine": self.name})

    def refine(self, request: RefineInput) -> Iterator[Event]:
        """Apply the feedback to the plans and say what changed and what could not be applied."""
        yield self._status("feedback", request.language, 0.4)
        data = self.knowledge.refine(request.plans, request.feedback, request.classification,
                                     request.purpose, request.language)
        data["engine"] = self.name
        if not request.single:
            plans = data.get("plans", [])
            for index, plan in enumerate(plans, start=1):
                yield PlanReady(plan, index, len(plans))
        yield Result(data)
