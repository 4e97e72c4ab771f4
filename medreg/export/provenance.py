"""What a memo rests on: when it was made, medreg's version, the engines and models, the knowledge base
and the official lists it used, and what in it is not verified."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from medreg.export.facts import dossier_language, plans_of
from medreg.export.labels import LABELS

NOT_VERIFIED = {
    "market": {"en": "{market}: the class is not verified ({why})", "ko": "{market}: 등급이 확인되지 않았습니다({why})"},
    "derived": {"en": "{market}: the class was derived from the criteria, not taken from an official list",
                "ko": "{market}: 등급을 공식 목록이 아닌 기준으로 추정했습니다"},
    "model": {"en": "{market}: {field} from the model that the knowledge base could not confirm",
              "ko": "{market}: 지식 베이스로 확인하지 못한 모델의 {field}"},
    "review": {"en": "The classification needs review by a person", "ko": "분류 결과는 사람의 검토가 필요합니다"},
    "open": {"en": "{n} question(s) are not answered: the classes assume the most likely answers",
             "ko": "답하지 않은 질문이 {n}개 있습니다. 등급은 가장 가능성이 높은 답을 가정한 것입니다"},
    "not_applied": {"en": "Feedback not applied: {text}", "ko": "반영하지 못한 수정 요청: {text}"},
    "weeks": {"en": "Durations (weeks) are planning estimates, not quotes from laboratories or authorities",
              "ko": "기간(주)은 계획용 추정치이며 시험기관·규제기관의 견적이 아닙니다"},
}


@dataclass
class Provenance:
    """The memo's header facts."""

    now: datetime
    version: str
    engines: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    kb_version: str = ""
    lists: list[tuple[str, str]] = field(default_factory=list)   # (official list, its date)
    local: Optional[tzinfo] = None   # the reader's time zone, when known


@lru_cache(maxsize=1)
def curated_version() -> str:
    """The curated knowledge base's version: a digest of its data files (changes whenever any fact does)."""
    digest, count = hashlib.sha256(), 0
    root = resources.files("medreg.knowledge") / "data"
    for entry in sorted([*root.iterdir(), *(root / "devices").iterdir()], key=lambda p: str(p)):
        if entry.name.endswith(".json"):
            digest.update(entry.read_bytes())
            count += 1
    return f"curated {digest.hexdigest()[:12]} ({count} files)"


def _source_dates(kb: Any) -> list[tuple[str, str]]:
    """The date of each official list, when the knowledge object says (`sources`: [{name, date}])."""
    for owner in (kb, getattr(kb, "data", None)):
        sources = getattr(owner, "sources", None)
        if callable(sources):
            sources = sources()
        if isinstance(sources, dict):
            sources = [{"name": k, **(v if isinstance(v, dict) else {"date": v})} for k, v in sources.items()]
        if isinstance(sources, (list, tuple)) and sources:
            return [(str(s.get("name") or s.get("id")), str(s.get("date") or "unknown")) for s in sources
                    if isinstance(s, dict)]
    return _imported(kb)


def _imported(kb: Any) -> list[tuple[str, str]]:
    """Official lists imported into the local store (`flask kb import-*`), dated by their import."""
    folder = getattr(kb, "kb_store_dir", None)
    out = []
    for name, label in (("fda-product-codes.json", "FDA Product Classification (imported)"),
                        ("mfds-items.json", "MFDS 품목 및 품목별 등급 (imported)")):
        path = folder / name if folder else None
        if path is not None and path.is_file():
            out.append((label, datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")))
    return out


def _engines(dossier: dict) -> list[str]:
    results = [dossier.get("classification"), dossier.get("purpose"), *plans_of(dossier),
               *(dossier.get("refinements") or [])]
    found = [r.get("engine") for r in results if isinstance(r, dict) and isinstance(r.get("engine"), str)]
    return list(dict.fromkeys(found))


def provenance(dossier: dict, kb: Any = None, now: Optional[datetime] = None, version: str = "",
               local: Optional[tzinfo] = None) -> Provenance:
    """The header facts of a memo made now from `dossier`."""
    engines = _engines(dossier)
    models = [e.split(":", 1)[1].split(" ")[0] for e in engines if e.startswith("anthropic:")]
    kb_version = getattr(kb, "version", None) if kb is not None else None
    if not version:
        from medreg import __version__ as version   # noqa: N811 (medreg imports the app: only when needed)
    return Provenance(now or datetime.now(timezone.utc), version, engines, list(dict.fromkeys(models)),
                      str(kb_version or curated_version()), _source_dates(kb) if kb is not None else [], local)


def not_verified(dossier: dict, lang: str) -> list[str]:
    """Each thing in the memo that is not verified, in words (the disclaimer names them)."""
    T = {k: v[lang] for k, v in NOT_VERIFIED.items()}
    c = dossier.get("classification") or {}
    out = []
    for code, m in (c.get("markets") or {}).items():
        if not isinstance(m, dict) or m.get("qualification") == "not_device":
            continue
        if m.get("verified") is False:
            out.append(T["market"].format(market=code, why=str(m.get("rationale") or "")[:160]))
        elif m.get("derived"):
            out.append(T["derived"].format(market=code))
    for item in c.get("unverified") or []:
        if isinstance(item, dict):
            out.append(T["model"].format(market=item.get("market", ""), field=item.get("field", "")))
    if c.get("needs_review"):
        out.append(T["review"])
    if c.get("questions"):
        out.append(T["open"].format(n=len(c["questions"])))
    for r in dossier.get("refinements") or []:
        for n in (r.get("not_applied") or []) if isinstance(r, dict) else []:
            out.append(T["not_applied"].format(text=n.get("text")))
    if plans_of(dossier):
        out.append(T["weeks"])
    return out


@dataclass
class Memo:
    """What both memo renderers start from: language, labels in it, provenance, classification, concept."""

    lang: str
    labels: dict[str, str]
    meta: Provenance
    classification: dict
    concept: str


def memo(dossier: dict, language: Optional[str] = None, meta: Optional[Provenance] = None) -> Memo:
    """The memo's frame for a dossier (the report language, its labels and provenance made once)."""
    lang = dossier_language(dossier, language)
    c = dossier.get("classification") or {}
    return Memo(lang, {k: v[lang] for k, v in LABELS.items()}, meta or provenance(dossier), c,
                dossier.get("concept") or c.get("concept") or "")
