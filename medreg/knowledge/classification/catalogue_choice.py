"""Curated type or official catalogue entry: which one an answer rests on, and whether an official
entry that fits (almost) as well as the chosen curated type gives a different class (then the
curated answer is a guess between two readings, not a confident one)."""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.catalogue.link import STRONG
from medreg.knowledge.classification import confidence as conf
from medreg.knowledge.classification.matching import Match
from medreg.knowledge.classification.us import ROMAN

# Over the shipped catalogue (17k names, many of them parts and accessories) a curated type that
# fits well is preferred unless clearly weaker (compared with the entry's surface score: the
# concept-space lift only orders the catalogue's own entries); user imports keep the older,
# narrower margin.
CATALOGUE_MARGIN = 0.25
IMPORT_MARGIN = 0.1
CATALOGUE_NONE = 0.45   # an official name half-met is still the best lead; its confidence stays low
# Measured on catalogue holdouts 1-6 (0.45 / 0.35 under 0.45 also tried: 0.35 lost device rows to
# review and changed a curated set): where no curated type reaches LONE_TYPE, an entry met at LONE_NONE answers.
LONE_TYPE = 0.5
LONE_NONE = 0.4
RIVAL_MARGIN = 0.35   # an official entry this close to a curated answer that disagrees makes it a guess
EXPLAINED_SHARE = 0.5   # share of the concept's known words a confident curated answer must explain
CAP = 0.75            # below the 0.8 a user may act on unreviewed
# Held curated answers, measured on catalogue holdouts 1-6: with a doubt (doubts.py) they were right
# 22-37% of the time, with a type that never names the concept's head about half, against 50-60% for
# the other held ones, so both sit lower (0.6 / 0.65 / 0.7 also tried for doubts): 0.7-0.8 then rises
# from 32-75% to 54-100% right. Under 0.6 a doubted answer also needs review.
DOUBT_CAP = 0.55
HEADLESS_CAP = 0.65


def held_cap(doubted: bool, headless: bool) -> float:
    """The most a curated answer may be trusted: DOUBT_CAP with a doubt, HEADLESS_CAP for a type that
    never names the concept's head, else no cap (1.0)."""
    return DOUBT_CAP if doubted else HEADLESS_CAP if headless else 1.0


def choose_primary(best_c: Optional[Match], best_imp: Optional[Match],
                   imp_surface: Optional[float] = None) -> Optional[Match]:
    """The match an answer rests on: curated types carry all three markets and citations, so they
    win unless clearly weaker than the official entry (by its surface score `imp_surface` when
    given: a lift in concept space never makes an entry outrank a curated type)."""
    from_catalogue = best_imp is not None and best_imp.candidate.payload.get("catalogue")
    margin = CATALOGUE_MARGIN if from_catalogue and best_c is not None and best_c.score >= conf.MATCH_WEAK else IMPORT_MARGIN
    rival = imp_surface if imp_surface is not None else (best_imp.score if best_imp else 0.0)
    if best_c and best_c.score >= conf.MATCH_NONE and (best_imp is None or best_c.score >= rival - margin):
        return best_c
    # with no curated type near, the official entry is the only lead: a long description spreads its
    # words, so the best official name is met less (the catalogue holdouts' "found, nothing chosen")
    alone = best_c is None or best_c.score < LONE_TYPE
    if best_imp and best_imp.score >= ((LONE_NONE if alone else CATALOGUE_NONE) if from_catalogue else conf.MATCH_NONE):
        return best_imp
    return None


def official_rival(primary: Optional[Match], best_fda: Optional[Match], best_mfds: Optional[Match],
                   markets: dict[str, dict], catalogue=None) -> bool:
    """True when a curated answer has an official FDA code or MFDS item within the margin that
    disagrees with it on the US class or the KR grade, directly or through the entry's strong
    cross-market link (a Korean concept's MFDS item whose linked FDA code has another class)."""
    if primary is None or primary.candidate.source != "curated":
        return False
    if primary.share < EXPLAINED_SHARE:
        # Most of what the concept says is not what the type is about ("bone-cement mixing bowl"
        # read as bone cement): among 17k official names another reading is likely.
        return True
    floor = primary.score - RIVAL_MARGIN
    us, kr = markets.get("US") or {}, markets.get("KR") or {}
    if best_fda and best_fda.score >= floor and us.get("class"):
        official = ROMAN.get(str(best_fda.candidate.payload.get("class", "")))
        if official and official != us["class"] and best_fda.candidate.id.split(":", 1)[-1] not in (us.get("product_codes") or []):
            return True
    if best_mfds and best_mfds.score >= floor and kr.get("grade"):
        grade = best_mfds.candidate.payload.get("grade")
        if grade and int(grade) != int(kr["grade"]) and best_mfds.candidate.payload.get("code") not in (kr.get("item_codes") or []):
            return True
    return catalogue is not None and _linked_rival(catalogue, floor, best_fda, best_mfds, us, kr)


def _linked_rival(catalogue, floor: float, best_fda: Optional[Match], best_mfds: Optional[Match],
                  us: dict, kr: dict) -> bool:
    """The other market's entry, reached through a strong link, disagrees with the curated class."""
    if best_mfds and best_mfds.score >= floor and us.get("class") and best_mfds.candidate.payload.get("catalogue"):
        links = catalogue.linked("mfds", best_mfds.candidate.payload["code"], "fda")
        if links and links[0][1] >= STRONG and links[0][0] not in (us.get("product_codes") or []):
            official = ROMAN.get(str((catalogue.fda.get(links[0][0]) or {}).get("class", "")))
            if official and official != us["class"]:
                return True
    if best_fda and best_fda.score >= floor and kr.get("grade") and best_fda.candidate.payload.get("catalogue"):
        links = catalogue.linked("fda", best_fda.candidate.payload["code"], "mfds")
        if links and links[0][1] >= STRONG and links[0][0] not in (kr.get("item_codes") or []):
            grade = (catalogue.mfds.get(links[0][0]) or {}).get("grade")
            if grade and int(grade) != int(kr["grade"]):
                return True
    return False


SAYS_MORE = 0.38      # an official entry this well matched ...
RARE_WORD = 0.5       # ... on a word this rare (scaled IDF) that the curated type does not explain
LOOKED_AT = 5


def says_more(primary: Optional[Match], imported: list[Match], markets: dict[str, dict], weights: dict) -> bool:
    """True when an official entry of another US class or KR grade explains a rare word of the
    concept that the chosen curated type does not ("temporary" transvenous pacing lead, a muscle
    stimulator "for scoliosis"): the word may make it another device type, so the class is a guess."""
    if primary is None or primary.candidate.source != "curated":
        return False
    us, kr = markets.get("US") or {}, markets.get("KR") or {}
    for match in imported[:LOOKED_AT]:
        if match.score < SAYS_MORE or not match.candidate.payload.get("catalogue"):
            continue
        extra = [f for f in match.explained - primary.explained if weights.get(f, 0.0) >= RARE_WORD]
        if not extra:
            continue
        payload = match.candidate.payload
        if match.candidate.source == "fda" and us.get("class"):
            official = ROMAN.get(str(payload.get("class", "")))
            if official and official != us["class"]:
                return True
        if match.candidate.source == "mfds" and kr.get("grade") and payload.get("grade"):
            if int(payload["grade"]) != int(kr["grade"]):
                return True
    return False
