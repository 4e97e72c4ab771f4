"""The offline classification: match the concept, merge attributes, apply each market's rules."""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.classification import answers as ans
from medreg.knowledge.classification import confidence as conf
from medreg.knowledge.classification.accessory import accessory_of
from medreg.knowledge.classification.agreement import agree, agree_us_entries, near_fda_entries, near_types
from medreg.knowledge.classification.attributes import extract
from medreg.knowledge.classification.catalogue_choice import CAP as RIVAL_CAP, held_cap, official_rival, says_more
from medreg.knowledge.classification.doubts import Doubt, negated_word, other_reading, unstated_subtype
from medreg.knowledge.classification.entry_attrs import entry_attributes, imported_attributes, unknown_inputs
from medreg.knowledge.classification.eu_block import eu_block
from medreg.knowledge.classification.head_choice import names_head
from medreg.knowledge.classification.kr_ivd import ivd_kr_block
from medreg.knowledge.classification.linked import kr_from_fda, us_from_mfds
from medreg.knowledge.classification.matching import Match
from medreg.knowledge.classification.merge import merge_attributes
from medreg.knowledge.classification.ranking import Found, differs, find, has_rival
from medreg.knowledge.classification.rules_kr import item_block, kr_block, kr_none_text
from medreg.knowledge.classification.us import us_block, us_block_from_fda_row
from medreg.knowledge.qualification.qualify import qualify
from medreg.language import tr
from medreg.knowledge.qualification.apply import apply_qualification

OWN_WORDS_FDA = 0.3   # a Korean concept's best FDA code (met in concept space) stands in for a classless link
OWN_WORDS_MFDS = 0.3   # likewise an English concept's best MFDS item for a gradeless link
LINK_LEAD = 0.5       # a gradeless link this close to strong stays the lead (it names the device type)
# The entry the concept's own words meet this well leads over any link (the link reads the other
# list's name, the concept says more): measured on catalogue holdouts 1-5, 0.35 / 0.45 / 0.5 (US)
# and 0.4 / 0.45 (KR) also tried; these raise the code counts and lose no class.
OWN_LEAD_FDA = 0.4
OWN_LEAD_MFDS = 0.5
TIE_GAP = 0.03  # score gap under which two differently classified types are a tie


def _driven_class(kb):
    def lookup(device_id: str) -> Optional[str]:
        target = kb.data.devices.get(device_id) or {}
        eu = target.get("eu") or {}
        return eu.get("class") if eu.get("verified", True) is not False else None
    return lookup


def _brief(match: Match) -> dict:
    c = match.candidate
    # Entries of the shipped official catalogue say so ("catalogue"), with the list they came from.
    if c.payload.get("catalogue"):
        return {"id": c.id, "name": c.name, "name_ko": c.name_ko, "score": round(match.score, 2),
                "source": "catalogue", "list": c.source}
    return {"id": c.id, "name": c.name, "name_ko": c.name_ko, "score": round(match.score, 2), "source": c.source}


def _category(kb, device: Optional[dict], language: str) -> dict:
    code = (device or {}).get("category") or "other"
    cat = kb.data.categories.get(code) or kb.data.categories.get("other") or {"code": code, "label": code}
    label = cat.get("label_ko") if language == "ko" and cat.get("label_ko") else cat.get("label", code)
    return {"code": cat.get("code", code), "label": label}


def _entry(primary: Optional[Match]) -> Optional[tuple[str, str]]:
    """(list, code) of a primary match that is a shipped catalogue entry, else None."""
    if primary is None or not primary.candidate.payload.get("catalogue"):
        return None
    return primary.candidate.source, primary.candidate.payload["code"]


def _seen(found: Found, source: str) -> frozenset:
    """Codes of one list the concept's own words met in concept space."""
    return frozenset(code for list_name, code, _ in found.concept_hits if list_name == source)


