"""A curated type that does not name what the concept is, against an official entry that does.

"foam nose clip worn during spirometry testing" meets the curated spirometer on its purpose words
and the FDA nose clip on its head noun (words/head.py): the thing described is a clip, so the
official entry is the answer (with the catalogue's lower confidence), not the spirometer. A curated
type whose names or synonyms contain the head is kept, however the scores fall; the entry must also
fit the concept nearly as well as the curated type (HEAD_GAP).
"""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.classification.confidence import MATCH_NONE
from medreg.knowledge.classification.matching import Match, device_phrases
from medreg.knowledge.words.head import final_noun_features, head_features
from medreg.knowledge.words.text import features

HEAD_FLOOR = MATCH_NONE   # an official entry naming the head must still be a match (else qualification doubts it)
HEAD_GAP = 0.2        # ... and fall at most this far below the curated type (the name alone is not enough)
HEAD_NONE = 0.4       # below the catalogue's floor (0.45), an entry naming the head is still the best lead
LOOK = 5              # catalogue candidates looked at, best first


def _bare(feats) -> set[str]:
    # A Korean bigram inside a word (ㄱ) or across a space (ㄴ) is the same two syllables here.
    return {f[1:] if f[:1] in ("\u3131", "\u3134") else f for f in feats}


def _names(texts) -> set[str]:
    out: set[str] = set()
    for text in texts:
        if text:
            out |= _bare(features(text, query=False))
    return out


_CURATED_NAMES: dict[tuple, frozenset] = {}


def _curated_names(device: dict) -> frozenset:
    """A curated type's name features, computed once per distinct set of phrases."""
    texts = tuple(text for text, _, _ in device_phrases(device))
    names = _CURATED_NAMES.get(texts)
    if names is None:
        names = _CURATED_NAMES[texts] = frozenset(_names(texts))
    return names


def names_head(concept: str, chosen: Match) -> bool:
    """False when the concept has a head noun and the chosen curated type's names never say it
    ("membrane oxygenator ..." read as the heart-lung machine): the answer is then about another thing."""
    language = _language(concept)
    head = _bare(head_features(concept, language))
    if not head and language == "ko":
        head = _bare(final_noun_features(concept))   # a long Korean clause still ends on its noun
    return not head or head <= _curated_names(chosen.candidate.payload)


def _language(concept: str) -> str:
    return "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in concept) else "en"


def named_entry(concept: str, chosen: Optional[Match], imported: list[Match]) -> Optional[Match]:
    """The best catalogue entry that names the concept's head when the chosen curated type does not,
    or, when nothing was chosen (`chosen` None), one that names it above HEAD_NONE."""
    head = _bare(head_features(concept, _language(concept)))
    if not head:
        return None
    if chosen is not None and head <= _curated_names(chosen.candidate.payload):
        return None
    floor = max(HEAD_FLOOR, chosen.score - HEAD_GAP) if chosen is not None else HEAD_NONE
    for match in imported[:LOOK]:
        if match.score < floor or not match.candidate.payload.get("catalogue"):
            continue
        if head <= _names((match.candidate.name, match.candidate.name_ko)):
            return match
    return None
