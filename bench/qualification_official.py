"""Every official device name through qualification: the shipped catalogue's active MFDS items (Korean) and
FDA product codes of class 1-3 (English), each typed as a concept. Each is a device in its own market, so a
`not_device` here is a cue that takes a device word for a consumer one (재고 inside 재고정용, "protein"
in a protein assay). Terse names with no context (a bare "Treadmill, Powered") may stay.

    python bench/qualification_official.py [--list]
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge import get_knowledge  # noqa: E402

MARKETS = ("US", "EU", "KR")


def official_names(kb) -> list[tuple[str, str, str]]:
    """(language, code, name) for every active MFDS item and every FDA code of class 1, 2 or 3."""
    rows = [("ko", code, e["name_ko"]) for code, e in kb.catalogue.mfds.items() if e.get("status") == "active"]
    rows += [("en", code, e["name"]) for code, e in kb.catalogue.fda.items() if e.get("class") in ("1", "2", "3")]
    return rows


def main(argv: list[str]) -> int:
    """Print the status counts per language, and with --list every name called not_device and its cues."""
    kb = get_knowledge()
    counts: Counter = Counter()
    misses = []
    start = time.perf_counter()
    for language, code, name in official_names(kb):
        q = kb.classify(name, None, MARKETS, language)["qualification"]
        counts[language, q["status"]] += 1
        if q["status"] == "not_device":
            misses.append((language, code, name, q["basis"], q["cues"]))
    print(f"{sum(counts.values())} official names in {time.perf_counter() - start:.1f} s")
    for language in ("ko", "en"):
        print(f"  {language}: " + ", ".join(f"{s} {counts[language, s]}" for s in ("device", "needs_review", "not_device")))
    if "--list" in argv:
        for miss in misses:
            print("  ", *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
