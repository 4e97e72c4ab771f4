"""Deadline feedback: compress the critical path as far as honest, or say it cannot be met."""
from __future__ import annotations

from medreg.knowledge.refine.feedback import DeadlineIntent
from medreg.knowledge.refine.refinement import Refinement
from medreg.knowledge.refine.texts import NOTES
from medreg.knowledge.words.phrases import tr
from medreg.knowledge.plans.schedule import compress, weeks_of


def _fmt(weeks: float) -> str:
    return f"{weeks:g}"


def apply_deadline(r: Refinement, intent: DeadlineIntent) -> None:
    """Compress activities on the critical path towards the deadline; flag them if still too long."""
    estimates = [p.get("estimated_weeks") for p in r.plans]
    result = compress(r.plans, intent.weeks)
    deadline = _fmt(intent.weeks)
    for i, j, before, after in result.edits:
        activity = r.plans[i]["activities"][j]
        activity["compressed"] = True
        r.change(f"plans[{i}].activities[{j}].weeks", before, after, r.t("compressed", deadline=deadline))
    for i, plan in enumerate(r.plans):
        if plan.get("estimated_weeks") != estimates[i]:
            r.change(f"plans[{i}].estimated_weeks", estimates[i], plan["estimated_weeks"], r.t("compressed", deadline=deadline))
            if id(plan) in r.base:
                r.base[id(plan)] = (weeks_of(plan["estimated_weeks"]), r.base[id(plan)][1])
    titles = {p.get("id"): p.get("title") or p.get("id") for p in r.plans}
    path = " → ".join(titles[pid] for pid in result.after.plan_ids)
    if result.feasible:
        key = "deadline_compressed" if result.edits else "deadline_fits"
        r.notes.append(tr(NOTES[key], r.language, deadline=deadline, path=path, weeks=_fmt(result.after.weeks),
                          before=_fmt(result.before.weeks), after=_fmt(result.after.weeks)))
    else:
        index = {p.get("id"): i for i, p in enumerate(r.plans)}
        for pid in result.after.plan_ids:
            i = index[pid]
            for j, activity in enumerate(r.plans[i].get("activities") or []):
                if not activity.get("at_risk"):
                    activity["at_risk"] = True
                    r.change(f"plans[{i}].activities[{j}].at_risk", None, True, r.t("at_risk", deadline=deadline))
        r.refuse(intent.text, "deadline_infeasible", deadline=deadline, path=path,
                 after=_fmt(result.after.weeks), before=_fmt(result.before.weeks))
    r.schedule = {
        "deadline_weeks": intent.weeks,
        "critical_path": list(result.after.plan_ids),
        "critical_path_weeks_before": result.before.weeks,
        "critical_path_weeks": result.after.weeks,
        "feasible": result.feasible,
    }
