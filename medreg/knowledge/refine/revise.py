"""Applies a user's feedback to regulatory plans and says what changed and what could not be.

`changes` are listed in the order they were applied; each path is valid at the moment of
its change (JSON Patch semantics): edits inside plans first, then removed plans (highest
index first), then added plans, then activities that rest on the device's facts (a PCCP), then
recomputed estimates and deadline compression.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from medreg.knowledge.refine.feedback import (
    AttributeIntent, DeadlineIntent, MarketIntent, StandardIntent, Unsupported, parse_feedback,
)
from medreg.knowledge.words.phrases import attribute_phrase, join, tr
from medreg.markets import MARKET_NAMES
from medreg.knowledge.plans.build import (
    MARKETS, Selected, listed_outcome, plan_id, standard_activity, standard_entry,
)
from medreg.knowledge.refine.refinement import Refinement
from medreg.knowledge.refine.texts import NOT_APPLIED
from medreg.knowledge.refine.deadline import apply_deadline
from medreg.knowledge.refine.plan_level import apply_plan_level
from medreg.knowledge.plans.triggers import Outcome, evaluate, referenced_attributes
from medreg.knowledge.plans.workstreams import spec

if TYPE_CHECKING:  # the Knowledge object imports this module
    from medreg.knowledge import Knowledge

MANDATORY = frozenset({"ISO 14971", "ISO 13485", "IEC 62366-1"})


class Refiner(Refinement):
    """A refinement and the edits that feedback intents make to it."""

    # ---- intents -------------------------------------------------------------------------
    def apply_markets(self, intents: list[MarketIntent]) -> None:
        """Work out the new market list (the plans are edited later)."""
        markets = list(self.markets_before)
        for intent in intents:
            if intent.action == "only":
                proposed = [m for m in MARKETS if m in intent.markets]
            elif intent.action == "drop":
                proposed = [m for m in markets if m not in intent.markets]
            else:
                proposed = [m for m in MARKETS if m in markets or m in intent.markets]
            if not proposed:
                self.refuse(intent.text, "no_market_left")
            elif proposed == markets:
                self.refuse(intent.text, "already")
            else:
                markets = proposed
                self.cause["markets"] = intent.text
        self.new = replace(self.new, markets=tuple(markets))

    def apply_attributes(self, intents: list[AttributeIntent]) -> None:
        """Set the facts the user stated (with what they imply), refusing contradictions."""
        changes: dict = {}
        for intent in intents:
            implied = {intent.key: intent.value}
            if intent.key == "software" and intent.value is False:
                if self.old.attributes.get("software_only"):
                    self.refuse(intent.text, "software_only")
                    continue
                implied.update(ai=False, software_only=False, firmware=False)
            if intent.key == "ai" and intent.value is True:
                implied["software"] = True
            current = {k: self.old.attributes.get(k, False if self.old.closed_world else None) for k in implied}
            if all(current[k] == v for k, v in implied.items()):
                self.refuse(intent.text, "already")
                continue
            changes.update(implied)
            for key in implied:
                self.cause[key] = intent.text
        self.new = self.new.with_attributes(changes)

    # ---- standards -----------------------------------------------------------------------
    def _listed(self, sid: str) -> bool:
        device = self.kb.data.devices.get(self.old.device or "", {})
        return sid in (device.get("standards") or [])

    def _outcomes(self, standard: dict) -> tuple[Outcome, Outcome]:
        """The standard's trigger before and after the feedback (a listed one holds for its device)."""
        if self._listed(standard["id"]):
            return listed_outcome(self.kb, standard, self.old), listed_outcome(self.kb, standard, self.new)
        return evaluate(standard.get("triggers"), self.old), evaluate(standard.get("triggers"), self.new)

    def _facts_text(self, standard: dict, market_gone: bool) -> tuple[str, str]:
        keys = [k for k in referenced_attributes(standard.get("triggers")) if k in self.cause]
        facts = [attribute_phrase(k, self.new.attributes.get(k, False), self.language) for k in keys]
        texts = [self.cause[k] for k in keys]
        if market_gone or not keys:
            facts.append(join([tr(MARKET_NAMES[m], self.language) for m in self.new.markets], self.language))
            texts.append(self.cause.get("markets", ""))
        return "; ".join(f for f in facts if f), " / ".join(dict.fromkeys(t for t in texts if t))

    def remove_standard(self, i: int, j: int, reason: str) -> None:
        """Remove standards[j] of plans[i] and the activities that belong to it."""
        plan = self.plans[i]
        entry = plan["standards"].pop(j)
        self.change(f"plans[{i}].standards[{j}]", entry, None, reason)
        acts = plan.get("activities") or []
        for k in range(len(acts) - 1, -1, -1):
            if entry.get("id") and acts[k].get("standard") == entry.get("id"):
                self.change(f"plans[{i}].activities[{k}]", acts.pop(k), None,
                            self.t("activity_removed_standard", standard=entry["id"]))

    def drop_untriggered(self) -> None:
        """Remove catalogue standards whose trigger the feedback made false."""
        for i, plan in enumerate(self.plans):
            for j in range(len(plan.get("standards") or []) - 1, -1, -1):
                entry = plan["standards"][j]
                standard = self.kb.data.standards.get(entry.get("id"))
                market_gone = bool(entry.get("markets")) and not set(entry["markets"]) & set(self.new.markets)
                if standard is None and not market_gone:
                    continue
                if standard is not None and not market_gone:
                    old, new = self._outcomes(standard)
                    if not (new.value is False and old.value is not False):
                        continue
                facts, text = self._facts_text(standard or {}, market_gone)
                self.remove_standard(i, j, self.t("standard_removed", facts=facts, text=text))

    def add_triggered(self) -> list[str]:
        """Add catalogue standards the feedback made applicable; workstreams needing a new plan."""
        present = {s.get("id") for p in self.plans for s in p.get("standards") or []}
        by_id = {p.get("id"): p for p in self.plans}
        missing: list[str] = []
        for standard in self.kb.data.standards.values():
            if standard["id"] in present:
                continue
            old, new = self._outcomes(standard)
            if new.value is True and old.value is not True:
                reasons = list(new.reasons)
                facts, text = self._facts_text(standard, False)
                workstream = standard.get("workstream") or "particular"
                plan = by_id.get(plan_id(workstream))
                if plan is None:
                    missing.append(workstream)
                    continue
                self.add_standard(plan, Selected(standard, reasons), self.t("standard_added", facts=facts, text=text))
        return list(dict.fromkeys(missing))

    def add_standard(self, plan: dict, selected: Selected, reason: str) -> None:
        """Append a standard (and its activity) to a plan."""
        i = self.plans.index(plan)
        entry = standard_entry(self.kb, selected, self.new, self.language)
        plan.setdefault("standards", []).append(entry)
        self.change(f"plans[{i}].standards[{len(plan['standards']) - 1}]", None, entry, reason)
        activity = standard_activity(selected, plan.get("workstream") or "", self.language)
        if activity:
            plan.setdefault("activities", []).append(activity)
            self.change(f"plans[{i}].activities[{len(plan['activities']) - 1}]", None, activity, reason)

    def apply_standard_intents(self, intents: list[StandardIntent]) -> None:
        """Remove or add the standards the user named."""
        for intent in intents:
            where = [(i, j) for i, p in enumerate(self.plans) for j, s in enumerate(p.get("standards") or [])
                     if str(s.get("id", "")).upper() == intent.standard]
            if intent.action == "drop":
                if intent.standard in MANDATORY:
                    self.refuse(intent.text, "mandatory", detail=intent.standard)
                elif not where:
                    self.refuse(intent.text, "not_in_plans", detail=intent.standard)
                else:
                    self.cause["standards"] = intent.text
                    for i, j in reversed(where):
                        self.remove_standard(i, j, self.t("standard_dropped_by_user", text=intent.text))
                continue
            standard = next((s for sid, s in self.kb.data.standards.items() if sid.upper() == intent.standard), None)
            if where:
                self.refuse(intent.text, "already")
            elif standard is None:
                self.refuse(intent.text, "not_in_catalogue", detail=intent.standard)
            else:
                plan = next((p for p in self.plans if p.get("id") == plan_id(standard.get("workstream") or "particular")),
                            None)
                if plan is None:
                    self.refuse(intent.text, "needs_new_plan", detail=tr(spec(standard.get("workstream") or "particular").title, self.language))
                else:
                    self.add_standard(plan, Selected(standard, []), self.t("standard_added_by_user", text=intent.text))


