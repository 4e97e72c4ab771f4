"""A three-point estimate per market and pathway for one version: the plans' critical path (the
knowledge base's weeks, scaled by editable assumption factors), the agency's review clock where a
cited figure exists, and every cost as a cited figure or "unknown" — never a guessed number."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from medreg.knowledge.plans.schedule import critical_path
from medreg.markets import MARKETS

DATA = Path(__file__).resolve().parent / "data" / "estimate.json"
DAYS_PER_WEEK = 7


@lru_cache(maxsize=1)
def figures() -> dict:
    """The sourced figures and the editable assumptions (data/estimate.json)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def _clock(pathway: Optional[str]) -> Optional[tuple[str, dict]]:
    text = (pathway or "").lower()
    if "exempt" in text:
        return None
    for name in ("De Novo", "PMA", "510(k)"):
        if name.lower() in text:
            return name, figures()["review_clocks"][name]
    return None


def _unknown(kind: str, language: str) -> dict:
    return {"value": None, "status": "unknown", "note": figures()["unknown"][kind][language]}


def _market(market: str, entry: dict, plan_weeks: float, factors: dict, language: str) -> dict[str, Any]:
    pathway = entry.get("pathway")
    review: dict[str, Any]
    clock = _clock(pathway) if market == "US" else None
    if clock is not None:
        name, figure = clock
        review = {"value": figure["days"], "unit": figure["unit"], "status": "cited", "pathway": name,
                  "sources": figure["sources"], "note": figure["note"][language]}
    elif market == "US" and "exempt" in (pathway or "").lower():
        review = {"value": 0, "unit": "FDA days", "status": "cited", "pathway": pathway,
                  "sources": [entry.get("regulation") or "21 CFR (exemption of the device's regulation)"],
                  "note": "No premarket submission." if language == "en" else "시판 전 제출이 필요하지 않습니다."}
    elif market == "EU":
        review = _unknown("notified_body", language)
    elif market == "KR":
        review = _unknown("mfds_period", language)
    else:
        review = {"value": None, "status": "unknown", "note": f"pathway {pathway!r}"}
    review_weeks = review["value"] / DAYS_PER_WEEK if isinstance(review.get("value"), (int, float)) else None
    duration = {
        "optimistic": round(plan_weeks * factors["optimistic_factor"], 1),
        "likely": round(plan_weeks, 1),
        "pessimistic": round(plan_weeks * factors["pessimistic_factor"], 1),
        "unit": "weeks", "basis": "critical path of the plans (medreg's estimates) × assumption factors",
    }
    total = None
    if review_weeks is not None:
        total = {key: round(duration[key] + review_weeks, 1) for key in ("optimistic", "likely", "pessimistic")}
        total["note"] = ("plans + review clock (FDA days counted as calendar days: a floor)" if language == "en"
                         else "계획 + 심사 기한(FDA 일수를 달력 일수로 계산: 최솟값)")
    return {"market": market, "class": entry.get("class"), "pathway": pathway, "duration": duration,
            "review": review, "total_weeks": total, "fee": _unknown("fee", language),
            "cost": {"optimistic": None, "likely": None, "pessimistic": None, "status": "unknown",
                     "note": figures()["unknown"]["lab_cost"][language]}}


def estimate(version: dict, overrides: Optional[dict] = None, language: Optional[str] = None) -> dict:
    """Per market: three-point weeks, the review clock (cited or unknown), fees and costs (unknown unless sourced)."""
    language = language or version.get("language") or "en"
    assumptions = figures()["assumptions"]
    factors = {key: float((overrides or {}).get(key, item["value"])) for key, item in assumptions.items()}
    plans = version.get("plans") or []
    weeks = critical_path(plans).weeks if plans else 0.0
    markets = ((version.get("classification") or {}).get("markets")) or {}
    return {
        "version": version.get("number"), "language": language, "plan_weeks": weeks,
        "assumptions": [{"key": key, "value": factors[key], "status": "assumption", "note": item[language],
                         "edited": key in (overrides or {})} for key, item in assumptions.items()],
        "markets": [_market(m, markets[m], weeks, factors, language) for m in MARKETS if m in markets],
    }
