"""Why a catalogue holdout row misses its official code: retrieval, ranking, floor or curated preference.

    python bench/catalogue_misses.py bench/data/catalogue/catalogue_holdout3.jsonl [--list]

For each labelled US product code and KR item code the answer did not give first: is the right
entry among the top 10 catalogue candidates (surface match + concept space, as classify ranks
them)? If not: retrieval. If it is and a curated type was chosen: curated preference; if nothing
was chosen: below the floor; if another catalogue entry was chosen: ranking; if the block came
through the cross-market link: link.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import MARKETS, load_rows  # noqa: E402
from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.knowledge.catalogue import concepts  # noqa: E402
from medreg.knowledge.classification.ranking import lift  # noqa: E402
from medreg.knowledge.words.text import features, negated_features  # noqa: E402

DEPTH = 10


def candidates(kb, concept: str) -> list[str]:
    """Catalogue candidate ids, best first, as classify's find() ranks them, DEPTH deep per list."""
    feats, avoid = features(concept), negated_features(concept)
    surface = kb.catalogue_index().search(feats, limit=DEPTH * 2, avoid=avoid)
    top, concepts.TOP = concepts.TOP, DEPTH * 2
    try:
        hits = kb.concept_index().search(concept)
    finally:
        concepts.TOP = top
    return [m.candidate.id for m in lift(kb, hits, surface)]


def reason(result: dict, block: dict, want_id: str, ranked: list[str]) -> str:
    """The bucket of one miss."""
    source = want_id.split(":")[0]
    in_list = [c for c in ranked if c.startswith(source + ":")][:DEPTH]
    device = result.get("device") or {}
    if want_id not in in_list:
        return "retrieval"
    if str(block.get("reached") or "").startswith("linked") or "linked" in str(block.get("reached") or ""):
        return "link (found, but block came through the link)"
    if not device:
        return "floor (found, nothing chosen)"
    if device.get("source") == "curated":
        return "curated preference"
    return f"ranking (rank {in_list.index(want_id) + 1})"


def main(argv=None) -> int:
    """Print the breakdown per market."""
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    kb = get_knowledge()
    for path in args.paths:
        tally = {"US": Counter(), "KR": Counter()}
        lines = []
        for row in load_rows(path):
            expected = row.get("expected") or {}
            if row.get("status") == "not_device" or expected.get("status") == "not_device":
                continue
            result = kb.classify(row["concept"], row.get("context"), MARKETS, row.get("language") or "en")
            ranked = candidates(kb, row["concept"])
            for market, key, field, prefix in (("US", "us_product_code", "product_codes", "fda"),
                                               ("KR", "kr_item_code", "item_codes", "mfds")):
                want = expected.get(key)
                if not want:
                    continue
                block = result["markets"][market]
                got = (block.get(field) or [None])[0]
                bucket = "hit" if got == want else reason(result, block, f"{prefix}:{want}", ranked)
                tally[market][bucket.split(" (rank")[0]] += 1
                if bucket != "hit":
                    lines.append(f"{market} {bucket:32s} want {want} got {got} via {(result.get('device') or {}).get('id')} "
                                 f":: {row['concept'][:70]}")
        print(path)
        for market, counts in tally.items():
            print(f"  {market}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
        if args.list:
            print("\n".join("    " + line for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
