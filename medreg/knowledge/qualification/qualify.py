"""Qualification: is the concept a medical device at all, per market, before any class is given.

The deciding texts are FD&C Act 201(h) and 520(o) with FDA's general-wellness policy (US), MDR
Article 2(1), Article 1(2)/Annex XVI and MDCG 2019-11 (EU), 의료기기법 제2조 and MFDS's wellness
criteria (KR); cues and texts live in data/qualification.json. The costly error is calling a real
device `not_device`, so a medical claim or device word outside a disclaimer always wins, and a
strong match to a curated device type never becomes `not_device` on wellness framing alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from medreg.knowledge.words.phrases import tr
from medreg.markets import MARKETS
from medreg.knowledge.qualification.cues import CueData, Evidence, data, evidence, hits

STATUSES = ("device", "not_device", "needs_review")   # the one list (schemas and export read it)
MATCH_STRONG = 0.62   # conf.MATCH_WEAK: a curated type matched this well is evidence of a device
MATCH_ANY = 0.55      # conf.MATCH_NONE: below, nothing matched
_CDS_OUTRANKS = ("admin_software", "education")   # exclusions that decision-support words override
MATCH_NEAR = 0.4      # a near miss, evidence of a device only beside words about the body or care


@dataclass
class MarketQualification:
    """One market's answer: device, not_device or needs_review, why, and the texts that decide it."""

    status: str
    reason: str
    citations: list[str] = field(default_factory=list)
    verified: bool = True
    other_regime: Optional[str] = None


@dataclass
class Qualification:
    """Whether the concept is a medical device, overall and per market."""

    status: str
    reason: str
    citations: list[str]
    markets: dict[str, MarketQualification]
    basis: str                      # what decided it: medical_claim, device_type, wellness, cosmetic, nonsense …
    question: Optional[str] = None  # the question that decides a needs_review
    cues: list[str] = field(default_factory=list)
    confidence: float = 0.5

    def to_dict(self) -> dict:
        """The `qualification` object of a Classification."""
        markets = {}
        for code, m in self.markets.items():
            block = {"status": m.status, "reason": m.reason, "citations": list(m.citations)}
            if not m.verified:
                block["verified"] = False
            if m.other_regime:
                block["other_regime"] = m.other_regime
            markets[code] = block
        out = {"status": self.status, "reason": self.reason, "citations": list(self.citations),
               "markets": markets, "basis": self.basis, "cues": list(self.cues)}
        if self.question:
            out["question"] = self.question
        return out


def _texts(ids: Sequence[str], d: CueData) -> tuple[list[str], bool]:
    texts = [d.raw["texts"][i] for i in ids]
    return [t["cite"] for t in texts], all(t.get("verified", True) for t in texts)


def _market(code: str, status: str, reason: str, ids: Sequence[str], d: CueData, verified: bool = True,
            other: Optional[str] = None) -> MarketQualification:
    deciding = list(ids) or d.raw["deciding_texts"][code]
    cites, ok = _texts(deciding, d)
    return MarketQualification(status, reason, cites, ok and verified, other)


def _from_group(group: dict, markets: Sequence[str], lang: str, d: CueData, default: str) -> dict:
    reason = tr(group["reason"], lang)
    other = tr(group["other"], lang) if group.get("other") else None
    out = {}
    for code in markets:
        spec = group["markets"].get(code) or {"status": default, "texts": []}
        out[code] = _market(code, spec["status"], reason, spec["texts"], d, spec.get("verified", True),
                            other if spec["status"] == "not_device" else None)
    return out


def _all(status: str, reason: str, markets: Sequence[str], d: CueData) -> dict:
    return {code: _market(code, status, reason, [], d) for code in markets}


def _top(markets: dict) -> str:
    statuses = [m.status for m in markets.values()]
    if "device" in statuses:
        return "device"
    return "not_device" if statuses and all(s == "not_device" for s in statuses) else "needs_review"


_Decision = tuple  # (markets, basis, cues, question, confidence)


