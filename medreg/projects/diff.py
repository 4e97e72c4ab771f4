"""What changed between two versions of a project, in words, in English and Korean: the concept,
each market's class and pathway, plans added or removed, each plan's weeks and the critical path."""
from __future__ import annotations

from typing import Any, Optional

from medreg.knowledge.plans.schedule import critical_path, plan_weeks
from medreg.markets import MARKETS

MARKET_NAMES = {"US": {"en": "US FDA", "ko": "미국 FDA"}, "EU": {"en": "EU MDR", "ko": "유럽 MDR"},
                "KR": {"en": "Korea MFDS", "ko": "한국 식약처"}}
NONE = {"en": "none", "ko": "없음"}


def _show(value: Any, language: str) -> str:
    return NONE[language] if value in (None, "", []) else str(value)


def _change(kind: str, before: Any, after: Any, en: str, ko: str, **where: Any) -> dict:
    return {"kind": kind, **where, "from": before, "to": after, "en": en, "ko": ko}


def _market(classification: Optional[dict], market: str) -> dict:
    return ((classification or {}).get("markets") or {}).get(market) or {}


def _market_changes(old: Optional[dict], new: Optional[dict]) -> list[dict]:
    changes = []
    for market in MARKETS:
        before, after = _market(old, market), _market(new, market)
        names = MARKET_NAMES[market]
        for key, en_word, ko_word in (("class", "class", "등급"), ("pathway", "pathway", "인허가 경로")):
            if before.get(key) != after.get(key):
                changes.append(_change(
                    key, before.get(key), after.get(key),
                    f"{names['en']} {en_word}: {_show(before.get(key), 'en')} → {_show(after.get(key), 'en')}",
                    f"{names['ko']} {ko_word}: {_show(before.get(key), 'ko')} → {_show(after.get(key), 'ko')}",
                    market=market))
    return changes


def _plan_changes(old: list[dict], new: list[dict]) -> list[dict]:
    before = {plan.get("id"): plan for plan in old}
    after = {plan.get("id"): plan for plan in new}
    changes = []
    for plan_id, plan in after.items():
        title = plan.get("title") or plan_id
        if plan_id not in before:
            changes.append(_change("plan_added", None, plan_id, f"Plan added: {title}",
                                   f"계획 추가: {title}", plan=plan_id))
            continue
        weeks_before, weeks_after = plan_weeks(before[plan_id]), plan_weeks(plan)
        if weeks_before != weeks_after:
            changes.append(_change("plan_weeks", weeks_before, weeks_after,
                                   f"{title}: {weeks_before:g} → {weeks_after:g} weeks",
                                   f"{title}: {weeks_before:g}주 → {weeks_after:g}주", plan=plan_id))
        if _standard_ids(before[plan_id]) != _standard_ids(plan):
            added = sorted(_standard_ids(plan) - _standard_ids(before[plan_id]))
            removed = sorted(_standard_ids(before[plan_id]) - _standard_ids(plan))
            changes.append(_change("plan_standards", removed, added,
                                   f"{title}: standards added {_show(', '.join(added), 'en')}, removed "
                                   f"{_show(', '.join(removed), 'en')}",
                                   f"{title}: 규격 추가 {_show(', '.join(added), 'ko')}, 삭제 "
                                   f"{_show(', '.join(removed), 'ko')}", plan=plan_id))
    for plan_id, plan in before.items():
        if plan_id not in after:
            title = plan.get("title") or plan_id
            changes.append(_change("plan_removed", plan_id, None, f"Plan removed: {title}",
                                   f"계획 삭제: {title}", plan=plan_id))
    return changes


def _standard_ids(plan: dict) -> set[str]:
    return {standard.get("id") for standard in plan.get("standards") or [] if isinstance(standard, dict)}


def _weeks_text(weeks: Optional[float], language: str) -> str:
    if weeks is None:
        return NONE[language]
    return f"{weeks:g} weeks" if language == "en" else f"{weeks:g}주"


def _weeks(plans: list[dict]) -> Optional[float]:
    return critical_path(plans).weeks if plans else None


def diff_versions(old: dict, new: dict) -> dict:
    """The changes from version `old` to version `new` (both as `Version.as_dict()` gives them)."""
    changes: list[dict] = []
    if (old.get("concept") or "") != (new.get("concept") or ""):
        changes.append(_change("concept", old.get("concept"), new.get("concept"),
                               f"Concept changed: “{_show(old.get('concept'), 'en')}” → “{_show(new.get('concept'), 'en')}”",
                               f"개념 변경: “{_show(old.get('concept'), 'ko')}” → “{_show(new.get('concept'), 'ko')}”"))
    changes += _market_changes(old.get("classification"), new.get("classification"))
    old_plans, new_plans = old.get("plans") or [], new.get("plans") or []
    changes += _plan_changes(old_plans, new_plans)
    weeks_before, weeks_after = _weeks(old_plans), _weeks(new_plans)
    if weeks_before != weeks_after:
        changes.append(_change(
            "weeks", weeks_before, weeks_after,
            f"Critical path: {_weeks_text(weeks_before, 'en')} → {_weeks_text(weeks_after, 'en')}",
            f"주요 경로(크리티컬 패스): {_weeks_text(weeks_before, 'ko')} → {_weeks_text(weeks_after, 'ko')}"))
    summary = {"en": f"{len(changes)} change(s)" if changes else "No change",
               "ko": f"변경 {len(changes)}건" if changes else "변경 없음"}
    return {"from": old.get("number"), "to": new.get("number"), "changes": changes, "summary": summary}
