"""A curated type that does not name what the concept is, against an official entry that does.

"foam nose clip worn during spirometry testing" meets the curated spirometer on its purpose words
and the FDA nose clip on its head noun (words/head.py): the thing described is a clip, so the
official entry is the answer (with the catalogue's lower confidence), not the spirometer. A curated
type whose names or synonyms contain the head is kept, however the scores fall; the entry must also
fit the concept nearly as well as the curated type (HEAD_GAP).
"""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.classification.catalogue_choice import CATALOGUE_NONE
from medreg.knowledge.classification.confidence import MATCH_NONE
from medreg.knowledge.classification.matching import Match, device_phrases, own_codes
from medreg.knowledge.words.head import final_noun_features, head_features
from medreg.knowledge.words.text import features

# Measured on catalogue holdouts 1-6 (floor 0.35 / 0.4 / 0.55, gap 0.2 / 0.3 / 0.5 / 0.6 / 1.0 also
# tried): a curated type that never names the head met the concept on its modifiers ("for a dental
# handpiece"), so its score says little about the thing; an entry naming the head may fall this far
# below it. Under the catalogue's floor (0.45) an entry gives no class, so it must reach that.
HEAD_FLOOR = CATALOGUE_NONE
HEAD_GAP = 0.4
# ... but further than this below (or under MATCH_NONE), the entry must also name another word of the
# concept: a bare generic name ("Probe", "형광 스캐너" for "CT 스캐너") names the head and nothing of
# what the concept says about it.
NEAR_GAP = 0.2
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
    near = max(MATCH_NONE, chosen.score - NEAR_GAP) if chosen is not None else 0.0
    said = _bare(features(concept)) - head
    own = set().union(*own_codes(chosen.candidate.payload).values()) if chosen is not None else set()
    for match in imported[:LOOK]:
        if match.score < floor or not match.candidate.payload.get("catalogue") or match.candidate.payload.get("code") in own:
            continue   # (an entry that is the type's own official code: the type already is that device)
        names = _names((match.candidate.name, match.candidate.name_ko))
        if head <= names and (match.score >= near or (names - head) & said):
            return match
    return None