def _by_group(e: Evidence, markets: Sequence[str], d: CueData) -> _Decision:
    """A product group decides per market; a medical claim still makes it a device everywhere."""
    R, Q, group = d.raw["reasons"], d.raw["questions"], e.groups[0]
    result = _from_group(group, markets, e.lang, d, "device")
    for code, m in result.items():
        if e.claims and m.status != "device":
            result[code] = _market(code, "device", tr(R["medical_claim"], e.lang, cue=e.claims[0]), [], d)
    question = tr(Q["claim"], e.lang) if any(m.status == "needs_review" for m in result.values()) else None
    ask = group.get("ask_unless")
    if ask and not any(word in e.text.lower() for word in ask["words"]):
        question = tr(Q[ask["question"]], e.lang)   # "glasses" alone: sunglasses, or blue-light fashion glasses?
    return result, group["category"], e.claims[:3], question, 0.85


def _by_claim(e: Evidence, markets: Sequence[str], d: CueData) -> _Decision:
    """A medical claim or device word: a device (CDS: per market, with the four-criteria question)."""
    wellness = next((g for g, _ in e.plain if g["id"] == "wellness"), None)
    if not e.claims and e.disclaimed and wellness is not None:
        # A device word with a disclaimer in a wellness setting ("SpO2 for climbers, not for medical use"):
        # MFDS calls some of these wellness products, FDA may not; a person decides, never a silent not_device.
        reason = tr(d.raw["reasons"]["wellness_but_device_type"], e.lang,
                     what=wellness["reason"][e.lang].split(":")[0], name=e.device_words[0])
        return (_all("needs_review", reason, markets, d), "device_word_framed_as_wellness", e.device_words[:4],
                tr(d.raw["questions"]["claim"], e.lang), 0.5)
    if e.cds is not None:
        return (_from_group(e.cds, markets, e.lang, d, "device"), "cds", (e.claims + e.device_words)[:4],
                tr(d.raw["questions"]["cds"], e.lang), 0.85)
    reason = tr(d.raw["reasons"]["medical_claim"], e.lang, cue=(e.claims or e.device_words)[0])
    return _all("device", reason, markets, d), "medical_claim", (e.claims + e.device_words)[:4], None, 0.85


def _by_exclusion(e: Evidence, markets: Sequence[str], d: CueData) -> _Decision:
    """Wellness, admin, cosmetic … or a disclaimer: not a device, unless a device type matched well."""
    R, Q = d.raw["reasons"], d.raw["questions"]
    group, hits = e.plain[0] if e.plain else (None, [])
    # Wellness framing with the claims disclaimed ("we don't claim to detect apnea") is general wellness
    # even beside a device type: under FDA's policy and MFDS's criteria the claims decide.
    wellness_disclaimed = e.disclaimed and group is not None and group["id"] == "wellness"
    if e.type_score >= MATCH_STRONG and not e.dual_use and not (group or {}).get("decisive") and not wellness_disclaimed:
        what = group["reason"][e.lang].split(":")[0] if group else tr(R["disclaimed"], e.lang)
        reason = tr(R["wellness_but_device_type"], e.lang, what=what, name=e.name)
        return (_all("needs_review", reason, markets, d), "device_type_framed_as_wellness", hits[:4],
                tr(Q["claim"], e.lang), 0.5)
    if group is not None:
        return (_from_group(group, markets, e.lang, d, "not_device"), group["category"], hits[:4], None,
                0.9 if e.disclaimed else 0.8)
    # "Not a medical device!" alone names no product group: the claims decide, so a person must look.
    return (_all("needs_review", tr(R["disclaimed"], e.lang), markets, d), "disclaimed", [],
            tr(Q["claim"], e.lang), 0.4)


