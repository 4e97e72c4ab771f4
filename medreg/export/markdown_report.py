"""The memo as Markdown."""
from __future__ import annotations

from typing import Any, Optional

from medreg.export.changes import refinement_groups
from medreg.export.facts import (attribute_rows, markets_of, device_name, market_facts, plans_of,
                                 qualification_rows, question_rows, standard_label, titles, value, weeks_text, when)
from medreg.export.labels import PURPOSE_FIELDS
from medreg.export.provenance import Provenance, memo, not_verified
from medreg.export.timeline import schedule


def _cell(text: Any) -> str:
    # A pipe would end the table cell; a line break would end the row.
    return value(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _header(meta: Provenance, lang: str, L: dict) -> list[str]:
    rows = [(L["date"], when(meta.now, meta.local, lang)), (L["version"], meta.version or "—"),
            (L["engine"], ", ".join(meta.engines) or "—"), (L["model"], ", ".join(meta.models) or "—"),
            (L["kb"], meta.kb_version)]
    rows += [(f"{L['lists']}: {name}", date) for name, date in meta.lists]
    return [f"## {L['memo']}", ""] + [f"- **{_cell(k)}:** {_cell(v)}" for k, v in rows] + [""]


def _classification(dossier: dict, c: dict, lang: str, L: dict) -> list[str]:
    out = [f"## {L['classification']}", "",
           f"- **{L['device']}:** {device_name(c, lang)}",
           f"- **{L['category']}:** {value((c.get('category') or {}).get('label') or (c.get('category') or {}).get('code'))}",
           f"- **{L['confidence']}:** {round(float(c.get('confidence') or 0) * 100)}%"
           + (f" ({L['needs_review']})" if c.get("needs_review") else ""),
           f"- **{L['engine']}:** {value(c.get('engine'))}", ""]
    rows = qualification_rows(c, lang)
    if rows:
        out += [f"### {L['qualification']}", ""] + [f"- **{_cell(k)}:** {_cell(v)}" for k, v in rows] + [""]
    for code, market in markets_of(c):
        out += [f"### {code}", "", f"| {L['market']} | {code} |", "|---|---|"]
        out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in market_facts(market, lang)] + [""]
        if market.get("citations"):
            out += [f"**{L['citations']}:**", ""] + [f"- {x}" for x in market["citations"]] + [""]
    questions = question_rows(dossier, c, lang)
    if questions:
        out += [f"### {L['questions']}", "", f"| {L['question']} | {L['answer']} |", "|---|---|"]
        out += [f"| {_cell(q)} | {_cell(a)} |" for q, a in questions] + [""]
    attrs = attribute_rows(c, lang)
    if attrs:
        out += [f"### {L['attributes']}", "", f"| {L['attribute']} | {L['value']} | {L['source']} |", "|---|---|---|"]
        out += [f"| {_cell(a)} | {_cell(v)} | {_cell(s)} |" for a, v, s in attrs] + [""]
    return out


def _plans(plans: list[dict], lang: str, L: dict) -> list[str]:
    out = [f"## {L['plans']}", ""]
    for plan in plans:
        out += [f"### {plan.get('title', plan.get('id'))} ({weeks_text(plan.get('estimated_weeks'), lang)})", ""]
        if plan.get("markets"):
            out.append(f"- **{L['markets']}:** {value(plan['markets'])}")
        if plan.get("depends_on"):
            out.append(f"- **{L['depends_on']}:** {titles(plans, plan['depends_on'])}")
        if plan.get("rationale"):
            out.append(f"- **{L['rationale']}:** {plan['rationale']}")
        out += ["", f"**{L['standards']}:**", ""]
        for s in plan.get("standards") or []:
            why = f" — {s['why']}" if s.get("why") else ""
            out.append(f"- **{standard_label(s)}** {s.get('title', '')}{why}")
        out += ["", f"| {L['activities']} | {L['deliverable']} | {L['weeks']} |", "|---|---|---:|"]
        out += [f"| {_cell(a.get('name'))} | {_cell(a.get('deliverable'))} | {_cell(a.get('weeks'))} |"
                for a in plan.get("activities") or []] + [""]
    bars = schedule(plans)
    out += [f"### {L['timeline']}", "", f"| {L['plans']} | {L['weeks']} |", "|---|---|"]
    out += [f"| {_cell(b.title)} | {b.start:g}–{b.end:g} |" for b in bars] + [""]
    return out


def _refinements(dossier: dict, plans: list[dict], lang: str, L: dict) -> list[str]:
    out = [f"## {L['refinements']}", ""]
    for i, r in enumerate(dossier.get("refinements") or [], 1):
        heading = titles(plans, [r["plan_id"]]) if r.get("plan_id") else L["plans"]
        out += [f"### {i}. {heading}", "", f"**{L['feedback']}:** {r.get('feedback', '')}", ""]
        groups = refinement_groups(r, plans, lang)
        for title, texts in groups:
            out += [f"- **{title}**"] + [f"  - {t}" for t in texts]
        out += [""] if groups else [f"_{L['none']}_", ""]
        out += [f"- {L['not_applied']}: {n.get('text')} — {n.get('reason')}" for n in r.get("not_applied") or []]
        out.append("")
    return out


def to_markdown(dossier: dict, language: Optional[str] = None, meta: Optional[Provenance] = None) -> str:
    """The dossier as a Markdown memo."""
    frame = memo(dossier, language, meta)
    lang, L, meta, c, concept = frame.lang, frame.labels, frame.meta, frame.classification, frame.concept
    out = [f"# {L['title']}: {concept}", "", f"**{L['concept']}:** {concept}", ""]
    if dossier.get("context"):
        out += [f"**{L['context']}:** {dossier['context']}", ""]
    out += _header(meta, lang, L)
    if c:
        out += _classification(dossier, c, lang, L)
    p = dossier.get("purpose") or {}
    if p:
        out += [f"## {L['purpose']}", ""]
        for key in (k for k in PURPOSE_FIELDS if k in p):
            if isinstance(p[key], list):
                out += [f"**{L[key]}:**", ""] + [f"- {x}" for x in p[key]] + [""]
            else:
                out += [f"**{L[key]}:** {p[key]}", ""]
    plans = plans_of(dossier)
    if plans:
        out += _plans(plans, lang, L)
    if dossier.get("refinements"):
        out += _refinements(dossier, plans, lang, L)
    out += [f"## {L['unverified_head']}", "", f"> {L['disclaimer']}", ""]
    out += [f"- {x}" for x in not_verified(dossier, lang)] or [L["all_verified"]]
    return "\n".join(out).rstrip() + "\n"