def _matched(block: dict, match: Match) -> dict:
    """A block read from a catalogue entry the concept matched says so, and how well it matched."""
    if match.candidate.payload.get("catalogue"):
        list_name = "FDA" if match.candidate.source == "fda" else "MFDS"
        block.update({"source": "catalogue",
                      "reached": f"matched {list_name} {match.candidate.payload['code']} (match score {match.score:.2f})"})
    return block


_UNKNOWN = {"en": " Not stated by the entry or the description, so assumed: {what}; needs review.",
            "ko": " 품목 정보나 설명에 없어 가정한 입력: {what}. 검토가 필요합니다."}
_ASSUMED = {"invasiveness": {"en": "non-invasive", "ko": "비침습"}, "active": {"en": "not active", "ko": "비능동"},
            "duration": {"en": "transient use", "ko": "일시 사용"}}


def _eu_basis(block: dict, entry: tuple[str, str], basis: list[str], attrs: dict, sources: dict,
              language: str) -> dict:
    """What a catalogue answer's EU class rests on: the entry's stated inputs, and the unknown ones said."""
    unknown = unknown_inputs(attrs, sources)
    rationale = block.get("rationale") or ""
    if unknown and block.get("class"):
        rationale += tr(_UNKNOWN, language, what=", ".join(tr(_ASSUMED[k], language) for k in unknown))
    return {"source": "catalogue", "needs_review": True, "rationale": rationale, "inputs_unknown": unknown,
            "reached": f"Annex VIII rules from {'FDA' if entry[0] == 'fda' else 'MFDS'} {entry[1]}"
                       + (f" ({'; '.join(basis)})" if basis else " (no rule input stated by the entry)")}


def _markets(kb, found: Found, device: Optional[dict], attrs: dict, device_attrs: dict,
             markets: tuple[str, ...], language: str, sources: dict, basis: list[str], concept: str) -> dict[str, dict]:
    """One block per requested market."""
    out: dict[str, dict] = {}
    best_fda, best_mfds = found.best_fda, found.best_mfds
    entry = _entry(found.primary) if device is None else None
    if "US" in markets:
        if device is not None and (device.get("us") or not best_fda or best_fda.score < conf.MATCH_WEAK):
            out["US"] = us_block(device, language)
        elif best_fda and best_fda.score >= (conf.MATCH_WEAK if device is not None else
                                             0.0 if found.primary is best_fda else conf.MATCH_NONE):
            out["US"] = _matched(us_block_from_fda_row(best_fda.candidate.payload, language), best_fda)
        elif entry and entry[0] == "mfds":
            # a Korean concept's MFDS item, through the cross-market link; when the link gives no class
            # (or the concept's own words meet an FDA code well), the FDA code the concept's own words
            # meet best (in concept space) is the lead, for review
            linked = us_from_mfds(kb.catalogue, entry[1], language, concept, _seen(found, "fda"))
            classless = linked is None or linked.get("class") is None
            if best_fda and best_fda.score >= (OWN_WORDS_FDA if classless else OWN_LEAD_FDA):
                out["US"] = _matched(us_block_from_fda_row(best_fda.candidate.payload, language), best_fda)
                out["US"]["needs_review"] = True
            else:
                out["US"] = linked or us_block(None, language)
        else:
            out["US"] = us_block(None, language)
    if "EU" in markets:
        derived = device is None and found.primary is not None
        out["EU"] = eu_block(device, attrs, device_attrs, language, _driven_class(kb), derived=derived,
                             words=" ".join([concept, *(f"{m.candidate.name} {m.candidate.name_ko}" for m in [found.primary] if m)]))
        if entry:
            stated = _eu_basis(out["EU"], entry, basis, attrs, sources, language)
            if out["EU"].get("regulation") == "IVDR":   # the IVDR rules use none of the MDR inputs assumed
                stated.update({"rationale": out["EU"]["rationale"], "inputs_unknown": []})
            out["EU"].update(stated)
    if "KR" in markets:
        if device is not None and (device.get("kr") or {}).get("grade"):
            out["KR"] = kr_block(device, attrs, language)
        elif best_mfds and (best_mfds.score >= conf.MATCH_WEAK or found.primary is best_mfds):
            row = best_mfds.candidate.payload
            out["KR"] = _matched(item_block([row["code"]], int(row["grade"]), row.get("name_ko"), None, language,
                                            imported=True), best_mfds)
        elif entry and entry[0] == "fda" and (linked := kr_from_fda(kb.catalogue, entry[1], language, concept, _seen(found, "mfds"))):
            out["KR"] = linked   # an English concept's FDA code, through the cross-market link
            if (best_mfds and ((linked["grade"] is None and best_mfds.score >= OWN_WORDS_MFDS
                                and (linked.get("link_score") or 0.0) < LINK_LEAD) or best_mfds.score >= OWN_LEAD_MFDS)):
                # the link gives no grade (or the concept's own words meet an item well): that item is
                # the lead, for review
                row = best_mfds.candidate.payload
                out["KR"] = _matched(item_block([row["code"]], int(row["grade"]), row.get("name_ko"), None, language,
                                                imported=True), best_mfds)
                out["KR"]["needs_review"] = True
            elif linked["grade"] is None:
                # A weak link: the 별표 1 suggestion from the attributes stays beside it, as a suggestion.
                suggestion = kr_block(None, attrs, language)
                linked["alternatives"] += suggestion.get("alternatives") or []
        else:
            out["KR"] = kr_block(device, attrs, language)
            if entry and out["KR"].get("derived"):
                out["KR"].update({"source": "catalogue", "reached": f"별표 1 criteria from the attributes of "
                                  f"{'FDA' if entry[0] == 'fda' else 'MFDS'} {entry[1]} (no linked MFDS item)"})
    if found.replaced is not None:
        _from_replaced(out, found.replaced.candidate.payload, attrs, language)
    if "KR" in out:
        out["KR"] = ivd_kr_block(kb, out["KR"], language)   # an IVD item is graded under the IVD Act
    if found.primary is None:
        # Nothing matched: no class anywhere, whatever the rules could derive from the words alone.
        for block in out.values():
            block.update({"class": None, "needs_review": True})
        if "KR" in out:
            out["KR"].update({"grade": None, "derived": False, "criteria": [], "pathway": None,
                              "rationale": kr_none_text(language)})
    return out


