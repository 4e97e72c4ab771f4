"""The offline classification: match the concept, merge attributes, apply each market's rules."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

from medreg.knowledge import confidence as conf
from medreg.knowledge.attributes import extract
from medreg.knowledge.eu_block import eu_block
from medreg.knowledge.matching import Match, MatchIndex, build_device_index
from medreg.knowledge.rules_kr import item_block, kr_block
from medreg.knowledge.store import imported_index
from medreg.knowledge.text import features, negated_features
from medreg.knowledge.us import us_block, us_block_from_fda_row

# The text may override these (the maker's choice); other rule inputs only fill gaps or raise a question.
TEXT_WINS = {"wireless", "home_use", "software", "ai", "single_use", "sterile", "measuring"}
DEFAULTS = {"invasiveness": "non_invasive", "active": False, "software": False, "wireless": False,
            "home_use": False, "sterile": False}
# Text attributes that, if they contradict the device type, suggest a different device.
CONFLICT_KEYS = {"invasiveness", "software_only", "ivd", "administers_medicine", "ionizing_radiation"}
_lock = threading.Lock()


@dataclass
class _State:
    index: MatchIndex
    device_count: int


def _state(kb) -> _State:
    """Indexes built once per Knowledge object (rebuilt only if the device set changes)."""
    state = getattr(kb, "_classify_state", None)
    if state is None or state.device_count != len(kb.data.devices):
        with _lock:
            state = _State(build_device_index(kb.data.devices), len(kb.data.devices))
            kb._classify_state = state
    return state


def merge_attributes(device_attrs: dict, text: dict, curated: bool) -> tuple[dict, dict, list[str]]:
    """Device-type attributes overlaid with the text's; returns attributes, sources, conflicts."""
    attrs, sources, conflicts = {}, {}, []
    for key, value in device_attrs.items():
        attrs[key], sources[key] = value, "device_type"
    for key, value in text.items():
        if key in TEXT_WINS or key not in attrs:
            if curated and key in CONFLICT_KEYS and key not in attrs:
                default = DEFAULTS.get(key, False)
                if value != default:
                    conflicts.append(key)
                    continue
            if curated and key not in TEXT_WINS and key not in ("duration", "body_contact", "home_use"):
                # Gap-filling of rule inputs for a curated type: keep the type's facts, show the text's as context only.
                if key in ("active", "active_function", "life_supporting"):
                    continue
            attrs[key], sources[key] = value, "text"
        elif attrs[key] != value and key in CONFLICT_KEYS:
            conflicts.append(key)
    if text.get("single_use") and attrs.get("reusable_surgical"):
        attrs["reusable_surgical"], sources["reusable_surgical"] = False, "text"
    if attrs.get("ai") and not attrs.get("software"):
        attrs["software"], sources["software"] = True, sources.get("ai", "text")
    for key, value in DEFAULTS.items():
        if key not in attrs:
            attrs[key], sources[key] = value, "default"
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


