"""The plans as a Gantt chart in inline SVG for the printable memo (no script, no external asset):
each plan starts when the plans it depends on end, as in the web app's timeline."""
from __future__ import annotations

import html
from dataclasses import dataclass

from medreg.export.labels import LABELS
from medreg.knowledge.plans.schedule import plan_weeks
from medreg.language import tr

ROW, LABEL_W, CHART_W, TOP = 22, 230, 520, 28
WIDE = ("\u1100", "\u11ff"), ("\u3000", "\u9fff"), ("\uac00", "\ud7a3"), ("\uff00", "\uffef")


@dataclass(frozen=True)
class Bar:
    """One plan on the chart."""

    id: str
    title: str
    start: float
    end: float


def schedule(plans: list[dict]) -> list[Bar]:
    """Start and end week of every plan from its weeks and `depends_on` (unknown and circular dependencies ignored)."""
    by_id = {p.get("id"): p for p in plans if p.get("id")}
    done: dict[str, Bar] = {}

    def place(plan_id: str, trail: tuple) -> Bar:
        if plan_id in done:
            return done[plan_id]
        plan, start = by_id[plan_id], 0.0
        for dep in plan.get("depends_on") or []:
            if dep in by_id and dep != plan_id and dep not in trail:
                start = max(start, place(dep, trail + (plan_id,)).end)
        done[plan_id] = Bar(plan_id, str(plan.get("title") or plan_id), start, start + max(plan_weeks(plan), 0.5))
        return done[plan_id]

    return [place(pid, ()) for pid in by_id]


def _fit(text: str, units: int) -> str:
    """Cut a label to about `units` half-width characters (Hangul counts two)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if any(lo <= ch <= hi for lo, hi in WIDE) else 1
        if used > units:
            return text[:i].rstrip() + "…"
    return text


def _step(total: float) -> int:
    return next((s for s in (1, 2, 4, 8, 12, 26, 52) if total / s <= 12), 104)


def timeline_svg(plans: list[dict], lang: str) -> str:
    """An accessible <svg> Gantt of the plans with a week axis ("" when there are no plans)."""
    bars = schedule(plans)
    if not bars:
        return ""
    total = max(b.end for b in bars)
    scale = CHART_W / total
    height = TOP + ROW * len(bars) + 8
    unit = tr(LABELS["week_unit"], lang)
    summary = tr(LABELS["timeline_summary"], lang, plans=len(bars), total=total)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="timeline" width="{LABEL_W + CHART_W + 20}" '
           f'height="{height}" viewBox="0 0 {LABEL_W + CHART_W + 20} {height}"><title>{html.escape(summary)}</title>']
    step = _step(total)
    for week in range(0, int(total) + 1, step):
        x = LABEL_W + week * scale
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 4}" stroke="#d5dbe3"/>'
                   f'<text x="{x:.1f}" y="{TOP - 10}" font-size="10" text-anchor="middle" fill="#555">{week}{unit}</text>')
    for row, bar in enumerate(bars):
        y = TOP + row * ROW
        x, w = LABEL_W + bar.start * scale, max(2.0, (bar.end - bar.start) * scale)
        weeks = f"{bar.end - bar.start:g}"
        out.append(f'<text x="4" y="{y + 14}" font-size="11">{html.escape(_fit(bar.title, 36))}</text>'
                   f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" rx="3" fill="#2f6fb3">'
                   f'<title>{html.escape(bar.title)}: {bar.start:g}–{bar.end:g} {unit}</title></rect>'
                   f'<text x="{x + w + 4:.1f}" y="{y + 14}" font-size="10" fill="#333">{weeks}{unit}</text>')
    out.append("</svg>")
    return "".join(out)
