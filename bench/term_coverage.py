"""How much of the official names and of the catalogue holdouts' concepts the term map knows.

    python bench/term_coverage.py [--terms FILE] [--top 40] [--holdout-words]

For each source, per language: the share of words the term map reads into one of its concepts.
- English (FDA device names, EMDN terms, the MFDS annex's English names, English holdout concepts):
  a word counts when the map's longest-first reading consumes it in a mapped phrase; stop words,
  numbers and one-letter words are left out (the map never reads them).
- Korean (MFDS item names, Korean holdout concepts): the map reads Korean without spaces, longest
  term first, and drops what it does not know; the share is of Hangul syllables covered, and a
  word (a space-separated run) counts as known when all its syllables are covered.
Then the most frequent unknown words of the official names: English words, and Korean uncovered
runs of two syllables or more. The holdouts' own unknown words are printed only with
--holdout-words: the term map is written from the official names and general vocabulary, never
from a holdout's text.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge.catalogue.shipped import load_catalogue  # noqa: E402
from medreg.knowledge.catalogue.terms import _STOP, TermMap, english_words, load_terms, parse_terms  # noqa: E402

HOLDOUTS = sorted((Path(__file__).resolve().parent / "data" / "catalogue").glob("catalogue_holdout*.jsonl"))
_HANGUL = re.compile(r"[가-힣]")


def english_known(terms: TermMap, text: str) -> list[tuple[str, bool]]:
    """(word, known) for each counted word of an English text, read as TermMap.english reads it."""
    words = english_words(text)
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        for n in range(min(terms.en_longest, len(words) - i), 0, -1):
            if tuple(words[i:i + n]) in terms.en:
                if terms.weight.get(terms.en[tuple(words[i:i + n])], 1.0) > 0:   # a stop phrase is not counted
                    out += [(w, True) for w in words[i:i + n] if w not in _STOP and not w.isdigit() and len(w) > 1]
                i += n
                break
        else:
            word = words[i]
            if word not in _STOP and not word.isdigit() and len(word) > 1:
                out.append((word, False))
            i += 1
    return out


def korean_covered(terms: TermMap, word: str) -> list[bool]:
    """For each character of one Korean word: covered by a mapped term (as TermMap.korean reads)."""
    covered = [False] * len(word)
    i = 0
    while i < len(word):
        for n in range(min(terms.ko_longest, len(word) - i), 0, -1):
            if word[i:i + n] in terms.ko:
                covered[i:i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    return covered


def korean_stats(terms: TermMap, text: str, whole: bool) -> tuple[int, int, int, int, list[str]]:
    """(syllables, covered, words, known words, uncovered runs) of a Korean text. `whole`: read the
    text without spaces (as names are read); the words are still its space-separated runs."""
    runs = re.findall(r"[가-힣0-9a-zA-Z]+", re.sub(r"\s+", "", text) if whole else text)
    syll = cov = 0
    gaps: list[str] = []
    flags: list[tuple[str, bool]] = []
    for run in runs:
        covered = korean_covered(terms, run)
        gap = ""
        for ch, c in zip(run, covered):
            if _HANGUL.match(ch):
                syll += 1
                cov += c
                flags.append((ch, c))
            if not c and _HANGUL.match(ch):
                gap += ch
            elif gap:
                gaps.append(gap)
                gap = ""
        if gap:
            gaps.append(gap)
    words = [w for w in text.split() if _HANGUL.search(w)]
    known = 0
    for w in words:
        cover = korean_covered(terms, re.sub(r"[^가-힣0-9a-zA-Z]", "", w))
        hangul = [c for ch, c in zip(re.sub(r"[^가-힣0-9a-zA-Z]", "", w), cover) if _HANGUL.match(ch)]
        known += bool(hangul) and all(hangul)
    return syll, cov, len(words), known, gaps


def sources(catalogue) -> dict[str, tuple[str, list[str]]]:
    """name -> (language, texts) for the official names and the holdouts' concepts."""
    out = {
        "FDA device names": ("en", [e["name"] for e in catalogue.fda.values()
                                    if not e.get("not_device_type") and e.get("name")]),
        "EMDN terms": ("en", [t["term"] for t in catalogue.emdn.values() if t.get("term")]),
        "MFDS English names": ("en", [e["name_en"] for e in catalogue.mfds.values()
                                      if e.get("status") == "active" and e.get("name_en")]),
        "MFDS item names": ("ko", [e["name_ko"] for e in catalogue.mfds.values()
                                   if e.get("status") == "active" and e.get("name_ko")]),
    }
    for lang in ("en", "ko"):
        texts = []
        for path in HOLDOUTS:
            for line in path.read_text("utf-8").splitlines():
                row = json.loads(line) if line.strip() else None
                if row and (row.get("language") or "en") == lang:
                    texts.append(row["concept"])
        out[f"holdout 1-{len(HOLDOUTS)} concepts ({lang})"] = (lang, texts)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print coverage per source and the most frequent unknown words of the official names."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--terms", type=Path, help="a term-map JSON file (default: the shipped one)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--holdout-words", action="store_true", help="also list the holdouts' unknown words")
    args = ap.parse_args(argv)
    terms = parse_terms(json.loads(args.terms.read_text("utf-8"))) if args.terms else load_terms()
    print(f"term map: {len(set(terms.en.values()) | set(terms.ko.values()))} concepts, "
          f"{len(terms.en)} English phrases, {len(terms.ko)} Korean forms")
    unknown: dict[str, Counter] = {}
    for name, (lang, texts) in sources(load_catalogue()).items():
        gaps: Counter = Counter()
        if lang == "en":
            pairs = [p for t in texts for p in english_known(terms, t)]
            known = sum(k for _, k in pairs)
            for t in texts:
                gaps.update({w for w, k in english_known(terms, t) if not k})
            print(f"{name}: {len(texts)} texts, words known {known}/{len(pairs)} = {100 * known / max(len(pairs), 1):.1f}%")
        else:
            whole = not name.startswith("holdout")
            tot = [0, 0, 0, 0]
            for t in texts:
                s, c, w, k, g = korean_stats(terms, t, whole)
                tot = [tot[0] + s, tot[1] + c, tot[2] + w, tot[3] + k]
                gaps.update({x for x in g if len(x) >= 2})
            print(f"{name}: {len(texts)} texts, syllables covered {tot[1]}/{tot[0]} = "
                  f"{100 * tot[1] / max(tot[0], 1):.1f}%, words fully known {tot[3]}/{tot[2]} = "
                  f"{100 * tot[3] / max(tot[2], 1):.1f}%")
        unknown[name] = gaps
    for name, gaps in unknown.items():
        if name.startswith("holdout") and not args.holdout_words:
            continue
        print(f"\nmost frequent unknown words, {name} (texts holding them):")
        print("  " + ", ".join(f"{w} {n}" for w, n in gaps.most_common(args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
