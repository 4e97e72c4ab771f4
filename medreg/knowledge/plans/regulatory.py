"""The plans and activities that follow from the regulatory facts of the classification rather than
from standards: US special controls and premarket pathway, GMP exemption, AI (PCCP, AI Act), IVDs."""
from __future__ import annotations

from medreg.knowledge.plans.ai_plans import add_pccp, ai_act_plan
from medreg.knowledge.plans.ivd_plans import apply_ivd
from medreg.knowledge.plans.special_controls import special_controls_plan
from medreg.knowledge.plans.us_pathway import apply_gmp_exemption, premarket_plan

# The AI Act's obligations build on these plans' records (risk file, software life cycle, data).
AI_ACT_BASIS = ("plan-risk-management", "plan-software", "plan-quality-system", "plan-clinical-evaluation")


def regulatory_plans(kb, classification: dict, markets, plans: list[dict], language: str) -> list[dict]:
    """Adjust the workstream plans in place and return the regulatory plans to add."""
    kept = [p["id"] for p in plans]
    apply_gmp_exemption(kb, classification, plans, language)
    add_pccp(classification, plans, markets, language)
    apply_ivd(classification, plans, markets, language)
    added = []
    controls = special_controls_plan(kb, classification, markets, language,
                                     [d for d in kept if d == "plan-risk-management"])
    if controls:
        added.append(controls)
    ai_act = ai_act_plan(classification, markets, language, [d for d in AI_ACT_BASIS if d in kept])
    if ai_act:
        added.append(ai_act)
    # The submission goes in when the evidence it reports is ready: after every other plan.
    evidence = kept + [p["id"] for p in added]
    premarket = premarket_plan(kb, classification, markets, language, evidence)
    if premarket:
        added.append(premarket)
    return added
