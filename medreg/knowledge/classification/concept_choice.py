"""A curated type against an official entry that explains more of what the concept says.

The surface matcher prefers curated types (they carry all three markets and citations), so a
finer official subtype or another device that shares a word with a curated type loses to it: a
snare catheter answered as a peripheral guidewire, a lens-trial frame as spectacles. Read in the
term map's concept space, the entry names a thing the concept names (its head noun) that the
curated type's names never name (or, scoring almost as well, the same thing: a finer subtype,
"dry-slide" chemistry analyser against the curated analyser), and explains clearly more of the
concept's weighted words: the concept is about the entry's device. It is then the answer (flagged
`source: catalogue`, the curated type kept as an alternative); where the entry states no rule
input or gives no class in a market, the replaced type stands in for it, flagged (classify.py).
"""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.classification.doubts import read, type_concepts
from medreg.knowledge.classification.matching import Match, own_codes

LOOK = 10          # catalogue candidates looked at, best first
# Measured on catalogue holdouts 1-5 (0.45 / 0.2 / 0.15 also tried): a lower floor lets entries
# met at 0.35-0.45 replace curated types, whose answers then lose a class (the catalogue floor).
FLOOR = 0.55       # an entry below this match score is too weak a lead to replace a curated type
GAP = 0.25         # ... and it may fall at most this far below the curated type's score
NEAR = 0.1         # an entry this close to the curated type may share its head (a finer subtype of it)
MORE = 0.2         # share of the concept's weighted words it must explain beyond the curated type


def explaining_entry(kb, concept: str, chosen: Optional[Match], imported: list[Match]) -> Optional[Match]:
    """The catalogue entry that names a thing the concept names (and the curated type does not, unless
    the entry scores within NEAR of it: a finer subtype) and explains MORE of the concept's weighted
    concepts than the curated type (else None)."""
    if chosen is None or chosen.candidate.source != "curated":
        return None
    index = kb.concept_index()
    terms, weights = index.terms, index.linker.w
    said = read(terms, concept)
    total = sum(weights.get(c, 0.0) for c in said)
    if not total:
        return None
    own = type_concepts(terms, chosen.candidate.payload)
    base = sum(weights.get(c, 0.0) for c in said & own) / total
    device = chosen.candidate.payload
    # the type's own official codes: the type already is that device
    codes = set().union(*own_codes(device).values())
    floor = max(FLOOR, chosen.score - GAP)
    best, best_share = None, base + MORE
    for match in imported[:LOOK]:
        payload = match.candidate.payload
        if match.score < floor or not payload.get("catalogue") or payload.get("code") in codes:
            continue
        _, doc = index.entry_doc(match.candidate.source, payload["code"])
        if doc is None or doc.head not in said or (doc.head in own and match.score < chosen.score - NEAR):
            continue
        share = sum(weights.get(c, 0.0) for c in said & doc.concepts) / total
        if share >= best_share:
            best, best_share = match, share
    return best
