"""The cross-market link, built by `medreg kb build`: for each FDA product code the MFDS items and
EMDN terms for the same device type, and for each MFDS item the FDA codes and EMDN terms.

Not string identity: names are read into the concepts of the project's own term map
(terms.py), compared by a weighted overlap (rare concepts weigh more; the map's weights damp
generic words), and the score is then scaled by how well the two entries' official attributes
agree: IVD or not (never linked across), the FDA class against the MFDS grade, the FDA implant
and life-sustaining flags against the grade, the dental panel against the dental group. The
score (0-1) is stored with each link; classify only trusts links at or above STRONG.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from medreg.knowledge.catalogue.fda_ivd import fda_is_ivd  # noqa: F401  (the one IVD test; imported from here too)
from medreg.knowledge.catalogue.terms import TermMap

KEEP = 2            # links kept per entry and list (best first)
FLOOR = 0.25        # below: not stored
STRONG = 0.55       # at or above: classify takes the linked entry's class (see classification/linked.py)
HEAD_MISS = 0.55    # neither name's head noun is in the other: another device type, most likely
UNMAPPED = 0.4      # weight of an unmapped English word in an English-Korean comparison
COMMON_DF = 400     # concepts this common do not propose candidates (they still score)
# FDA class (1-3) against MFDS grade (1-4): how plausible the pair is for one device type.
CLASS_GRADE = {("1", 1): 1.0, ("1", 2): 0.9, ("1", 3): 0.6, ("1", 4): 0.45,
               ("2", 1): 0.8, ("2", 2): 1.0, ("2", 3): 0.9, ("2", 4): 0.7,
               ("3", 1): 0.4, ("3", 2): 0.7, ("3", 3): 1.0, ("3", 4): 1.0}


@dataclass
class Doc:
    """One entry read into concepts: the concept set, its head noun, and its official attributes."""

    code: str
    concepts: frozenset
    head: str
    ivd: bool
    cls: str = ""
    grade: int = 0
    implant: bool = False
    life: bool = False
    dental: bool = False


def _head_en(terms: TermMap, name: str) -> str:
    """FDA and EMDN names put the head first before a comma ("Catheter, Intravascular"), else last."""
    base = name.split("(")[0]
    first = base.split(",")[0]
    concepts = terms.english(first) or terms.english(name)
    return concepts[-1] if concepts else ""


def fda_doc(terms: TermMap, code: str, entry: dict) -> Doc:
    """An FDA product code as a Doc."""
    concepts = terms.english_name(entry["name"])
    ivd = fda_is_ivd(entry)
    return Doc(code, frozenset(concepts), _head_en(terms, entry["name"]), ivd, cls=entry.get("class", ""),
               implant=bool(entry.get("implant")), life=bool(entry.get("life_sustaining")),
               dental=entry.get("panel") == "DE")


def mfds_doc(terms: TermMap, code: str, entry: dict, english: bool = True) -> Doc:
    """An MFDS item as a Doc (the Korean head is the last noun of the name), read from its Korean
    name and, where the annex gives one (and `english`), its English name: the official English
    name meets an FDA name in one language, where the term map's Korean reading can miss."""
    concepts = terms.korean(entry["name_ko"])
    nouns = [c for c in concepts if terms.kind.get(c) == "noun"]
    head = (nouns or concepts or [""])[-1]
    english = terms.english_name(entry["name_en"]) if english and entry.get("name_en") else []
    return Doc(code, frozenset(concepts) | frozenset(english), head, bool(entry.get("ivd")),
               grade=int(entry.get("grade") or 0), dental=entry.get("group") == "C" or "dental" in concepts)


def emdn_doc(terms: TermMap, code: str, term: dict) -> Doc:
    """An EMDN term as a Doc (chapter W is in-vitro diagnostics)."""
    return Doc(code, frozenset(terms.english_name(term["term"])), _head_en(terms, term["term"]), code.startswith("W"))


