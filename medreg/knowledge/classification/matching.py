"""Ranks device types (curated or imported) against free text by weighted feature coverage.

Each candidate owns phrases (name, synonyms, keywords). A phrase's score is the share of its
IDF-weighted features found in the concept, damped when the matched evidence is thin (one
generic word), so "insulin pump" beats "pump" and word order or spacing do not matter.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Optional

from medreg.knowledge.words.text import features, negated_features, stem_en

KO_WEIGHT = 0.8           # a Korean bigram is a little weaker evidence than a whole English word
TAU = 0.6                 # matched (scaled) IDF mass at which the evidence damping reaches ~63 %
NAME_WEIGHT = 1.0
SYNONYM_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.7
KEYWORD_BONUS = 0.03      # per extra keyword seen, up to two
DOC_CAP = 0.75            # a candidate found only by scattered words never reaches high confidence
DOC_TAU = 1.5             # matched IDF mass (over all of a candidate's words) for ~63 % of DOC_CAP
AVOID_FACTOR = 0.7        # a candidate named by what the concept says it lacks
# Founders lead with what the device is ("Reusable tissue forceps. Autoclaved in the hospital."):
# when the lead sentence names a device, words met only after it count for less.
LATER_FACTOR = 0.6
CONCEPT_SHARE = 0.2       # how much it matters what share of the concept's known words a candidate explains
# Korean bigram inside a word (ㄱ) / spanning a space (ㄴ): weaker evidence than an English word.
_FEATURE_SCALE = {"\u3131": KO_WEIGHT, "\u3134": KO_WEIGHT * 0.3}
# Connectivity words say how a device talks, not what it is: "Bluetooth blood-pressure monitor" is a
# blood-pressure monitor, so these words weigh little against the device noun (the attribute still counts).
MODIFIER_FACTOR = 0.5
_MODIFIER_WORDS_EN = ("bluetooth", "smart", "phone", "app", "connected")
_MODIFIER_BIGRAMS_KO = ("블루", "루투", "투스", "와이", "이파", "파이", "스마", "마트", "무선")
MODIFIER_FEATS = frozenset(stem_en(w) for w in _MODIFIER_WORDS_EN) | frozenset(
    mark + bigram for bigram in _MODIFIER_BIGRAMS_KO for mark in ("\u3131", "\u3134"))


@dataclass
class Candidate:
    """Something matchable: a curated device type or an imported FDA / MFDS entry."""

    id: str
    name: str
    name_ko: str
    source: str                      # "curated", "fda" or "mfds"
    payload: dict = field(default_factory=dict)


@dataclass
class Match:
    """One ranked candidate with its score (0–1) and the phrase that matched best."""

    candidate: Candidate
    score: float
    phrase: str
    share: float = 1.0      # share of the concept's known words this candidate explains
    explained: frozenset = frozenset()   # the concept's features it explains


@dataclass
class _Phrase:
    owner: int
    text: str
    feats: frozenset
    weight: float
    is_keyword: bool


class MatchIndex:
    """An inverted index over candidate phrases, built once and searched per request."""

    def __init__(self, items: Iterable[tuple[Candidate, list[tuple[str, float, bool]]]]) -> None:
        self.candidates: list[Candidate] = []
        self.phrases: list[_Phrase] = []
        self.owned: list[list[int]] = []
        self.lacks: list[frozenset] = []
        postings: dict[str, list[int]] = {}
        df: dict[str, int] = {}
        for candidate, phrases in items:
            owner = len(self.candidates)
            self.candidates.append(candidate)
            self.owned.append([])
            seen: set[str] = set()
            for text, weight, is_keyword in phrases:
                feats = frozenset(features(text, query=False))
                if not feats:
                    continue
                pid = len(self.phrases)
                self.phrases.append(_Phrase(owner, text, feats, weight, is_keyword))
                self.owned[owner].append(pid)
                for feat in feats:
                    postings.setdefault(feat, []).append(pid)
                seen |= feats
            # What the type's own name excludes ("syringe (without needle)"): a concept naming it is not this type.
            lacks = negated_features(candidate.name or "") | negated_features(candidate.name_ko or "")
            self.lacks.append(frozenset(f for f in lacks - seen if not f.startswith("\u3134")))
            for feat in seen:
                df[feat] = df.get(feat, 0) + 1
        n = max(len(self.candidates), 1)
        # IDF scaled to 0–1 (a word unique to one candidate weighs 1) so scores do not depend on corpus size.
        top = math.log(1.0 + n)
        self.weights = {f: math.log(1.0 + n / c) / top * _FEATURE_SCALE.get(f[0], 1.0)
                        * (MODIFIER_FACTOR if f in MODIFIER_FEATS else 1.0) for f, c in df.items()}
        self.postings = postings
        # Every word a candidate is known by, pooled: catches paraphrases that name no phrase whole.
        self.doc_postings: dict[str, list[int]] = {}
        for owner, pids in enumerate(self.owned):
            for feat in set().union(*(self.phrases[p].feats for p in pids)) if pids else ():
                self.doc_postings.setdefault(feat, []).append(owner)
        self.totals = [sum(self.weights[f] for f in p.feats) for p in self.phrases]

    def __len__(self) -> int:
        return len(self.candidates)

    def search(self, concept_feats: set[str], limit: int = 6, avoid: frozenset | set = frozenset(),
               later: frozenset | set = frozenset()) -> list[Match]:
        """The best-scoring candidates for a concept's features, best first; candidates named by
        something the concept says it lacks (`avoid`, e.g. "without antibiotic") are pushed down,
        and words only met after the lead sentence (`later`) weigh LATER_FACTOR of their weight."""
        acc: dict[int, float] = {}
        weights, postings = self.weights, self.postings
        # This concept's weight for each known word: the index's, cut for words after the lead.
        concept_weights = {f: weights[f] * LATER_FACTOR if f in later else weights[f]
                           for f in concept_feats if f in weights}
        for feat, w in concept_weights.items():
            plist = postings.get(feat)
            if plist is None:
                continue
            for pid in plist:
                acc[pid] = acc.get(pid, 0.0) + w
        best: dict[int, tuple[float, str]] = {}
        keyword_hits: dict[int, int] = {}
        for pid, mass in acc.items():
            phrase = self.phrases[pid]
            coverage = mass / self.totals[pid]
            if phrase.is_keyword and coverage >= 0.999:
                keyword_hits[phrase.owner] = keyword_hits.get(phrase.owner, 0) + 1
            score = phrase.weight * coverage * coverage * (1.0 - math.exp(-mass / TAU))
            current = best.get(phrase.owner)
            if current is None or score > current[0]:
                best[phrase.owner] = (score, phrase.text)
        doc_mass: dict[int, float] = {}
        for feat, w in concept_weights.items():
            owners = self.doc_postings.get(feat)
            if owners is None:
                continue
            for owner in owners:
                doc_mass[owner] = doc_mass.get(owner, 0.0) + w
        for owner, mass in doc_mass.items():
            doc_score = DOC_CAP * (1.0 - math.exp(-mass / DOC_TAU))
            current = best.get(owner)
            if current is None or doc_score > current[0]:
                best[owner] = (doc_score, "(words)" if current is None else current[1])
        # Share of the concept's known words that the candidate explains (all its phrases together):
        # "hospital bed mattress" is explained better by a mattress than by a bed.
        known = sum(weights[f] for f in concept_feats if f in weights and not f.startswith("\u3134"))
        shortlist = sorted(best.items(), key=lambda kv: -kv[1][0])[: max(limit * 3, 12)]
        ranked = []
        for owner, (score, text) in shortlist:
            explained: set[str] = set()
            for pid in self.owned[owner]:
                if pid in acc:
                    explained |= self.phrases[pid].feats & concept_feats
            share = min(1.0, sum(weights[f] for f in explained if not f.startswith("\u3134")) / known) if known else 0.0
            extra = max(0, keyword_hits.get(owner, 0) - 1)
            score = score * (1.0 - CONCEPT_SHARE + CONCEPT_SHARE * share) + KEYWORD_BONUS * min(extra, 2)
            if avoid and any(avoid & self.phrases[pid].feats for pid in self.owned[owner]
                             if not self.phrases[pid].is_keyword):
                score *= AVOID_FACTOR
            if self.lacks[owner] & concept_feats:
                score *= AVOID_FACTOR
            ranked.append(Match(self.candidates[owner], min(1.0, score), text, share,
                                frozenset(f for f in explained if not f.startswith("\u3134"))))
        ranked.sort(key=lambda m: (-m.score, m.candidate.source != "curated", m.candidate.id))
        return ranked[:limit]


def own_codes(device: dict) -> dict[str, set]:
    """A curated type's own official codes by list: FDA product codes ("fda"), MFDS item codes ("mfds")."""
    return {"fda": set((device.get("us") or {}).get("product_codes") or []),
            "mfds": set((device.get("kr") or {}).get("item_codes") or [])}


def device_phrases(device: dict) -> list[tuple[str, float, bool]]:
    """The phrases a curated device type is known by, with their weights."""
    phrases: list[tuple[str, float, bool]] = []
    for key, weight in (("name", NAME_WEIGHT), ("name_ko", NAME_WEIGHT)):
        if device.get(key):
            phrases.append((device[key], weight, False))
    for key in ("synonyms_en", "synonyms_ko"):
        phrases.extend((s, SYNONYM_WEIGHT, False) for s in device.get(key) or [])
    for key in ("keywords_en", "keywords_ko"):
        phrases.extend((k, KEYWORD_WEIGHT, True) for k in device.get(key) or [])
    return phrases


def build_device_index(devices: dict[str, dict]) -> MatchIndex:
    """The index over the curated device types."""
    items = []
    for device in sorted(devices.values(), key=lambda d: d["id"]):
        candidate = Candidate(device["id"], device.get("name", device["id"]), device.get("name_ko", ""),
                              "curated", device)
        items.append((candidate, device_phrases(device)))
    return MatchIndex(items)


def top(matches: list[Match]) -> Optional[Match]:
    """The best match, if any."""
    return matches[0] if matches else None
