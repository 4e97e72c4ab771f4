"""Qualification: is the concept a medical device at all, per market, before any class is given.

The deciding texts are FD&C Act 201(h) and 520(o) with FDA's general-wellness policy (US), MDR
Article 2(1), Article 1(2)/Annex XVI and MDCG 2019-11 (EU), 의료기기법 제2조 and MFDS's wellness
criteria (KR); cues and texts live in data/qualification.json. The costly error is calling a real
device `not_device`, so a medical claim or device word outside a disclaimer always wins, and a
strong match to a curated device type never becomes `not_device` on wellness framing alone.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

STATUSES = ("device", "not_device", "needs_review")
MATCH_STRONG = 0.62   # conf.MATCH_WEAK: a curated type matched this well is evidence of a device
MATCH_ANY = 0.55      # conf.MATCH_NONE: below, nothing matched
MATCH_NEAR = 0.4      # a near miss, evidence of a device only beside words about the body or care
DECISIVE_LEAD = 60    # characters from the start within which a decisive cue names the product
EN_WINDOW = 10        # words after "no"/"not"/"without" that a disclaimer covers
KO_WINDOW = 30        # characters before 없/아님/않 that a disclaimer covers
_BOUNDARY = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b|하지만|그러나|다만|,\s*(?=(?:it|we|this|that|which|and it|also|plus|so)\b)")


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


def _cue_regex(cue: str) -> str:
    if cue.isascii():
        parts = [re.escape(w).replace(r"\*", "[a-z0-9'-]*") for w in re.split(r"[\s-]+", cue.lower())]
        return r"[\s-]*".join(parts) + r"(?![a-z0-9])"
    return r"\s*".join(re.escape(ch) for ch in cue.replace(" ", ""))   # Korean spacing varies


def _alternation(cues: dict) -> str:
    """English cues at a word start, Korean ones at a syllable: each check made once, not once per cue."""
    words = sorted((c for lang in ("en", "ko") for c in cues.get(lang, [])), key=len, reverse=True)
    ascii_words = "|".join(_cue_regex(c) for c in words if c.isascii())   # the longest phrase wins
    hangul = "|".join(_cue_regex(c) for c in words if not c.isascii())
    parts = ([rf"(?<![a-z0-9])(?:{ascii_words})"] if ascii_words else []) + \
        ([rf"(?=[\uac00-\ud7a3])(?:{hangul})"] if hangul else [])
    return "|".join(parts)


def _compile(cues: dict) -> Optional[re.Pattern]:
    alternation = _alternation(cues)
    return re.compile(alternation, re.I) if alternation else None


def _compile_groups(groups: list[dict]) -> re.Pattern:
    """One pattern for all groups (one pass over the text); the named group says whose cue matched."""
    return re.compile("|".join(f"(?P<g{i}>{_alternation(g['cues'])})" for i, g in enumerate(groups)), re.I)


def _group_hits(groups: list[dict], pattern: re.Pattern, text: str) -> list[tuple[dict, list[str], int]]:
    """(group, cue phrases, first position) for each group with a cue in the text, in data order."""
    found: dict[int, tuple[list[str], int]] = {}
    for m in pattern.finditer(text):
        index = int(m.lastgroup[1:])
        hits, first = found.setdefault(index, ([], m.start()))
        hits.append(re.sub(r"\s+", " ", m.group(0).strip()))
    return [(groups[i], *found[i]) for i in sorted(found)]


@dataclass
class _Data:
    raw: dict
    medical: re.Pattern
    device: re.Pattern
    ignore: Optional[re.Pattern]
    context: re.Pattern
    scope: re.Pattern
    disclaim: re.Pattern
    neg_en: re.Pattern
    neg_ko: re.Pattern
    groups: re.Pattern
    exclusions: re.Pattern


@lru_cache(maxsize=1)
def data() -> _Data:
    """The qualification knowledge, read once."""
    raw = json.loads(resources.files("medreg.knowledge").joinpath("data/qualification.json").read_text("utf-8"))
    neg = raw["negation"]
    not_after = "|".join(neg["en_not_after"])
    neg_en = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(re.escape(w) for w in neg["en"]) + r")(?![a-z0-9'])"
                        + rf"(?!\s+(?:{not_after})\b)", re.I)
    neg_ko = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in neg["ko"]))
    return _Data(raw, _compile(raw["medical_cues"]), _compile(raw["device_cues"]), _compile(raw["ignore_cues"]),
                 _compile(raw["context_cues"]), _compile(raw["scope_words"]),
                 _compile(raw["disclaim_words"]), neg_en, neg_ko,
                 _compile_groups(raw["device_groups"]), _compile_groups(raw["exclusions"]))


def _disclaimers(text: str, d: _Data) -> list[tuple[int, int]]:
    """Spans where the maker disclaims a medical purpose ("no medical claims", "질병 치료 효과는 주장하지 않음")."""
    bounds = [m.start() for m in _BOUNDARY.finditer(text)] + [len(text)]
    spans = []
    for m in d.neg_en.finditer(text):
        end = next(b for b in bounds if b >= m.end())
        words = list(re.finditer(r"\S+", text[m.end():end]))
        limit = 1 if m.group(0).lower() == "non" else EN_WINDOW
        stop = m.end() + (words[min(limit, len(words)) - 1].end() if words else 0)
        if d.scope.search(text, m.end(), stop) or d.scope.search(text, m.start(), m.end() + 1):
            spans.append((m.start(), stop))
    for m in d.neg_ko.finditer(text):
        if not re.search(r"[\uac00-\ud7a3]", m.group(0)):
            continue
        start = max([b + 1 for b in bounds if b < m.start()] + [0, m.start() - KO_WINDOW])
        if d.scope.search(text, start, m.start()):
            spans.append((start, m.end()))
    return spans


def _hits(pattern: Optional[re.Pattern], text: str, spans: Sequence[tuple[int, int]] = (),
          ignored: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Cue phrases found outside the given spans, in order of appearance."""
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        inside = any(a <= m.start() < b for a, b in list(spans) + list(ignored))
        if not inside and m.group(0).strip():
            out.append(re.sub(r"\s+", " ", m.group(0).strip()))
    return out


