"""The one record of a refinement: the plans being edited, the facts before and after the
feedback, and what changed or could not be applied. Every refine module reads and writes it."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from medreg.knowledge.plans.build import MARKETS, clean_classification, trigger_context
from medreg.knowledge.plans.schedule import plan_duration, plan_weeks
from medreg.knowledge.plans.triggers import TriggerContext
from medreg.knowledge.refine.texts import NOT_APPLIED, REASONS
from medreg.language import tr

if TYPE_CHECKING:  # the Knowledge object imports refine: only the type is needed here
    from medreg.knowledge import Knowledge


@dataclass
class Refinement:
    """One refinement in progress; `result()` is what the refine step answers."""

    kb: "Knowledge"
    cls: Optional[dict]                    # the classification, cleaned (None: plans only)
    purpose: Optional[dict]
    language: str
    plans: list[dict]                      # a deep copy: edited in place
    old: TriggerContext                    # the facts before the feedback
    markets_before: list[str]
    single: bool = False                   # one plan sent: a plan that stops applying is marked, not removed
    new: TriggerContext = None             # the facts after it (starts as `old`)
    changes: list[dict] = field(default_factory=list)
    not_applied: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schedule: Optional[dict] = None
    cause: dict[str, str] = field(default_factory=dict)    # attribute or "markets" → the clause that changed it
    removed_plans: set[str] = field(default_factory=set)
    # What each plan (by id() of its dict) was before any edit: estimates, standards, markets.
    base: dict[int, tuple] = field(default_factory=dict)
    initial_standards: dict[int, int] = field(default_factory=dict)
    initial_standard_ids: dict[int, list] = field(default_factory=dict)
    initial_markets: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.new is None:
            self.new = self.old

    @classmethod
    def start(cls, kb: "Knowledge", plans: list[dict], classification: Optional[dict], purpose: Optional[dict],
              language: str) -> "Refinement":
        """A refinement of `plans` with nothing changed yet."""
        classification = clean_classification(classification) if classification else None
        plans = copy.deepcopy(plans)
        seen = {m for p in plans for m in p.get("markets") or []}
        if not seen and classification:
            seen = set(classification.get("markets") or {})
        markets_before = [m for m in MARKETS if m in (seen or MARKETS)]
        if classification:
            old = trigger_context(kb, classification, None, purpose, markets_before)
        else:
            old = TriggerContext(markets=tuple(markets_before), closed_world=False)
        return cls(kb, classification, purpose, language, plans, old, markets_before, single=len(plans) <= 1,
                   base={id(p): (plan_weeks(p), plan_duration(p.get("activities") or [])) for p in plans},
                   initial_standards={id(p): len(p.get("standards") or []) for p in plans},
                   initial_standard_ids={id(p): [s.get("id") for s in p.get("standards") or [] if s.get("id")]
                                         for p in plans},
                   initial_markets={id(p): bool(p.get("markets")) for p in plans})

    def change(self, path: str, before, after, reason: str) -> None:
        """Record one change."""
        self.changes.append({"path": path, "before": before, "after": after, "reason": reason})

    def refuse(self, text: str, key: str, **values) -> None:
        """Record feedback that could not be applied, and why."""
        self.not_applied.append({"text": text, "reason": tr(NOT_APPLIED[key], self.language, **values)})

    def t(self, key: str, **values) -> str:
        """A change reason in the request's language."""
        return tr(REASONS[key], self.language, **values)

    def result(self) -> dict:
        """The refine step's answer."""
        return {"plans": self.plans, "changes": self.changes, "not_applied": self.not_applied, "notes": self.notes,
                "schedule": self.schedule, "engine": "offline"}
