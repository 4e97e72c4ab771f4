"""A dossier (classification, purpose, plans, refinements) as Markdown or as a printable HTML report."""
from __future__ import annotations

import html
from typing import Any, Optional

LABELS: dict[str, dict[str, str]] = {
    "title": {"ko": "규제 검토 보고서", "en": "Regulatory dossier"},
    "concept": {"ko": "기기 개념", "en": "Device concept"},
    "context": {"ko": "추가 정보", "en": "Context"},
    "classification": {"ko": "분류", "en": "Classification"},
    "device": {"ko": "기기", "en": "Device"},
    "category": {"ko": "분류군", "en": "Category"},
    "confidence": {"ko": "신뢰도", "en": "Confidence"},
    "needs_review": {"ko": "검토 필요", "en": "Needs review"},
    "unverified": {"ko": "미검증", "en": "unverified"},
    "derived": {"ko": "기준으로 추정한 등급", "en": "derived from the criteria"},
    "market": {"ko": "시장", "en": "Market"},
    "authority": {"ko": "규제기관", "en": "Authority"},
    "class": {"ko": "등급", "en": "Class"},
    "pathway": {"ko": "인허가 경로", "en": "Pathway"},
    "codes": {"ko": "코드", "en": "Codes"},
    "rules": {"ko": "규칙", "en": "Rules"},
    "rationale": {"ko": "근거 설명", "en": "Rationale"},
    "citations": {"ko": "근거", "en": "Citations"},
    "questions": {"ko": "확인이 필요한 질문", "en": "Questions to settle"},
    "answers": {"ko": "답변", "en": "Answers given"},
    "purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "intended_purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "mechanism_of_action": {"ko": "작용 원리", "en": "Mechanism of action"},
    "target_population": {"ko": "대상 환자군", "en": "Target population"},
    "indications": {"ko": "적응증", "en": "Indications"},
    "contraindications": {"ko": "금기", "en": "Contraindications"},
    "intended_users": {"ko": "사용자", "en": "Intended users"},
    "use_environment": {"ko": "사용 환경", "en": "Use environment"},
    "key_components": {"ko": "주요 구성", "en": "Key components"},
    "plans": {"ko": "규격 계획", "en": "Standards plans"},
    "weeks": {"ko": "주", "en": "weeks"},
    "standards": {"ko": "규격", "en": "Standards"},
    "activities": {"ko": "활동", "en": "Activities"},
    "deliverable": {"ko": "산출물", "en": "Deliverable"},
    "depends_on": {"ko": "선행 계획", "en": "Depends on"},
    "markets": {"ko": "시장", "en": "Markets"},
    "refinements": {"ko": "계획 수정 이력", "en": "Refinements"},
    "feedback": {"ko": "수정 요청", "en": "Feedback"},
    "change": {"ko": "변경", "en": "Change"},
    "before": {"ko": "변경 전", "en": "Before"},
    "after": {"ko": "변경 후", "en": "After"},
    "reason": {"ko": "이유", "en": "Reason"},
    "not_applied": {"ko": "반영하지 못한 요청", "en": "Not applied"},
    "engine": {"ko": "엔진", "en": "Engine"},
    "none": {"ko": "없음", "en": "none"},
    "qualification": {"ko": "의료기기 해당 여부", "en": "Is it a medical device?"},
    "q_device": {"ko": "의료기기", "en": "medical device"},
    "q_not_device": {"ko": "의료기기 아님", "en": "not a medical device"},
    "q_needs_review": {"ko": "판단 보류 (검토 필요)", "en": "needs review"},
    "disclaimer": {
        "ko": "이 보고서는 의사결정을 돕기 위한 초안입니다. 제출 전 규제 전문가가 근거 조문과 등급을 확인해야 합니다.",
        "en": "This report is a draft to support decisions. A regulatory professional must check the cited provisions and classes before any submission.",
    },
}

PURPOSE_FIELDS = ("intended_purpose", "mechanism_of_action", "target_population", "indications",
                  "contraindications", "intended_users", "use_environment", "key_components")


def dossier_language(dossier: dict, language: Optional[str] = None) -> str:
    """The report language: the one asked for, else the dossier's, else its classification's."""
    for candidate in (language, dossier.get("language"), (dossier.get("classification") or {}).get("language")):
        if candidate in ("ko", "en"):
            return candidate
    return "en"


def _plans(dossier: dict) -> list[dict]:
    plans = dossier.get("plans") or []
    if isinstance(plans, dict):  # a Plans result {plans, total_plans, engine} sent as is
        plans = plans.get("plans") or []
    return [p for p in plans if isinstance(p, dict)]


