"""Plan-level edits of a refinement: markets, market-specific activities, plans that stop or
start applying, dependencies and recomputed estimates."""
from __future__ import annotations

import copy
from typing import Optional

from medreg.knowledge.refine.refinement import Refinement
from medreg.knowledge.words.phrases import tr
from medreg.markets import MARKET_NAMES
from medreg.knowledge.plans.build import ALWAYS, MARKETS, build_plans, plan_id
from medreg.knowledge.plans.schedule import plan_duration, round_weeks
from medreg.knowledge.plans.triggers import referenced_attributes
from medreg.knowledge.plans.workstreams import SPECS, spec


def _summary(plan: dict) -> dict:
    return {"id": plan.get("id"), "title": plan.get("title")}


def _new_classification(r: Refinement) -> Optional[dict]:
    if not r.cls:
        return None
    cls = copy.deepcopy(r.cls)
    cls["attributes"] = dict(r.new.attributes)
    return cls


def _targets(r: Refinement) -> tuple[dict, dict]:
    """Offline plans before and after the feedback, by id (empty without a classification)."""
    if not r.cls:
        return {}, {}
    before = build_plans(r.kb, r.cls, None, r.purpose, tuple(r.markets_before), r.language)
    after = build_plans(r.kb, _new_classification(r), None, r.purpose, r.new.markets, r.language)
    return {p["id"]: p for p in before}, {p["id"]: p for p in after}


def _cause_text(r: Refinement, standard_ids=()) -> str:
    """The feedback clauses that touched these standards' triggers (all clauses when none did)."""
    keys: set[str] = set()
    for sid in standard_ids:
        keys |= referenced_attributes((r.kb.data.standards.get(sid) or {}).get("triggers"))
    texts = [text for key, text in r.cause.items() if key in keys]
    return " / ".join(dict.fromkeys(texts or r.cause.values()))


def _edit_markets(r: Refinement, targets_after: dict) -> None:
    removed = [m for m in r.markets_before if m not in r.new.markets]
    added = [m for m in r.new.markets if m not in r.markets_before]
    if not removed and not added:
        return
    if r.cls:
        for market in added:
            if market not in (r.cls.get("markets") or {}):
                r.refuse(r.cause.get("markets", ""), "no_market_block", detail=market)
    for i, plan in enumerate(r.plans):
        target = targets_after.get(plan.get("id"))
        before = list(plan.get("markets") or [])
        after = [m for m in MARKETS if (m in before and m not in removed)
                 or (m in added and (target is None or m in target.get("markets", [])))]
        if set(after) != set(before):
            plan["markets"] = after
            reason = " ".join([r.t("market_removed", market=tr(MARKET_NAMES[m], r.language), text=r.cause["markets"])
                                for m in removed if m in before]
                               + [r.t("market_added", market=tr(MARKET_NAMES[m], r.language), text=r.cause["markets"])
                                  for m in added if m in after])
            r.change(f"plans[{i}].markets", before, after, reason or r.t("markets_changed", text=r.cause.get("markets", "")))
        acts = plan.get("activities") or []
        for k in range(len(acts) - 1, -1, -1):
            if acts[k].get("market") in removed:
                market = tr(MARKET_NAMES[acts[k]["market"]], r.language)
                r.change(f"plans[{i}].activities[{k}]", acts.pop(k), None, r.t("activity_removed_market", market=market))
        names = {a.get("name") for a in acts}
        for activity in (target or {}).get("activities", []):
            if activity.get("market") in added and activity["name"] not in names:
                acts.append(copy.deepcopy(activity))
                plan["activities"] = acts
                market = tr(MARKET_NAMES[activity["market"]], r.language)
                r.change(f"plans[{i}].activities[{len(acts) - 1}]", None, activity,
                         r.t("activity_added_market", market=market))


def _remove_plans(r: Refinement, targets_before: dict, targets_after: dict) -> None:
    gone = []
    for i, plan in enumerate(r.plans):
        pid = plan.get("id")
        workstream = plan.get("workstream") or next((w for w in SPECS if plan_id(w) == pid), None)
        lost_markets = r.initial_markets.get(id(plan), False) and not plan.get("markets")
        # Only our own plans are dropped for losing their standards: a plan made elsewhere
        # may hold work we cannot judge.
        emptied = (workstream in SPECS and pid == plan_id(workstream) and r.initial_standards.get(id(plan), 0) > 0
                   and not plan.get("standards") and workstream not in ALWAYS and workstream != "clinical_evaluation")
        stopped = bool(r.cls) and pid in targets_before and pid not in targets_after
        if lost_markets or emptied or stopped:
            gone.append(i)
    for i in reversed(gone):
        if r.single:
            # A single plan sent for refinement stays, marked as no longer applicable, so the
            # answer still has the plan the client asked about.
            r.plans[i]["applicable"] = False
            text = _cause_text(r, r.initial_standard_ids.get(id(r.plans[i]), ()))
            r.change(f"plans[{i}].applicable", True, False, r.t("plan_removed", text=text))
            continue
        plan = r.plans.pop(i)
        r.removed_plans.add(plan.get("id"))
        text = _cause_text(r, r.initial_standard_ids.get(id(plan), ()))
        r.change(f"plans[{i}]", _summary(plan), None, r.t("plan_removed", text=text))


