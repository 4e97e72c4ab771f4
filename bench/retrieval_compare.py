"""Ranking libraries against the built-in matcher over the shipped catalogue's entries: top-1 /
top-5 hit of the expected FDA code or MFDS item. The built-in index and bm25s get the same features
(English stems, Korean bigrams); rapidfuzz gets the raw names.  pip install -e .[retrieval-bench]

    python bench/retrieval_compare.py bench/data/catalogue/catalogue_holdout1.jsonl
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

import bm25s  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.knowledge.words.text import features  # noqa: E402


def main(path: Path) -> int:
    """Print top-1 / top-5 hits per ranker for one labelled file."""
    index = get_knowledge().catalogue_index()
    candidates = index.candidates
    docs = [sorted(features(c.name_ko or c.name, query=False)) for c in candidates]
    vocab: dict[str, int] = {}
    for doc in docs:
        for token in doc:
            vocab.setdefault(token, len(vocab))
    ranker = bm25s.BM25()
    ranker.index(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in docs], vocab=vocab), show_progress=False)
    names = [c.name_ko or c.name for c in candidates]
    hits = {"built-in": [0, 0], "bm25s": [0, 0], "rapidfuzz": [0, 0]}
    rows = load_rows(path)
    rows = [r for r in rows if (r.get("expected") or {}).get("us_product_code") or (r.get("expected") or {}).get("kr_item_code")]
    for row in rows:
        e = row.get("expected") or {}
        want = {f"fda:{e.get('us_product_code')}", f"mfds:{e.get('kr_item_code')}"}
        feats = features(row["concept"], query=True)
        ids, _ = ranker.retrieve(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in feats if t in vocab] or [0]], vocab=vocab),
                                 k=5, show_progress=False)
        ranked = {"built-in": [m.candidate.id for m in index.search(feats, limit=5)],
                  "bm25s": [candidates[i].id for i in ids[0]],
                  "rapidfuzz": [candidates[i].id for _, _, i in process.extract(row["concept"], names, scorer=fuzz.token_set_ratio, limit=5)]}
        for name, got in ranked.items():
            hits[name][0] += bool(got and got[0] in want)
            hits[name][1] += bool(set(got) & want)
    n = len(rows)
    print(f"{path}: {n} rows with an expected code")
    for name, (top1, top5) in hits.items():
        print(f"  {name:10s} top1 {top1}/{n} ({100 * top1 / n:.1f}%)  top5 {top5}/{n} ({100 * top5 / n:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