def _from_replaced(out: dict, nearest: dict, attrs: dict, language: str) -> None:
    """A market the entry's answer gives no class in takes the class of the curated type the entry
    replaced (it names the same kind of thing), flagged for review (in place)."""
    for market, block_of in (("US", lambda: us_block(nearest, language)), ("KR", lambda: kr_block(nearest, attrs, language))):
        if market in out and out[market].get("class") is None:
            block = block_of()
            if block.get("class") is not None and not block.get("derived"):
                block.update({"needs_review": True, "source": "catalogue",
                              "reached": f"from the nearest curated type {nearest['id']} (no class from the entry)"})
                out[market] = block


def classify_concept(kb, concept: str, context: Optional[str], markets: tuple[str, ...], language: str,
                     answers: Optional[dict] = None) -> dict:
    """A Classification dict (see briefs/classification-shape.md) for a free-text concept and the answers given."""
    language, answers = ("ko" if language == "ko" else "en"), dict(answers or {})
    text = extract(concept + ("\n" + context if context else ""))
    found = find(kb, concept, context, text.values)
    found = ans.choose_device(kb, found, answers.get("device_type"))
    primary = found.primary
    device = primary.candidate.payload if primary and primary.candidate.source == "curated" else None
    basis: list[str] = []
    if device is not None:
        device_attrs = dict(device.get("attributes") or {})
    elif _entry(primary):
        # The entry's own flags, name and EMDN chapter: the rules' inputs for a catalogue-only answer.
        device_attrs, basis = entry_attributes(kb.catalogue, *_entry(primary))
        if found.replaced is not None:
            # the curated type the entry replaced shares its head: its attributes stand in for the
            # rule inputs the entry does not state (better than assuming non-invasive, not active)
            nearest = found.replaced.candidate.payload
            stood_in = {k: v for k, v in (nearest.get("attributes") or {}).items() if k not in device_attrs}
            device_attrs = {**stood_in, **device_attrs}
            if stood_in:
                basis.append(f"inputs not stated by the entry from the nearest curated type {nearest['id']}")
    elif primary is not None and primary.candidate.source == "fda":
        device_attrs = imported_attributes(primary.candidate.payload)
    else:
        device_attrs = {}
    attrs, sources, conflicts = merge_attributes(device_attrs, text.values, device is not None)
    attrs, sources, conflicts = ans.apply_answers(attrs, sources, conflicts, text.values, device_attrs, answers)
    result_markets = _markets(kb, found, device, attrs, device_attrs, markets, language, sources, basis, concept)

    others = [m for m in found.curated if primary is None or m.candidate.id != primary.candidate.id]
    runner = others[0] if others else None
    best_score = primary.score if primary else (found.curated[0].score if found.curated else 0.0)
    signals = conf.Signals(score=best_score, runner_up=runner.score if runner else 0.0,
                           runner_up_differs=bool(runner and device and differs(device, runner.candidate.payload)),
                           conflicts=len(conflicts), imported=device is None and primary is not None,
                           rival=has_rival(primary, device, others),
                           markets=result_markets)
    confidence = conf.confidence(signals)
    doubt = None
    if device is not None and "device_type" not in answers:
        doubt = (other_reading(kb, concept, primary, found.concept_hits, result_markets)
                 or unstated_subtype(kb, concept, primary, found.imported, result_markets)
                 or (Doubt("negated") if negated_word(concept, primary) else None))
    held = device is not None and "device_type" not in answers   # a curated type the user did not choose
    headless = held and not names_head(concept, primary)
    if (official_rival(primary, found.best_fda, found.best_mfds, result_markets, kb.catalogue)
            or accessory_of(concept, language, primary) or answers.get("conflict") == "different"
            or (held and (headless or doubt is not None
                          or says_more(primary, found.imported, result_markets, kb.catalogue_index().weights)))):
        # (the user's product differs from the matched type where that makes it another type: the
        # type's official classes are then a guess too)
        confidence = min(confidence, RIVAL_CAP)
    if held:   # a doubt, or a type that never names the thing
        confidence = min(confidence, held_cap(doubt is not None, headless))
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
    if doubt is not None and doubt.entry and doubt.entry not in [a["id"] for a in alternatives]:
        # the official entry the concept may mean instead is shown, whatever its surface rank
        candidate = kb.catalogue_candidate(doubt.entry)
        if candidate is not None:
            alternatives.append(_brief(Match(candidate, doubt.score, "")))
    # Qualification first in meaning (is it a device at all?), applied last so it can overrule the classes.
    best = primary or (found.curated[0] if found.curated else None)   # a near miss is evidence too
    passed_over = found.replaced or found.displaced   # so is a curated type an entry replaced, if it met the concept better
    best = passed_over if passed_over and primary and passed_over.score > primary.score else best
    qualification = qualify(concept, language, markets, context, match=_brief(best) if best else None, answers=answers)
    if primary is None:
        # Nothing matched, but where the closest types (almost tied) agree on a market's class, that
        # class is answered, flagged, for the markets where the concept is a device
        agree({m: b for m, b in result_markets.items()
               if m in qualification.markets and qualification.markets[m].status == "device"},
              near_types(found.curated), language)
    if device is None and "US" in result_markets and "US" in qualification.markets and qualification.markets["US"].status == "device":
        agree_us_entries(result_markets["US"], near_fda_entries(found.imported, primary.candidate.id if primary else None),
                         language)
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
        # why a curated answer is held below 0.8 (null when it is not): one shape for every answer
        "doubt": {"reason": doubt.reason, "entry": doubt.entry} if doubt is not None else None,
    }, qualification)


def _display_name(match: Match, language: str) -> str:
    c = match.candidate
    return (c.name_ko or c.name) if language == "ko" else (c.name or c.name_ko)


