"""Plans for AI software: the FDA predetermined change control plan (PCCP) in the software plan, and
the EU AI Act (Regulation (EU) 2024/1689) high-risk obligations for AI devices that need a notified body."""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.plans.activity_data import activity, load, text
from medreg.knowledge.plans.schedule import plan_duration

PLAN_ID = "plan-eu-ai-act"
DATA = "ai_software.json"
# Article 6(1)(b): high-risk when the product needs a third-party conformity assessment under the
# Annex I legislation: MDR class IIa and above, IVDR class B to D and sterile class A (IVDR Article 48).
# Class Is/Im/Ir involve a notified body for limited aspects only; whether that counts is left to review.
NOTIFIED_BODY_CLASSES = frozenset({"IIa", "IIb", "III", "B", "C", "D"})


def _eu(classification: dict) -> dict:
    block = (classification.get("markets") or {}).get("EU")
    return block if isinstance(block, dict) else {}


def high_risk_class(classification: dict) -> Optional[str]:
    """The EU class that makes an AI device high-risk under AI Act Article 6(1), or None."""
    attrs = classification.get("attributes") or {}
    if not attrs.get("ai"):
        return None
    cls = _eu(classification).get("class")
    if cls in NOTIFIED_BODY_CLASSES or (cls == "A" and attrs.get("sterile")):
        return cls
    return None


def add_pccp(classification: dict, plans: list[dict], markets, language: str) -> None:
    """Machine-learning software sold in the US: a cited PCCP activity in the software plan."""
    attrs = classification.get("attributes") or {}
    software = next((p for p in plans if p.get("id") == "plan-software"), None)
    if not attrs.get("ai") or "US" not in markets or software is None:
        return
    software["activities"].append(activity(load(DATA)["pccp"], language))
    software["estimated_weeks"] = plan_duration(software["activities"])
    if "US" not in software.get("markets", []):
        software["markets"] = [m for m in markets if m in set(software.get("markets", [])) | {"US"}]


def ai_act_plan(classification: dict, markets, language: str, depends_on: list[str]) -> Optional[dict]:
    """The AI Act plan for a high-risk AI medical device in the EU, or None."""
    cls = high_risk_class(classification)
    if "EU" not in markets or cls is None:
        return None
    spec = load(DATA)["ai_act"]
    regulation = "IVDR" if _eu(classification).get("regulation") == "IVDR" or cls in ("A", "B", "C", "D") else "MDR"
    activities = [activity(entry, language, market="EU") for entry in spec["activities"]]
    return {"id": PLAN_ID, "workstream": "eu_ai_act", "title": text(spec["title"], language),
            "standards": [], "activities": activities, "estimated_weeks": plan_duration(activities),
            "depends_on": depends_on, "markets": ["EU"],
            "rationale": text(spec["purpose"], language, cls=cls, reg=regulation),
            "citations": [spec["cite"], "Regulation (EU) 2024/1689 Article 113(c)", "Regulation (EU) 2024/1689 Article 43(3)"],
            "applies_from": spec["applies_from"]}
