"""The US premarket plan by submission type (510(k), 510(k) exempt, PMA, De Novo, unknown), from the
classification's US block and the shipped FDA catalogue's flags; and the QMS note for GMP-exempt codes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from medreg.knowledge.plans.activity_data import activity, load, text
from medreg.knowledge.plans.schedule import plan_duration

PLAN_ID = "plan-us-premarket"
DATA = "us_pathways.json"
REGULATION = re.compile(r"(\d{3})\.\d+")
# The sections a GMP exemption keeps, as the classification regulations word it (CFR 2025 edition).
KEPT = (("820.180", {"en": "§ 820.180 records", "ko": "§ 820.180 기록"}),
        ("820.198", {"en": "§ 820.198 complaint files", "ko": "§ 820.198 불만 처리 파일"}))


@dataclass(frozen=True)
class UsFacts:
    """What decides the US premarket activities."""

    code: Optional[str]
    pathway: str            # a key of us_pathways.json "pathways"
    regulation: Optional[str]
    part: Optional[str]
    gmp_exempt: bool = False
    third_party: bool = False
    kept: tuple[str, ...] = ()   # part 820 sections the GMP exemption keeps (as the regulation words it)


def us_facts(kb, block: dict) -> UsFacts:
    """The US facts of a classification's US block, completed from the catalogue by product code."""
    pathways = load(DATA)["pathways"]
    code = block.get("product_code") if isinstance(block.get("product_code"), str) else None
    entry = kb.catalogue.fda.get(code or "") or {}
    match = REGULATION.search(str(block.get("regulation") or entry.get("regulation") or ""))
    regulation, part = (match.group(0), match.group(1)) if match else (None, None)
    pathway = block.get("pathway") if block.get("class") else None
    if pathway not in pathways:
        pathway = entry.get("submission") if block.get("class") and entry.get("submission") in pathways else "unknown"
    gmp = bool(block.get("gmp_exempt") or entry.get("gmp_exempt"))
    wording = str((kb.catalogue.regulations.get(regulation or "") or {}).get("classification") or "")
    kept = tuple(section for section, _ in KEPT if gmp and section in wording)
    return UsFacts(code, pathway, regulation, part, gmp, bool(block.get("third_party") or entry.get("third_party")), kept)


def premarket_plan(kb, classification: dict, markets, language: str, depends_on: list[str]) -> Optional[dict]:
    """The US premarket plan (route to market with its cited activities), or None outside the US."""
    block = (classification.get("markets") or {}).get("US")
    if "US" not in markets or not isinstance(block, dict):
        return None
    data, facts = load(DATA), us_facts(kb, block)
    route = data["pathways"][facts.pathway]
    values = {"code": facts.code or "-", "reg": facts.regulation or "-", "part": facts.part or "8xx"}
    entries = list(route["activities"])
    if facts.pathway == "510(k)" and facts.third_party:
        entries.append(data["third_party"])
    entries.append(data["registration"])
    activities = [activity(e, language, market="US", **values) for e in entries]
    if facts.pathway == "510(k) exempt" and not facts.part:
        activities[0]["verified"] = False     # no regulation number: which §x.9 applies is not known
    purpose = route["purpose_no_code"] if facts.pathway == "unknown" and not facts.code else route["purpose"]
    return {"id": PLAN_ID, "workstream": "us_premarket", "title": text(data["title"], language),
            "standards": [], "activities": activities, "estimated_weeks": plan_duration(activities),
            "depends_on": depends_on, "markets": ["US"], "rationale": text(purpose, language, **values),
            "citations": list(dict.fromkeys(a["citation"] for a in activities if a.get("citation"))),
            "pathway": facts.pathway}


def apply_gmp_exemption(kb, classification: dict, plans: list[dict], language: str) -> None:
    """A GMP-exempt code: the QMS plan says what the exemption leaves (records, complaint files) and cites it."""
    block = (classification.get("markets") or {}).get("US")
    qms = next((p for p in plans if p.get("id") == "plan-quality-system"), None)
    if qms is None or "US" not in (qms.get("markets") or []) or not isinstance(block, dict):
        return
    facts = us_facts(kb, block)
    if not facts.gmp_exempt:
        return
    spec = load(DATA)["gmp_exempt"]
    sections = ", ".join(text(label, language) for section, label in KEPT if section in facts.kept)
    kept = text(spec["kept"], language, reg=facts.regulation or "-", sections=sections) if sections else ""
    entry = activity(spec, language, market="US", code=facts.code or "-", reg=facts.regulation or "-", kept=kept)
    if not facts.regulation:
        entry.pop("citation", None)
    qms["activities"].append(entry)
    qms["estimated_weeks"] = plan_duration(qms["activities"])
    qms["rationale"] += " " + text(spec["note"] if sections else spec["unstated"], language)
