"""Merges the model's plan answers into the knowledge base's plans (ids, dependencies and markets stay the KB's)."""
from __future__ import annotations

from typing import Any

from medreg.markets import MARKETS
from medreg.engines.anthropic.grounding import KnownIds, clone_json, ground_standards


def _weeks(value: Any, default: float) -> float:
    try:
        weeks = float(value)
    except (TypeError, ValueError):
        return default
    return min(max(weeks, 0.0), 520.0)


def _activities(items: Any, fallback: list) -> list[dict]:
    activities = [{"name": str(item["name"]), "deliverable": str(item.get("deliverable") or ""),
                   "weeks": _weeks(item.get("weeks"), 1.0)}
                  for item in items or [] if isinstance(item, dict) and item.get("name")]
    if not activities:
        return clone_json(fallback)
    # An activity citing its provision (special control, 21 CFR 814.20, AI Act Article 10 ...) is a
    # regulatory fact of the knowledge base, as in the offline plan: kept as written, in its place; the
    # model's wording of the same provision is dropped rather than shown twice.
    cited = [a for a in fallback if isinstance(a, dict) and a.get("citation")]
    if not cited:
        return activities
    citations = [str(a["citation"]) for a in cited]
    own = [a for a in activities if not any(c in a["name"] or c in a["deliverable"] for c in citations)]
    return clone_json(cited) + own


def merge_plan(kb_plan: dict, answer: dict, known: KnownIds, engine: str) -> dict:
    """A KB plan rewritten by the model: KB standards are kept, the model's extra ones checked."""
    plan = clone_json(kb_plan)
    kb_ids = {s.get("id") for s in kb_plan.get("standards", [])}
    extra, flagged = ground_standards((s for s in answer.get("standards") or [] if isinstance(s, dict)
                                       and s.get("id") not in kb_ids), known)
    why = {s.get("id"): s.get("why") for s in answer.get("standards") or [] if isinstance(s, dict)}
    for standard in plan.get("standards", []):
        if why.get(standard.get("id")):
            standard["why"] = str(why[standard["id"]])
    plan["standards"] = [*plan.get("standards", []), *extra]
    if isinstance(answer.get("title"), str) and answer["title"].strip():
        plan["title"] = answer["title"].strip()
    if isinstance(answer.get("rationale"), str) and answer["rationale"].strip():
        plan["kb_rationale"] = kb_plan.get("rationale")
        plan["rationale"] = answer["rationale"].strip()
    plan["activities"] = _activities(answer.get("activities"), kb_plan.get("activities", []))
    total = sum(a["weeks"] for a in plan["activities"])
    plan["estimated_weeks"] = _weeks(answer.get("estimated_weeks"), total) or total
    if flagged:
        plan["unverified"] = flagged
    plan["engine"] = engine
    return plan


def merge_refined(kb_plan: dict, answer: dict, known: KnownIds, engine: str, index: int) -> tuple[dict, list, list]:
    """A revised plan, its changes (paths under `plans[index]`) and what could not be applied."""
    plan = merge_plan(kb_plan, answer.get("plan") or {}, known, engine)
    markets = [m for m in answer.get("markets") or [] if m in MARKETS]
    if markets:
        plan["markets"] = markets
    changes = []
    for change in answer.get("changes") or []:
        if isinstance(change, dict) and change.get("path"):
            path = str(change["path"]).lstrip(".")
            changes.append({"path": f"plans[{index}].{path}", "before": change.get("before"),
                            "after": change.get("after"), "reason": str(change.get("reason") or "")})
    not_applied = [{"text": str(item.get("text") or ""), "reason": str(item.get("reason") or "")}
                   for item in answer.get("not_applied") or [] if isinstance(item, dict)]
    return plan, changes, not_applied