def _by_match(e: Evidence, markets: Sequence[str], d: CueData) -> _Decision:
    """No cue either way: the device-type match decides, else it is unclear what the product is."""
    R = d.raw["reasons"]
    context = hits(d.context, e.text)
    if e.dual_use and e.score >= MATCH_ANY:
        # A massager or a cycle app with no claim either way: it is a device only if it claims a medical use.
        reason = tr(R["dual_use_no_claim"], e.lang, name=e.name)
        return _all("needs_review", reason, markets, d), "dual_use", [], tr(d.raw["questions"]["claim"], e.lang), 0.5
    if e.score >= MATCH_ANY or (e.score >= MATCH_NEAR and context):
        strong = e.score >= MATCH_STRONG
        reason = tr(R["device_type" if strong else "device_type_weak"], e.lang, name=e.name)
        return _all("device", reason, markets, d), "device_type", [], None, 0.9 if strong else 0.6
    reason = tr(R["unclear_medical" if context else "unclear"], e.lang)
    return (_all("needs_review", reason, markets, d), "unclear", context[:3],
            tr(d.raw["questions"]["what"], e.lang), 0.3)


def _type_markets(result: dict, type_id: Optional[str], lang: str, d: CueData) -> dict:
    """Markets where a matched device type is not a device (sanitary pads: 의약외품 in Korea), from the data."""
    overrides = d.raw.get("device_type_markets", {}).get(type_id or "", {})
    out = dict(result)
    for code, spec in overrides.items():
        if code in out:
            out[code] = _market(code, spec["status"], tr(spec["reason"], lang), spec["texts"], d,
                                spec.get("verified", True), tr(spec["other"], lang) if spec.get("other") else None)
    return out


def _overrides_claims(group: dict) -> bool:
    """Whether an exclusion outranks medical words: always (`true`), or when its cue leads the text (`"lead"`)."""
    mode = group.get("overrides_claims")
    return mode is True or (mode == "lead" and bool(group.get("decisive")))


def _records_software(e: Evidence) -> bool:
    """Admin, records or teaching software with medical words but nothing a device does with them: no
    detecting, flagging, analysing or recommending (`actions`), no decision support, no device type matched."""
    # A device type matched on the subject ("ICD-10 codes" → an ICD; "bed management" → a hospital bed) does
    # not outweigh admin words that lead the text and name the product, unless a device word names one
    # ("EHR-integrated insulin pump").
    subject_match = not e.device_words and all(g.get("decisive") for g, _ in e.plain)
    return (bool(e.claims or e.device_words) and bool(e.plain) and not e.actions and e.cds is None
            and (e.type_score < MATCH_ANY or subject_match) and all(g["category"] in _CDS_OUTRANKS for g, _ in e.plain))


