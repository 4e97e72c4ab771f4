"""Assembles the regulatory plans: standards chosen by the catalogue's triggers and the device
type's own list, grouped into one plan per workstream, with activities and dependencies."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

from medreg.knowledge.words.phrases import WHY, attribute_phrase, tr
from medreg.knowledge.plans.regulatory import regulatory_plans
from medreg.knowledge.plans.schedule import plan_duration
from medreg.knowledge.plans.triggers import Outcome, TriggerContext, evaluate, market_conditions
from medreg.knowledge.plans.workstreams import SPECS, WORKSTREAMS, Facts, spec

from medreg.markets import MARKET_NAMES, MARKETS
# Workstreams whose standards are tested in laboratories, side by side.
TEST_WORKSTREAMS = frozenset({"electrical_safety", "emc", "biocompatibility", "sterilisation_packaging", "particular"})
# The standard a process workstream's own activities already implement.
CORE_STANDARDS = frozenset({"ISO 14971", "ISO 13485", "IEC 62366-1", "IEC 62304", "IEC 81001-5-1",
                             "ISO 14155", "ISO 20916"})
# Workstreams whose activities depend on each market's class.
CLASS_DEPENDENT = frozenset({"quality_system", "clinical_evaluation"})
# Workstreams every device needs, whatever the catalogue triggers.
ALWAYS = ("risk_management", "quality_system", "usability", "labelling")
_HOME_WORDS = re.compile(r"\bhome\b|\blay\b|가정|재택|일반인|환자 본인", re.I)


def plan_id(workstream: str) -> str:
    """The stable id of a workstream's plan."""
    return f"plan-{workstream.replace('_', '-')}"


@dataclass
class Selected:
    """A standard chosen for the device and why."""

    standard: dict
    reasons: list = field(default_factory=list)
    listed: bool = False          # the device type lists it
    in_catalogue: bool = True

    @property
    def id(self) -> str:
        """The standard's id."""
        return self.standard["id"]


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def clean_classification(classification) -> dict:
    """A classification whose parts have the shapes the code reads (foreign input may not)."""
    cls = dict(_dict(classification))
    cls["attributes"] = {k: v for k, v in _dict(cls.get("attributes")).items() if isinstance(k, str)}
    device = cls.get("device")
    cls["device"] = device if isinstance(device, dict) and isinstance(device.get("id"), str) else None
    category = cls.get("category")
    cls["category"] = {"code": category} if isinstance(category, str) else _dict(category)
    cls["markets"] = {m: _dict(b) for m, b in _dict(cls.get("markets")).items() if m in MARKETS}
    return cls


def trigger_context(kb, classification: Optional[dict], category: Optional[dict],
                    purpose: Optional[dict], markets: Sequence[str]) -> TriggerContext:
    """The closed-world facts of a classification (plus home use stated in the purpose)."""
    classification = clean_classification(classification)
    attributes = dict(classification.get("attributes") or {})
    if "home_use" not in attributes and isinstance(purpose, dict):
        said = " ".join(str(x) for key in ("use_environment", "intended_users")
                        for x in (purpose.get(key) if isinstance(purpose.get(key), list) else []))
        if _HOME_WORDS.search(said):
            attributes["home_use"] = True
    category = category or classification.get("category") or {}
    code = category if isinstance(category, str) else _dict(category).get("code")
    code = code if isinstance(code, str) else None
    device = (classification.get("device") or {}).get("id")
    chosen = tuple(m for m in MARKETS if m in (markets or tuple(classification["markets"]) or MARKETS))
    return TriggerContext(attributes=attributes, category=code, device=device, markets=chosen)


def listed_outcome(kb, standard: dict, ctx: TriggerContext) -> Outcome:
    """A standard the device type lists: it holds for its device unless the classification's
    facts contradict the device type's own on what its trigger looks at (e.g. home use
    dropped by the user); a trigger that never fitted the type's facts does not remove it."""
    listed = Outcome(True, (("device", ctx.device),))
    trigger = standard.get("triggers")
    if not trigger:
        return listed
    device = kb.data.devices.get(ctx.device or "", {})
    own = TriggerContext(dict(device.get("attributes") or {}), ctx.category, ctx.device, ctx.markets, assume_device=True)
    if evaluate(trigger, own).value is False:
        return listed
    return evaluate(trigger, replace(ctx, assume_device=True))


