"""Matching a concept to catalogue entries in the term map's concept space (the same space the
cross-market link is built in): "뇌 혈류 모니터" meets "뇌 혈류계" through brain + blood flow,
and a Korean concept can meet an English FDA name. The surface matcher (words and syllables)
stays the main one; this score only reorders and lifts the catalogue's own candidates
(classification/ranking.py), never a curated type.
"""
from __future__ import annotations

from dataclasses import dataclass

from medreg.knowledge.catalogue.link import COMMON_DF, Doc, Linker, fda_doc, mfds_doc
from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.catalogue.terms import TermMap, load_terms

TOP = 5
MIN_CONCEPTS = 2      # a concept read into one concept only ("monitor") says too little to match on


@dataclass
class ConceptIndex:
    """Docs of every matchable FDA code and active MFDS item, with the link's weights."""

    terms: TermMap
    linker: Linker
    index: dict[str, list[tuple[str, Doc]]]

    def search(self, concept: str) -> list[tuple[str, str, float]]:
        """(list, code, score) of the best entries for a concept in either language, best first."""
        read = [c for c in self.terms.korean(concept) + self.terms.english(concept) if c in self.linker.w]
        query = Doc("", frozenset(read), "", False)
        if len(query.concepts) < MIN_CONCEPTS:
            return []
        seen: dict[tuple[str, str], Doc] = {}
        for concept_id in query.concepts:
            if self.linker.df.get(concept_id, 0) <= COMMON_DF:
                for source, doc in self.index.get(concept_id, ()):
                    seen.setdefault((source, doc.code), doc)
        scored = []
        for (source, code), doc in seen.items():
            # a Korean query against an English name, or the reverse: unmapped words weigh less
            score = self.linker.overlap(query, doc, across=True)
            if score > 0:
                scored.append((-round(score, 4), source, code))
        scored.sort()
        return [(source, code, -neg) for neg, source, code in scored[:TOP]]


def build_concept_index(catalogue: Catalogue, terms: TermMap | None = None) -> ConceptIndex:
    """The concept index over the shipped catalogue (built once per process)."""
    terms = terms or load_terms()
    fda = [("fda", fda_doc(terms, c, e)) for c, e in sorted(catalogue.fda.items())
           if not e.get("not_device_type") and e.get("class") in ("1", "2", "3")]
    kr = [("mfds", mfds_doc(terms, c, e)) for c, e in sorted(catalogue.mfds.items())
          if e.get("status") == "active" and e.get("grade") in (1, 2, 3, 4)]
    linker = Linker(terms, [doc for _, doc in fda + kr])
    index: dict[str, list[tuple[str, Doc]]] = {}
    for source, doc in fda + kr:
        for concept in doc.concepts:
            index.setdefault(concept, []).append((source, doc))
    return ConceptIndex(terms, linker, index)
