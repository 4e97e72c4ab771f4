"""How good the shipped catalogue's cross-market link is, on rows that name both an FDA code and an
MFDS item for one concept (the catalogue holdouts' truth, taken from the official lists).

    python bench/catalogue_links.py bench/data/catalogue/catalogue_holdout1.jsonl [more files]

For each such row: is the FDA code's best linked MFDS item the row's item (exact), or at least of
the row's grade; and the reverse (MFDS item -> FDA code, exact or of the row's class). Strong links
(score >= link.STRONG, the ones classify answers from) are counted apart, since only they give a
class; weaker ones only show a lead.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge.catalogue.link import STRONG  # noqa: E402
from medreg.knowledge.catalogue.shipped import load_catalogue  # noqa: E402

ROMAN = {"1": "I", "2": "II", "3": "III"}


def _tally(rows: list[dict], catalogue) -> dict[str, list[int]]:
    """{direction: [rows, linked, exact, same class, strong, strong same class]}."""
    out = {"FDA -> MFDS": [0] * 6, "MFDS -> FDA": [0] * 6}
    for row in rows:
        expected = row.get("expected") or {}
        fda, item = expected.get("us_product_code"), expected.get("kr_item_code")
        if not (fda and item and fda in catalogue.fda and item in catalogue.mfds):
            continue
        for direction, source, code, target, want in (
                ("FDA -> MFDS", "fda", fda, "mfds", item), ("MFDS -> FDA", "mfds", item, "fda", fda)):
            t = out[direction]
            t[0] += 1
            links = catalogue.linked(source, code, target)
            if not links:
                continue
            got, score = links[0]
            if target == "mfds":
                same = catalogue.mfds[got].get("grade") == expected.get("kr_grade")
            else:
                same = ROMAN.get(catalogue.fda[got].get("class")) == expected.get("us_class")
            t[1] += 1
            t[2] += got == want
            t[3] += same
            if score >= STRONG:
                t[4] += 1
                t[5] += same
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the link figures per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    for path in args.paths:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"{path} — link figures (strong: score >= {STRONG})")
        for direction, (n, linked, exact, same, strong, strong_same) in _tally(rows, catalogue).items():
            pct = (lambda a, b: f"{100.0 * a / b:.1f}%" if b else "n/a")
            print(f"  {direction}: {n} rows, linked {linked}, exact {exact} ({pct(exact, n)}), "
                  f"same class/grade {same} ({pct(same, n)}); strong {strong}, of which same class/grade "
                  f"{strong_same} ({pct(strong_same, strong)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
