"""The MFDS notice's annex (별표) as `pdftotext` output: for each item code, the English (GMDN-style)
name and the Korean description (정의), where they can be attributed with certainty.

The annex is a four-column table (code | Korean name [grade] | English name | description) that
pdftotext writes cell by cell, so the columns of neighbouring rows interleave where a row is tall
or a page breaks. An item's cells are taken from the lines between its code line and the next
code line, and only when that stretch reads as one whole row:
- its Korean-name line is the item's name in the parsed item list, with the same grade;
- nothing but Korean comes before that line (the previous row's description running past this
  code line, or this row's own tail written first: whose is not certain, so it is left out);
- after it, English lines are the English name and Korean lines the description, in order; a
  line glued to the name line (no blank line between) is the tail of its column, which pdftotext
  writes first; a second English name (a capital after the description began, the first not
  left open by a comma or hyphen) or a line of neither script means two rows mixed: left out;
- the previous row was whole or holds an English name (a row missing its English name may have
  spilled it into this one).
A line that cannot be attributed is left out: a wrong description is worse than none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CODE = re.compile(r"^([A-Z]\d{5}(?:\.\d{2})?|\([A-Z]\))(?:\s|$)")   # item, group or "(B)" part heading
ITEM = re.compile(r"^[A-Z]\d{5}\.\d{2}$")
NAME = re.compile(r"^(.*\S)\s*\[([1-4])\]$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
OPEN_END = (",", "-", "/", "(")


@dataclass
class Row:
    """One item's stretch of lines (text, glued to the line before) between two code lines."""

    code: str
    lines: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Cells:
    """What was read of one whole row: its English name pieces and description pieces, in order."""

    english: list[str] = field(default_factory=list)
    korean: list[str] = field(default_factory=list)


def _rows(text: str) -> list[Row]:
    """The annex split at every code line (item or group), each line marked glued or not."""
    rows: list[Row] = [Row("")]
    glued = False
    for raw in text.splitlines():
        line = raw.replace("\f", "").strip()
        if not line:
            glued = False
            continue
        found = CODE.match(line)
        if found:
            rows.append(Row(found.group(1)))
            glued = False
            continue
        rows[-1].lines.append((line, glued))
        glued = True
    return rows


def _kind(line: str) -> str:
    """"ko" for a line with Hangul (the name and description columns), "en" for Latin only, else "other"."""
    return "ko" if HANGUL.search(line) else "en" if LATIN.search(line) else "other"


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name)


def _read(row: Row, name: str, grade: int) -> Cells | None:
    """The row's cells, or None when the row is not whole."""
    at = [i for i, (line, _) in enumerate(row.lines) if NAME.match(line)]
    if len(at) != 1:
        return None
    found = NAME.match(row.lines[at[0]][0])
    prefix = [line for line, _ in row.lines[: at[0]]]
    if _norm(found.group(1)) != _norm(name) or int(found.group(2)) != grade:
        return None
    if any(_kind(line) != "ko" for line in prefix):
        return None
    cells, tail_en, tail_ko = Cells(), [], []
    rest = row.lines[at[0] + 1:]
    i = 0
    while i < len(rest) and rest[i][1]:        # glued to the name line: the tails of their columns
        line = rest[i][0]
        if _kind(line) == "other":
            return None
        (tail_en if _kind(line) == "en" else tail_ko).append(line)
        i += 1
    for line, _ in rest[i:]:
        kind = _kind(line)
        if kind == "other":
            return None
        if kind == "en":
            if cells.english and cells.korean and not cells.english[-1].endswith(OPEN_END):
                if line[0].isupper():
                    return None               # a second English name: two rows mixed
                continue                      # an English word of the description's column, or of no one's: left out
            if cells.english and line.count("(") != line.count(")"):
                continue                      # "elevator)," : a piece of a parenthesis in the description
            cells.english.append(line)
        elif not cells.english:
            return None                       # a description before the English name: another row's, most likely
        else:
            cells.korean.append(line)
    if not cells.english or (tail_ko and not cells.korean):
        return None
    first = cells.english[0][0]
    if not (first.isupper() or first.isdigit()):
        return None                           # an English name starts with a capital ("Table, ...", "X-ray ...")
    cells.english += tail_en
    cells.korean += tail_ko
    return cells


def _join_en(pieces: list[str]) -> str:
    """English pieces joined with a space, except at a hyphen ("manually-" + "operated", "electrically" + "-powered")."""
    out = ""
    for piece in pieces:
        out += piece if not out or out.endswith("-") or piece.startswith("-") else " " + piece
    return out


def parse_annex(text: str, items: dict[str, dict]) -> dict[str, dict]:
    """{item code: {"name_en": ..., "description_ko": ...}} for the rows read with certainty; `items`
    is the parsed item list ({code: {"name_ko", "grade", ...}}), the check on each name line."""
    out: dict[str, Cells] = {}
    # The row before has not spilled its English name into this one: it was whole, or it holds one.
    previous_ok = True
    for row in _rows(text):
        item = items.get(row.code) if ITEM.match(row.code) else None
        if not item or not item.get("name_ko") or item.get("grade") not in (1, 2, 3, 4):
            # a group heading, or a deleted item's row: nothing to spill when it holds only the deletion note
            previous_ok = not ITEM.match(row.code) or all("삭제" in line for line, _ in row.lines)
            continue
        cells = _read(row, item["name_ko"], item["grade"])
        if cells is not None and previous_ok:
            out[row.code] = cells
        previous_ok = cells is not None or any(_kind(line) == "en" and line[0].isupper() for line, _ in row.lines)
    return {code: {"name_en": _join_en(c.english), "description_ko": " ".join(c.korean)} for code, c in out.items()}


def read_annex(path: Path, items: dict[str, dict]) -> dict[str, dict]:
    """`parse_annex` over a file (UTF-8)."""
    return parse_annex(Path(path).read_text(encoding="utf-8"), items)
