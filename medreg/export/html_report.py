"""The memo as one self-contained, printable HTML page (no scripts, no external assets; timeline as inline SVG)."""
from __future__ import annotations

import html
from typing import Any, Optional

from medreg.export.changes import refinement_groups
from medreg.export.facts import (attribute_rows, markets_of, device_name, market_facts, plans_of,
                                 qualification_rows, question_rows, standard_label, titles, value, weeks_text, when)
from medreg.export.labels import PURPOSE_FIELDS
from medreg.export.provenance import Provenance, memo, not_verified
from medreg.export.timeline import timeline_svg

CSS = """
body{font-family:system-ui,"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1b1f24;
max-width:960px;margin:24px auto;padding:0 24px;line-height:1.5}
h1{color:#0b5cad;margin-bottom:4px}h2{border-bottom:2px solid #0b5cad;padding-bottom:2px;margin-top:28px}
h3{margin:18px 0 6px}table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.94rem}
th,td{border:1px solid #c9cfd8;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef2f7}
td.num{text-align:right}table.kv th{width:11em}td ul{margin:0;padding-left:1.2em}.note{background:#fff4d6;color:#6b4b00;padding:8px 12px;border-radius:6px}
.plan{break-inside:avoid;border-left:4px solid #2f6fb3;padding-left:12px;margin:14px 0}svg.timeline{max-width:100%;height:auto}
del{color:#b3261e}ins{color:#1f7a3a;text-decoration:none;font-weight:600}
@media print{body{margin:0;max-width:none}a{color:inherit}h2{break-after:avoid}}
"""


def _e(v: Any) -> str:
    return html.escape(value(v), quote=True)


def _list(items: Any) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items or []) + "</ul>"


def _rows(rows: list[tuple[str, Any]]) -> str:
    return "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)


def _kv(rows: list[tuple[str, Any]]) -> str:
    return f'<table class="kv">{_rows(rows)}</table>'



def _table(head: list[str], rows: list[tuple]) -> str:
    return ("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table>")


def _header(meta: Provenance, lang: str, L: dict) -> str:
    rows = [(L["date"], when(meta.now, meta.local, lang)), (L["version"], meta.version or "—"),
            (L["engine"], ", ".join(meta.engines) or "—"), (L["model"], ", ".join(meta.models) or "—"),
            (L["kb"], meta.kb_version)] + [(f"{L['lists']}: {name}", date) for name, date in meta.lists]
    return f"<h2>{_e(L['memo'])}</h2>{_kv(rows)}"


def _classification(dossier: dict, c: dict, lang: str, L: dict) -> list[str]:
    category = (c.get("category") or {}).get("label") or (c.get("category") or {}).get("code")
    review = f" ({L['needs_review']})" if c.get("needs_review") else ""
    out = [f"<h2>{_e(L['classification'])}</h2>",
           _kv([(L["device"], device_name(c, lang)), (L["category"], category),
                (L["confidence"], f"{round(float(c.get('confidence') or 0) * 100)}%{review}"), (L["engine"], c.get("engine"))])]
    rows = qualification_rows(c, lang)
    if rows:
        out.append(f"<h3>{_e(L['qualification'])}</h3>{_kv(rows)}")
    for code, market in markets_of(c):
        cites = (f"<tr><th>{_e(L['citations'])}</th><td>{_list(market['citations'])}</td></tr>"
                 if market.get("citations") else "")
        out.append(f'<h3>{_e(code)}</h3><table class="kv">{_rows(market_facts(market, lang))}{cites}</table>')
    questions = question_rows(dossier, c, lang)
    if questions:
        out.append(f"<h3>{_e(L['questions'])}</h3>{_table([L['question'], L['answer']], questions)}")
    attrs = attribute_rows(c, lang)
    if attrs:
        out.append(f"<h3>{_e(L['attributes'])}</h3>{_table([L['attribute'], L['value'], L['source']], attrs)}")
    return out


