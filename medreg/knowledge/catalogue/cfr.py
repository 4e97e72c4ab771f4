"""Reads 21 CFR part files (markdown converted from the eCFR XML): each section's title, its
class line and its special controls, split into items citable as `21 CFR 886.1100(b)(2)`."""
from __future__ import annotations

import re
from pathlib import Path

SECTION = re.compile(r"^### §\s*(\d{3}\.\d+)\s+(.*)$")
PARAGRAPH = re.compile(r"^\(([a-z]|\d+|[ivx]+|[A-Z])\)\s*(.*)$")
TOP_NUMBER = re.compile(r"^\((\d+)\)\s*(.*)$")
LETTER = re.compile(r"^\(([a-z])\)\s*$|^\(([a-z])\)\s+\S")
SPECIAL_INTRO = re.compile(r"special controls? (?:for this device )?(?:are|is)\b[^.]*?:?\s*$", re.I)
MAX_ITEM_CHARS = 1200  # an item's own text is kept whole up to this; longer ones are cut at a sentence
IDENTIFICATION = re.compile(r"^\(a\)\s*Identification\.?\s*\u2014?\s*(.*)$", re.I)
MAX_ID_CHARS = 500     # the identification's first sentences say what the device is; the rest lists variants


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("*", "")).strip()


def _sections(text: str) -> list[tuple[str, str, list[str]]]:
    out: list[tuple[str, str, list[str]]] = []
    current = None
    for raw in text.splitlines():
        match = SECTION.match(raw)
        if match:
            current = (match.group(1), match.group(2).strip().rstrip("."), [])
            out.append(current)
        elif raw.startswith("#"):
            current = None if raw.startswith("## ") else current
        elif current is not None:
            current[2].append(raw)
    return out


def _paragraphs(lines: list[str]) -> list[str]:
    """Join the converter's wrapped lines into paragraphs (a blank line ends one)."""
    out, buf = [], []
    for line in lines + [""]:
        if line.strip():
            buf.append(line.strip())
        elif buf:
            out.append(_clean(" ".join(buf)))
            buf = []
    return out


def _cut(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    stop = head.rfind(". ")
    return (head[: stop + 1] if stop > 200 else head.rstrip()) + " [...]"


def _special_controls(number: str, paragraphs: list[str]) -> tuple[str, list[dict]]:
    """The (b) classification text and its special-control items."""
    items: list[dict] = []
    class_text = ""
    in_b = False
    listing = False
    for para in paragraphs:
        letter = re.match(r"^\(([a-z])\)\s*(.*)$", para)
        if letter and letter.group(1) not in ("i", "v", "x") and len(letter.group(1)) == 1:
            in_b = letter.group(1) == "b"
            listing = False
            if in_b:
                class_text = _clean(re.sub(r"^Classification\.?\s*", "", letter.group(2)))
                listing = bool(SPECIAL_INTRO.search(class_text))
                rest = re.sub(r"^Class I+ \(special controls\)\.?", "", class_text)
                if not listing and "special control" in rest.lower():
                    items.append({"cite": f"21 CFR {number}(b)", "text": _cut(class_text)})
            continue
        if not in_b:
            continue
        top = TOP_NUMBER.match(para)
        if listing and top:
            items.append({"cite": f"21 CFR {number}(b)({top.group(1)})", "text": _cut(top.group(2))})
        elif listing and items and PARAGRAPH.match(para):
            items[-1]["text"] = _cut(items[-1]["text"] + " " + para)
        elif top and "special control" in para.lower() and SPECIAL_INTRO.search(para):
            # "(b)(1) Class II (special controls). The special controls for this device are:" then (i)...
            listing = True
            class_text = class_text or para
    return class_text, items


def _identification(paragraphs: list[str]) -> str:
    """The "(a) Identification." text: what the device is and does, in the regulation's words."""
    for para in paragraphs:
        found = IDENTIFICATION.match(para)
        if found:
            return _cut(found.group(1), MAX_ID_CHARS)
    return ""


def parse_part(text: str) -> dict[str, dict]:
    """Sections of one part by regulation number: title, class text, 510(k)-exempt flag, special controls."""
    out: dict[str, dict] = {}
    for number, title, lines in _sections(text):
        paragraphs = _paragraphs(lines)
        class_text, items = _special_controls(number, paragraphs)
        entry = {"title": title}
        identification = _identification(paragraphs)
        if identification:
            entry["identification"] = identification
        if class_text:
            entry["classification"] = _cut(class_text)
            if re.search(r"exempt from the premarket notification", class_text, re.I):
                entry["exempt_510k"] = True
        if items:
            entry["special_controls"] = items
        out[number] = entry
    return out


def parse_parts(directory: Path) -> tuple[dict[str, dict], list[Path]]:
    """Every `part-*.md` in a directory: the sections by number and the files read (sorted)."""
    files = sorted(Path(directory).glob("part-*.md"))
    sections: dict[str, dict] = {}
    for path in files:
        sections.update(parse_part(path.read_text(encoding="utf-8")))
    return sections, files
