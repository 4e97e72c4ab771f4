"""The curated regulatory knowledge base and the offline reasoning over it."""
from __future__ import annotations

import threading
from typing import Optional, Sequence

from medreg.knowledge.loader import KnowledgeData, load_data

_lock = threading.Lock()
_instance: Optional["Knowledge"] = None


class Knowledge:
    """Facade over the knowledge base: one method per pipeline step, plain dicts out."""

    def __init__(self, data: KnowledgeData) -> None:
        self.data = data

    def classify(self, concept: str, context: Optional[str], markets: Sequence[str], language: str) -> dict:
        """A Classification (see CONTRACT.md) for a free-text concept."""
        from medreg.knowledge.classify import classify_concept

        return classify_concept(self, concept, context, tuple(markets), language)

    def purpose(self, concept: str, classification: Optional[dict], context: Optional[str], language: str) -> dict:
        """A Purpose built from the device type and the concept's own words."""
        from medreg.knowledge.purpose import build_purpose

        return build_purpose(self, concept, classification, context, language)

    def plans(self, classification: dict, category: Optional[dict], purpose: Optional[dict],
              markets: Sequence[str], language: str) -> list[dict]:
        """The regulatory plans, one per workstream, in dependency order."""
        from medreg.knowledge.plans import build_plans

        return build_plans(self, classification, category, purpose, tuple(markets), language)

    def refine(self, plans: list[dict], feedback: str, classification: Optional[dict],
               purpose: Optional[dict], language: str) -> dict:
        """`{"plans": [...], "changes": [...], "not_applied": [...]}` from the user's feedback."""
        from medreg.knowledge.refine import refine_plans

        return refine_plans(self, plans, feedback, classification, purpose, language)


def get_knowledge() -> Knowledge:
    """The process-wide knowledge base, loaded on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Knowledge(load_data())
    return _instance