def _plans(plans: list[dict], lang: str, L: dict) -> list[str]:
    out = [f"<h2>{_e(L['plans'])}</h2>"]
    for plan in plans:
        out.append(f'<section class="plan"><h3>{_e(plan.get("title", plan.get("id")))} '
                   f"({_e(weeks_text(plan.get('estimated_weeks'), lang))})</h3>")
        for key in ("markets", "depends_on", "rationale"):
            if plan.get(key):
                shown = titles(plans, plan[key]) if key == "depends_on" else plan[key]
                out.append(f"<p><strong>{_e(L[key])}:</strong> {_e(shown)}</p>")
        out.append(f"<h4>{_e(L['standards'])}</h4><ul>")
        for s in plan.get("standards") or []:
            why = f" — {_e(s['why'])}" if s.get("why") else ""
            out.append(f"<li><strong>{_e(standard_label(s))}</strong> {_e(s.get('title', ''))}{why}</li>")
        out.append(f"</ul><table><tr><th>{_e(L['activities'])}</th><th>{_e(L['deliverable'])}</th>"
                   f"<th>{_e(L['weeks'])}</th></tr>")
        out += [f"<tr><td>{_e(a.get('name'))}</td><td>{_e(a.get('deliverable'))}</td>"
                f'<td class="num">{_e(a.get("weeks"))}</td></tr>' for a in plan.get("activities") or []]
        out.append("</table></section>")
    out.append(f"<h3>{_e(L['timeline'])}</h3>{timeline_svg(plans, lang)}")
    return out


def _refinements(dossier: dict, plans: list[dict], lang: str, L: dict) -> list[str]:
    out = [f"<h2>{_e(L['refinements'])}</h2>"]
    for i, r in enumerate(dossier.get("refinements") or [], 1):
        heading = titles(plans, [r["plan_id"]]) if r.get("plan_id") else L["plans"]
        out.append(f"<h3>{i}. {_e(heading)}</h3><p><strong>{_e(L['feedback'])}:</strong> {_e(r.get('feedback', ''))}</p>")
        groups = refinement_groups(r, plans, lang)
        out.append("<ul>" + "".join(f"<li><strong>{_e(t)}</strong>{_list(texts)}</li>" for t, texts in groups) + "</ul>"
                   if groups else f"<p><em>{_e(L['none'])}</em></p>")
        out += [f"<p>{_e(L['not_applied'])}: {_e(n.get('text'))} — {_e(n.get('reason'))}</p>"
                for n in r.get("not_applied") or []]
    return out


def to_html(dossier: dict, language: Optional[str] = None, meta: Optional[Provenance] = None) -> str:
    """The dossier as a printable HTML memo."""
    frame = memo(dossier, language, meta)
    lang, L, meta, c, concept = frame.lang, frame.labels, frame.meta, frame.classification, frame.concept
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{_e(L['title'])}: {_e(concept)}</title><style>{CSS}</style></head><body>",
           f"<h1>{_e(L['title'])}</h1><p><strong>{_e(L['concept'])}:</strong> {_e(concept)}</p>"]
    if dossier.get("context"):
        out.append(f"<p><strong>{_e(L['context'])}:</strong> {_e(dossier['context'])}</p>")
    out.append(_header(meta, lang, L))
    if c:
        out += _classification(dossier, c, lang, L)
    p = dossier.get("purpose") or {}
    if p:
        out.append(f'<h2>{_e(L["purpose"])}</h2><table class="kv">')
        out += [f"<tr><th>{_e(L[k])}</th><td>{_list(p[k]) if isinstance(p[k], list) else _e(p[k])}</td></tr>"
                for k in PURPOSE_FIELDS if k in p]
        out.append("</table>")
    plans = plans_of(dossier)
    if plans:
        out += _plans(plans, lang, L)
    if dossier.get("refinements"):
        out += _refinements(dossier, plans, lang, L)
    items = not_verified(dossier, lang)
    out.append(f"<h2>{_e(L['unverified_head'])}</h2><p class=\"note\">{_e(L['disclaimer'])}</p>"
               + (_list(items) if items else f"<p>{_e(L['all_verified'])}</p>"))
    out.append("</body></html>")
    return "".join(out)
