"""Why a well-matched curated type can still be the wrong reading: three checks that hold a
curated answer below 0.8 (the caller caps it), each one a thing the matcher cannot see.

- **Another device with the same head.** Read in the term map's concept space, an official entry
  shares the concept's head noun and a rare word the curated type's names never use, and gives
  another class: "코를 높이는 … 실리콘 보형물" meets the breast implant on "silicone implant", but
  the FDA nose prosthesis on "implant" and "nose" (a one-syllable Korean word the surface matcher
  cannot weigh).
- **The dental split.** FDA keeps dental devices in their own part (21 CFR 872) and MFDS in its own
  group (C): a dental bone saw is 872.4120, an orthopaedic one 878.4820. A concept that says
  dental answered by a non-dental type while a dental entry of another class is in view, or a
  dental-only type answering a concept that never says dental (a bovine bone graft: 872.3930 in
  dentistry, 888.3015 in orthopaedics), is a guess between the two.
- **An unstated subtype.** The curated type is one subtype of a thing ("Prosthesis, Penis,
  Inflatable", 21 CFR 876.3350, class III) and the catalogue holds its sibling of another class
  ("Prosthesis, Penile", the rigidity implant of 876.3630, class II); a concept that says none of
  the words telling the type's own entries from their siblings ("penile implant") may mean either.
- **A negated type word.** Korean negates a property with the prefix 비 ("비팽창형", non-inflatable);
  the surface matcher still meets 팽창 inside it. When the curated type is explained by a word the
  concept negates, it is the other device.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from medreg.knowledge.classification.matching import Match, device_phrases, own_codes
from medreg.knowledge.classification.us import ROMAN
from medreg.knowledge.words.text import ko_features

RARE = 4.0          # concept weight (idf x map weight) from which a word distinguishes a device type
HIT_FLOOR = 0.3     # concept-space score from which an official entry is another reading
DENTAL = frozenset({"dental", "tooth", "denture", "periodontal", "oral", "orthodontic"})
DENTAL_PART = "21 CFR 872"
# 비 + a word of two or more syllables + a property suffix (형 type, 성 -ness, 식 mode): a negation
# ("비팽창형", "비흡수성", "비접촉식"); the two syllables keep 비강 (nasal), 비염 (rhinitis) out.
_NEG_KO = re.compile(r"비([\uac00-\ud7a3]{2,}?)(?:형|성|식)(?![\uac00-\ud7a3])")


def read(terms, text: str) -> frozenset:
    """The concepts a text is read into, in either language."""
    return frozenset(terms.korean(text)) | frozenset(terms.english(text))


_TYPE_CONCEPTS: dict[tuple, frozenset] = {}


def type_concepts(terms, device: dict) -> frozenset:
    """Every concept a curated type's names, synonyms and keywords are read into (cached per phrase set)."""
    texts = tuple(text for text, _, _ in device_phrases(device))
    out = _TYPE_CONCEPTS.get(texts)
    if out is None:
        out = _TYPE_CONCEPTS[texts] = frozenset().union(*(read(terms, text) for text in texts))
    return out


def _other_class(source: str, code: str, entry: dict, markets: dict) -> bool:
    """The entry gives another US class or KR grade than the curated answer (and is not its own code)."""
    if source == "fda":
        us = markets.get("US") or {}
        official = ROMAN.get(str(entry.get("class", "")))
        return bool(us.get("class") and official and official != us["class"]
                    and code not in (us.get("product_codes") or []))
    kr = markets.get("KR") or {}
    return bool(kr.get("grade") and entry.get("grade") and int(entry["grade"]) != int(kr["grade"])
                and code not in (kr.get("item_codes") or []))


@dataclass
class Doubt:
    """Why a curated answer is held below 0.8: the check that fired and the official entry it read
    the concept as ("fda:FZE"), when there is one."""

    reason: str              # "same_head", "dental_concept", "dental_type", "unstated_subtype" or "negated"
    entry: Optional[str] = None
    score: float = 0.0       # the entry's concept-space score


