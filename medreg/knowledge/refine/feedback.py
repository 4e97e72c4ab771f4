"""Parses a user's feedback on the plans (Korean or English) into typed intents.

Feedback is cut into clauses; each clause yields the intents found in it, and a clause that
yields none is returned as not understood, so that nothing the user said is silently dropped.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Optional, Union

from medreg.language import has_syllable


@dataclass(frozen=True)
class MarketIntent:
    """Keep only, drop or add markets."""

    action: str                 # "only" | "drop" | "add"
    markets: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class AttributeIntent:
    """A device fact stated by the user (e.g. wireless = False)."""

    key: str
    value: object
    text: str


@dataclass(frozen=True)
class DeadlineIntent:
    """Submit within this many weeks."""

    weeks: float
    text: str


@dataclass(frozen=True)
class StandardIntent:
    """Drop or add a named standard."""

    action: str                 # "drop" | "add"
    standard: str
    text: str


@dataclass(frozen=True)
class Unsupported:
    """Understood but outside what medreg covers (reason is a key of refine's texts)."""

    reason: str
    text: str
    detail: str = ""


Intent = Union[MarketIntent, AttributeIntent, DeadlineIntent, StandardIntent, Unsupported]


@dataclass
class ParsedFeedback:
    """The intents found and the clauses not understood."""

    intents: list = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)


_I = re.IGNORECASE
MARKETS: dict[str, re.Pattern] = {
    # Acronyms are matched in capitals only, so that "us" the pronoun is not the US.
    "US": re.compile(r"\bU\.?S\.?A?\b(?!\s+(?:to|if|who|for)\b)|(?i:\bUnited States\b|\bAmerica\b)|\bFDA\b|미국"),
    "EU": re.compile(r"\bEU\b|(?i:\bEurope(?:an)?\b|\bCE[- ]?mark\w*)|\bMDR\b|유럽"),
    "KR": re.compile(r"\bKR\b|(?i:\b(?:south )?korea\b)|\bMFDS\b|한국|국내|식약처"),
}
OTHER_MARKETS = re.compile(r"\b(?:Japan|China|Canada|Australia|UK|United Kingdom|Britain|Brazil|India|Taiwan|Singapore|"
                           r"Switzerland|Mexico|Saudi|Vietnam|Indonesia)\b|일본|중국|캐나다|호주|영국|브라질|인도|대만|싱가포르|스위스|베트남", _I)
_ONLY = re.compile(r"\bonly\b|\bjust\b|\bexclusively\b|(?:미국|유럽|한국|국내|EU|US|KR)(?:\s*시장)?(?:에서|에|으로|로)?만(?![들료약일])", _I)
_DROP = re.compile(r"\b(?:drop|remove|exclude|excluding|without|skip|no longer|not (?:sell|selling|going|launch\w*|enter\w*|target\w*|in|for)|"
                   r"don'?t|do not|won'?t|will not|except|no)\b|제외|빼|말고|안 ?(?:함|해|팔|할|감)|하지 않|포기|철회|불필요|진출 ?안", _I)
_ADD = re.compile(r"\b(?:add|adding|also|include|including|plus|expand\w*|launch\w*|enter\w*|sell\w*|target\w*|want)\b|"
                  r"추가|진출|포함|판매|출시|도\s*(?:하|해|판매|진출|출시|추가|포함)|에도", _I)

_NEG_EN = r"\b(?:no|without|not|non|remove[sd]?|drop(?:ped)?|get rid of|doesn'?t (?:have|use|need)|does not (?:have|use|need)|won'?t (?:have|use)|lacks?)\b[\w\s-]{0,24}?"
_NEG_KO = r"[\w\s]{0,8}?(?:없|제외|제거|삭제|빼|뺌|미탑재|미지원|안 ?(?:함|해|들어|씀|써)|사용하지 않|지원하지 않|하지 않|불필요|아님|아닙)"
_POS_EN = r"\b(?:is|are|has|have|with|adds?|added|adding|includes?|uses?|using|supports?|via|over|connects?)\s+(?:an?\s+|the\s+)?"
_POS_KO = r"[\w\s]{0,8}?(?:있|탑재|추가|지원|연동|사용|포함|적용)"

