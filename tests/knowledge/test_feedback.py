"""Feedback (Korean and English) into typed intents; nothing silently dropped."""
from __future__ import annotations

import datetime as dt

import pytest

from medreg.knowledge.refine.feedback import (
    AttributeIntent, DeadlineIntent, MarketIntent, StandardIntent, Unsupported, parse_feedback,
)

TODAY = dt.date(2026, 11, 24)


def _intents(text: str) -> list:
    return [(type(i).__name__, *[v for k, v in vars(i).items() if k != "text"]) for i in parse_feedback(text, TODAY).intents]


@pytest.mark.parametrize("text, expected", [
    ("we sell in Korea only", [("MarketIntent", "only", ("KR",))]),
    ("한국만 판매합니다", [("MarketIntent", "only", ("KR",))]),
    ("한국에서만 팔아요", [("MarketIntent", "only", ("KR",))]),
    ("US and EU only", [("MarketIntent", "only", ("US", "EU"))]),
    ("US, EU only", [("MarketIntent", "only", ("US", "EU"))]),
    ("drop the US", [("MarketIntent", "drop", ("US",))]),
    ("not selling in the US", [("MarketIntent", "drop", ("US",))]),
    ("EU 시장 진출 안 함", [("MarketIntent", "drop", ("EU",))]),
    ("add Europe", [("MarketIntent", "add", ("EU",))]),
    ("유럽에도 출시", [("MarketIntent", "add", ("EU",))]),
    ("drop the US and add Europe", [("MarketIntent", "drop", ("US",)), ("MarketIntent", "add", ("EU",))]),
    ("미국은 제외하고 유럽 추가", [("MarketIntent", "drop", ("US",)), ("MarketIntent", "add", ("EU",))]),
    ("미국과 유럽 추가", [("MarketIntent", "add", ("US", "EU"))]),
    ("미국 빼고 한국만", [("MarketIntent", "only", ("KR",)), ("MarketIntent", "drop", ("US",))]),
])
def test_markets(text, expected) -> None:
    """Keep-only, drop and add, with the verb on the right side of each market in each language."""
    assert _intents(text) == expected


@pytest.mark.parametrize("text, key, value", [
    ("no wireless", "wireless", False), ("무선 없음", "wireless", False), ("블루투스 기능은 빼주세요", "wireless", False),
    ("wired only", "wireless", False), ("we added Bluetooth", "wireless", True), ("블루투스 탑재", "wireless", True),
    ("no software", "software", False), ("소프트웨어 없음", "software", False), ("무선 기능 제거", "wireless", False),
    ("get rid of Bluetooth", "wireless", False),
    ("no AI", "ai", False), ("non-sterile", "sterile", False), ("비멸균", "sterile", False),
    ("We don't sterilize it", "sterile", False), ("supplied sterile", "sterile", True), ("멸균 제품입니다", "sterile", True),
    ("home use", "home_use", True), ("가정용", "home_use", True), ("it is used by patients themselves at home", "home_use", True),
    ("hospital use only", "home_use", False), ("병원에서만 사용합니다", "home_use", False),
])
def test_attributes(text, key, value) -> None:
    """Device facts, negation before affirmation."""
    assert _intents(text) == [("AttributeIntent", key, value)]


@pytest.mark.parametrize("text, weeks", [
    ("must submit in 6 months", 26.0), ("6개월 안에 제출해야 합니다", 26.0), ("within six months", 26.0),
    ("12주 이내", 12.0), ("in 1 year", 52.0), ("반년 안에", 26.0), ("a 9-month deadline", 39.0),
    ("by 2027-06-01", round((dt.date(2027, 6, 1) - TODAY).days / 7, 1)),
    ("by March 2027", round((dt.date(2027, 3, 1) - TODAY).days / 7, 1)),
    ("2027년 3월까지 제출", round((dt.date(2027, 3, 1) - TODAY).days / 7, 1)),
    ("3 months", 13.0),
])
def test_deadlines(text, weeks) -> None:
    """Deadlines in weeks from months, weeks, years or a date."""
    intents = parse_feedback(text, TODAY).intents
    assert [type(i) for i in intents] == [DeadlineIntent] and intents[0].weeks == weeks


def test_standards_named() -> None:
    """Named standards are dropped or added; unclear ones say so."""
    assert _intents("remove ISO 10993-5") == [("StandardIntent", "drop", "ISO 10993-5")]
    assert _intents("add IEC 60601-1-8") == [("StandardIntent", "add", "IEC 60601-1-8")]
    assert _intents("IEC 60601-1-8?") == [("Unsupported", "standard_unclear", "IEC 60601-1-8")]


def test_unsupported_and_unparsed_are_kept() -> None:
    """Other markets and sentences not understood come back; courtesy is ignored."""
    parsed = parse_feedback("Korea only and no wireless. Also Japan. Make it class I. Thanks!", TODAY)
    kinds = [type(i) for i in parsed.intents]
    assert kinds == [MarketIntent, AttributeIntent, Unsupported]
    assert parsed.unparsed == ["Make it class I"]


def test_pronoun_us_is_not_the_us() -> None:
    """'let us know' does not touch the US market."""
    parsed = parse_feedback("let us know", TODAY)
    assert parsed.intents == [] and parsed.unparsed == ["let us know"]


def test_past_date_is_reported() -> None:
    """A date already past is understood and refused."""
    intents = parse_feedback("by 2025-01-01", TODAY).intents
    assert intents == [Unsupported("past_date", "by 2025-01-01", "2025-01-01")]


def test_several_intents_in_one_message() -> None:
    """A message mixing markets, facts and a deadline yields all of them."""
    intents = parse_feedback("한국만 판매, 무선 없음, 6개월 안에 제출", TODAY).intents
    assert {type(i) for i in intents} == {MarketIntent, AttributeIntent, DeadlineIntent}
    assert not any(isinstance(i, StandardIntent) for i in intents)


def test_impossible_date_is_not_a_deadline() -> None:
    """A malformed date is left unparsed (then reported), never an error."""
    parsed = parse_feedback("by 2027-13-45", TODAY)
    assert parsed.intents == [] and parsed.unparsed == ["by 2027-13-45"]


@pytest.mark.parametrize("text", ["in " + "9" * 400 + " months", "in 0 weeks", "in 9999 years"])
def test_absurd_durations_are_not_deadlines(text) -> None:
    """Zero, centuries and numbers past float range are left unparsed (reported), never infinite."""
    parsed = parse_feedback(text, TODAY)
    assert parsed.intents == [] and parsed.unparsed == [text]