def select_standards(kb, ctx: TriggerContext) -> list[Selected]:
    """Every catalogue standard whose trigger holds, plus the device type's own standards."""
    chosen: dict[str, Selected] = {}
    for standard in kb.data.standards.values():
        outcome = evaluate(standard.get("triggers"), ctx)
        if outcome.value:
            chosen[standard["id"]] = Selected(standard, list(outcome.reasons))
    device = kb.data.devices.get(ctx.device) if ctx.device else None
    for sid in (device or {}).get("standards") or []:
        standard = kb.data.standards.get(sid)
        if standard is None:
            chosen.setdefault(sid, Selected({"id": sid, "edition": None, "title": sid, "workstream": "particular"},
                                            listed=True, in_catalogue=False))
            continue
        if listed_outcome(kb, standard, ctx).value is False:
            continue
        entry = chosen.setdefault(sid, Selected(standard))
        entry.listed = True
    return list(chosen.values())


def why_text(kb, selected: Selected, ctx: TriggerContext, language: str) -> str:
    """Which attribute, category, device or market made a standard apply, in words."""
    parts: list[str] = []
    negatives: list[str] = []   # "not software-only" explains little when a positive reason exists
    device = kb.data.devices.get(ctx.device or "", {})
    name = (device.get("name_ko") if language == "ko" else device.get("name")) or ctx.device or ""
    for reason in selected.reasons:
        kind = reason[0]
        if kind == "always":
            parts.append(tr(WHY["always"], language))
        elif kind == "attr":
            (negatives if reason[2] is False else parts).append(attribute_phrase(reason[1], reason[2], language))
        elif kind == "device":
            parts.append(tr(WHY["device"], language, name=name))
        elif kind == "category":
            label = kb.data.categories.get(reason[1], {})
            parts.append(tr(WHY["category"], language,
                            label=label.get("label_ko" if language == "ko" else "label", reason[1])))
        elif kind == "market":
            parts.append(tr(WHY["market"], language, market=tr(MARKET_NAMES[reason[1]], language)))
        elif kind == "not" and "attr" in reason[1]:
            negatives.append(attribute_phrase(reason[1]["attr"], False, language))
    if selected.listed and not selected.in_catalogue:
        parts.append(tr(WHY["missing"], language))
    elif selected.listed and not any(r[0] == "device" for r in selected.reasons):
        parts.append(tr(WHY["device_listed"], language, name=name))
    unique = list(dict.fromkeys(parts or negatives))
    return "; ".join(unique) if unique else tr(WHY["always"], language)


def standard_entry(kb, selected: Selected, ctx: TriggerContext, language: str) -> dict:
    """A Plan's `standards[]` item."""
    std = selected.standard
    entry = {
        "id": std["id"],
        "edition": std.get("edition"),
        "title": (std.get("title_ko") if language == "ko" else None) or std.get("title") or std["id"],
        "why": why_text(kb, selected, ctx, language),
    }
    only = market_conditions(std.get("triggers")) & set(ctx.markets)
    if only:
        entry["markets"] = sorted(only, key=MARKETS.index)
    if std.get("verified") is False or not selected.in_catalogue:
        entry["verified"] = False
    return entry


def standard_activity(selected: Selected, workstream: str, language: str) -> Optional[dict]:
    """The activity a standard adds to its plan (none for the core standard of a process plan)."""
    std = selected.standard
    test = workstream in TEST_WORKSTREAMS
    if not test and std["id"] in CORE_STANDARDS:
        return None
    deliverables = (std.get("deliverables_ko") if language == "ko" else None) or std.get("deliverables") or []
    if workstream == "sterilisation_packaging":
        name = {"en": f"Validation to {std['id']}", "ko": f"{std['id']} 밸리데이션"}
    elif test:
        name = {"en": f"Testing to {std['id']}", "ko": f"{std['id']} 시험"}
    else:
        name = {"en": f"Apply {std['id']}", "ko": f"{std['id']} 적용"}
    fallback = {"en": f"{std['id']} records", "ko": f"{std['id']} 기록"}
    return {
        "name": tr(name, language),
        "deliverable": ", ".join(deliverables) if deliverables else tr(fallback, language),
        "weeks": float(std.get("weeks") or (4 if test else 2)),
        "kind": "test" if test else "document",
        "parallel": "standards",
        "standard": std["id"],
    }


def _activity(activity_spec, language: str) -> dict:
    out = {"name": tr(activity_spec.name, language), "deliverable": tr(activity_spec.deliverable, language),
           "weeks": float(activity_spec.weeks), "kind": activity_spec.kind}
    if activity_spec.market:
        out["market"] = activity_spec.market
    return out