# key, value when negated, value when affirmed, English words, Korean words
ATTRIBUTE_WORDS: list[tuple[str, object, object, str, str]] = [
    ("wireless", False, True, r"wireless|bluetooth|BLE|wi-?fi|cellular|LTE|radio|connectivity|NFC|IoT|network connection",
     r"무선|블루투스|와이파이|통신 ?기능|네트워크"),
    ("ai", False, True, r"AI|machine learning|deep learning|artificial intelligence", r"인공지능|딥러닝|머신러닝|AI"),
    ("software", False, True, r"software|firmware", r"소프트웨어|펌웨어|SW"),
]
_STERILE_NEG = re.compile(r"\bnon[- ]?sterile\b|\b(?:don'?t|do not|won'?t|will not)\s+(?:be\s+)?steril\w*|\bnot (?:be )?(?:supplied |provided |delivered |sold )?steril\w*|\bunsterile\b|"
                          r"\bno steril\w*|비멸균|멸균(?:하지 않|이 아닌|\s*안\s*(?:함|해)|\s*제품(?:이)? 아|\s*없|\s*불필요|은 안)", _I)
_STERILE_POS = re.compile(r"\bsteril(?:e|ised|ized|isation|ization)\b|멸균", _I)
_HOME_NEG = re.compile(r"\bnot (?:for |used )?(?:at )?home\b|\bno home[- ]use\b|\bhospital[- ]only\b|"
                       r"\b(?:professional|clinical|hospital|clinic) use only\b|\bonly (?:in|for|at) (?:the )?(?:hospitals?|clinics?)\b|"
                       r"\bonly (?:by|for) (?:clinicians|professionals|healthcare professionals|doctors)\b|"
                       r"가정용(?:이|은)? 아|가정에서(?:는)? 사용하지 않|병원(?:에서)?만|병원 전용|전문가(?:만| 전용)|의료진(?:만| 전용)|의료기관(?:에서)?만", _I)
_HOME_POS = re.compile(r"\bhome[- ]?(?:use|care|healthcare|setting|users?)\b|\bat home\b|\bin the home\b|\blay (?:users?|persons?)\b|"
                       r"\bpatients? (?:use it )?themselves\b|\bover[- ]the[- ]counter\b|\bOTC\b|가정용|가정에서|재택|집에서|일반인|환자가 직접|자가 ?사용", _I)

_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "half a": 0.5}
_UNIT_WEEKS = {"week": 1, "wk": 1, "month": 52 / 12, "mo": 52 / 12, "year": 52, "yr": 52, "주": 1, "개월": 52 / 12, "달": 52 / 12, "년": 52}
_DEADLINE_EN = re.compile(r"\b(?:in|within|by|under|less than|before|deadline(?: of| is)?|next|max(?:imum)?|of)\s+"
                          r"(\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")[\s-]*"
                          r"(weeks?|wks?|months?|mos?|years?|yrs?)\b", _I)
_DEADLINE_BARE = re.compile(r"^\W*(\d+(?:\.\d+)?)\s*(weeks?|wks?|months?|mos?|years?|yrs?)\W*$", _I)
_DEADLINE_EN2 = re.compile(r"\b(\d+(?:\.\d+)?)[\s-]*(week|month|year)[\s-]+(?:deadline|timeline|timeframe|window)\b", _I)
_DEADLINE_KO = re.compile(r"(\d+(?:\.\d+)?)\s*(개월|달|주|년)\s*(?:안|내|이내|까지|내로|만에|뒤|후)?")
_DEADLINE_KO_CUE = re.compile(r"안에|내에|이내|까지|내로|안으로|만에|마감|데드라인|제출|기한|일정")
_HALF_YEAR = re.compile(r"반년|half a year|six-month", _I)
_DATE_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_DATE_KO = re.compile(r"(20\d\d)\s*년\s*(\d{1,2})\s*월")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_EN = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?(20\d\d)\b", _I)
_STANDARD = re.compile(r"\b(?:ISO|IEC|EN|ASTM|AAMI|ANSI|UL)(?:[/ ](?:IEC|ISO|TR|TS|AAMI))?\s*(?:TR\s*)?\d{3,5}(?:-\d+)*", _I)
_COURTESY = re.compile(r"^(?:thanks?|thank you|please|ok(?:ay)?|hi|hello|감사합니다|고맙습니다|부탁드립니다|부탁해요|수고하세요)\W*$", _I)
_CLAUSES = re.compile(r"[.!?;\n]+(?!\d)|,\s*(?:and\s+|but\s+)?|\s+but\s+|\s+however\s+|(?:그리고|하지만|그런데|또한)\s+")


