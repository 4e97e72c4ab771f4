"""For standalone software, the EU rationale's qualification and Rule 11 trace: MDCG 2019-11 (software
with a medical purpose is medical device software, classified in its own right) and the branch of MDR
Annex VIII Rule 11 each answer took, from the `software_decision` attribute (texts in ai_software.json)."""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.plans.activity_data import load, text

DATA = "ai_software.json"


def rule11_steps(decision: Optional[str], language: str) -> list[str]:
    """The Rule 11 branches taken for a decision impact (None: 'all other software')."""
    steps = load(DATA)["rule11"]["steps"]
    key = decision if any(decision in s["when"] for s in steps) else None
    return [s["ko" if language == "ko" else "en"] for s in steps if key in s["when"]]


def software_trace(attrs: dict, language: str) -> str:
    """The qualification (MDCG 2019-11) and Rule 11 trace for standalone software, or '' for anything else."""
    if not attrs.get("software_only"):
        return ""
    spec = load(DATA)["rule11"]
    if attrs.get("ivd"):
        return text(spec["mdcg_ivd"], language)   # IVD software: IVDR Annex VIII, not MDR Rule 11
    if attrs.get("drives_device"):
        return text(spec["mdcg_driving"], language)   # it takes the driven device's class, not Rule 11's
    steps = rule11_steps(attrs.get("software_decision"), language)
    return text(spec["mdcg"], language) + " " + text(spec["head"], language) + " " + "; ".join(steps) + "."