class Linker:
    """Scores pairs of Docs in one concept space, with idf weights over every list."""

    def __init__(self, terms: TermMap, docs: list[Doc]):
        self.terms = terms
        df: dict[str, int] = defaultdict(int)
        for doc in docs:
            for concept in doc.concepts:
                df[concept] += 1
        n = max(len(docs), 1)
        self.df = df
        self.w = {c: math.log(1 + n / d) * terms.weight.get(c, 1.0) for c, d in df.items()}

    def overlap(self, a: Doc, b: Doc, across: bool = False) -> float:
        """Weighted Dice of two concept sets, damped when neither head noun is shared. Across the
        languages an English word the map does not know (`w:`) weighs less: no Korean name can
        share it, so it is missing evidence rather than evidence against."""
        shared = a.concepts & b.concepts
        if not shared:
            return 0.0
        w = self.w

        def weight(c: str) -> float:
            return w[c] * (UNMAPPED if across and c.startswith("w:") else 1.0)
        total = sum(weight(c) for c in a.concepts) + sum(weight(c) for c in b.concepts)
        score = 2 * sum(weight(c) for c in shared) / total if total else 0.0
        if a.head not in b.concepts and b.head not in a.concepts:
            score *= HEAD_MISS
        return score

    def candidates(self, query: Doc, index: dict[str, list[Doc]]) -> list[Doc]:
        """Docs of another list that share a concept rare enough to propose them."""
        seen: dict[str, Doc] = {}
        for concept in query.concepts:
            if self.df.get(concept, 0) <= COMMON_DF:
                for doc in index.get(concept, ()):
                    seen.setdefault(doc.code, doc)
        return list(seen.values())


def agreement(fda: Doc, kr: Doc) -> float:
    """How far the official attributes of an FDA code and an MFDS item allow one device type (0-1)."""
    if fda.ivd != kr.ivd:
        return 0.0
    factor = CLASS_GRADE.get((fda.cls, kr.grade), 0.8)
    if (fda.implant or fda.life) and kr.grade and kr.grade <= 2:
        factor *= 0.8
    if fda.dental != kr.dental:
        factor *= 0.8
    return factor


def _index(docs: list[Doc]) -> dict[str, list[Doc]]:
    index: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        for concept in doc.concepts:
            index[concept].append(doc)
    return index


def _best(linker: Linker, query: Doc, index: dict, agree, across: bool) -> list[list]:
    scored = []
    for doc in linker.candidates(query, index):
        score = linker.overlap(query, doc, across) * agree(query, doc)
        if score >= FLOOR:
            scored.append((-round(score, 3), doc.code))
    scored.sort()
    return [[code, -neg] for neg, code in scored[:KEEP]]


def build_links(terms: TermMap, fda: dict[str, dict], mfds: dict[str, dict], emdn: dict[str, dict]) -> dict:
    """{"fda": {code: {"mfds": [[item, score]...], "emdn": [...]}}, "mfds": {item: {"fda": ..., "emdn": ...}}}."""
    fda_docs = [fda_doc(terms, c, e) for c, e in sorted(fda.items())
                if not e.get("not_device_type") and e.get("class") in ("1", "2", "3")]
    kr_docs = [mfds_doc(terms, c, e) for c, e in sorted(mfds.items())
               if e.get("status") == "active" and e.get("grade") in (1, 2, 3, 4)]
    eu_docs = [emdn_doc(terms, c, t) for c, t in sorted(emdn.items()) if t.get("term")]
    linker = Linker(terms, fda_docs + kr_docs + eu_docs)
    fda_index, kr_index, eu_index = _index(fda_docs), _index(kr_docs), _index(eu_docs)

    def same_kind(a: Doc, b: Doc) -> float:
        return 1.0 if a.ivd == b.ivd else 0.0

    out: dict[str, dict] = {"fda": {}, "mfds": {}}
    for doc in fda_docs:
        row = {"mfds": _best(linker, doc, kr_index, agreement, True),
               "emdn": _best(linker, doc, eu_index, same_kind, False)}
        if row["mfds"] or row["emdn"]:
            out["fda"][doc.code] = {k: v for k, v in row.items() if v}
    for doc in kr_docs:
        row = {"fda": _best(linker, doc, fda_index, lambda kr, f: agreement(f, kr), True),
               "emdn": _best(linker, doc, eu_index, same_kind, True)}
        if row["fda"] or row["emdn"]:
            out["mfds"][doc.code] = {k: v for k, v in row.items() if v}
    return out
