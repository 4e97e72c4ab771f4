"""How sure the engine is, and what to ask the user when it is not."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from medreg.language import tr

# Rough risk level per market class, to see whether the three markets agree.
_LEVEL = {("US", "I"): 1, ("US", "II"): 2, ("US", "III"): 3,
          ("EU", "I"): 1, ("EU", "Is"): 1, ("EU", "Im"): 1, ("EU", "Ir"): 1, ("EU", "IIa"): 2, ("EU", "IIb"): 2.5,
          ("EU", "III"): 3, ("KR", "1"): 1, ("KR", "2"): 2, ("KR", "3"): 2.5, ("KR", "4"): 3}

MATCH_NONE = 0.55      # below: no device type is claimed, every class is null
MATCH_WEAK = 0.62      # below: classes given but the whole answer needs review
HIGH = 0.8


@dataclass
class Signals:
    """What the confidence is computed from."""

    score: float = 0.0
    runner_up: float = 0.0
    runner_up_differs: bool = False
    conflicts: int = 0
    rival: bool = False          # another type with a different class explains as much of the concept
    imported: bool = False
    markets: dict = field(default_factory=dict)


def market_spread(markets: dict) -> float:
    """Largest gap between the markets' risk levels (0 when they agree or fewer than two decided)."""
    levels = [_LEVEL[(m, b.get("class"))] for m, b in markets.items() if (m, b.get("class")) in _LEVEL]
    return max(levels) - min(levels) if len(levels) >= 2 else 0.0


def confidence(s: Signals) -> float:
    """0–1: match strength, damped by close rivals, contradictions, market disagreement and review flags."""
    if s.score < MATCH_NONE:
        return round(min(0.2, s.score / 2), 2)
    value = s.score
    gap = s.score - s.runner_up
    if s.runner_up_differs and gap < 0.12:
        value *= 0.72 + 2.0 * max(gap, 0.0)
    value -= 0.12 * s.conflicts
    if s.rival:
        # Another type, classed differently, explains words this one cannot ("surgical" next to an
        # examination glove): worth asking about, never a confident answer.
        value = min(value - 0.15, HIGH - 0.05)
    spread = market_spread(s.markets)
    if spread >= 1.5:
        value -= 0.15
    elif spread >= 1.0:
        value -= 0.05
    blocks = list(s.markets.values())
    if any(b.get("needs_review") for b in blocks):
        value = min(value, 0.7)
    if any(b.get("derived") for b in blocks):
        value = min(value, 0.6)
    if s.imported:
        value = min(value, 0.7)
    if s.score < MATCH_WEAK:
        value = min(value, 0.55)
    return round(max(0.0, min(value, 0.97)), 2)


_Q = {
    "which": {"en": "Which is closest to your product: {options}?", "ko": "제품이 다음 중 무엇에 가장 가깝습니까: {options}?"},
    "describe": {"en": "What does the device do, on which part of the body, and does it use electricity or software?",
                 "ko": "기기가 무엇을 하는지, 신체 어느 부위에 쓰는지, 전기나 소프트웨어를 사용하는지 알려 주세요."},
    "duration": {"en": "How long does one device stay in continuous contact with the body: under 60 minutes, up to 30 days, or longer?",
                 "ko": "기기 하나가 인체에 연속으로 접촉하는 시간은 얼마입니까: 60분 미만, 30일 이하, 또는 그 이상?"},
    "decision": {"en": "What decisions does the software inform, and what could happen to the patient if its output is wrong?",
                 "ko": "소프트웨어가 어떤 진단·치료 결정에 쓰이며, 결과가 틀리면 환자에게 어떤 일이 생길 수 있습니까?"},
    "wireless": {"en": "Does it connect wirelessly (Bluetooth, Wi-Fi, cellular) to a phone or the cloud?",
                 "ko": "블루투스·와이파이·셀룰러 등 무선으로 휴대폰이나 클라우드에 연결됩니까?"},
    "home": {"en": "Will patients or lay people use it at home, or only professionals in a clinic?",
             "ko": "환자나 일반인이 가정에서 사용합니까, 아니면 의료기관에서 전문가만 사용합니까?"},
    "conflict": {"en": "You mention {what}, which a typical {device} is not; is your product different in that respect?",
                 "ko": "설명에 '{what}'이(가) 있으나 일반적인 {device}에는 해당하지 않습니다. 이 점에서 제품이 다릅니까?"},
}


_CONFLICT_LABELS = {
    ("invasiveness", "implantable"): {"en": "an implant", "ko": "체내 이식"},
    ("invasiveness", "non_invasive"): {"en": "non-invasive use", "ko": "비침습 사용"},
    ("invasiveness", "surgically_invasive"): {"en": "surgically invasive use", "ko": "수술적 침습"},
    ("software_only", True): {"en": "software only", "ko": "소프트웨어 단독 제품"},
    ("software_only", False): {"en": "hardware", "ko": "하드웨어"},
    ("ivd", True): {"en": "in-vitro diagnostic testing of samples", "ko": "검체를 사용하는 체외진단"},
    ("ivd", False): {"en": "use on the body", "ko": "인체 적용"},
    ("wireless", True): {"en": "wireless connectivity", "ko": "무선 연결"},
    ("software", True): {"en": "software", "ko": "소프트웨어"},
    ("sterile", True): {"en": "sterile supply", "ko": "멸균 공급"},
    ("single_use", True): {"en": "single use", "ko": "일회용"},
    ("single_use", False): {"en": "reuse after reprocessing", "ko": "재처리 후 재사용"},
    # a temporary device against an implant type (MDR Article 2(5): an implant remains in place)
    ("duration", "short_term"): {"en": "temporary use (up to 30 days)", "ko": "일시적 사용(30일 이하)"},
    ("duration", "transient"): {"en": "use for under an hour", "ko": "60분 미만 사용"},
}


def conflict_label(key: str, value, language: str) -> str:
    """Human words for a stated attribute that contradicts the matched device type."""
    label = _CONFLICT_LABELS.get((key, value))
    return tr(label, language) if label else f"{key}: {value}"


def questions(language: str, **signals) -> list[str]:
    """Concrete questions, in the request language, most useful first (at most four)."""
    return [text for _, text in asked(language, **signals)]


def asked(language: str, *, alternatives: list[str], ambiguous: bool, no_match: bool, attrs: dict,
          sources: dict, conflicts: list[str], device_name: Optional[str], assumed_duration: bool) -> list[tuple[str, str]]:
    """The questions as (id, text) pairs; ids are those of `answers.SPECS` (`describe` is free text)."""
    lang = "ko" if language == "ko" else "en"
    out: list[tuple[str, str]] = []
    if no_match:
        return [("describe", tr(_Q["describe"], lang))]
    if ambiguous and len(alternatives) >= 2:
        out.append(("device_type", tr(_Q["which"], lang).format(options=", ".join(alternatives[:3]))))
    for what in conflicts[:1]:
        out.append(("conflict", tr(_Q["conflict"], lang).format(what=what, device=device_name or "")))
    if assumed_duration:
        out.append(("duration", tr(_Q["duration"], lang)))
    if attrs.get("software_only") and not attrs.get("software_decision"):
        out.append(("software_decision", tr(_Q["decision"], lang)))
    if (attrs.get("active") or attrs.get("software")) and sources.get("wireless") in (None, "default"):
        out.append(("wireless", tr(_Q["wireless"], lang)))
    if attrs.get("active") and sources.get("home_use") in (None, "default"):
        out.append(("home_use", tr(_Q["home"], lang)))
    return out[:4]
