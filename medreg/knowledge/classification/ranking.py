"""Finding the device type: rank curated types and official catalogue entries, then nudge near ties."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from medreg.knowledge.catalogue import describe
from medreg.knowledge.catalogue.store import imported_index
from medreg.knowledge.classification import confidence as conf
from medreg.knowledge.classification.catalogue_choice import choose_primary
from medreg.knowledge.classification.concept_choice import explaining_entry
from medreg.knowledge.classification.head_choice import named_entry
from medreg.knowledge.classification.matching import Match
from medreg.knowledge.classification.us import ROMAN
from medreg.knowledge.words.text import features, lead_sentence, negated_features


@dataclass
class Found:
    """What matching found: the curated ranking, imported hits, and the chosen primary."""

    curated: list[Match]
    imported: list[Match]
    best_fda: Optional[Match]
    best_mfds: Optional[Match]
    primary: Optional[Match]
    concept_hits: list = field(default_factory=list)   # (list, code, score) in concept space
    replaced: Optional[Match] = None   # the curated type an entry that explains more replaced
    # the curated type an entry naming the head displaced: it met only the modifiers; it is evidence
    # that the concept is a device (qualification)
    displaced: Optional[Match] = None


def _after_the_lead(index, concept: str, feats: set[str]) -> frozenset:
    """Words only met after a lead sentence that itself names a device (else none)."""
    lead = lead_sentence(concept)
    if len(lead) == len(concept.strip()):
        return frozenset()
    lead_feats = features(lead)
    named = index.search(lead_feats, limit=1)
    if not named or named[0].score < conf.MATCH_WEAK:
        return frozenset()  # the lead is about the company or the setting, not the device
    return frozenset(feats - lead_feats)


def find(kb, concept: str, context: Optional[str], stated: dict) -> Found:
    """Rank curated types (then imported entries) and pick the one the answer rests on."""
    index = kb.device_index()
    feats, avoid = features(concept), negated_features(concept)
    later = _after_the_lead(index, concept, feats)
    curated = index.search(feats, avoid=avoid, later=later)
    if context and (not curated or curated[0].score < conf.MATCH_WEAK):
        # The context only helps when the concept alone is not enough.
        with_context = index.search(feats | features(context), avoid=avoid, later=later)
        if with_context and (not curated or with_context[0].score > curated[0].score + 0.1):
            curated = with_context
    curated = rerank(curated, stated)
    # The user's own imports when there are any, else the shipped official catalogue.
    user_index = imported_index(kb)
    if user_index is not None:
        imported = user_index.search(feats, avoid=avoid, later=later)
    else:   # official descriptions only weigh in where no curated type is named (catalogue/describe.py)
        imported = kb.catalogue_index().search(feats, avoid=avoid, later=later,
                                               described=not curated or curated[0].score < describe.CURATED_GATE)
    surface = {m.candidate.id: m.score for m in imported}
    hits = kb.concept_index().search(concept) if user_index is None else []
    imported = lift(kb, hits, imported)
    best_fda = next((m for m in imported if m.candidate.source == "fda"), None)
    best_mfds = next((m for m in imported if m.candidate.source == "mfds"), None)
    best_imp = max([m for m in (best_fda, best_mfds) if m], key=lambda m: m.score, default=None)
    primary = choose_primary(curated[0] if curated else None, best_imp,
                             surface.get(best_imp.candidate.id, 0.0) if best_imp else None)
    displaced = None
    if user_index is None and (primary is None or primary.candidate.source == "curated"):
        named = named_entry(concept, primary, imported)
        if named is not None:
            displaced = primary
            # the entry naming the thing is its list's lead too, so its block is read from it (not
            # from a better-scored entry of the same list that met only the modifiers)
            primary = named
            best_fda, best_mfds = (named, best_mfds) if named.candidate.source == "fda" else (best_fda, named)
        explaining = explaining_entry(kb, concept, primary, imported)
        if explaining is not None:
            # the entry the answer rests on is its list's lead, so its block is read from it
            replaced, primary = primary, explaining
            best_fda, best_mfds = (primary, best_mfds) if primary.candidate.source == "fda" else (best_fda, primary)
            return Found(curated, imported, best_fda, best_mfds, primary, hits, replaced)
    # the displaced type's rule inputs (and its class where the entry gives none) stand in, flagged,
    # only when its own class in the entry's list is the entry's: then it is a device of the same
    # risk; otherwise (a suture for a suturing needle, amalgam for an amalgam mixer) it is another thing
    stand = displaced if displaced is not None and _same_class(displaced, primary) else None
    return Found(curated, imported, best_fda, best_mfds, primary, hits, stand, displaced=displaced)


def _same_class(typed: Match, entry: Match) -> bool:
    """Whether a curated type's own US class (FDA entry) or KR grade (MFDS item) is the entry's."""
    device, payload = typed.candidate.payload, entry.candidate.payload
    if entry.candidate.source == "fda":
        return ROMAN.get(str(payload.get("class", ""))) == (device.get("us") or {}).get("class")
    return str(payload.get("grade")) == str((device.get("kr") or {}).get("grade"))


SURFACE_SHARE = 0.5   # surface and concept-space scores of a catalogue entry, combined
CONCEPT_ALONE = 0.6   # a catalogue entry met only in concept space counts at this share of its score


def lift(kb, hits: list[tuple[str, str, float]], matches: list[Match]) -> list[Match]:
    """Catalogue matches reordered and lifted by their concept-space scores (catalogue/concepts.py):
    never lowered, so a near-verbatim name keeps its score; curated types are not touched."""
    if not hits:
        return matches
    by_id = {m.candidate.id: m for m in matches}
    for source, code, score in hits:
        cid = f"{source}:{code}"
        match = by_id.get(cid)
        surface = match.score if match else 0.0
        lifted = max(surface, SURFACE_SHARE * surface + (1 - SURFACE_SHARE) * score, CONCEPT_ALONE * score)
        if match is not None:
            by_id[cid] = Match(match.candidate, lifted, match.phrase, match.share, match.explained)
        elif (candidate := kb.catalogue_candidate(cid)) is not None:
            by_id[cid] = Match(candidate, lifted, "", 0.0, frozenset())
    return sorted(by_id.values(), key=lambda m: (-m.score, m.candidate.id))


RERANK_KEYS = ("home_use", "software_only", "ivd", "invasiveness", "administers_medicine", "ionizing_radiation",
               "ai", "sterile", "single_use")
RERANK_STEP = 0.06
RIVAL_SCORE = 0.5
# Where a device type's silence is itself an answer (otherwise silence is "unknown", not "no").
ABSENT_MEANS = {"software_only": False, "ivd": False, "invasiveness": "non_invasive", "ionizing_radiation": False,
                "administers_medicine": False}


def rerank(matches: list[Match], stated: dict) -> list[Match]:
    """Nudge near-tied candidates by agreement with what the text states (home use, software only …)."""
    if len(matches) < 2 or not stated:
        return matches
    floor = matches[0].score - 0.15
    out = []
    for m in matches:
        if m.score >= floor:
            attrs = m.candidate.payload.get("attributes") or {}
            delta = 0.0
            if (stated.get("ai") or stated.get("software")) and not _electronic(attrs):
                delta -= RERANK_STEP   # software or AI words rule out a purely mechanical type
            for key in RERANK_KEYS:
                if key not in stated:
                    continue
                mine = attrs.get(key, ABSENT_MEANS.get(key))
                if mine == stated[key]:
                    delta += RERANK_STEP
                elif mine is not None:
                    delta -= RERANK_STEP
            m = Match(m.candidate, max(0.0, min(1.0, m.score + delta)), m.phrase, m.share, m.explained)
        out.append(m)
    out.sort(key=lambda m: (-m.score, m.candidate.id))
    return out


def _electronic(attrs: dict) -> bool:
    """Whether a device type can run software (active, software or software only)."""
    return bool(attrs.get("active") or attrs.get("software") or attrs.get("software_only") or attrs.get("ivd"))


def differs(a: dict, b: dict) -> bool:
    """Whether two device types would give a different answer in any market."""
    def key(d: dict) -> tuple:
        return ((d.get("us") or {}).get("class"), (d.get("eu") or {}).get("class"), (d.get("kr") or {}).get("grade"))
    return key(a) != key(b)


def has_rival(primary: Optional[Match], device: Optional[dict], others: list[Match]) -> bool:
    """A runner-up with a different answer that explains as much of the concept (e.g. syringe + needle)."""
    if primary is None or device is None:
        return False
    return any(m.score >= RIVAL_SCORE and (m.explained - primary.explained) and differs(device, m.candidate.payload)
               for m in others[:3])


