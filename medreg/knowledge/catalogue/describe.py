"""The description channel of catalogue retrieval: what an entry's official texts say it does.

People describe a device by what it does ("a cuff-based system that compares ankle and arm pulse
waves"), in words its official name does not use. The official texts do use them: the "(a)
Identification" of each 21 CFR regulation (for its FDA product codes) and, for MFDS items, the
annex's Korean description and English name (catalogue/mfds_annex.py). They are long, so they
are a separate, weaker channel over the name index (catalogue/index.py):
- their word weights are their own (idf over the descriptions), so they never shift the names';
- a word in more than MAX_DF_SHARE of the descriptions ("device", "사용하는") carries nothing, and
  one shared word alone proposes nothing (MIN_SHARED);
- a candidate found by its name gains at most BONUS from its description, and a weak name match
  is not carried across NAME_MIN (where qualification starts to count a match as evidence); one
  found only by its description scores at most ONLY_CAP, never above a firm name match (NAME_FIRM),
  and at most ONLY_MAX of them join a search's results;
- where a curated type matches at CURATED_GATE or more, classify leaves descriptions out
  (classification/ranking.py): the curated answers stay as they were.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from medreg.knowledge.words.text import features

KO_WEIGHT = 0.8        # a Korean syllable pair is weaker evidence than an English word (as in the names)
MAX_DF_SHARE = 0.03    # a word in more of the descriptions than this is generic here
MIN_SHARED = 2         # distinct shared words needed before a description counts at all
TAU = 1.5              # shared weight at which the description evidence reaches ~63 %
BONUS = 0.20           # the most a description adds to a name match
ONLY_CAP = 0.60        # the most a description alone scores
ONLY_MAX = 3           # entries found by their descriptions alone, at most, per search
NAME_MIN = 0.40        # qualify.MATCH_NEAR: a description never lifts a weaker name across it
NAME_FIRM = 0.55       # a name match at or above this is never outranked by a description alone
CURATED_GATE = 0.45    # a curated type matched this well is the answer's ground: descriptions stay out
CROSS_SPACE = "\u3134"  # features spanning a space: too loose for long texts


@dataclass
class Described:
    """Description evidence for one candidate: 0-1, and the concept's words that gave it."""

    owner: int
    evidence: float
    shared: frozenset


class DescriptionIndex:
    """An inverted index from description words to the candidates (by owner number) they describe."""

    def __init__(self, texts: list[tuple[int, str]]) -> None:
        by_text: dict[str, list[int]] = {}
        for owner, text in texts:
            if text.strip():
                by_text.setdefault(text, []).append(owner)
        docs = [(owners, frozenset(f for f in features(text, query=False) if not f.startswith(CROSS_SPACE)))
                for text, owners in sorted(by_text.items())]
        df: dict[str, int] = {}
        for _, feats in docs:
            for feat in feats:
                df[feat] = df.get(feat, 0) + 1
        n = max(len(docs), 1)
        top = math.log(1.0 + n)
        limit = max(2, int(MAX_DF_SHARE * n))
        self.weights = {f: math.log(1.0 + n / c) / top * (KO_WEIGHT if f[0] == "\u3131" else 1.0)
                        for f, c in df.items() if c <= limit}
        self.postings: dict[str, list[int]] = {}
        self.owners: list[list[int]] = []
        for number, (owners, feats) in enumerate(docs):
            self.owners.append(owners)
            for feat in feats:
                if feat in self.weights:
                    self.postings.setdefault(feat, []).append(number)

    def search(self, concept_feats: set[str], later: frozenset | set = frozenset()) -> dict[int, Described]:
        """Description evidence by candidate owner, for every description sharing MIN_SHARED words."""
        mass: dict[int, float] = {}
        shared: dict[int, set[str]] = {}
        for feat in concept_feats:
            w = self.weights.get(feat)
            if w is None:
                continue
            w = w * 0.6 if feat in later else w
            for doc in self.postings.get(feat, ()):
                mass[doc] = mass.get(doc, 0.0) + w
                shared.setdefault(doc, set()).add(feat)
        out: dict[int, Described] = {}
        for doc, m in mass.items():
            if len(shared[doc]) < MIN_SHARED:
                continue
            evidence = 1.0 - math.exp(-m / TAU)
            for owner in self.owners[doc]:
                if owner not in out or out[owner].evidence < evidence:
                    out[owner] = Described(owner, evidence, frozenset(shared[doc]))
        return out