def _codes(market: dict) -> list[str]:
    codes = [f"FDA {code}" for code in market.get("product_codes") or
             ([market["product_code"]] if market.get("product_code") else [])]
    if market.get("regulation"):
        codes.append(str(market["regulation"]))
    if market.get("item_code"):
        codes.append(" ".join(str(x) for x in (market["item_code"], market.get("item_name")) if x))
    return codes


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 11.0 weeks reads as 11
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def _device_name(classification: dict, lang: str) -> str:
    device = classification.get("device") or {}
    if not device:
        return "—"
    if lang == "ko" and device.get("name_ko"):
        return str(device["name_ko"])
    return str(device.get("name") or device.get("id") or "—")


def _market_facts(market: dict, lang: str) -> list[tuple[str, str]]:
    """The label/value rows of one market, shared by both formats."""
    klass = market.get("class")
    flags = []
    if market.get("needs_review"):
        flags.append(LABELS["needs_review"][lang])
    if market.get("verified") is False:
        flags.append(LABELS["unverified"][lang])
    if market.get("derived"):
        flags.append(LABELS["derived"][lang])
    rows = [(LABELS["authority"][lang], _value(market.get("authority"))),
            (LABELS["class"][lang], ("—" if klass is None else str(klass)) + (f" ({', '.join(flags)})" if flags else "")),
            (LABELS["pathway"][lang], _value(market.get("pathway")))]
    if _codes(market):
        rows.append((LABELS["codes"][lang], " · ".join(_codes(market))))
    if market.get("rules"):
        rows.append((LABELS["rules"][lang], _value(market["rules"])))
    if market.get("rationale"):
        rows.append((LABELS["rationale"][lang], str(market["rationale"])))
    return rows


def qualification_rows(classification: dict, lang: str) -> list[tuple[str, str]]:
    """(label, text) rows of the qualification: overall, then each market with its reason and citations."""
    q = classification.get("qualification")
    if not isinstance(q, dict) or q.get("status") not in ("device", "not_device", "needs_review"):
        return []
    status = lambda s: LABELS.get(f"q_{s}", {}).get(lang, str(s))  # noqa: E731
    rows = [(LABELS["qualification"][lang], f"{status(q['status'])}: {_value(q.get('reason'))}")]
    for code, m in (q.get("markets") or {}).items():
        if isinstance(m, dict):
            cites = "; ".join(map(str, m.get("citations") or []))
            rows.append((code, f"{status(m.get('status'))}: {_value(m.get('reason'))}" + (f" ({cites})" if cites else "")))
    if q.get("question"):
        rows.append((LABELS["questions"][lang], str(q["question"])))
    return rows


def standard_label(standard: dict) -> str:
    """"ISO 14971:2019" whether the edition repeats the id or gives only the year."""
    sid, edition = str(standard.get("id") or ""), str(standard.get("edition") or "")
    if not edition:
        return sid
    if edition.startswith(sid):
        return edition
    return f"{sid}:{edition}" if edition[:1].isdigit() else f"{sid} ({edition})"


def _titles(plans: list[dict], ids: Any) -> str:
    titles = {p.get("id"): p.get("title") for p in plans}
    return ", ".join(str(titles.get(i) or i) for i in ids or [])


def weeks_text(weeks: Any, lang: str) -> str:
    """"11주" in Korean, "11 weeks" in English."""
    if weeks is None:
        return "—"
    value = _value(weeks)
    return f"{value}주" if lang == "ko" else f"{value} weeks"


