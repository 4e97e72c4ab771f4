"""Probe: official names of catalogue entries outside the curated set, asked as concepts.

    python bench/catalogue_probe.py [--sample 1500] [--seed 7]

For a random sample of FDA product codes (class 1-3, not a curated type's code), the name turned
round ("Prosthesis, Nose, Internal" -> "internal nose prosthesis"), and of active MFDS items (not a
curated type's item), the Korean name as written: how often the answer gives the entry's own class
(US) or grade (KR), its exact code, how many answers are at confidence >= 0.8, and how many of those
give another class (each listed). The names are the catalogue's own, so this measures how the
curated types and the official entries share the answers, not how descriptions are understood.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.knowledge.classification.us import ROMAN  # noqa: E402

HIGH = 0.8


def _turned(name: str) -> str:
    """An FDA name read the way people write it ("Bag, Polymeric Mesh, Pacemaker" -> "pacemaker polymeric mesh bag")."""
    parts = [p.strip() for p in name.split("(")[0].split(",") if p.strip()]
    return " ".join(reversed(parts)).lower()


def probe(kb, market: str, items: list[tuple[str, str, str]]) -> None:
    """Classify (code, concept, expected class) rows for one market and print the figures."""
    right = exact = confident = 0
    wrong: list[tuple] = []
    field = "product_codes" if market == "US" else "item_codes"
    for code, concept, want in items:
        result = kb.classify(concept, None, (market,), "en" if market == "US" else "ko")
        block = result["markets"][market]
        got = None if block.get("class") is None else str(block["class"])
        right += got == want
        exact += (block.get(field) or [None])[0] == code
        if result["confidence"] >= HIGH:
            confident += 1
            if got is not None and got != want:
                wrong.append((concept, code, want, got, result["confidence"], (result.get("device") or {}).get("id")))
    n = len(items)
    print(f"{market}: {n} names; class right {right} ({100.0 * right / n:.1f}%), exact code {exact} "
          f"({100.0 * exact / n:.1f}%), at confidence >= {HIGH}: {confident}, of them wrong: {len(wrong)}")
    for row in wrong:
        print(f"    {row}")


def main(argv: list[str] | None = None) -> int:
    """Sample both lists and print the two probes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    kb = get_knowledge()
    devices = kb.data.devices.values()
    own_fda = {c for d in devices for c in (d.get("us") or {}).get("product_codes") or []}
    own_mfds = {c for d in devices for c in (d.get("kr") or {}).get("item_codes") or []}
    fda = sorted(c for c, e in kb.catalogue.fda.items()
                 if e.get("class") in ("1", "2", "3") and not e.get("not_device_type") and c not in own_fda)
    mfds = sorted(c for c, e in kb.catalogue.mfds.items()
                  if e.get("status") == "active" and e.get("grade") in (1, 2, 3, 4) and c not in own_mfds)
    rng = random.Random(args.seed)
    us_rows = [(c, _turned(kb.catalogue.fda[c]["name"]), ROMAN[kb.catalogue.fda[c]["class"]])
               for c in rng.sample(fda, min(args.sample, len(fda)))]
    kr_rows = [(c, kb.catalogue.mfds[c]["name_ko"], str(kb.catalogue.mfds[c]["grade"]))
               for c in rng.sample(mfds, min(args.sample, len(mfds)))]
    probe(kb, "US", us_rows)
    probe(kb, "KR", kr_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
