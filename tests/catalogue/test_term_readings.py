"""How the shipped term map reads a maker's own words: everyday Korean and English words are read as
themselves (or dropped), not as the one-syllable device terms inside them."""
from __future__ import annotations

from medreg.knowledge.catalogue.terms import load_terms, parse_terms

TERMS = load_terms()


def _ko(text: str) -> list[str]:
    return TERMS.korean(text)


def test_a_weight_zero_entry_is_read_and_dropped() -> None:
    """The stop entry takes its syllables out of the reading: 관 (tube) inside 관련 is not read."""
    terms = parse_terms({"terms": [{"en": ["tube"], "ko": ["관"], "kind": "noun"},
                                   {"id": "stop", "en": ["into"], "ko": ["관련"], "kind": "modifier", "weight": 0}]})
    assert terms.korean("관련 관") == ["tube"]
    assert terms.english("tube into tube") == ["tube", "tube"]
    assert "stop" not in terms.korean("관련") + terms.english("into")


def test_the_topic_particle_is_not_silver() -> None:
    """은 after a word is the topic particle; 수은 is mercury, not silver."""
    assert "silver" not in _ko("끝이 얇은 카테터")
    assert "silver" not in _ko("크기가 작은 봉합사")
    assert _ko("수은 체온계") == ["mercury", "thermometer"]


def test_everyday_words_do_not_leave_device_syllables() -> None:
    """관리 is management (not 관 tube), 상태 and 경우 are dropped (not 상 phase, 경 scope)."""
    read = _ko("경우에 따라 환자 상태를 관리하는 모니터")
    assert "tube" not in read and "phase" not in read and "scope" not in read
    assert "management" in read and "monitor" in read
    assert "meter" not in _ko("단계별로 계속 압력을 올리는 커프")


def test_by_hand_is_manual_in_both_languages() -> None:
    """손으로 (by hand) and "hand operated" read as the manual concept the official names use (수동식)."""
    manual = TERMS.korean("수동식")[0]
    assert manual in _ko("손으로 짜는 흡인기")
    assert manual in TERMS.english("hand operated suction apparatus")
    assert "hand" not in _ko("손으로 짜는 흡인기")


def test_words_that_held_a_one_syllable_term() -> None:
    """발치 is tooth extraction (not 발 foot), 손잡이 a handle (not 손 hand), 보관 storage (not 관 tube)."""
    assert "foot" not in _ko("발치 겸자 세트") and "extraction" in _ko("발치 겸자 세트")
    assert _ko("손잡이") == ["handle"]
    assert "tube" not in _ko("검체 보관 상자") and "storage" in _ko("검체 보관 상자")
    assert "tendon" not in _ko("건조 캐비닛")


def test_english_function_words_are_dropped() -> None:
    """"into", "via", "through" are no evidence: an English reading holds only what the map or names know."""
    read = TERMS.english("catheter passed via the skin through the ribs into the lung")
    assert not {"w:into", "w:via", "w:through"} & set(read)
    assert "catheter" in read