def _add_plans(r: Refinement, missing: list[str], targets_before: dict, targets_after: dict) -> None:
    present = {p.get("id") for p in r.plans}
    wanted = [plan_id(w) for w in missing]
    if r.cls:
        wanted += [pid for pid in targets_after if pid not in targets_before]
    wanted = [pid for pid in dict.fromkeys(wanted) if pid not in present]
    if not wanted:
        return
    if not r.cls:
        synthetic = {"attributes": {k: v for k, v in r.new.attributes.items() if v is not None}, "markets": {}}
        targets_after = {p["id"]: p for p in build_plans(r.kb, synthetic, None, r.purpose, r.new.markets, r.language)}
    for pid in wanted:
        plan = targets_after.get(pid)
        if plan is None:
            continue
        text = _cause_text(r, [s["id"] for s in plan.get("standards") or []])
        if r.single:
            r.refuse(text, "needs_new_plan", detail=plan["title"])
            continue
        r.plans.append(copy.deepcopy(plan))
        r.change(f"plans[{len(r.plans) - 1}]", None, plan, r.t("plan_added", text=text))


def _fact_activities(plan: Optional[dict]) -> dict[str, dict]:
    """A target plan's activities that rest on the device's facts rather than on a standard (the PCCP of
    machine-learning software, its model-training activity), by name. Markets are edited first, so an
    activity of a removed or added market is already gone or present here."""
    return {a["name"]: a for a in (plan or {}).get("activities") or [] if a.get("name") and not a.get("standard")}


def _reconcile_activities(r: Refinement, targets_before: dict, targets_after: dict) -> None:
    """Remove the fact-based activities the feedback made inapplicable and add those it made applicable
    ("no machine learning" takes the PCCP out of the software plan)."""
    for i, plan in enumerate(r.plans):
        pid = plan.get("id")
        if pid not in targets_before or pid not in targets_after:
            continue
        before, after = _fact_activities(targets_before[pid]), _fact_activities(targets_after[pid])
        acts = plan.setdefault("activities", [])
        text = _cause_text(r)
        for k in range(len(acts) - 1, -1, -1):
            name = acts[k].get("name")
            if name in before and name not in after and not acts[k].get("standard"):
                r.change(f"plans[{i}].activities[{k}]", acts.pop(k), None, r.t("activity_removed_facts", text=text))
        names = {a.get("name") for a in acts}
        for name, activity in after.items():
            if name not in before and name not in names:
                acts.append(copy.deepcopy(activity))
                r.change(f"plans[{i}].activities[{len(acts) - 1}]", None, activity, r.t("activity_added_facts", text=text))


def _fix_dependencies(r: Refinement) -> None:
    present = {p.get("id") for p in r.plans}
    for i, plan in enumerate(r.plans):
        before = list(plan.get("depends_on") or [])
        # Only dependencies on plans removed here go: the others may simply not have been sent.
        after = [d for d in before if d not in r.removed_plans]
        workstream = plan.get("workstream")
        if workstream in SPECS and plan.get("id") == plan_id(workstream):
            after += [plan_id(d) for d in spec(workstream).depends_on if plan_id(d) in present and plan_id(d) not in after]
        if after != before:
            plan["depends_on"] = after
            r.change(f"plans[{i}].depends_on", before, after, r.t("depends_on"))


def recompute_estimates(r: Refinement) -> None:
    """Move each plan's estimate by what its activities gained or lost (keeps foreign offsets)."""
    for i, plan in enumerate(r.plans):
        if id(plan) not in r.base:
            continue
        estimate, duration = r.base[id(plan)]
        now = plan_duration(plan.get("activities") or [])
        if now == duration:
            continue
        before = plan.get("estimated_weeks")
        after = round_weeks(estimate - (duration - now))
        plan["estimated_weeks"] = after
        r.change(f"plans[{i}].estimated_weeks", before, after, r.t("weeks"))
        r.base[id(plan)] = (after, now)


def apply_plan_level(r: Refinement, missing: list[str]) -> None:
    """Markets, plans that stop or start applying, fact-based activities, dependencies, estimates."""
    targets_before, targets_after = _targets(r)
    _edit_markets(r, targets_after)
    _remove_plans(r, targets_before, targets_after)
    _add_plans(r, missing, targets_before, targets_after)
    _reconcile_activities(r, targets_before, targets_after)
    _fix_dependencies(r)
    recompute_estimates(r)
