"""Ranking libraries against the built-in matcher over the shipped catalogue's entries:
top-1 / top-5 hit of the expected FDA code or MFDS item, same features for the built-in index and
bm25s, raw names for rapidfuzz.  pip install -e .[retrieval-bench]

    python bench/retrieval_compare.py bench/data/catalogue_holdout1.jsonl
"""
import json, sys, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import bm25s
from rapidfuzz import process, fuzz
from medreg.knowledge import get_knowledge
from medreg.knowledge.words.text import features
kb = get_knowledge(); ix = kb.catalogue_index()
cands = ix.candidates
docs = [sorted(features(c.name_ko or c.name, query=False)) for c in cands]
vocab = {}
retr = bm25s.BM25(); retr.index([[vocab.setdefault(t, len(vocab)) for t in d] for d in docs] and bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in docs], vocab=vocab))
names = [c.name_ko or c.name for c in cands]
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
res = {k: [0, 0, 0] for k in ("medreg", "bm25s", "rapidfuzz")}
n = 0
for r in rows:
    e = r.get("expected") or {}
    want = set()
    if e.get("us_product_code"): want.add("fda:" + e["us_product_code"])
    if e.get("kr_item_code"): want.add("mfds:" + e["kr_item_code"])
    if not want: continue
    n += 1
    f = features(r["concept"], query=True)
    got_m = [m.candidate.id for m in ix.search(f, limit=5)]
    q = [[vocab[t] for t in f if t in vocab]] or [[0]]
    if not q[0]: q = [[0]]
    ids, sc = retr.retrieve(bm25s.tokenization.Tokenized(ids=q, vocab=vocab), k=5, show_progress=False)
    got_b = [cands[i].id for i in ids[0]]
    got_r = [cands[i].id for _, _, i in process.extract(r["concept"], names, scorer=fuzz.token_set_ratio, limit=5)]
    for k, g in (("medreg", got_m), ("bm25s", got_b), ("rapidfuzz", got_r)):
        res[k][0] += bool(g[:1] and g[0] in want); res[k][1] += bool(set(g) & want)
print(sys.argv[1], "rows with a code:", n)
for k, (a, b, _) in res.items(): print(f"  {k:10s} top1 {a}/{n} ({100*a/n:.1f}%)  top5 {b}/{n} ({100*b/n:.1f}%)")
