"""Ranking libraries against the built-in matcher over the shipped catalogue's entries: top-1 /
top-5 hit of the expected FDA code or MFDS item. The built-in index and bm25s get the same features
(English stems, Korean bigrams); rapidfuzz gets the raw names; "bm25s+kiwi" adds kiwipiepy's Korean
nouns (its model from the kiwipiepy-model wheel) to both sides. Top-1 / top-5 / recall@10 of the
labelled code. "wordllama" ranks by cosine similarity of WordLlama embeddings (its 256-dim model
ships in the wheel; 0.4.0 looks for its shipped tokenizer file in a folder it does not ship, so the bench points it
at the shipped one and forbids downloads) of the entry's name and official description.
pip install -e .[retrieval-bench]

    python bench/retrieval_compare.py bench/data/catalogue/catalogue_holdout1.jsonl [...]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

import bm25s  # noqa: E402
from kiwipiepy import Kiwi  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.knowledge.catalogue.index import fda_description, mfds_description  # noqa: E402
from medreg.knowledge.words.text import features  # noqa: E402


K = 10


def wordllama_ranker(texts: list[str]):
    """(embed, matrix) for WordLlama over the texts, loaded offline from the wheel, or None if absent."""
    try:
        import numpy as np
        import tempfile
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    root = Path(wordllama.__file__).parent
    cache = Path(tempfile.mkdtemp())
    for kind, name in (("tokenizers", "tokenizers/l2_supercat_tokenizer_config.json"),
                       ("weights", "weights/l2_supercat_256.safetensors")):
        (cache / kind).mkdir()
        (cache / kind / Path(name).name).symlink_to(root / name)
    model = WordLlama.load(cache_dir=cache, disable_download=True)
    matrix = np.asarray(model.embed(texts, norm=True))
    return lambda query: [int(i) for i in np.argsort(-(matrix @ np.asarray(model.embed([query], norm=True))[0]))[:K]]
KIWI_TAGS = ("NNG", "NNP", "SL")


def kiwi_nouns(kiwi: Kiwi, text: str) -> set[str]:
    """Korean nouns (and Latin words) by kiwipiepy's morphology, marked so they never meet a bigram."""
    return {"\u314b" + t.form.lower() for t in kiwi.tokenize(text) if t.tag in KIWI_TAGS and len(t.form) > 1}


def bm25_ranker(docs: list[list[str]]) -> tuple[bm25s.BM25, dict[str, int]]:
    """A bm25s index over pre-tokenised documents, with its vocabulary."""
    vocab: dict[str, int] = {}
    for doc in docs:
        for token in doc:
            vocab.setdefault(token, len(vocab))
    ranker = bm25s.BM25()
    ranker.index(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in docs], vocab=vocab), show_progress=False)
    return ranker, vocab


def bm25_top(ranker: bm25s.BM25, vocab: dict[str, int], feats: set[str]) -> list[int]:
    """The candidate positions bm25s ranks first for a query's features."""
    ids, _ = ranker.retrieve(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in feats if t in vocab] or [0]], vocab=vocab),
                             k=K, show_progress=False)
    return list(ids[0])


def main(path: Path) -> int:
    """Print top-1 / top-5 / top-10 hits per ranker for one labelled file."""
    index = get_knowledge().catalogue_index()
    candidates = index.candidates
    kiwi = Kiwi()
    docs = [sorted(features(c.name_ko or c.name, query=False)) for c in candidates]
    ranker, vocab = bm25_ranker(docs)
    kdocs = [sorted(set(d) | kiwi_nouns(kiwi, c.name_ko or c.name)) for d, c in zip(docs, candidates)]
    kranker, kvocab = bm25_ranker(kdocs)
    names = [c.name_ko or c.name for c in candidates]
    catalogue = get_knowledge().catalogue
    descriptions = [fda_description(catalogue, catalogue.fda[c.id[4:]]) if c.source == "fda"
                    else mfds_description(catalogue.mfds[c.id[5:]]) for c in candidates]
    wl = wordllama_ranker([f"{n} {d}".strip() for n, d in zip(names, descriptions)])
    hits = {"built-in": [0, 0, 0], "bm25s": [0, 0, 0], "bm25s+kiwi": [0, 0, 0], "rapidfuzz": [0, 0, 0]}
    if wl is not None:
        hits["wordllama"] = [0, 0, 0]
    rows = load_rows(path)
    rows = [r for r in rows if (r.get("expected") or {}).get("us_product_code") or (r.get("expected") or {}).get("kr_item_code")]
    for row in rows:
        e = row.get("expected") or {}
        want = {f"fda:{e.get('us_product_code')}", f"mfds:{e.get('kr_item_code')}"}
        feats = features(row["concept"], query=True)
        ranked = {"built-in": [m.candidate.id for m in index.search(feats, limit=K)],
                  "bm25s": [candidates[i].id for i in bm25_top(ranker, vocab, feats)],
                  "bm25s+kiwi": [candidates[i].id for i in bm25_top(kranker, kvocab, feats | kiwi_nouns(kiwi, row["concept"]))],
                  "rapidfuzz": [candidates[i].id for _, _, i in process.extract(row["concept"], names, scorer=fuzz.token_set_ratio, limit=K)]}
        if wl is not None:
            ranked["wordllama"] = [candidates[i].id for i in wl(row["concept"])]
        for name, got in ranked.items():
            hits[name][0] += bool(got and got[0] in want)
            hits[name][1] += bool(set(got[:5]) & want)
            hits[name][2] += bool(set(got[:K]) & want)
    n = len(rows)
    print(f"{path}: {n} rows with an expected code")
    for name, (top1, top5, top10) in hits.items():
        print(f"  {name:10s} top1 {top1}/{n} ({100 * top1 / n:.1f}%)  top5 {top5}/{n} ({100 * top5 / n:.1f}%)"
              f"  recall@{K} {top10}/{n} ({100 * top10 / n:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(max(main(Path(arg)) for arg in sys.argv[1:]))
