"""Matching a concept to catalogue entries in the term map's concept space (the same space the
cross-market link is built in): "뇌 혈류 모니터" meets "뇌 혈류계" through brain + blood flow,
and a Korean concept can meet an English FDA name. The surface matcher (words and syllables)
stays the main one; this score only reorders and lifts the catalogue's own candidates
(classification/ranking.py), never a curated type.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from medreg.knowledge.catalogue.link import COMMON_DF, HEAD_MISS, UNMAPPED, Linker, fda_doc, mfds_doc
from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.catalogue.terms import TermMap, load_terms

TOP = 5
MIN_CONCEPTS = 2      # a concept read into one concept only ("monitor") says too little to match on


@dataclass
class ConceptIndex:
    """Every matchable FDA code and active MFDS item in concept space, with the link's weights:
    posting lists (concept -> entries) and each entry's total weight and head noun, so a search
    adds up shared weights without comparing sets."""

    terms: TermMap
    linker: Linker
    postings: dict[str, list[int]]
    entries: list[tuple[str, str, float, str]]     # (list, code, total weight, head noun)
    catalogue: Catalogue | None = None
    docs: dict = field(default_factory=dict, repr=False)   # (list, code) -> (entry, Doc), read on demand

    def entry_doc(self, source: str, code: str) -> tuple:
        """(entry, Doc) of one catalogue entry read into concepts (its English names too), cached here,
        with the catalogue and term map it belongs to."""
        key = (source, code)
        if key not in self.docs:
            entry = (self.catalogue.fda if source == "fda" else self.catalogue.mfds).get(code)
            self.docs[key] = (entry, None if entry is None else
                              fda_doc(self.terms, code, entry) if source == "fda" else mfds_doc(self.terms, code, entry))
        return self.docs[key]

    def weight(self, concept: str) -> float:
        """A concept's weight when an English and a Korean name are compared (as the link does)."""
        return self.linker.w[concept] * (UNMAPPED if concept.startswith("w:") else 1.0)

    def search(self, concept: str) -> list[tuple[str, str, float]]:
        """(list, code, score) of the best entries for a concept in either language, best first."""
        read = {c for c in self.terms.korean(concept) + self.terms.english(concept) if c in self.linker.w}
        if len(read) < MIN_CONCEPTS:
            return []
        shared: dict[int, float] = {}
        for concept_id in read:
            if self.linker.df.get(concept_id, 0) <= COMMON_DF:
                w = self.weight(concept_id)
                for n in self.postings.get(concept_id, ()):
                    shared[n] = shared.get(n, 0.0) + w
        if not shared:
            return []
        # shared weight from the rare concepts only; the common ones still count where shared
        for concept_id in read:
            if self.linker.df.get(concept_id, 0) > COMMON_DF:
                w = self.weight(concept_id)
                for n in self.postings.get(concept_id, ()):
                    if n in shared:
                        shared[n] += w
        total = sum(self.weight(c) for c in read)
        scored = []
        for n, common in shared.items():
            source, code, doc_total, head = self.entries[n]
            score = 2 * common / (total + doc_total) * (1.0 if head in read else HEAD_MISS)
            scored.append((-round(score, 4), source, code))
        scored.sort()
        return [(source, code, -neg) for neg, source, code in scored[:TOP]]


def build_concept_index(catalogue: Catalogue, terms: TermMap | None = None) -> ConceptIndex:
    """The concept index over the shipped catalogue (built once per process)."""
    terms = terms or load_terms()
    fda = [("fda", fda_doc(terms, c, e)) for c, e in sorted(catalogue.fda.items())
           if not e.get("not_device_type") and e.get("class") in ("1", "2", "3")]
    # Korean names only: the link already reads the English ones; here they would reweigh curated answers.
    kr = [("mfds", mfds_doc(terms, c, e, english=False)) for c, e in sorted(catalogue.mfds.items())
          if e.get("status") == "active" and e.get("grade") in (1, 2, 3, 4)]
    linker = Linker(terms, [doc for _, doc in fda + kr])
    index = ConceptIndex(terms, linker, {}, [], catalogue)
    for source, doc in fda + kr:
        n = len(index.entries)
        index.entries.append((source, doc.code, sum(index.weight(c) for c in doc.concepts), doc.head))
        for concept in doc.concepts:
            index.postings.setdefault(concept, []).append(n)
    return index