def _md_cell(text: Any) -> str:
    # A pipe would end the table cell; a line break would end the row.
    return _value(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(dossier: dict, language: Optional[str] = None) -> str:
    """The dossier as a Markdown document."""
    lang = dossier_language(dossier, language)
    L = {k: v[lang] for k, v in LABELS.items()}
    c = dossier.get("classification") or {}
    concept = dossier.get("concept") or c.get("concept") or ""
    out = [f"# {L['title']}: {concept}", "", f"> {L['disclaimer']}", ""]
    if dossier.get("context"):
        out += [f"**{L['context']}:** {dossier['context']}", ""]
    if c:
        out += [f"## {L['classification']}", "",
                f"- **{L['device']}:** {_device_name(c, lang)}",
                f"- **{L['category']}:** {_value((c.get('category') or {}).get('label') or (c.get('category') or {}).get('code'))}",
                f"- **{L['confidence']}:** {round(float(c.get('confidence') or 0) * 100)}%"
                + (f" ({L['needs_review']})" if c.get("needs_review") else ""),
                f"- **{L['engine']}:** {_value(c.get('engine'))}", ""]
        rows = qualification_rows(c, lang)
        if rows:
            out += [f"### {L['qualification']}", ""] + [f"- **{_md_cell(k)}:** {_md_cell(v)}" for k, v in rows] + [""]
        for code, market in (c.get("markets") or {}).items():
            out += [f"### {code}", "", f"| {L['market']} | {code} |", "|---|---|"]
            out += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in _market_facts(market, lang)]
            out.append("")
            if market.get("citations"):
                out += [f"**{L['citations']}:**", ""] + [f"- {x}" for x in market["citations"]] + [""]
        if c.get("questions"):
            out += [f"### {L['questions']}", ""] + [f"- {q}" for q in c["questions"]] + [""]
    p = dossier.get("purpose") or {}
    if p:
        out += [f"## {L['purpose']}", ""]
        for key in PURPOSE_FIELDS:
            if key not in p:
                continue
            if isinstance(p[key], list):
                out += [f"**{L[key]}:**", ""] + [f"- {x}" for x in p[key]] + [""]
            else:
                out += [f"**{L[key]}:** {p[key]}", ""]
    plans = _plans(dossier)
    if plans:
        out += [f"## {L['plans']}", ""]
        for plan in plans:
            out += [f"### {plan.get('title', plan.get('id'))} ({weeks_text(plan.get('estimated_weeks'), lang)})", ""]
            if plan.get("markets"):
                out.append(f"- **{L['markets']}:** {_value(plan['markets'])}")
            if plan.get("depends_on"):
                out.append(f"- **{L['depends_on']}:** {_titles(plans, plan['depends_on'])}")
            if plan.get("rationale"):
                out.append(f"- **{L['rationale']}:** {plan['rationale']}")
            out += ["", f"**{L['standards']}:**", ""]
            for s in plan.get("standards") or []:
                why = f" — {s['why']}" if s.get("why") else ""
                out.append(f"- **{standard_label(s)}** {s.get('title', '')}{why}")
            out += ["", f"| {L['activities']} | {L['deliverable']} | {L['weeks']} |", "|---|---|---:|"]
            out += [f"| {_md_cell(a.get('name'))} | {_md_cell(a.get('deliverable'))} | {_md_cell(a.get('weeks'))} |"
                    for a in plan.get("activities") or []]
            out.append("")
    refinements = dossier.get("refinements") or []
    if refinements:
        out += [f"## {L['refinements']}", ""]
        for i, r in enumerate(refinements, 1):
            out += [f"### {i}. {_titles(plans, [r['plan_id']]) if r.get('plan_id') else L['plans']}", "",
                    f"**{L['feedback']}:** {r.get('feedback', '')}", ""]
            changes = r.get("changes") or []
            if changes:
                out += [f"| {L['change']} | {L['before']} | {L['after']} | {L['reason']} |", "|---|---|---|---|"]
                out += [f"| `{_md_cell(ch.get('path'))}` | {_md_cell(ch.get('before'))} | {_md_cell(ch.get('after'))} | "
                        f"{_md_cell(ch.get('reason'))} |" for ch in changes]
            else:
                out.append(f"_{L['none']}_")
            out.append("")
            for n in r.get("not_applied") or []:
                out.append(f"- {L['not_applied']}: {n.get('text')} — {n.get('reason')}")
    return "\n".join(out).rstrip() + "\n"


def _e(value: Any) -> str:
    return html.escape(_value(value), quote=True)


def _html_list(items: Any) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items or []) + "</ul>"


_CSS = """
body{font-family:system-ui,"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1b1f24;
max-width:960px;margin:24px auto;padding:0 24px;line-height:1.5}
h1{color:#0b5cad;margin-bottom:4px}h2{border-bottom:2px solid #0b5cad;padding-bottom:2px;margin-top:28px}
h3{margin:18px 0 6px}table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.94rem}
th,td{border:1px solid #c9cfd8;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef2f7}
td.num{text-align:right}table.kv th{width:11em}td ul{margin:0;padding-left:1.2em}.note{background:#fff4d6;color:#6b4b00;padding:8px 12px;border-radius:6px}
.plan{break-inside:avoid;border-left:4px solid #2f6fb3;padding-left:12px;margin:14px 0}
del{color:#b3261e}ins{color:#1f7a3a;text-decoration:none;font-weight:600}
@media print{body{margin:0;max-width:none}a{color:inherit}h2{break-after:avoid}}
"""


