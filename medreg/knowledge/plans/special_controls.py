"""The US special-controls plan: each special control of the device's 21 CFR regulation (from the
shipped catalogue) as an activity with its citation, e.g. `21 CFR 886.1100(b)(2)`."""
from __future__ import annotations

import re
from typing import Optional

from medreg.knowledge.plans.schedule import plan_duration

PLAN_ID = "plan-us-special-controls"
REGULATION = re.compile(r"21 CFR (\d{3}\.\d+)")
SUMMARY_CHARS = 240   # the activity shows the control's opening; the citation leads to the whole text
WEEKS = 2.0


def _summary(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS]
    return cut[: cut.rfind(" ")].rstrip(",;:") + " …"


def special_controls_plan(kb, classification: dict, markets, language: str, depends_on: list[str]) -> Optional[dict]:
    """A plan listing the special controls of a US class II device's regulation, or None."""
    us = (classification.get("markets") or {}).get("US") or {}
    if "US" not in markets or us.get("class") != "II" or not us.get("regulation"):
        return None
    match = REGULATION.search(str(us["regulation"]))
    if not match:
        return None
    number = match.group(1)
    items = kb.catalogue.special_controls(number)
    if not items:
        return None
    ko = language == "ko"
    activities = [{
        "name": (f"특별 관리 항목 충족: {item['cite']}" if ko else f"Meet the special control {item['cite']}"),
        # the regulation's own words (English, as published); in Korean, introduced in Korean
        "deliverable": (f"충족 근거 자료 (규정 원문: {_summary(item['text'])})" if ko else _summary(item["text"])),
        "weeks": WEEKS, "kind": "document", "market": "US", "citation": item["cite"],
    } for item in items]
    title = (kb.catalogue.regulations.get(number) or {}).get("title", "")
    rationale = (f"21 CFR {number}({title})은 기기를 Class II로 분류하고 특별 관리 항목(special controls) {len(items)}개를 정합니다. 제출 자료에서 각 항목을 어떻게 충족하는지 보여야 합니다."
                 if ko else
                 f"21 CFR {number} ({title}) classifies the device in class II with {len(items)} special control(s); "
                 "the submission must show how each one is met.")
    return {"id": PLAN_ID, "workstream": "us_special_controls",
            "title": "미국 특별 관리 항목" if ko else "US special controls",
            "standards": [], "activities": activities, "estimated_weeks": plan_duration(activities),
            "depends_on": depends_on, "markets": ["US"], "rationale": rationale,
            "citations": [f"21 CFR {number}"]}
