"""Whether a concept names an accessory of the device type it matched ("bone-cement mixing bowl"
matched to bone cement): MDR Annex VIII implementing rule 3.2 classifies accessories in their own
right, and FDA gives them their own product codes, so the matched type's class is then only a
guess and is never given with high confidence.

The test is narrow on purpose: the concept's head noun (English: the last word before the first
"for / with / to / that / ," ...; Korean: an accessory noun anywhere) is one of the objects that
are typically accessories, and the matched type's own phrase does not contain it.
"""
from __future__ import annotations

import re
from typing import Optional

from medreg.knowledge.catalogue.terms import english_words, fold
from medreg.knowledge.classification.matching import Match

ACCESSORY_EN = {"bowl", "mixer", "tray", "holder", "cart", "trolley", "stand", "case", "caddy", "container",
                "dispenser", "adapter", "adaptor", "cover", "remover", "charger", "mount", "cleaner", "rack",
                "organizer", "organiser", "box", "storage", "sterilization wrap", "carrier",
                # instruments that test, place or load the matched device rather than being it
                "analyzer", "analyser", "tester", "programmer", "plugger", "inserter", "introducer", "loader"}
ACCESSORY_KO = ("혼합기", "혼합 용기", "혼합용기", "트레이", "거치대", "보관함", "케이스", "카트", "충전기", "홀더",
                "어댑터", "덮개", "세척기", "운반용기", "보관용기", "분석기", "테스터", "플러거", "삽입기", "프로그래머")
_CUT = re.compile(r"\s+(for|with|to|that|which|used|in|on|from|of)\s+|[,:;(]")


def head_noun(concept: str) -> str:
    """The English head noun of a concept's first noun phrase ("" when none)."""
    first = _CUT.split(concept.strip().lower(), maxsplit=1)[0]
    words = english_words(first)
    return words[-1] if words else ""


def accessory_of(concept: str, language: str, primary: Optional[Match]) -> Optional[str]:
    """The accessory word when a curated match is for the device the concept's product serves."""
    if primary is None or primary.candidate.source != "curated":
        return None
    names = " ".join([primary.phrase or "", primary.candidate.name or "", primary.candidate.name_ko or ""])
    if language == "ko" or re.search(r"[가-힣]", concept):
        for word in ACCESSORY_KO:
            if word in concept and word not in names:
                return word
        return None
    head = head_noun(concept)
    if head in {fold(w) for w in ACCESSORY_EN} and head not in english_words(names):
        return head
    return None