def to_html(dossier: dict, language: Optional[str] = None) -> str:
    """The dossier as one self-contained, printable HTML page (no scripts, no external assets)."""
    lang = dossier_language(dossier, language)
    L = {k: v[lang] for k, v in LABELS.items()}
    c = dossier.get("classification") or {}
    concept = dossier.get("concept") or c.get("concept") or ""
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{_e(L['title'])}: {_e(concept)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{_e(L['title'])}</h1><p><strong>{_e(L['concept'])}:</strong> {_e(concept)}</p>",
           f'<p class="note">{_e(L["disclaimer"])}</p>']
    if dossier.get("context"):
        out.append(f"<p><strong>{_e(L['context'])}:</strong> {_e(dossier['context'])}</p>")
    if c:
        category = (c.get("category") or {}).get("label") or (c.get("category") or {}).get("code")
        review = f" ({_e(L['needs_review'])})" if c.get("needs_review") else ""
        out += [f"<h2>{_e(L['classification'])}</h2><table class=\"kv\">",
                f"<tr><th>{_e(L['device'])}</th><td>{_e(_device_name(c, lang))}</td></tr>",
                f"<tr><th>{_e(L['category'])}</th><td>{_e(category)}</td></tr>",
                f"<tr><th>{_e(L['confidence'])}</th><td>{round(float(c.get('confidence') or 0) * 100)}%{review}</td></tr>",
                f"<tr><th>{_e(L['engine'])}</th><td>{_e(c.get('engine'))}</td></tr></table>"]
        rows = qualification_rows(c, lang)
        if rows:
            out.append(f"<h3>{_e(L['qualification'])}</h3><table class=\"kv\">")
            out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows] + ["</table>"]
        for code, market in (c.get("markets") or {}).items():
            out.append(f'<h3>{_e(code)}</h3><table class="kv">')
            out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in _market_facts(market, lang)]
            if market.get("citations"):
                out.append(f"<tr><th>{_e(L['citations'])}</th><td>{_html_list(market['citations'])}</td></tr>")
            out.append("</table>")
        if c.get("questions"):
            out.append(f"<h3>{_e(L['questions'])}</h3>{_html_list(c['questions'])}")
    p = dossier.get("purpose") or {}
    if p:
        out.append(f'<h2>{_e(L["purpose"])}</h2><table class="kv">')
        for key in PURPOSE_FIELDS:
            if key in p:
                cell = _html_list(p[key]) if isinstance(p[key], list) else _e(p[key])
                out.append(f"<tr><th>{_e(L[key])}</th><td>{cell}</td></tr>")
        out.append("</table>")
    plans = _plans(dossier)
    if plans:
        out.append(f"<h2>{_e(L['plans'])}</h2>")
        for plan in plans:
            out.append(f'<section class="plan"><h3>{_e(plan.get("title", plan.get("id")))} '
                       f"({_e(weeks_text(plan.get('estimated_weeks'), lang))})</h3>")
            for key in ("markets", "depends_on", "rationale"):
                if plan.get(key):
                    value = _titles(plans, plan[key]) if key == "depends_on" else plan[key]
                    out.append(f"<p><strong>{_e(L[key])}:</strong> {_e(value)}</p>")
            out.append(f"<h4>{_e(L['standards'])}</h4><ul>")
            for s in plan.get("standards") or []:
                why = f" — {_e(s['why'])}" if s.get("why") else ""
                out.append(f"<li><strong>{_e(standard_label(s))}</strong> {_e(s.get('title', ''))}{why}</li>")
            out.append(f"</ul><table><tr><th>{_e(L['activities'])}</th><th>{_e(L['deliverable'])}</th>"
                       f"<th>{_e(L['weeks'])}</th></tr>")
            out += [f"<tr><td>{_e(a.get('name'))}</td><td>{_e(a.get('deliverable'))}</td>"
                    f'<td class="num">{_e(a.get("weeks"))}</td></tr>' for a in plan.get("activities") or []]
            out.append("</table></section>")
    refinements = dossier.get("refinements") or []
    if refinements:
        out.append(f"<h2>{_e(L['refinements'])}</h2>")
        for i, r in enumerate(refinements, 1):
            heading = _titles(plans, [r["plan_id"]]) if r.get("plan_id") else L["plans"]
            out.append(f"<h3>{i}. {_e(heading)}</h3>"
                       f"<p><strong>{_e(L['feedback'])}:</strong> {_e(r.get('feedback', ''))}</p>")
            changes = r.get("changes") or []
            if changes:
                out.append(f"<table><tr><th>{_e(L['change'])}</th><th>{_e(L['before'])}</th>"
                           f"<th>{_e(L['after'])}</th><th>{_e(L['reason'])}</th></tr>")
                out += [f"<tr><td><code>{_e(ch.get('path'))}</code></td><td><del>{_e(ch.get('before'))}</del></td>"
                        f"<td><ins>{_e(ch.get('after'))}</ins></td><td>{_e(ch.get('reason'))}</td></tr>" for ch in changes]
                out.append("</table>")
            else:
                out.append(f"<p><em>{_e(L['none'])}</em></p>")
            for n in r.get("not_applied") or []:
                out.append(f"<p>{_e(L['not_applied'])}: {_e(n.get('text'))} — {_e(n.get('reason'))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
