"""The facts of a memo, as (label, text) rows shared by the Markdown and HTML renderers."""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any, Optional

from medreg.export.labels import LABELS, attribute_label, source_label, value_label
from medreg.knowledge.classification.answers import SPECS
from medreg.knowledge.qualification.qualify import STATUSES
from medreg.language import tr
from medreg.markets import MARKETS


def dossier_language(dossier: dict, language: Optional[str] = None) -> str:
    """The report language: the one asked for, else the dossier's, else its classification's."""
    for candidate in (language, dossier.get("language"), (dossier.get("classification") or {}).get("language")):
        if candidate in ("ko", "en"):
            return candidate
    return "en"


def plans_of(dossier: dict) -> list[dict]:
    """The dossier's plans (a Plans result sent as it is works too)."""
    plans = dossier.get("plans") or []
    if isinstance(plans, dict):  # a Plans result {plans, total_plans, engine} sent as is
        plans = plans.get("plans") or []
    return [p for p in plans if isinstance(p, dict)]


def value(v: Any) -> str:
    """Any JSON value as short text ("—" for nothing; 11.0 reads as 11)."""
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return ", ".join(value(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {value(x)}" for k, x in v.items())
    return str(v)


def codes(market: dict) -> list[str]:
    """Product codes, regulation and item code of one market."""
    out = [f"FDA {code}" for code in market.get("product_codes") or
           ([market["product_code"]] if market.get("product_code") else [])]
    if market.get("regulation"):
        out.append(str(market["regulation"]))
    if market.get("item_code"):
        out.append(" ".join(str(x) for x in (market["item_code"], market.get("item_name")) if x))
    return out


def markets_of(classification: dict) -> list[tuple[str, dict]]:
    """(code, block) in the usual order US, EU, KR (a client may have sorted the keys), then any other."""
    markets = {k: v for k, v in (classification.get("markets") or {}).items() if isinstance(v, dict)}
    order = [k for k in MARKETS if k in markets] + [k for k in markets if k not in MARKETS]
    return [(k, markets[k]) for k in order]


def device_name(classification: dict, lang: str) -> str:
    """The matched device type in the report language."""
    device = classification.get("device") or {}
    if not device:
        return "—"
    if lang == "ko" and device.get("name_ko"):
        return str(device["name_ko"])
    return str(device.get("name") or device.get("id") or "—")


def decided_class(market: dict) -> tuple[Optional[str], bool]:
    """The class as decided, and whether it is only derived or tentative (KR grade, derived or tentative class)."""
    if market.get("class") is not None:
        return str(market["class"]), False
    for key in ("grade", "derived_class", "tentative_class"):
        if market.get(key) is not None and market.get("qualification") != "not_device":
            return str(market[key]), True
    return None, False


def market_facts(market: dict, lang: str) -> list[tuple[str, str]]:
    """The label/value rows of one market: class as decided, pathway, codes, rule trace."""
    L = {k: v[lang] for k, v in LABELS.items()}
    klass, tentative = decided_class(market)
    flags = []
    if market.get("needs_review"):
        flags.append(L["needs_review"])
    if market.get("verified") is False:
        flags.append(L["unverified"])
    if market.get("derived") or tentative:
        flags.append(L["derived"])
    rows = [(L["authority"], value(market.get("authority"))),
            (L["class"], ("—" if klass is None else klass) + (f" ({', '.join(flags)})" if flags else "")),
            (L["pathway"], value(market.get("pathway")))]
    if codes(market):
        rows.append((L["codes"], " · ".join(codes(market))))
    trace = list(market.get("rules") or []) + [str(c) for c in market.get("criteria") or []]
    if trace:
        rows.append((L["trace"], ", ".join(trace)))
    if market.get("rationale"):
        rows.append((L["rationale"], str(market["rationale"])))
    return rows


def qualification_rows(classification: dict, lang: str) -> list[tuple[str, str]]:
    """(label, text) rows of the qualification: overall, then each market with its reason and citations."""
    q = classification.get("qualification")
    if not isinstance(q, dict) or q.get("status") not in STATUSES:
        return []
    status = lambda s: LABELS.get(f"q_{s}", {}).get(lang, str(s))  # noqa: E731
    rows = [(LABELS["qualification"][lang], f"{status(q['status'])}: {value(q.get('reason'))}")]
    for code, m in (q.get("markets") or {}).items():
        if isinstance(m, dict):
            cites = "; ".join(map(str, m.get("citations") or []))
            rows.append((code, f"{status(m.get('status'))}: {value(m.get('reason'))}" + (f" ({cites})" if cites else "")))
    if q.get("question"):
        rows.append((LABELS["questions"][lang], str(q["question"])))
    return rows


def attribute_rows(classification: dict, lang: str) -> list[tuple[str, str, str]]:
    """(attribute, value, source) in words for every attribute the rules used."""
    sources = classification.get("attribute_sources") or {}
    return [(attribute_label(k, lang), value_label(k, v, lang), source_label(sources.get(k, "—"), lang))
            for k, v in (classification.get("attributes") or {}).items() if v is not None]


def question_rows(dossier: dict, classification: dict, lang: str) -> list[tuple[str, str]]:
    """(question, answer) for each answer given, then each open question with "not answered"."""
    remembered = {a.get("id"): a for a in dossier.get("answered") or [] if isinstance(a, dict)}
    rows: list[tuple[str, str]] = []
    for qid, given in (classification.get("answers") or {}).items():
        spec, seen = SPECS.get(qid), remembered.get(qid) or {}
        option = next((o for o in spec.options if o.value == given), None) if spec else None
        question = seen.get("text") or attribute_label(spec.attribute if spec and spec.attribute else qid, lang)
        answer = seen.get("label") or (tr(option.label, lang) if option else str(given))
        rows.append((str(question), str(answer)))
    rows += [(str(text), LABELS["open"][lang]) for text in classification.get("questions") or []]
    return rows


def standard_label(standard: dict) -> str:
    """"ISO 14971:2019" whether the edition repeats the id or gives only the year."""
    sid, edition = str(standard.get("id") or ""), str(standard.get("edition") or "")
    if not edition:
        return sid
    if edition.startswith(sid):
        return edition
    return f"{sid}:{edition}" if edition[:1].isdigit() else f"{sid} ({edition})"


def titles(plans: list[dict], ids: Any) -> str:
    """Plan titles for plan ids."""
    by_id = {p.get("id"): p.get("title") for p in plans}
    return ", ".join(str(by_id.get(i) or i) for i in ids or [])


def weeks_text(weeks: Any, lang: str) -> str:
    """"11주" in Korean, "11 weeks" in English."""
    if weeks is None:
        return "—"
    return tr(LABELS["n_weeks"], lang, n=value(weeks))


def when(now: datetime, local: Optional[tzinfo], lang: str) -> str:
    """"2026-12-07 11:20 UTC (local 2026-12-07 20:20 KST)"; local is the reader's zone if known, else the server's."""
    utc = now.astimezone(timezone.utc)
    there = now.astimezone(local) if local is not None else now.astimezone()
    zone = there.tzname() or there.strftime("%z")
    return f"{utc:%Y-%m-%d %H:%M} UTC ({LABELS['local'][lang]} {there:%Y-%m-%d %H:%M} {zone})"
