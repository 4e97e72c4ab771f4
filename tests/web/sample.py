"""A hand-written engine with a fixed insulin-pump dossier, for client tests that must not depend
on the knowledge base (refine highlighting, export, CLI rendering). Facts checked against
/work/shared/data: FDA LZG → 21 CFR 880.5725, class 2; MFDS A79050.01 체외용 인슐린 주입기, grade 4."""
from __future__ import annotations

import copy
import time
from typing import Iterator

from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.events import Delta, Event, PlanReady, Result, Status

CLASSIFICATION = {
    "concept": "스마트 인슐린 펌프", "language": "ko",
    "device": {"id": "insulin-pump-external", "name": "External insulin infusion pump",
               "name_ko": "체외용 인슐린 주입기", "score": 0.93},
    "alternatives": [],
    "category": {"code": "drug_delivery", "label": "약물 전달 및 주입"},
    "attributes": {"active": True, "administers_medicine": True, "wireless": True},
    "markets": {
        "US": {"authority": "FDA", "class": "II", "pathway": "510(k)", "product_code": "LZG",
               "product_codes": ["LZG"], "regulation": "21 CFR 880.5725", "rationale": "sample",
               "citations": ["21 CFR 880.5725"], "verified": True},
        "KR": {"authority": "MFDS", "class": "4", "grade": 4, "pathway": "허가", "item_code": "A79050.01",
               "item_name": "체외용 인슐린 주입기", "rationale": "sample", "citations": ["A79050.01"],
               "verified": True},
    },
    "confidence": 0.86, "needs_review": False,
    "questions": ["휴대폰 앱으로 제어합니까?"], "engine": "sample",
}

PURPOSE = {
    "intended_purpose": "당뇨 환자에게 인슐린을 피하로 지속 주입한다.", "indications": ["인슐린 의존성 당뇨"],
    "contraindications": [], "target_population": "성인", "intended_users": ["환자"],
    "use_environment": ["가정"], "mechanism_of_action": "전동 펌프가 설정한 속도로 인슐린을 주입한다.",
    "key_components": ["펌프", "저장 용기"], "engine": "sample",
}

PLANS = [
    {"id": "risk", "title": "위험 관리", "standards": [{"id": "ISO 14971", "edition": "2019", "title": "Risk management", "why": "모든 기기"}],
     "activities": [{"name": "위험 분석", "deliverable": "위험 관리 파일", "weeks": 4}],
     "estimated_weeks": 4, "depends_on": [], "markets": ["US", "KR"], "rationale": "sample"},
    {"id": "software", "title": "소프트웨어 수명 주기", "standards": [{"id": "IEC 62304", "edition": "2006+A1:2015", "title": "Software life cycle", "why": "펌프 펌웨어"}],
     "activities": [{"name": "소프트웨어 개발 계획", "deliverable": "SDP", "weeks": 3}, {"name": "검증", "deliverable": "시험 보고서", "weeks": 5}],
     "estimated_weeks": 8, "depends_on": ["risk"], "markets": ["US", "KR"], "rationale": "sample"},
    {"id": "usability", "title": "사용적합성", "standards": [{"id": "IEC 62366-1", "edition": "2015", "title": "Usability engineering", "why": "가정 사용"}],
     "activities": [{"name": "총괄 평가", "deliverable": "사용적합성 보고서", "weeks": 6}],
     "estimated_weeks": 6, "depends_on": ["risk"], "markets": ["US", "KR"], "rationale": "sample"},
]


class SampleEngine(Engine):
    """Streams the fixed dossier with short pauses, like a real engine would."""

    engine_id = "sample"

    def __init__(self, pause_s: float = 0.05) -> None:
        self.pause_s = pause_s

    def _status(self, stage: str, progress: float) -> Status:
        time.sleep(self.pause_s)
        return Status(message=f"{stage}…", stage=stage, progress=progress)

    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        """The fixed classification, with the concept and language of the request."""
        yield self._status("matching", 0.5)
        data = copy.deepcopy(CLASSIFICATION)
        data.update(concept=request.concept, language=request.language)
        data["markets"] = {m: v for m, v in data["markets"].items() if m in request.markets}
        yield Result(data)

    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        """The fixed purpose."""
        yield self._status("purpose", 0.5)
        yield Result(copy.deepcopy(PURPOSE))

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        """Three plans, one at a time."""
        yield self._status("triggers", 0.1)
        for piece in ("Three plans: ", "risk, ", "software, ", "usability."):
            yield Delta(piece)  # as a language-model engine would stream its text
        plans = copy.deepcopy(PLANS)
        for i, plan in enumerate(plans, 1):
            time.sleep(self.pause_s * 2)
            yield PlanReady(plan, i, len(plans))
        yield Result({"plans": plans, "total_plans": len(plans), "engine": self.name})

    def refine(self, request: RefineInput) -> Iterator[Event]:
        """Korea-only feedback narrows the markets; other feedback shortens the first activity."""
        yield self._status("feedback", 0.5)
        plan = copy.deepcopy(request.plans[0])
        korea = any(word in request.feedback.lower() for word in ("korea", "한국"))
        if korea:
            changes = [{"path": "markets", "before": plan["markets"], "after": ["KR"], "reason": request.feedback}]
            plan["markets"] = ["KR"]
        else:
            before = plan["activities"][0]["weeks"]
            plan["activities"][0]["weeks"] = max(1, before - 1)
            plan["estimated_weeks"] = max(1, plan["estimated_weeks"] - 1)
            changes = [{"path": "activities[0].weeks", "before": before, "after": plan["activities"][0]["weeks"],
                        "reason": request.feedback}]
        yield Result({"plan": plan, "changes": changes, "engine": self.name})