def classify_concept(kb, concept: str, context: Optional[str], markets: tuple[str, ...], language: str) -> dict:
    """A Classification dict (see briefs/classification-shape.md) for a free-text concept."""
    language = "ko" if language == "ko" else "en"
    state = _state(kb)
    feats = features(concept)
    avoid = negated_features(concept)
    curated = state.index.search(feats, avoid=avoid)
    if context and (not curated or curated[0].score < conf.MATCH_WEAK):
        with_context = state.index.search(feats | features(context))
        if with_context and (not curated or with_context[0].score > curated[0].score + 0.1):
            curated = with_context
    text = extract(concept + ("\n" + context if context else ""))
    curated = rerank(curated, text.values)
    imported_idx = imported_index(kb)
    imported = imported_idx.search(feats, avoid=avoid) if imported_idx is not None else []
    best_c = curated[0] if curated else None
    best_fda = next((m for m in imported if m.candidate.source == "fda"), None)
    best_mfds = next((m for m in imported if m.candidate.source == "mfds"), None)
    best_imp = max([m for m in (best_fda, best_mfds) if m], key=lambda m: m.score, default=None)

    primary: Optional[Match] = None
    if best_c and best_c.score >= conf.MATCH_NONE and (best_imp is None or best_c.score >= best_imp.score - 0.1):
        primary = best_c
    elif best_imp and best_imp.score >= conf.MATCH_NONE:
        primary = best_imp
    device = primary.candidate.payload if primary and primary.candidate.source == "curated" else None

    if device is not None:
        device_attrs = dict(device.get("attributes") or {})
    elif primary is not None and primary.candidate.source == "fda":
        device_attrs = _imported_attrs(primary.candidate.payload)
    else:
        device_attrs = {}
    attrs, sources, conflicts = merge_attributes(device_attrs, text.values, device is not None)

    result_markets: dict[str, dict] = {}
    no_match = primary is None
    if "US" in markets:
        if device is not None and (device.get("us") or not best_fda or best_fda.score < conf.MATCH_WEAK):
            result_markets["US"] = us_block(device, language)
        elif best_fda and best_fda.score >= (conf.MATCH_WEAK if device is not None else conf.MATCH_NONE):
            result_markets["US"] = us_block_from_fda_row(best_fda.candidate.payload, language)
        else:
            result_markets["US"] = us_block(None, language)
    if "EU" in markets:
        derived = device is None and primary is not None
        result_markets["EU"] = eu_block(device, attrs, device_attrs, language, _driven_class(kb), derived=derived)
    if "KR" in markets:
        if device is not None and (device.get("kr") or {}).get("grade"):
            result_markets["KR"] = kr_block(device, attrs, language)
        elif best_mfds and best_mfds.score >= conf.MATCH_WEAK:
            row = best_mfds.candidate.payload
            result_markets["KR"] = item_block([row["code"]], int(row["grade"]), row.get("name_ko"), None, language,
                                              imported=True)
        else:
            result_markets["KR"] = kr_block(device, attrs, language)
            if no_match:
                result_markets["KR"]["grade"] = None

    others = [m for m in curated if primary is None or m.candidate.id != primary.candidate.id]
    runner = others[0] if others else None
    signals = conf.Signals(score=primary.score if primary else (best_c.score if best_c else 0.0),
                           runner_up=runner.score if runner else 0.0,
                           runner_up_differs=bool(runner and device and _differs(device, runner.candidate.payload)),
                           conflicts=len(conflicts), imported=device is None and primary is not None,
                           markets=result_markets)
    confidence = conf.confidence(signals)
    ambiguous = bool(primary and (primary.score < conf.MATCH_WEAK or
                                  (signals.runner_up_differs and primary.score - signals.runner_up < 0.12)))
    if no_match:
        for block in result_markets.values():
            block["class"] = None
            block["needs_review"] = True
    needs_review = no_match or confidence < 0.6 or any(b.get("needs_review") for b in result_markets.values())
    names = [(m.candidate.name_ko or m.candidate.name) if language == "ko" else (m.candidate.name or m.candidate.name_ko)
             for m in ([primary] if primary else []) + others[:2]
             if m.score >= max(conf.MATCH_NONE * 0.75, (primary.score if primary else 0) - 0.2)]
    eu_assumed = "duration" not in attrs and attrs.get("invasiveness") in ("body_orifice", "surgically_invasive")
    questions = conf.questions(language, alternatives=names, ambiguous=ambiguous, no_match=no_match, attrs=attrs,
                               sources=sources, conflicts=[_conflict_words(k, text.evidence) for k in conflicts],
                               device_name=(device or {}).get("name_ko" if language == "ko" else "name"),
                               assumed_duration=eu_assumed)
    return {
        "concept": concept, "language": language,
        "device": _brief(primary) if primary else None,
        "alternatives": [_brief(m) for m in others[:4]] + [_brief(m) for m in imported[:3]
                                                             if not primary or m.candidate.id != primary.candidate.id],
        "category": _category(kb, device, language),
        "attributes": attrs, "attribute_sources": sources,
        "markets": result_markets,
        "confidence": confidence, "needs_review": needs_review, "questions": questions,
        "engine": "offline",
    }


RERANK_KEYS = ("home_use", "software_only", "ivd", "invasiveness", "administers_medicine", "ionizing_radiation",
               "ai", "sterile", "single_use")
RERANK_STEP = 0.06
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
            for key in RERANK_KEYS:
                if key not in stated:
                    continue
                mine = attrs.get(key, ABSENT_MEANS.get(key))
                if mine == stated[key]:
                    delta += RERANK_STEP
                elif mine is not None:
                    delta -= RERANK_STEP
            m = Match(m.candidate, max(0.0, min(1.0, m.score + delta)), m.phrase, m.share)
        out.append(m)
    out.sort(key=lambda m: (-m.score, m.candidate.id))
    return out


def _differs(a: dict, b: dict) -> bool:
    """Whether two device types would give a different answer in any market."""
    def key(d: dict) -> tuple:
        return ((d.get("us") or {}).get("class"), (d.get("eu") or {}).get("class"), (d.get("kr") or {}).get("grade"))
    return key(a) != key(b)


def _conflict_words(key: str, evidence: dict) -> str:
    return evidence.get(key, key)