def build_plan(kb, workstream: str, selected: list[Selected], ctx: TriggerContext, facts: Facts,
               present: set[str], language: str) -> Optional[dict]:
    """One workstream's plan, or None when nothing in it applies."""
    ws = spec(workstream)
    applies = lambda a: (a.when is None or a.when(facts)) and (a.market is None or a.market in ctx.markets)  # noqa: E731
    market_acts = [_activity(a, language) for a in ws.market_activities if applies(a)]
    if not selected and not market_acts and workstream not in ALWAYS:
        return None
    activities = [_activity(a, language) for a in ws.lead]
    activities += [a for s in selected if (a := standard_activity(s, workstream, language))]
    activities += [_activity(a, language) for a in ws.close] + market_acts
    standards = [standard_entry(kb, s, ctx, language) for s in selected]
    if workstream == "clinical_evaluation" or (standards and all("markets" in s for s in standards)):
        used = {a["market"] for a in market_acts if a.get("market")} | {m for s in standards for m in s.get("markets", [])}
        markets = [m for m in ctx.markets if m in used]
    else:
        markets = list(ctx.markets)
    return {
        "id": plan_id(workstream),
        "workstream": workstream,
        "title": tr(ws.title, language),
        "standards": standards,
        "activities": activities,
        "estimated_weeks": plan_duration(activities),
        "depends_on": [plan_id(d) for d in ws.depends_on if d in present],
        "markets": markets,
        "rationale": rationale(ws, standards, markets, ctx, language) + _undetermined(workstream, facts, ctx, language),
    }


def _undetermined(workstream: str, facts: Facts, ctx: TriggerContext, language: str) -> str:
    """Where a market's class is unknown, the class-dependent parts of this plan are incomplete: say so."""
    if workstream not in CLASS_DEPENDENT or ctx.device is None:
        return ""
    open_markets = [m for m in ctx.markets if (facts.market_blocks.get(m) or {}).get("class") in (None, "")]
    if not open_markets:
        return ""
    names = ", ".join(tr(MARKET_NAMES[m], language) for m in open_markets)
    return " " + tr({"en": "Needs review for {m}: the class is not determined, so class-dependent activities (conformity route, clinical data) are not planned there yet.",
                     "ko": "{m} 검토 필요: 등급이 결정되지 않아 등급에 따른 활동(적합성 평가 경로, 임상 자료)은 아직 계획하지 않았습니다."},
                    language, m=names)


def rationale(ws, standards: list[dict], markets: list[str], ctx: TriggerContext, language: str) -> str:
    """Why the plan exists: the workstream's purpose, what triggered it, each market's basis."""
    parts = [tr(ws.purpose, language)]
    whys = list(dict.fromkeys(part for s in standards for part in s["why"].split("; ")))
    if whys:
        lead = {"en": "Triggered by: {x}.", "ko": "적용 근거: {x}."}
        parts.append(tr(lead, language, x="; ".join(whys[:6])))
    parts += [tr(ws.market_notes[m], language) for m in markets if m in ws.market_notes]
    if ctx.device is None:
        parts.append(tr({"en": "Needs review: the device type was not identified, so only requirements common to all devices are planned.",
                         "ko": "검토 필요: 기기 유형이 확인되지 않아 모든 기기에 공통인 요구사항만 계획했습니다."}, language))
    return " ".join(parts)


def order_plans(plans: list[dict]) -> list[dict]:
    """Dependency order (a plan after those it depends on), catalogue order as tie-break."""
    rank = {plan_id(w): i for i, w in enumerate(WORKSTREAMS)}
    pending = sorted(plans, key=lambda p: rank.get(p["id"], len(rank)))
    done: list[dict] = []
    placed: set[str] = set()
    while pending:
        ready = next((p for p in pending if set(p["depends_on"]) <= placed), pending[0])
        pending.remove(ready)
        done.append(ready)
        placed.add(ready["id"])
    return done


def build_plans(kb, classification: dict, category: Optional[dict], purpose: Optional[dict],
                markets: Sequence[str], language: str) -> list[dict]:
    """The regulatory plans for a classified device, one per applicable workstream."""
    classification = clean_classification(classification)
    ctx = trigger_context(kb, classification, category, purpose, markets)
    facts = Facts(ctx.attributes, ctx.markets, classification["markets"])
    groups: dict[str, list[Selected]] = {}
    for selected in select_standards(kb, ctx):
        groups.setdefault(selected.standard.get("workstream") or "particular", []).append(selected)
    candidates = list(WORKSTREAMS) + sorted(w for w in groups if w not in SPECS)
    rank = {sid: i for i, sid in enumerate(kb.data.standards)}   # the catalogue's own order
    present = {w for w in candidates if w in groups or w in ALWAYS or w == "clinical_evaluation"}
    plans = []
    for workstream in candidates:
        plan = build_plan(kb, workstream, sorted(groups.get(workstream, []), key=lambda s: rank.get(s.id, len(rank))),
                          ctx, facts, present, language)
        if plan:
            plans.append(plan)
    plans += regulatory_plans(kb, classification, ctx.markets, plans, language)
    kept = {p["id"] for p in plans}
    for plan in plans:
        plan["depends_on"] = [d for d in plan["depends_on"] if d in kept]
    return order_plans(plans)
