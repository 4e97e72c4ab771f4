"""What the `medreg` command prints: live progress on stderr, readable results on stdout."""
from __future__ import annotations

import shutil
from typing import Any, TextIO

import click

from medreg.export import LABELS, PURPOSE_FIELDS, qualification_rows, standard_label, weeks_text
from medreg.export.changes import grouped
from medreg.export.facts import decided_class


class Progress:
    """Status lines as a redrawn bar on a terminal, or one line per event when piped."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._drawn = False

    def _clear(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\r\033[K")
            self._drawn = False

    def step(self, title: str) -> None:
        """A step starts."""
        if self.enabled:
            self._clear()
            self.stream.write(f"▶ {title}\n")
            self.stream.flush()

    def status(self, message: str, progress: Any = None) -> None:
        """A status event: redraw the bar (terminal) or print the message (pipe)."""
        if not self.enabled:
            return
        pct = f"{round(float(progress) * 100):3d}%" if isinstance(progress, (int, float)) else "   "
        if self.tty:
            width = max(10, min(30, shutil.get_terminal_size((80, 20)).columns - 50))
            filled = int(width * float(progress)) if isinstance(progress, (int, float)) else 0
            line = f"  [{'#' * filled}{'.' * (width - filled)}] {pct} {message}"
            self.stream.write("\r\033[K" + line[: shutil.get_terminal_size((80, 20)).columns - 1])
            self._drawn = True
        else:
            self.stream.write(f"  {pct} {message}\n")
        self.stream.flush()

    def plan(self, index: int, total: int, title: str) -> None:
        """A plan arrived."""
        if self.enabled:
            self._clear()
            self.stream.write(f"  ✓ [{index}/{total}] {title}\n")
            self.stream.flush()

    def finish(self) -> None:
        """The step ended: leave the terminal on a clean line."""
        self._clear()
        self.stream.flush()


def _h(text: str, colour: bool, fg: str = "cyan") -> str:
    """A heading, bold and coloured when colour is on (a terminal without NO_COLOR)."""
    return click.style(text, fg=fg, bold=True) if colour else text


def _answer_hint(detail: dict) -> str:
    return f"--answer {detail['id']}={'|'.join(o['value'] for o in detail['options'])}"


def _v(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_v(x) for x in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _codes(market: dict) -> str:
    codes = list(market.get("product_codes") or ([market["product_code"]] if market.get("product_code") else []))
    for key in ("regulation", "item_code"):
        if market.get(key):
            codes.append(str(market[key]))
    codes += list(market.get("rules") or [])
    return " · ".join(codes)


def format_classification(c: dict, lang: str, colour: bool = False) -> str:
    """Per market: class, pathway, codes and rules; then confidence and questions."""
    L = {k: v[lang] for k, v in LABELS.items()}
    device = c.get("device") or {}
    name = (device.get("name_ko") if lang == "ko" else None) or device.get("name") or "—"
    category = (c.get("category") or {}).get("label") or (c.get("category") or {}).get("code")
    out = [f"{_h(L['classification'], colour)}: {c.get('concept', '')} → {name} ({_v(category)})",
           f"  {L['confidence']}: {round(float(c.get('confidence') or 0) * 100)}%"
           + (f"  [{L['needs_review']}]" if c.get("needs_review") else "") + f"   {L['engine']}: {_v(c.get('engine'))}"]
    for label, text in qualification_rows(c, lang):
        out.append(f"  {label}: {text}")
    for code, m in (c.get("markets") or {}).items():
        klass, tentative = decided_class(m)   # a derived grade is shown too, flagged
        flags = " [" + L["needs_review"] + "]" if m.get("needs_review") else ""
        flags += " [" + L["unverified"] + "]" if m.get("verified") is False else ""
        flags += " [" + L["derived"] + "]" if tentative or m.get("derived") else ""
        out.append(f"  {_h(f'{code:<3}', colour, 'yellow')} {_v(m.get('authority')):<16} {L['class']} {_v(klass):<4} "
                   f"{L['pathway']}: {_v(m.get('pathway'))}{flags}")
        if _codes(m):
            out.append(f"      {L['codes']}: {_codes(m)}")
        if m.get("rationale"):
            out.append(f"      {m['rationale']}")
        if m.get("citations"):
            out.append(f"      {L['citations']}: {'; '.join(map(str, m['citations']))}")
    details = {d.get("text"): d for d in c.get("question_details") or [] if isinstance(d, dict)}
    if c.get("answers"):
        out.append(f"  {_h(L['answers'], colour)}: " + ", ".join(f"{k}={v}" for k, v in c["answers"].items()))
    if c.get("questions"):
        out.append(f"  {_h(L['questions'], colour)}:")
        for q in c["questions"]:
            out.append(f"    - {q}")
            detail = details.get(q) or {}
            if detail.get("options"):   # how to answer it from a script
                out.append(f"      {_answer_hint(detail)}")
    return "\n".join(out)


def format_purpose(p: dict, lang: str, colour: bool = False) -> str:
    """The purpose fields, one per line."""
    L = {k: v[lang] for k, v in LABELS.items()}
    out = [f"{_h(L['purpose'], colour)}:"]
    for key in PURPOSE_FIELDS:
        if key in p:
            out.append(f"  {L[key]}: {_v(p[key])}")
    return "\n".join(out)


def format_plan(plan: dict, lang: str) -> str:
    """One plan: title and weeks, standards, activities, dependencies."""
    L = {k: v[lang] for k, v in LABELS.items()}
    out = [f"  ■ {plan.get('title')} [{plan.get('id')}] — {weeks_text(plan.get('estimated_weeks'), lang)}"
           f"  ({_v(plan.get('markets'))})"]
    for s in plan.get("standards") or []:
        out.append(f"      {standard_label(s)}  {s.get('title', '')}")
    for a in plan.get("activities") or []:
        out.append(f"      · {a.get('name')} → {a.get('deliverable')} ({weeks_text(a.get('weeks'), lang)})")
    if plan.get("depends_on"):
        out.append(f"      {L['depends_on']}: {_v(plan['depends_on'])}")
    return "\n".join(out)


def format_plans(plans: list[dict], lang: str, colour: bool = False) -> str:
    """Every plan."""
    L = {k: v[lang] for k, v in LABELS.items()}
    return "\n".join([f"{_h(L['plans'], colour)} ({len(plans)}):"] + [format_plan(p, lang) for p in plans])


def format_refinement(r: dict, lang: str, colour: bool = False) -> str:
    """The changes, then the plans as they are now."""
    L = {k: v[lang] for k, v in LABELS.items()}
    out = [f"{_h(L['refinements'], colour)}:"]
    plans = r.get("plans") or ([r["plan"]] if r.get("plan") else [])
    for title, texts in grouped(r.get("changes") or [], plans, lang):   # in words, by plan
        out.append(f"  {title}")
        out += [f"    * {text}" for text in texts]
    if not r.get("changes"):
        out.append(f"  ({L['none']})")
    for n in r.get("not_applied") or []:
        out.append(f"  ! {L['not_applied']}: {n.get('text')} — {n.get('reason')}")
    out += [format_plan(p, lang) for p in plans]
    return "\n".join(out)
