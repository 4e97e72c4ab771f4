"""Reading a concept for qualification: cue phrases (en/ko) from data/qualification.json, disclaimers and
their scope, and the evidence the decision in qualification.py rests on."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from medreg.language import SYLLABLES, has_syllable

DECISIVE_LEAD = 60    # characters from the start within which a decisive cue names the product
EN_WINDOW = 10        # words after "no"/"not"/"without" that a disclaimer covers
KO_WINDOW = 30        # characters before 없/아님/않 that a disclaimer covers
_BOUNDARY = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b|하지만|그러나|다만|,\s*(?=(?:it|we|this|that|which|and it|also|plus|so)\b)")


def _cue_regex(cue: str) -> str:
    if cue.isascii():
        parts = [re.escape(w).replace(r"\*", "[a-z0-9'-]*") for w in re.split(r"[\s-]+", cue.lower())]
        return r"[\s-]*".join(parts) + r"(?![a-z0-9])"
    word = cue.replace(" ", "")
    if len(word) <= 2:
        return re.escape(word)   # a two-syllable word is never spaced inside: "자가 구동" is not 가구
    return r"\s*".join(re.escape(ch) for ch in word)   # Korean spacing varies in longer phrases


def _alternation(cues: dict) -> str:
    """English cues at a word start, Korean ones at a syllable: each check made once, not once per cue."""
    words = sorted((c for lang in ("en", "ko") for c in cues.get(lang, [])), key=len, reverse=True)
    ascii_words = "|".join(_cue_regex(c) for c in words if c.isascii())   # the longest phrase wins
    hangul = "|".join(_cue_regex(c) for c in words if not c.isascii() and not c[0].isascii())
    # A mixed cue that opens with Latin letters or digits ("CO2 인큐베이터", "USB 케이블") starts at a word start.
    mixed = "|".join(_cue_regex(c) for c in words if not c.isascii() and c[0].isascii())
    parts = ([rf"(?<![a-z0-9])(?:{ascii_words})"] if ascii_words else []) + \
        ([rf"(?=[{SYLLABLES}])(?:{hangul})"] if hangul else []) + \
        ([rf"(?<![a-z0-9])(?:{mixed})"] if mixed else [])
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
        phrases, _first = found.setdefault(index, ([], m.start()))
        phrases.append(re.sub(r"\s+", " ", m.group(0).strip()))
    return [(groups[i], *found[i]) for i in sorted(found)]


@dataclass
class CueData:
    """The data file and its compiled cue patterns."""

    raw: dict
    medical: re.Pattern
    device: re.Pattern
    ignore: Optional[re.Pattern]
    context: re.Pattern
    scope: re.Pattern
    disclaim: re.Pattern
    neg_en: re.Pattern
    neg_ko: re.Pattern
    neg_wording: Optional[re.Pattern]
    groups: re.Pattern
    exclusions: re.Pattern
    actions: Optional[re.Pattern]
    vague: Optional[re.Pattern]
    undecided: Optional[re.Pattern]
    component: Optional[re.Pattern]


@lru_cache(maxsize=1)
def data() -> CueData:
    """The qualification knowledge, read once."""
    raw = json.loads(resources.files("medreg.knowledge").joinpath("data/qualification.json").read_text("utf-8"))
    neg = raw["negation"]
    not_after = "|".join(neg["en_not_after"])
    neg_en = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(re.escape(w) for w in neg["en"]) + r")(?![a-z0-9'])"
                        + rf"(?!\s+(?:{not_after})\b)", re.I)
    neg_ko = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in neg["ko"]))
    return CueData(raw, _compile(raw["medical_cues"]), _compile(raw["device_cues"]), _compile(raw["ignore_cues"]),
                   _compile(raw["context_cues"]), _compile(raw["scope_words"]), _compile(raw["disclaim_words"]),
                   neg_en, neg_ko, _compile({"en": neg.get("en_wording", []), "ko": neg.get("ko_wording", [])}), _compile_groups(raw["device_groups"]), _compile_groups(raw["exclusions"]),
                   _compile(raw.get("action_cues", {})), _compile(raw.get("vague_cues", {})),
                   _compile(raw.get("undecided_cues", {})), _compile(raw.get("component_cues", {})))


def _clause_start(text: str, bounds: list[int], pos: int, window: Optional[int] = None) -> int:
    """Where the Korean clause ending at `pos` starts: a boundary, a comma, or `window` characters back."""
    starts = [b + 1 for b in bounds if b < pos] + [text.rfind(",", 0, pos) + 1]
    return max(starts + ([pos - window] if window is not None else []))


def _negations(text: str, d: CueData) -> list[tuple[int, int, bool]]:
    """Every span a negation covers, and whether it disclaims a medical purpose (a scope word inside it, or a
    wording negation: "nothing about hearing loss", "아토피 개선 같은 말은 안 써요"). One pass for both uses."""
    bounds = [m.start() for m in _BOUNDARY.finditer(text)] + [len(text)]
    spans = []
    for m in d.neg_en.finditer(text):
        words = list(re.finditer(r"\S+", text[m.end():next(b for b in bounds if b >= m.end())]))
        limit = 1 if m.group(0).lower() == "non" else EN_WINDOW
        stop = m.end() + (words[min(limit, len(words)) - 1].end() if words else 0)
        scoped = bool(d.scope.search(text, m.end(), stop) or d.scope.search(text, m.start(), m.end() + 1))
        spans.append((m.start(), stop, scoped))
    for m in d.neg_wording.finditer(text) if d.neg_wording is not None else ():
        # English: the words after it; Korean: its clause before it.
        if m.group(0).isascii():
            spans.append((m.start(), next(b for b in bounds if b >= m.end()), True))
        else:
            spans.append((_clause_start(text, bounds, m.start()), m.end(), True))
    for m in d.neg_ko.finditer(text):
        if has_syllable(m.group(0)):
            # Korean clauses also end at a comma ("등산용 산소포화도 측정기, 의료용 아님" disclaims only its clause).
            start = _clause_start(text, bounds, m.start(), KO_WINDOW)
            spans.append((start, m.end(), bool(d.scope.search(text, start, m.start()))))
    return spans


def hits(pattern: Optional[re.Pattern], text: str, spans: Sequence[tuple[int, int]] = (),
         ignored: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Cue phrases found outside the given spans, in order of appearance."""
    if pattern is None:
        return []
    out, covered = [], list(spans) + list(ignored)
    for m in pattern.finditer(text):
        inside = any(a <= m.start() < b for a, b in covered)
        if not inside and m.group(0).strip():
            out.append(re.sub(r"\s+", " ", m.group(0).strip()))
    return out