def _texts(ids: Sequence[str], d: _Data) -> tuple[list[str], bool]:
    texts = [d.raw["texts"][i] for i in ids]
    return [t["cite"] for t in texts], all(t.get("verified", True) for t in texts)


def _tr(entry: dict, lang: str, **kw) -> str:
    return (entry.get(lang) or entry["en"]).format(**kw)


def _market(code: str, status: str, reason: str, ids: Sequence[str], d: _Data, verified: bool = True,
            other: Optional[str] = None) -> MarketQualification:
    deciding = list(ids) or d.raw["deciding_texts"][code]
    cites, ok = _texts(deciding, d)
    return MarketQualification(status, reason, cites, ok and verified, other)


def _from_group(group: dict, markets: Sequence[str], lang: str, d: _Data, default: str) -> dict:
    reason = _tr(group["reason"], lang)
    other = _tr(group["other"], lang) if group.get("other") else None
    out = {}
    for code in markets:
        spec = group["markets"].get(code) or {"status": default, "texts": []}
        out[code] = _market(code, spec["status"], reason, spec["texts"], d, spec.get("verified", True),
                            other if spec["status"] == "not_device" else None)
    return out


def _all(status: str, reason: str, markets: Sequence[str], d: _Data) -> dict:
    return {code: _market(code, status, reason, [], d) for code in markets}


def _top(markets: dict) -> str:
    statuses = [m.status for m in markets.values()]
    if "device" in statuses:
        return "device"
    return "not_device" if statuses and all(s == "not_device" for s in statuses) else "needs_review"