def refine_plans(kb: "Knowledge", plans: list[dict], feedback: str, classification: Optional[dict],
                 purpose: Optional[dict], language: str) -> dict:
    """Revise `plans` from free-text feedback (Korean or English)."""
    parsed = parse_feedback(feedback)
    r = Refiner.start(kb, plans, classification, purpose, language)
    for clause in parsed.unparsed:
        r.refuse(clause, "unparsed")
    for intent in parsed.intents:
        if isinstance(intent, Unsupported):
            r.refuse(intent.text, intent.reason if intent.reason in NOT_APPLIED else "unparsed", detail=intent.detail)
    r.apply_markets([i for i in parsed.intents if isinstance(i, MarketIntent)])
    r.apply_attributes([i for i in parsed.intents if isinstance(i, AttributeIntent)])
    r.drop_untriggered()
    missing = r.add_triggered()
    r.apply_standard_intents([i for i in parsed.intents if isinstance(i, StandardIntent)])
    apply_plan_level(r, missing)
    for text in dict.fromkeys(r.cause.values()):
        # Understood and accepted, yet nothing in these plans turned on it: say so.
        if not any(text in c["reason"] for c in r.changes):
            r.refuse(text, "no_effect" if classification else "no_effect_open")
    deadlines = [i for i in parsed.intents if isinstance(i, DeadlineIntent)]
    if deadlines:
        apply_deadline(r, min(deadlines, key=lambda d: d.weeks))
    return r.result()
