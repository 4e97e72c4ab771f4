"""The offline classification: match the concept, merge attributes, apply each market's rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from medreg.knowledge.classification import answers as ans
from medreg.knowledge.classification import confidence as conf
from medreg.knowledge.classification.attributes import extract
from medreg.knowledge.classification.eu_block import eu_block
from medreg.knowledge.classification.matching import Match, MatchIndex
from medreg.knowledge.classification.rules_kr import item_block, kr_block, kr_none_text
from medreg.knowledge.catalogue.store import imported_index
from medreg.knowledge.words.text import features, lead_sentence, negated_features
from medreg.knowledge.classification.us import us_block, us_block_from_fda_row
from medreg.knowledge.qualification.qualify import qualify
from medreg.knowledge.qualification.apply import apply_qualification

# The text may override these (the maker's choice); other rule inputs only fill gaps or raise a question.
TEXT_WINS = {"wireless", "connected", "home_use", "software", "ai", "single_use", "sterile", "measuring"}
DEFAULTS = {"invasiveness": "non_invasive", "active": False, "software": False, "wireless": False,
            "home_use": False, "sterile": False}
# Gaps in a curated type that the text may fill.
TEXT_FILLS = {"duration", "body_contact", "home_use"}
# Text attributes that, if they contradict the device type, suggest a different device.
CONFLICT_KEYS = {"invasiveness", "software_only", "ivd"}
# Flags a type sets to false only when their presence makes it another type (or regulation).
DECLARED_ABSENT = {"wireless", "software", "sterile"}
TIE_GAP = 0.03  # score gap under which two differently classified types are a tie
def merge_attributes(device_attrs: dict, text: dict, curated: bool) -> tuple[dict, dict, list[str]]:
    """Device-type attributes overlaid with the text's; returns attributes, sources, conflicts.

    For a curated type the text may override the maker's choices (TEXT_WINS) and fill in
    duration, body contact and home use; a text fact that contradicts the type on a key that
    would mean a different device (CONFLICT_KEYS) is reported, not applied. Without a curated
    type the text fills every gap.
    """
    attrs = dict(device_attrs)
    sources = {key: "device_type" for key in device_attrs}
    conflicts: list[str] = []
    for key, value in text.items():
        if curated and key in DECLARED_ABSENT and value is True and device_attrs.get(key) is False:
            # The type is the variant without it (an ESD hearing aid has no wireless; the wireless
            # one is another regulation): take the user's word, and say the type may be wrong.
            conflicts.append(key)
        if key in TEXT_WINS or (key not in attrs and (not curated or key in TEXT_FILLS)):
            attrs[key], sources[key] = value, "text"
        elif curated and key in CONFLICT_KEYS and attrs.get(key, DEFAULTS.get(key, False)) != value:
            conflicts.append(key)
    if (text.get("wound_dressing") == "dermis_breach" and attrs.get("body_contact") == "injured_skin"
            and attrs.get("wound_dressing") not in ("barrier", "mechanical", "dermis_breach")):
        # A dressing for wounds that breached the dermis (Rule 4, IIb); a plain barrier stays a barrier.
        attrs["wound_dressing"], sources["wound_dressing"] = "dermis_breach", "text"
    if text.get("single_use") and attrs.get("reusable_surgical"):
        attrs["reusable_surgical"], sources["reusable_surgical"] = False, "text"
    if attrs.get("ai") and not attrs.get("software"):
        attrs["software"], sources["software"] = True, sources.get("ai", "text")
    for key, value in DEFAULTS.items():
        if key not in attrs:
            attrs[key], sources[key] = value, "default"
    if "firmware" not in attrs and attrs.get("active") and not attrs.get("software") and not attrs.get("ivd"):
        # Electronic devices nearly always run firmware, which IEC 62304 treats as software: assumed,
        # and shown as assumed, until the maker says the device has none.
        attrs["firmware"], sources["firmware"] = True, "default"
    return attrs, sources, conflicts


def _driven_class(kb):
    def lookup(device_id: str) -> Optional[str]:
        target = kb.data.devices.get(device_id) or {}
        eu = target.get("eu") or {}
        return eu.get("class") if eu.get("verified", True) is not False else None
    return lookup


def _brief(match: Match) -> dict:
    c = match.candidate
    return {"id": c.id, "name": c.name, "name_ko": c.name_ko, "score": round(match.score, 2), "source": c.source}


def _category(kb, device: Optional[dict], language: str) -> dict:
    code = (device or {}).get("category") or "other"
    cat = kb.data.categories.get(code) or kb.data.categories.get("other") or {"code": code, "label": code}
    label = cat.get("label_ko") if language == "ko" and cat.get("label_ko") else cat.get("label", code)
    return {"code": cat.get("code", code), "label": label}


def _imported_attrs(row: dict) -> dict:
    attrs = {}
    if row.get("implant"):
        attrs["invasiveness"] = "implantable"
    if row.get("life_sustaining"):
        attrs["life_supporting"] = True
    return attrs


@dataclass
class _Found:
    """What matching found: the curated ranking, imported hits, and the chosen primary."""

    curated: list[Match]
    imported: list[Match]
    best_fda: Optional[Match]
    best_mfds: Optional[Match]
    primary: Optional[Match]


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


def _find(kb, concept: str, context: Optional[str], stated: dict) -> _Found:
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
    index = imported_index(kb)
    imported = index.search(feats, avoid=avoid, later=later) if index is not None else []
    best_c = curated[0] if curated else None
    best_fda = next((m for m in imported if m.candidate.source == "fda"), None)
    best_mfds = next((m for m in imported if m.candidate.source == "mfds"), None)
    best_imp = max([m for m in (best_fda, best_mfds) if m], key=lambda m: m.score, default=None)
    primary = None
    # Curated types carry all three markets and citations, so they win unless clearly weaker.
    if best_c and best_c.score >= conf.MATCH_NONE and (best_imp is None or best_c.score >= best_imp.score - 0.1):
        primary = best_c
    elif best_imp and best_imp.score >= conf.MATCH_NONE:
        primary = best_imp
    return _Found(curated, imported, best_fda, best_mfds, primary)


def _markets(kb, found: _Found, device: Optional[dict], attrs: dict, device_attrs: dict,
             markets: tuple[str, ...], language: str) -> dict[str, dict]:
    """One block per requested market."""
    out: dict[str, dict] = {}
    best_fda, best_mfds = found.best_fda, found.best_mfds
    if "US" in markets:
        if device is not None and (device.get("us") or not best_fda or best_fda.score < conf.MATCH_WEAK):
            out["US"] = us_block(device, language)
        elif best_fda and best_fda.score >= (conf.MATCH_WEAK if device is not None else conf.MATCH_NONE):
            out["US"] = us_block_from_fda_row(best_fda.candidate.payload, language)
        else:
            out["US"] = us_block(None, language)
    if "EU" in markets:
        derived = device is None and found.primary is not None
        out["EU"] = eu_block(device, attrs, device_attrs, language, _driven_class(kb), derived=derived)
    if "KR" in markets:
        if device is not None and (device.get("kr") or {}).get("grade"):
            out["KR"] = kr_block(device, attrs, language)
        elif best_mfds and (best_mfds.score >= conf.MATCH_WEAK or found.primary is best_mfds):
            row = best_mfds.candidate.payload
            out["KR"] = item_block([row["code"]], int(row["grade"]), row.get("name_ko"), None, language, imported=True)
        else:
            out["KR"] = kr_block(device, attrs, language)
    if found.primary is None:
        # Nothing matched: no class anywhere, whatever the rules could derive from the words alone.
        for block in out.values():
            block.update({"class": None, "needs_review": True})
        if "KR" in out:
            out["KR"].update({"grade": None, "derived": False, "criteria": [], "pathway": None,
                              "rationale": kr_none_text(language)})
    return out


def classify_concept(kb, concept: str, context: Optional[str], markets: tuple[str, ...], language: str,
                     answers: Optional[dict] = None) -> dict:
    """A Classification dict (see briefs/classification-shape.md) for a free-text concept and the answers given."""
    language, answers = ("ko" if language == "ko" else "en"), dict(answers or {})
    text = extract(concept + ("\n" + context if context else ""))
    found = _find(kb, concept, context, text.values)
    found = ans.choose_device(kb, found, answers.get("device_type"))
    primary = found.primary
    device = primary.candidate.payload if primary and primary.candidate.source == "curated" else None
    if device is not None:
        device_attrs = dict(device.get("attributes") or {})
    elif primary is not None and primary.candidate.source == "fda":
        device_attrs = _imported_attrs(primary.candidate.payload)
    else:
        device_attrs = {}
    attrs, sources, conflicts = merge_attributes(device_attrs, text.values, device is not None)
    attrs, sources, conflicts = ans.apply_answers(attrs, sources, conflicts, text.values, device_attrs, answers)
    result_markets = _markets(kb, found, device, attrs, device_attrs, markets, language)

    others = [m for m in found.curated if primary is None or m.candidate.id != primary.candidate.id]
    runner = others[0] if others else None
    best_score = primary.score if primary else (found.curated[0].score if found.curated else 0.0)
    signals = conf.Signals(score=best_score, runner_up=runner.score if runner else 0.0,
                           runner_up_differs=bool(runner and device and _differs(device, runner.candidate.payload)),
                           conflicts=len(conflicts), imported=device is None and primary is not None,
                           rival=_rival(primary, device, others),
                           markets=result_markets)
    confidence = conf.confidence(signals)
    ambiguous = bool(primary and (primary.score < conf.MATCH_WEAK or
                                  (signals.runner_up_differs and primary.score - signals.runner_up < 0.12)))
    # Two types of different class that the words fit (almost) equally: whichever is shown, a
    # person must choose; the class is a guess until the question is answered.
    tied = bool(primary and signals.runner_up_differs and primary.score - signals.runner_up < TIE_GAP)
    ambiguous, tied = (False, False) if "device_type" in answers else (ambiguous, tied)  # the user chose it
    needs_review = (primary is None or tied or confidence < 0.6
                    or any(b.get("needs_review") for b in result_markets.values()))
    shown = [m for m in ([primary] if primary else []) + others[:2] if m.score >= max(conf.MATCH_NONE * 0.75, best_score - 0.2)]
    names = [_display_name(m, language) for m in shown]
    eu_assumed = "duration" not in attrs and attrs.get("invasiveness") in ("body_orifice", "surgically_invasive")
    asked = conf.asked(language, alternatives=names, ambiguous=ambiguous, no_match=primary is None,
                       attrs=attrs, sources=sources,
                       conflicts=[conf.conflict_label(k, text.values[k], language) for k in conflicts],
                       device_name=(device or {}).get("name_ko" if language == "ko" else "name"),
                       assumed_duration=eu_assumed)
    alternatives = [_brief(m) for m in others[:4]]
    alternatives += [_brief(m) for m in found.imported[:3] if not primary or m.candidate.id != primary.candidate.id]
    # Qualification first in meaning (is it a device at all?), applied last so it can overrule the classes.
    best = primary or (found.curated[0] if found.curated else None)   # a near miss is evidence too
    qualification = qualify(concept, language, markets, context, match=_brief(best) if best else None, answers=answers)
    return apply_qualification({
        "concept": concept, "language": language,
        "device": _brief(primary) if primary else None,
        "alternatives": alternatives,
        "category": _category(kb, device, language),
        "attributes": attrs, "attribute_sources": sources,
        "markets": result_markets,
        "confidence": confidence, "needs_review": needs_review, "questions": [text for _, text in asked],
        "question_details": ans.details(asked, language, device_options=ans.device_type_options([_brief(m) for m in shown]),
                                        conflict_key=conflicts[0] if conflicts else None),
        "answers": answers, "engine": "offline",
    }, qualification)


def _rival(primary: Optional[Match], device: Optional[dict], others: list[Match]) -> bool:
    """A runner-up with a different answer that explains as much of the concept (e.g. syringe + needle)."""
    if primary is None or device is None:
        return False
    return any(m.score >= RIVAL_SCORE and (m.explained - primary.explained) and _differs(device, m.candidate.payload)
               for m in others[:3])


def _display_name(match: Match, language: str) -> str:
    c = match.candidate
    return (c.name_ko or c.name) if language == "ko" else (c.name or c.name_ko)


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


def _differs(a: dict, b: dict) -> bool:
    """Whether two device types would give a different answer in any market."""
    def key(d: dict) -> tuple:
        return ((d.get("us") or {}).get("class"), (d.get("eu") or {}).get("class"), (d.get("kr") or {}).get("grade"))
    return key(a) != key(b)
