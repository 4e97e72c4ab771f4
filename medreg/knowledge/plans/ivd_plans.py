"""In-vitro diagnostics planned under their own regulations: IVDR (Regulation (EU) 2017/746) conformity
assessment by class, self-testing, PMPF and SSP in the EU; 체외진단의료기기법 grades in Korea."""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.plans.activity_data import activity, load, text
from medreg.knowledge.plans.schedule import plan_duration

DATA = "ivd_plans.json"
IVD_CLASSES = ("A", "B", "C", "D")


def _plan(plans: list[dict], plan_id: str) -> Optional[dict]:
    return next((p for p in plans if p.get("id") == plan_id), None)


def _add(plan: Optional[dict], entries: list[dict]) -> None:
    if plan is None or not entries:
        return
    plan["activities"].extend(entries)
    plan["estimated_weeks"] = plan_duration(plan["activities"])


def kr_grade(classification: dict) -> Optional[int]:
    """The KR grade of the classification (an item's grade, or a grade still to be confirmed)."""
    block = (classification.get("markets") or {}).get("KR") or {}
    grade = block.get("grade")
    return grade if isinstance(grade, int) and 1 <= grade <= 4 else None


def self_testing(classification: dict) -> bool:
    """The EU block (or the attributes) say the IVD is for self-testing."""
    eu = (classification.get("markets") or {}).get("EU") or {}
    return bool(eu.get("self_testing") or (classification.get("attributes") or {}).get("home_use"))


def eu_activities(classification: dict, language: str) -> tuple[list[dict], list[dict]]:
    """The IVDR activities (quality system, performance evaluation) for the EU class."""
    data = load(DATA)
    eu = (classification.get("markets") or {}).get("EU") or {}
    cls = eu.get("class")
    if cls not in IVD_CLASSES:
        return [], []
    sterile = bool((classification.get("attributes") or {}).get("sterile"))
    key = "A_sterile" if cls == "A" and sterile else cls
    quality = [activity(data["eu_notified_body"][key], language, market="EU")] if key in data["eu_notified_body"] else []
    performance = []
    if self_testing(classification) and cls in ("B", "C", "D"):
        performance.append(activity(data["eu_self_testing"], language, market="EU"))
    performance.append(activity(data["eu_pmpf"], language, market="EU"))
    if cls in ("C", "D"):
        performance.append(activity(data["eu_ssp"], language, market="EU"))
    return quality, performance


def kr_activity(classification: dict, language: str) -> Optional[dict]:
    """The MFDS IVD route for the KR grade, under 체외진단의료기기법."""
    grade = kr_grade(classification)
    if grade is None:
        return None
    spec = load(DATA)["kr_route"]
    route = text(spec["routes"][str(grade)], language)
    entry = activity(spec, language, market="KR", grade=grade, route=route)
    entry["verified"] = False   # the grade-to-route mapping under the IVD Act is not checked (see the note)
    return entry


def apply_ivd(classification: dict, plans: list[dict], markets, language: str) -> None:
    """An IVD: add the IVDR and MFDS IVD activities to the quality-system and clinical plans."""
    if not (classification.get("attributes") or {}).get("ivd"):
        return
    quality, clinical = _plan(plans, "plan-quality-system"), _plan(plans, "plan-clinical-evaluation")
    if "EU" in markets:
        eu_quality, eu_performance = eu_activities(classification, language)
        _add(quality, eu_quality)
        _add(clinical, eu_performance)
    if "KR" in markets:
        entry = kr_activity(classification, language)
        if entry and quality is not None:
            _add(quality, [entry])
            quality["rationale"] += " " + text(load(DATA)["kr_route"]["note"], language)
