"""The curated regulatory knowledge base and the offline reasoning over it.

One `Knowledge` object per process (`get_knowledge()`), passed to every part that reads it:
- `catalogue/`       the data files (loader), imported official lists (importers, store), `flask kb`
- `classification/`  matching a concept to device types, its attributes, the US/EU/KR rules, confidence
- `purpose/`         the intended purpose from the device type and the concept's own words
- `plans/`           workstreams, the standards they apply, schedule, the plan texts
- `refine/`          plans revised from the user's feedback
- `words/`           text normalisation and bilingual phrases shared by all of the above
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional, Sequence

from medreg.knowledge.catalogue.loader import KnowledgeData, load_data
from medreg.knowledge.catalogue.concepts import ConceptIndex, build_concept_index
from medreg.knowledge.catalogue.index import build_catalogue_index
from medreg.knowledge.catalogue.shipped import Catalogue, load_catalogue
from medreg.knowledge.classification.classify import classify_concept
from medreg.knowledge.classification.matching import MatchIndex, build_device_index
from medreg.knowledge.plans.build import build_plans
from medreg.knowledge.purpose.build import build_purpose
from medreg.knowledge.refine.revise import refine_plans

_lock = threading.Lock()
_instance: Optional["Knowledge"] = None


class Knowledge:
    """Facade over the knowledge base: one method per pipeline step, plain dicts out."""

    def __init__(self, data: KnowledgeData, catalogue: Optional[Catalogue] = None) -> None:
        self.data = data
        # the official lists, read once per process here (never in a request path)
        self.catalogue: Catalogue = catalogue if catalogue is not None else load_catalogue()
        self.kb_store_dir: Optional[Path] = None  # where `flask kb import-*` keep official entries
        self.imported_cache = None                 # catalogue.store's index over those entries
        self._index_lock = threading.Lock()
        self._catalogue_index: Optional[MatchIndex] = None
        self._concept_index: Optional[ConceptIndex] = None
        self._catalogue_by_id: Optional[dict] = None
        self._device_index: Optional[MatchIndex] = None
        self._indexed_devices = -1

    def _built(self, attr: str, build):
        """The attribute, built once under the index lock on first use (workers may race at warm-up)."""
        value = getattr(self, attr)
        if value is None:
            with self._index_lock:
                value = getattr(self, attr)
                if value is None:
                    value = build()
                    setattr(self, attr, value)
        return value

    def device_index(self) -> MatchIndex:
        """The match index over the curated device types (rebuilt only if the set changes)."""
        if self._indexed_devices != len(self.data.devices):
            with self._index_lock:
                self._device_index = build_device_index(self.data.devices)
                self._indexed_devices = len(self.data.devices)
        return self._device_index

    def sources(self) -> list[dict]:
        """The official lists the shipped catalogue was built from: name (file, sha256 prefix) and version."""
        out = []
        for key, meta in sorted((self.catalogue.sources if self.catalogue else {}).items()):
            files = meta.get("files") if isinstance(meta.get("files"), list) else [meta]
            first = files[0] if files else {}
            name = f"{key}: {first.get('file', '?')}" + (f" (+{len(files) - 1} files)" if len(files) > 1 else "")
            if first.get("sha256"):
                name += f", sha256 {first['sha256'][:12]}"
            out.append({"name": name, "date": first.get("version") or "unknown"})
        return out

    def concept_index(self) -> ConceptIndex:
        """The shipped catalogue in the term map's concept space (built once, with the catalogue index)."""
        return self._built("_concept_index", lambda: build_concept_index(self.catalogue))

    def catalogue_candidate(self, candidate_id: str):
        """A catalogue index candidate by id ("fda:GWX", "mfds:A28260.01"), or None."""
        if self._catalogue_by_id is None:
            self._catalogue_by_id = {c.id: c for c in self.catalogue_index().candidates}
        return self._catalogue_by_id.get(candidate_id)

    def catalogue_index(self) -> MatchIndex:
        """The match index over the shipped catalogue (built once, on first use or at warm-up)."""
        return self._built("_catalogue_index", lambda: build_catalogue_index(self.catalogue))

    def classify(self, concept: str, context: Optional[str], markets: Sequence[str], language: str,
                 answers: Optional[dict] = None) -> dict:
        """A Classification (see CONTRACT.md) for a free-text concept and the user's answers to its questions."""
        return classify_concept(self, concept, context, tuple(markets), language, answers)

    def purpose(self, concept: str, classification: Optional[dict], context: Optional[str], language: str) -> dict:
        """A Purpose built from the device type and the concept's own words."""
        return build_purpose(self, concept, classification, context, language)

    def plans(self, classification: dict, category: Optional[dict], purpose: Optional[dict],
              markets: Sequence[str], language: str) -> list[dict]:
        """The regulatory plans, one per workstream, in dependency order."""
        return build_plans(self, classification, category, purpose, tuple(markets), language)

    def refine(self, plans: list[dict], feedback: str, classification: Optional[dict],
               purpose: Optional[dict], language: str) -> dict:
        """`{"plans": [...], "changes": [...], "not_applied": [...]}` from the user's feedback."""
        return refine_plans(self, plans, feedback, classification, purpose, language)


def get_knowledge() -> Knowledge:
    """The process-wide knowledge base, loaded on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                knowledge = Knowledge(load_data())
                knowledge.catalogue_index()  # at load, so no request pays for it
                knowledge.concept_index()
                _instance = knowledge
    return _instance