@lru_cache(maxsize=None)
def _unless_pattern(group_id: str) -> Optional[re.Pattern]:
    raw = data().raw
    group = next(g for g in raw["exclusions"] + raw["device_groups"] if g["id"] == group_id)
    return _compile(group["unless"]) if group.get("unless") else None


def _unless(group: dict, text: str, negated: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether the text names what makes the group's cue something else: a drug beside a test word is the
    analyte of a diagnostic ("아세트아미노펜 … 검사시약"), beside a needle or pump what a device delivers;
    a fat-reduction supplement or injectable is a food or a medicine, not Annex XVI equipment."""
    pattern = _unless_pattern(group["id"]) if group.get("unless") else None
    # A negated mention names nothing: "predictions are for info only, not contraception".
    return bool(pattern and hits(pattern, text, negated))


@dataclass
class Evidence:
    """What the text and the match say, before any decision."""

    text: str
    lang: str
    claims: list[str]          # medical claims outside disclaimers ("atrial fibrillation", "당뇨")
    device_words: list[str]    # words only devices carry ("catheter", "심전도")
    groups: list[dict]         # product groups with per-market answers (Annex XVI, contact lenses …)
    plain: list[tuple[dict, list[str]]]   # exclusions: wellness, admin, cosmetic, audio, PPE, consumer goods
    cds: Optional[dict]
    disclaimed: bool           # the maker disclaims a medical purpose ("no medical claims")
    score: float
    name: str
    dual_use: bool             # the matched type is a device only with a medical claim (massagers)
    actions: list[str]         # what only a device does with medical data (detects, flags, 분석, 판독), not negated
    curated: bool = True       # the match is a curated type (an official-catalogue name match is weaker evidence)
    vague: list[str] = field(default_factory=list)   # it names a field or an audience, not a product ("혈압 관련 앱")
    undecided: list[str] = field(default_factory=list)   # the maker says its claims are not decided ("효능은 아직 정리 중")
    component: list[str] = field(default_factory=list)   # a raw material or a component sold to manufacturers

    @property
    def type_score(self) -> float:
        """The match score as evidence against an exclusion: a catalogue name match on a shared word
        ("sleep sound", "dictation") never outweighs wellness, admin or teaching words; a curated type may."""
        return self.score if self.curated else 0.0


def evidence(concept: str, context: Optional[str], match: Optional[dict], lang: str, d: CueData) -> Evidence:
    """Scan the concept (and context) for claims, device words, groups, exclusions and disclaimers."""
    text = concept + ("\n" + context if context else "")
    negations = _negations(text, d)
    spans = [(a, b) for a, b, scoped in negations if scoped]   # disclaimers of a medical purpose
    negated = [(a, b) for a, b, _ in negations]
    ignored = [m.span() for m in d.ignore.finditer(text)] if d.ignore else []
    exclusions = [(dict(g, decisive=bool((g.get("decisive") or g.get("leads_over_match"))
                                         and first < DECISIVE_LEAD)), cues)   # a product name leads the text
                  for g, cues, first in _group_hits(d.raw["exclusions"], d.exclusions, text)
                  if not _unless(g, text, negated)]
    match = match or {}
    return Evidence(
        text, lang, hits(d.medical, text, spans, ignored), hits(d.device, text, spans, ignored),
        [g for g, _, _ in _group_hits(d.raw["device_groups"], d.groups, text) if not _unless(g, text, negated)],
        [(g, cues) for g, cues in exclusions if g["kind"] == "not_device"],
        next((g for g, _ in exclusions if g["kind"] == "cds"), None),
        # A disclaimer counts when it disclaims a medical purpose ("no medical claims"), not a feature ("no Wi-Fi").
        any(d.disclaim.search(text, a, b) for a, b in spans),
        float(match.get("score") or 0.0),
        match.get("name_ko" if lang == "ko" else "name") or match.get("name") or "",
        match.get("id") in d.raw["dual_use_types"],
        hits(d.actions, text, [(a, b) for a, b, _ in negations]),   # actions are never scope words
        match.get("source", "curated") == "curated",
        hits(d.vague, text), hits(d.undecided, text), hits(d.component, text))