def other_reading(kb, concept: str, primary: Optional[Match], hits: list, markets: dict) -> Optional[Doubt]:
    """The doubt when an official entry read in concept space is another device the concept may mean."""
    if primary is None or primary.candidate.source != "curated":
        return None
    index = kb.concept_index()
    terms, weights = index.terms, index.linker.w
    said = read(terms, concept)
    own = type_concepts(terms, primary.candidate.payload)
    says_dental = bool(said & DENTAL)
    type_dental = str((primary.candidate.payload.get("us") or {}).get("regulation") or "").startswith(DENTAL_PART)
    if type_dental and not says_dental:
        return Doubt("dental_type")     # a dental-only type for a concept that never says dental
    for source, code, score in hits:
        if score < HIT_FLOOR:
            continue
        entry, doc = index.entry_doc(source, code)
        if doc is None or not _other_class(source, code, entry, markets):
            continue
        if says_dental and doc.dental and not type_dental:
            # the concept is dental, the type is not, a dental entry classes it otherwise
            return Doubt("dental_concept", f"{source}:{code}", score)
        if doc.head in said and any(weights.get(c, 0.0) >= RARE for c in (doc.concepts & said) - own - {doc.head}):
            return Doubt("same_head", f"{source}:{code}", score)
    return None


SIBLING_FLOOR = 0.3  # surface score from which a catalogue candidate is a sibling in view
SIBLINGS = 10


def unstated_subtype(kb, concept: str, primary: Optional[Match], imported: list[Match], markets: dict) -> Optional[Doubt]:
    """The doubt when the curated type's own official entries have a same-head generic sibling of
    another class and the concept says none of the words that set the own entries apart from it."""
    if primary is None or primary.candidate.source != "curated":
        return None
    device = primary.candidate.payload
    own = own_codes(device)
    index = kb.concept_index()
    own_docs = {(source, code): index.entry_doc(source, code)[1] for source, codes in own.items() for code in codes}
    own_docs = {key: doc for key, doc in own_docs.items() if doc is not None}
    everything = frozenset().union(*(d.concepts for d in own_docs.values()))
    apart: set = set()          # what the own entries of its list say that this sibling does not
    other, generic = None, None  # the first same-head generic sibling that classes the concept otherwise
    for match in imported[:SIBLINGS]:
        source, payload = match.candidate.source, match.candidate.payload
        if match.score < SIBLING_FLOOR or not payload.get("catalogue") or payload["code"] in own.get(source, ()):
            continue
        entry, doc = index.entry_doc(source, payload["code"])
        # a sibling is the generic of the own entries: it says nothing they do not (in either list:
        # MFDS "팽창성 음경 임플란트" says what FDA "Prosthesis, Penis, Inflatable" says, in Korean)
        if doc is None or not doc.concepts <= everything or not any(s == source and d.head == doc.head
                                                                     for (s, _), d in own_docs.items()):
            continue
        if other is None and _other_class(source, payload["code"], entry, markets):
            apart = set().union(*(d.concepts - doc.concepts for (s, _), d in own_docs.items() if s == source))
            other, generic = Doubt("unstated_subtype", f"{source}:{payload['code']}", match.score), doc
    # the type's own name says the subtype word ("Inflatable penile prosthesis"): a type named for
    # the whole thing, however its entries are split, is not held
    named = read(index.terms, " ".join(t for t in (device.get("name"), device.get("name_ko")) if t))
    if other is None or not (apart & named):
        return None
    # the concept states the subtype when it says what sets any own entry apart from the generic,
    # in either list (MFDS "팽창성" for FDA "Inflatable")
    stated = set().union(*(d.concepts - generic.concepts - {d.head} for d in own_docs.values()))
    return None if stated & read(index.terms, concept) else other


def negated_word(concept: str, primary: Optional[Match]) -> bool:
    """True when a word explaining the curated type appears in the concept only under 비 (non-)."""
    if primary is None or primary.candidate.source != "curated":
        return False
    for match in _NEG_KO.finditer(concept):
        word = match.group(1)
        negation = "\u3131\ube44" + word[0]   # the 비X bigram: a type named "비흡수성 …" is itself the negated kind
        if ko_features(word, query=False) & primary.explained and negation not in primary.explained:
            return True
    return False