def _clauses(feedback: str) -> list[str]:
    raw = [c.strip() for c in _CLAUSES.split(feedback or "") if c and c.strip()]
    merged: list[str] = []
    pending = ""
    for clause in raw:
        clause = (pending + ", " + clause) if pending else clause
        pending = ""
        only_markets = _markets(clause) and not (_ONLY.search(clause) or _DROP.search(clause) or _ADD.search(clause))
        if only_markets and clause is not raw[-1]:
            pending = clause      # "US, EU only": a bare market list takes the next clause's verb
            continue
        merged.append(clause)
    if pending:
        merged.append(pending)
    return merged


def _mentions(text: str) -> list[tuple[int, int, str]]:
    found = sorted((m.start(), m.end(), code) for code, pattern in MARKETS.items() for m in pattern.finditer(text))
    return found


def _markets(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for _, _, code in _mentions(text)))


def _action(segment: str) -> Optional[str]:
    if _DROP.search(segment):
        return "drop"
    if _ADD.search(segment):
        return "add"
    return None


def _market_intents(clause: str) -> list[Intent]:
    out: list[Intent] = []
    others = sorted(set(m.group(0) for m in OTHER_MARKETS.finditer(clause)))
    if others:
        out.append(Unsupported("market", clause, ", ".join(others)))
    mentions = _mentions(clause)
    if not mentions:
        return out
    # Korean puts the verb after its object ("미국은 제외하고 유럽 추가"), English before it
    # ("drop the US and add Europe"): each market takes the verb on its side, and a market
    # in a bare list ("미국과 유럽 추가", "add the US and EU") takes its neighbour's.
    korean = has_syllable(clause)
    actions: list[Optional[str]] = []
    for i, (start, end, _) in enumerate(mentions):
        if korean:
            segment = clause[end: mentions[i + 1][0] if i + 1 < len(mentions) else len(clause)]
        else:
            segment = clause[mentions[i - 1][1] if i else 0: start]
        actions.append(_action(segment))
    order = range(len(actions) - 1, -1, -1) if korean else range(len(actions))
    carry: Optional[str] = None
    for i in order:
        carry = actions[i] = actions[i] or carry
    fallback = _action(clause)
    only = bool(_ONLY.search(clause))
    grouped: dict[str, list[str]] = {}
    for (_, _, code), action in zip(mentions, actions):
        if only and action != "drop":
            action = "only"
        action = action or fallback
        if action and code not in grouped.setdefault(action, []):
            grouped[action].append(code)
    for action in ("only", "drop", "add"):
        if grouped.get(action):
            out.append(MarketIntent(action, tuple(grouped[action]), clause))
    return out


def _attribute_intents(clause: str) -> list[Intent]:
    out: list[Intent] = []
    for key, negated, affirmed, en, ko in ATTRIBUTE_WORDS:
        words = re.compile(rf"\b(?:{en})\b|{ko}", _I)
        wired_only = key == "wireless" and re.search(r"\bwired only\b|\bcable only\b|유선만|유선 전용", clause, _I)
        if not words.search(clause) and not wired_only:
            continue
        neg = re.search(rf"{_NEG_EN}(?:{en})\b", clause, _I) or re.search(rf"(?:{ko}){_NEG_KO}", clause, _I) \
            or re.search(rf"\b(?:{en})\b[\w\s-]{{0,12}}?\b(?:removed|dropped|not needed|free)\b", clause, _I)
        neg = neg or wired_only
        pos = re.search(rf"{_POS_EN}(?:{en})\b|\b(?:{en})\b[\s-]+(?:module|enabled|connected|support)", clause, _I) \
            or re.search(rf"(?:{ko}){_POS_KO}", clause, _I)
        if neg:
            out.append(AttributeIntent(key, negated, clause))
        elif pos:
            out.append(AttributeIntent(key, affirmed, clause))
    if _STERILE_NEG.search(clause):
        out.append(AttributeIntent("sterile", False, clause))
    elif _STERILE_POS.search(clause):
        out.append(AttributeIntent("sterile", True, clause))
    if _HOME_NEG.search(clause):
        out.append(AttributeIntent("home_use", False, clause))
    elif _HOME_POS.search(clause):
        out.append(AttributeIntent("home_use", True, clause))
    return out