def qualify(concept: str, language: str, markets: Sequence[str] = MARKETS,
            context: Optional[str] = None, match: Optional[dict] = None,
            answers: Optional[dict] = None) -> Qualification:
    """Decide per market whether the concept is a medical device; `match` is the classify step's best device type
    (`{"id", "name", "name_ko", "score", "source"}`), if any; `answers` the user's (`medical_claim`: yes/no)."""
    d = data()
    lang = "ko" if language == "ko" else "en"
    markets = tuple(markets) or MARKETS
    e = evidence(concept, context, match, lang, d)
    strong_match = (e.type_score >= MATCH_STRONG and not e.dual_use and not e.disclaimed
                    and not any(g.get("decisive") for g, _ in e.plain))
    claim = (answers or {}).get("medical_claim")
    if claim == "yes" or (claim == "no" and not e.groups):
        decision = _by_answer(e, claim == "yes", markets, d)
    elif e.groups:
        decision = _by_group(e, markets, d)
    elif e.plain and any(_overrides_claims(g) for g, _ in e.plain):
        # The maker names its regime ("기능성화장품 보고"), or the product leads as one whose medical words
        # are its nature (a nicotine patch, a surgical simulator): those words are not device claims.
        decision = _by_exclusion(e, markets, d)
    elif e.undecided and not e.claims:
        # "We haven't decided what to claim": the claims decide, even for a product that looks like a device.
        decision = _ask("claim_undecided", e.undecided, "claim", 0.4, lang, markets, d)
    elif e.component and not e.actions and not e.groups:
        # A material or part sold to manufacturers ("medical-grade silicone compound"): a device only as part
        # of a finished device, or if it is sold to users for a medical purpose.
        decision = _ask("component", e.component, "claim", 0.4, lang, markets, d)
    elif _records_software(e):
        # Medical words in scheduling, records or teaching software are its subject, not its purpose.
        decision = _by_exclusion(e, markets, d)
    elif e.vague and not e.actions and (e.type_score < MATCH_ANY or not e.device_words):
        # "An app for people with diabetes", "혈압 관련 앱": a field or an audience, not what it does.
        decision = _ask("vague", e.vague, "what", 0.3, lang, markets, d)
    elif e.claims or e.device_words:     # a medical claim beats any consumer framing
        decision = _by_claim(e, markets, d)
    elif strong_match:                   # a wellness or admin word beside a device type is a feature
        decision = (_all("device", tr(d.raw["reasons"]["device_type"], lang, name=e.name), markets, d),
                    "device_type", [], None, 0.85)
    elif e.cds is not None and all(g["category"] in _CDS_OUTRANKS for g, _ in e.plain):
        # Patient-specific recommendations read from an EHR are decision support, not record keeping.
        decision = _by_claim(e, markets, d)
    elif e.plain or e.disclaimed:
        decision = _by_exclusion(e, markets, d)
    elif e.cds is not None:
        decision = _by_claim(e, markets, d)
    else:
        decision = _by_match(e, markets, d)
    result, basis, cues, question, confidence = decision
    if match and (basis == "device_type" or (basis == "medical_claim" and e.score >= MATCH_STRONG)):
        result = _type_markets(result, match.get("id"), lang, d)
    status = _top(result)
    if status == "needs_review" and question is None:
        question = tr(d.raw["questions"]["claim"], lang)
    return Qualification(status, _summary(status, result, lang, d), _union(result), result, basis,
                         question, cues, confidence)


def _ask(basis: str, cues: list[str], question: str, confidence: float, lang: str, markets: Sequence[str],
         d: CueData) -> _Decision:
    """needs_review everywhere, for the reason named `basis`, with the question that decides it."""
    return (_all("needs_review", tr(d.raw["reasons"][basis], lang), markets, d), basis, cues[:3],
            tr(d.raw["questions"][question], lang), confidence)


def _by_answer(e: Evidence, claims: bool, markets: Sequence[str], d: CueData) -> _Decision:
    """The user said whether it claims a medical purpose: that decides it (a product group still decides per market)."""
    R = d.raw["reasons"]
    if claims:
        return _all("device", tr(R["answer_claim"], e.lang), markets, d), "answer", [], None, 0.9
    group = e.plain[0][0] if e.plain else None
    if group is not None:
        return _from_group(group, markets, e.lang, d, "not_device"), "answer", [], None, 0.85
    return _all("not_device", tr(R["answer_no_claim"], e.lang), markets, d), "answer", [], None, 0.85


def _summary(status: str, markets: dict, lang: str, d: CueData) -> str:
    """The top-level reason: the deciding market reason, then which markets regulate it."""
    R = d.raw["reasons"]
    reasons = list(dict.fromkeys(m.reason for m in markets.values()))
    if status == "device":
        which = ", ".join(c for c, m in markets.items() if m.status == "device")
        head = next(m.reason for m in markets.values() if m.status == "device")
        return f"{head}; {tr(R['top_device'], lang, markets=which)}"
    if status == "not_device":
        return "; ".join(reasons)
    return f"{reasons[0]}; {tr(R['top_review'], lang)}"


def _union(markets: dict) -> list[str]:
    return list(dict.fromkeys(c for m in markets.values() for c in m.citations))


def pathway_text(reason: str, language: str) -> str:
    """The pathway of a market where the product is not a device, e.g. "Not regulated as a medical device (…)"."""
    return tr(data().raw["pathway"], "ko" if language == "ko" else "en", why=reason)
