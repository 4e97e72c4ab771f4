"""A refinement's changes in words, grouped by plan: "Electrical safety: IEC 60601-1-11 removed — not for
home use", never a raw path like `plans[3].activities[2].weeks`."""
from __future__ import annotations

import re
from typing import Any, Optional

from medreg.export.facts import standard_label, value, weeks_text
from medreg.export.labels import LABELS
from medreg.language import tr

_PATH = re.compile(r"^(?:plans\[(?P<plan>\d+)\]\.?)?(?P<field>[a-z_]+)?(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>[a-z_]+))?$")
_WORDS = {
    "removed": {"en": "{what} removed", "ko": "{what} 삭제"},
    "added": {"en": "{what} added", "ko": "{what} 추가"},
    "changed": {"en": "{what}: {before} → {after}", "ko": "{what}: {before} → {after}"},
    "markets": {"en": "markets", "ko": "시장"},
    "estimated_weeks": {"en": "estimate", "ko": "예상 기간"},
    "depends_on": {"en": "depends on", "ko": "선행 계획"},
    "standards": {"en": "standard", "ko": "규격"},
    "activities": {"en": "activity", "ko": "활동"},
    "title": {"en": "title", "ko": "제목"},
    "rationale": {"en": "rationale", "ko": "근거"},
    "plan": {"en": "plan", "ko": "계획"},
}


def _w(key: str, lang: str) -> str:
    return _WORDS.get(key, {}).get(lang) or key.replace("_", " ")


def _named(item: Any, field: str) -> str:
    """A standard or activity by its name."""
    if isinstance(item, dict):
        if field == "standards":
            return standard_label(item)
        return str(item.get("name") or item.get("title") or item.get("id") or "")
    return value(item)


def _shown(v: Any, sub: Optional[str], lang: str) -> str:
    if v in (None, [], ""):
        return tr(LABELS["none"], lang)
    return weeks_text(v, lang) if sub == "weeks" or sub == "estimated_weeks" else value(v)


def change_text(change: dict, plans: list[dict], lang: str) -> tuple[Optional[str], str]:
    """(plan id, the change in words) for one `{path, before, after, reason}` against the plans it was made on."""
    m = _PATH.match(str(change.get("path") or ""))
    before, after, reason = change.get("before"), change.get("after"), change.get("reason")
    tail = f" — {reason}" if reason else ""
    if not m:
        return None, f"{value(before)} → {value(after)}{tail}"
    index = int(m["plan"]) if m["plan"] is not None else (0 if len(plans) == 1 else None)
    plan = plans[index] if index is not None and 0 <= index < len(plans) else {}
    field, sub = m["field"] or "plan", m["sub"]
    if m["index"] is not None and field in ("standards", "activities"):
        items = plan.get(field) or []
        item = items[int(m["index"])] if int(m["index"]) < len(items) else None
        name = _named(before if before is not None and sub is None else item or after, field)
        if sub:
            text = _WORDS["changed"][lang].format(what=f"{name}: {_w(sub, lang)}" if sub != "weeks" else name,
                                                  before=_shown(before, sub, lang), after=_shown(after, sub, lang))
        elif after is None:
            text = _WORDS["removed"][lang].format(what=name)
        elif before is None:
            text = _WORDS["added"][lang].format(what=_named(after, field))
        else:
            text = _WORDS["changed"][lang].format(what=name, before=_named(before, field), after=_named(after, field))
    elif field == "plan" and (before is None or after is None):   # the whole plan ("plans[3]")
        text = _WORDS["removed" if after is None else "added"][lang].format(what=_w("plan", lang))
    else:
        text = _WORDS["changed"][lang].format(what=_w(field, lang), before=_shown(before, field, lang),
                                              after=_shown(after, field, lang))
    return plan.get("id"), f"{text}{tail}"


def grouped(changes: list[dict], plans: list[dict], lang: str) -> list[tuple[str, list[str]]]:
    """(plan title, changes in words) in plan order, for one refinement."""
    titles = {p.get("id"): str(p.get("title") or p.get("id")) for p in plans}
    groups: dict[Optional[str], list[str]] = {}
    for change in changes:
        if isinstance(change, dict):
            # The words the server wrote when it refined (against the plans of that moment) come first.
            plan_id, text = change_text(change, plans, lang)
            plan_id, text = change.get("plan_id", plan_id), change.get("text") or text
            groups.setdefault(plan_id, []).append(text)
    order = [p.get("id") for p in plans if p.get("id") in groups] + [k for k in groups if k not in titles]
    return [(titles.get(k) or "—", groups[k]) for k in dict.fromkeys(order)]


def refinement_groups(refinement: dict, plans: list[dict], lang: str) -> list[tuple[str, list[str]]]:
    """A dossier refinement's changes in words, grouped by plan; one plan's refinement has paths into that plan."""
    plan_id = refinement.get("plan_id")
    scope = [p for p in plans if plan_id and p.get("id") == plan_id] or plans
    return grouped(refinement.get("changes") or [], scope, lang)


def worded(result: dict, plans: list[dict], lang: str) -> dict:
    """A Refinement whose changes also say which plan they touch (`plan_id`) and what changed, in words (`text`)."""
    changes = []
    for change in result.get("changes") or []:
        if isinstance(change, dict) and "text" not in change:
            plan_id, text = change_text(change, plans, lang)
            change = {**change, "text": text, **({"plan_id": plan_id} if plan_id else {})}
        changes.append(change)
    return {**result, "changes": changes}