def _date(clause: str) -> Optional[dt.date]:
    date = _DATE_ISO.search(clause)
    if date:
        try:
            return dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
        except ValueError:          # "2027-13-45": not a date, left for not_applied
            return None
    date = _DATE_KO.search(clause)
    if date and 1 <= int(date.group(2)) <= 12:
        return dt.date(int(date.group(1)), int(date.group(2)), 1)
    date = _DATE_EN.search(clause)
    if date:
        return dt.date(int(date.group(2)), _MONTHS.index(date.group(1).lower()[:3]) + 1, 1)
    return None


def _weeks_intent(weeks: float, clause: str) -> Optional[Intent]:
    # "in 10^400 months" is not a deadline (and infinity is not JSON): leave it unparsed.
    return DeadlineIntent(round(weeks, 1), clause) if math.isfinite(weeks) and 0 < weeks < 52 * 100 else None


def _deadline(clause: str, today: dt.date) -> Optional[Intent]:
    # Dates first, so that "2027년 3월" is not read as 2027 years.
    if _DATE_ISO.search(clause) or _DATE_KO.search(clause) or _DATE_EN.search(clause):
        when = _date(clause)
        if when is None:
            return None
        weeks = round((when - today).days / 7, 1)
        return DeadlineIntent(weeks, clause) if weeks > 0 else Unsupported("past_date", clause, when.isoformat())
    match = _DEADLINE_EN.search(clause) or _DEADLINE_EN2.search(clause) or _DEADLINE_BARE.search(clause)
    if match:
        amount = match.group(1).lower()
        number = _NUMBER_WORDS.get(amount) or float(amount)
        unit = re.sub(r"s$", "", match.group(2).lower())
        return _weeks_intent(number * _UNIT_WEEKS[unit], clause)
    match = _DEADLINE_KO.search(clause)
    if match and _DEADLINE_KO_CUE.search(clause):
        return _weeks_intent(float(match.group(1)) * _UNIT_WEEKS[match.group(2)], clause)
    if _HALF_YEAR.search(clause):
        return DeadlineIntent(26.0, clause)
    return None


def _standard_intents(clause: str) -> list[Intent]:
    ids = [re.sub(r"\s+", " ", m.group(0)).upper().replace("ISO TR", "ISO/TR") for m in _STANDARD.finditer(clause)]
    if not ids:
        return []
    if _DROP.search(clause):
        return [StandardIntent("drop", i, clause) for i in ids]
    if _ADD.search(clause) or re.search(r"\bneed\b|필요|적용", clause, _I):
        return [StandardIntent("add", i, clause) for i in ids]
    return [Unsupported("standard_unclear", clause, ", ".join(ids))]


def parse_feedback(feedback: str, today: Optional[dt.date] = None) -> ParsedFeedback:
    """The intents in `feedback`, clause by clause."""
    today = today or dt.date.today()
    parsed = ParsedFeedback()
    for clause in _clauses(feedback):
        if _COURTESY.match(clause):
            continue
        intents: list[Intent] = _standard_intents(clause)
        if not intents:
            intents += _market_intents(clause)
        intents += _attribute_intents(clause)
        deadline = _deadline(clause, today)
        if deadline:
            intents.append(deadline)
        if intents:
            parsed.intents.extend(intents)
        else:
            parsed.unparsed.append(clause)
    return parsed
