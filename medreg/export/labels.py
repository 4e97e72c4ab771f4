"""Words of the memo in both languages: headings (LABELS) and human labels for every attribute.

Attribute labels live in medreg/static/labels.json, the one source the web app reads too.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "title": {"ko": "규제 검토 보고서", "en": "Regulatory dossier"},
    "concept": {"ko": "기기 개념", "en": "Device concept"},
    "context": {"ko": "추가 정보", "en": "Context"},
    "classification": {"ko": "분류", "en": "Classification"},
    "device": {"ko": "기기", "en": "Device"},
    "category": {"ko": "분류군", "en": "Category"},
    "confidence": {"ko": "신뢰도", "en": "Confidence"},
    "needs_review": {"ko": "검토 필요", "en": "Needs review"},
    "unverified": {"ko": "미검증", "en": "unverified"},
    "derived": {"ko": "기준으로 추정한 등급", "en": "derived from the criteria"},
    "market": {"ko": "시장", "en": "Market"},
    "authority": {"ko": "규제기관", "en": "Authority"},
    "class": {"ko": "등급", "en": "Class"},
    "pathway": {"ko": "인허가 경로", "en": "Pathway"},
    "codes": {"ko": "코드", "en": "Codes"},
    "rules": {"ko": "규칙", "en": "Rules"},
    "rationale": {"ko": "근거 설명", "en": "Rationale"},
    "citations": {"ko": "근거", "en": "Citations"},
    "questions": {"ko": "확인이 필요한 질문", "en": "Questions to settle"},
    "question": {"ko": "질문", "en": "Question"},
    "answer": {"ko": "답변", "en": "Answer"},
    "open": {"ko": "미답변", "en": "not answered"},
    "n_weeks": {"ko": "{n}주", "en": "{n} weeks"},
    "week_unit": {"ko": "주", "en": "w"},
    "timeline_summary": {"ko": "계획 {plans}개, 총 {total:g}주", "en": "{plans} plans, {total:g} weeks in all"},
    "memo": {"ko": "작성 정보", "en": "About this memo"},
    "date": {"ko": "작성 일시", "en": "Date and time"},
    "local": {"ko": "현지", "en": "local"},
    "version": {"ko": "medreg 버전", "en": "medreg version"},
    "model": {"ko": "모델", "en": "Model"},
    "kb": {"ko": "지식 베이스", "en": "Knowledge base"},
    "lists": {"ko": "사용한 공식 목록", "en": "Official lists used"},
    "attributes": {"ko": "판단에 쓰인 속성", "en": "Attributes the rules used"},
    "attribute": {"ko": "속성", "en": "Attribute"},
    "value": {"ko": "값", "en": "Value"},
    "source": {"ko": "출처", "en": "Source"},
    "trace": {"ko": "규칙 적용 경과", "en": "Rule trace"},
    "timeline": {"ko": "일정", "en": "Timeline"},
    "unverified_head": {"ko": "확인되지 않은 내용", "en": "What is not verified"},
    "all_verified": {"ko": "모든 등급과 근거가 지식 베이스에서 확인되었습니다. 그래도 제출 전 전문가 확인이 필요합니다.",
                     "en": "Every class and citation above was confirmed by the knowledge base; a professional must still check them."},
    "answers": {"ko": "답변", "en": "Answers given"},
    "purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "intended_purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "mechanism_of_action": {"ko": "작용 원리", "en": "Mechanism of action"},
    "target_population": {"ko": "대상 환자군", "en": "Target population"},
    "indications": {"ko": "적응증", "en": "Indications"},
    "contraindications": {"ko": "금기", "en": "Contraindications"},
    "intended_users": {"ko": "사용자", "en": "Intended users"},
    "use_environment": {"ko": "사용 환경", "en": "Use environment"},
    "key_components": {"ko": "주요 구성", "en": "Key components"},
    "plans": {"ko": "규격 계획", "en": "Standards plans"},
    "weeks": {"ko": "주", "en": "weeks"},
    "standards": {"ko": "규격", "en": "Standards"},
    "activities": {"ko": "활동", "en": "Activities"},
    "deliverable": {"ko": "산출물", "en": "Deliverable"},
    "depends_on": {"ko": "선행 계획", "en": "Depends on"},
    "markets": {"ko": "시장", "en": "Markets"},
    "refinements": {"ko": "계획 수정 이력", "en": "Refinements"},
    "feedback": {"ko": "수정 요청", "en": "Feedback"},
    "change": {"ko": "변경", "en": "Change"},
    "before": {"ko": "변경 전", "en": "Before"},
    "after": {"ko": "변경 후", "en": "After"},
    "reason": {"ko": "이유", "en": "Reason"},
    "not_applied": {"ko": "반영하지 못한 요청", "en": "Not applied"},
    "engine": {"ko": "엔진", "en": "Engine"},
    "none": {"ko": "없음", "en": "none"},
    "qualification": {"ko": "의료기기 해당 여부", "en": "Is it a medical device?"},
    "q_device": {"ko": "의료기기", "en": "medical device"},
    "q_not_device": {"ko": "의료기기 아님", "en": "not a medical device"},
    "q_needs_review": {"ko": "판단 보류 (검토 필요)", "en": "needs review"},
    "disclaimer": {
        "ko": "이 보고서는 의사결정을 돕기 위한 초안입니다. 제출 전 규제 전문가가 근거 조문과 등급을 확인해야 합니다.",
        "en": "This report is a draft to support decisions. A regulatory professional must check the cited provisions and classes before any submission.",
    },
}

PURPOSE_FIELDS = ("intended_purpose", "mechanism_of_action", "target_population", "indications",
                  "contraindications", "intended_users", "use_environment", "key_components")


@lru_cache(maxsize=1)
def _attribute_labels() -> dict:
    path = resources.files("medreg") / "static" / "labels.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _words(key: str) -> str:
    """A key nobody labelled, as words ("home_use" -> "home use"): never the raw key."""
    return re.sub(r"[_\-]+", " ", str(key)).strip()


def attribute_label(key: str, lang: str) -> str:
    """"Used at home by lay people" for `home_use` (or its Korean)."""
    entry = _attribute_labels()["attributes"].get(key)
    return entry[lang] if entry else _words(key)


def value_label(key: str, value: Any, lang: str) -> str:
    """The value of an attribute in words: yes/no, "more than 30 days (long term)" …"""
    values = _attribute_labels()["values"]
    if isinstance(value, bool):
        return values["true" if value else "false"][lang]
    entry = values.get(f"{key}.{value}")
    return entry[lang] if entry else _words(value)


def source_label(source: Any, lang: str) -> str:
    """Where an attribute came from: the device type, the description, an answer, or assumed."""
    entry = _attribute_labels()["sources"].get(str(source))
    return entry[lang] if entry else _words(source)