def qualify(concept: str, language: str, markets: Sequence[str] = ("US", "EU", "KR"),
            context: Optional[str] = None, match: Optional[dict] = None) -> Qualification:
    """Decide per market whether the concept is a medical device; `match` is the classify step's best device type
    (`{"id", "name", "name_ko", "score", "source"}`), if any."""
    d = data()
    lang = "ko" if language == "ko" else "en"
    markets = tuple(markets) or ("US", "EU", "KR")
    text = concept + ("\n" + context if context else "")
    spans = _disclaimers(text, d)
    ignored = [m.span() for m in d.ignore.finditer(text)] if d.ignore else []
    claims = _hits(d.medical, text, spans, ignored)
    device_words = _hits(d.device, text, spans, ignored)
    groups = [g for g, _, _ in _group_hits(d.raw["device_groups"], d.groups, text)]
    exclusions = _group_hits(d.raw["exclusions"], d.exclusions, text)
    # A decisive cue (earbuds, work gloves) names the product only when it leads the text.
    exclusions = [(dict(g, decisive=bool((g.get("decisive") or g.get("leads_over_match"))
                                         and first < DECISIVE_LEAD)), hits)
                  for g, hits, first in exclusions]
    score = float((match or {}).get("score") or 0.0)
    name = (match or {}).get("name_ko" if lang == "ko" else "name") or (match or {}).get("name") or ""
    dual_use = (match or {}).get("id") in d.raw["dual_use_types"]
    R, Q = d.raw["reasons"], d.raw["questions"]
    question, confidence = None, 0.85
    cds = next((g for g, _ in exclusions if g["kind"] == "cds"), None)
    plain = [(g, hits) for g, hits in exclusions if g["kind"] == "not_device"]

    # A disclaimer counts when it disclaims a medical purpose ("no medical claims"), not a feature ("no Wi-Fi").
    disclaimed = any(d.disclaim.search(text, a, b) for a, b in spans)
    if groups:
        group = groups[0]
        result = _from_group(group, markets, lang, d, "device")
        if claims:   # a medical claim makes it a device everywhere, whatever the group says elsewhere
            for code, m in result.items():
                if m.status != "device":
                    result[code] = _market(code, "device", _tr(R["medical_claim"], lang, cue=claims[0]), [], d)
        basis, cues = group["category"], claims[:3]
        if any(m.status == "needs_review" for m in result.values()):
            question = _tr(Q["claim"], lang)
        if group["id"] == "sunglasses" and not re.search(r"sun|선글라스|자외선", text, re.I):
            question = _tr(Q["sunglasses"], lang)
    elif claims or device_words:
        cue = (claims or device_words)[0]
        result = _all("device", _tr(R["medical_claim"], lang, cue=cue), markets, d)
        basis, cues = "medical_claim", (claims + device_words)[:4]
        if cds is not None:
            result = _from_group(cds, markets, lang, d, "device")
            basis, question = "cds", _tr(Q["cds"], lang)
    elif score >= MATCH_STRONG and not dual_use and not disclaimed and not any(g.get("decisive") for g, _ in plain):
        # A curated device type matched well: a wellness or admin word beside it is a feature, not the purpose.
        result, basis, cues = _all("device", _tr(R["device_type"], lang, name=name), markets, d), "device_type", []
    elif plain or disclaimed:
        group, hits = plain[0] if plain else (None, [])
        cues = hits[:4]
        if score >= MATCH_STRONG and not dual_use and not (group or {}).get("decisive"):
            what = group["reason"][lang].split(":")[0] if group else _tr(R["disclaimed"], lang)
            reason = _tr(R["wellness_but_device_type"], lang, what=what, name=name)
            result = _all("needs_review", reason, markets, d)
            basis, question, confidence = "device_type_framed_as_wellness", _tr(Q["claim"], lang), 0.5
        elif group is not None:
            result = _from_group(group, markets, lang, d, "not_device")
            basis = group["category"]
            confidence = 0.9 if disclaimed else 0.8
        else:
            result = _all("not_device", _tr(R["disclaimed"], lang), markets, d)
            basis, confidence = "disclaimed", 0.75
    elif cds is not None:
        result, basis, cues = _from_group(cds, markets, lang, d, "device"), "cds", []
        question = _tr(Q["cds"], lang)
    elif score >= MATCH_ANY or (score >= MATCH_NEAR and _hits(d.context, text)):
        strong = score >= MATCH_STRONG
        reason = _tr(R["device_type" if strong else "device_type_weak"], lang, name=name)
        result, basis, cues = _all("device", reason, markets, d), "device_type", []
        confidence = 0.9 if strong else 0.6
    else:
        context_hits = _hits(d.context, text)
        reason = _tr(R["unclear_medical" if context_hits else "unclear"], lang)
        result, basis, cues = _all("needs_review", reason, markets, d), "unclear", context_hits[:3]
        question, confidence = _tr(Q["what"], lang), 0.3
    status = _top(result)
    if status == "needs_review" and question is None:
        question = _tr(Q["claim"], lang)
    return Qualification(status, _summary(status, result, lang, d), _union(result), result, basis,
                         question, cues, confidence)


def _summary(status: str, markets: dict, lang: str, d: _Data) -> str:
    """The top-level reason: the deciding market reason, then which markets regulate it."""
    R = d.raw["reasons"]
    reasons = list(dict.fromkeys(m.reason for m in markets.values()))
    if status == "device":
        which = ", ".join(c for c, m in markets.items() if m.status == "device")
        head = next(m.reason for m in markets.values() if m.status == "device")
        return f"{head}; {_tr(R['top_device'], lang, markets=which)}"
    if status == "not_device":
        return "; ".join(reasons)
    return f"{reasons[0]}; {_tr(R['top_review'], lang)}"


def _union(markets: dict) -> list[str]:
    return list(dict.fromkeys(c for m in markets.values() for c in m.citations))


def pathway_text(reason: str, language: str) -> str:
    """The pathway of a market where the product is not a device, e.g. "Not regulated as a medical device (…)"."""
    return _tr(data().raw["pathway"], "ko" if language == "ko" else "en", why=reason)
