"""How often the IVDR rule reader (medreg/knowledge/classification/rules_ivdr.py) gives a curated IVD
type's IVDR class from its names alone (English name + synonyms, then Korean), with the confusion pairs.

    python bench/ivdr_agreement.py

Not a blind set: the curated IVDR classes are the truth, and the cues were written with IVDR Annex VIII
in mind, not tuned on these types. A derived class is always flagged for review in the answer.
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge.catalogue.loader import load_data  # noqa: E402
from medreg.knowledge.classification.rules_ivdr import classify_ivdr  # noqa: E402


def main() -> None:
    """Print the agreement per language."""
    types = [d for d in load_data().devices.values()
             if (d.get("eu") or {}).get("regulation") == "IVDR" and (d.get("eu") or {}).get("verified", True) is not False]
    for language, name, synonyms in (("en", "name", "synonyms_en"), ("ko", "name_ko", "synonyms_ko")):
        right, pairs = 0, collections.Counter()
        for device in types:
            words = " ".join([device.get(name) or "", *(device.get(synonyms) or [])])
            got = classify_ivdr(words, device.get("attributes") or {}).cls
            right += got == device["eu"]["class"]
            pairs[(device["eu"]["class"], got)] += 1
        misses = ", ".join(f"{want}->{got} x{n}" for (want, got), n in sorted(pairs.items()) if want != got)
        print(f"{language}: {right}/{len(types)} = {100 * right / len(types):.1f}% (misses: {misses or 'none'})")


if __name__ == "__main__":
    main()
