"""Purpose: from the device type and the concept's own words, no invented clinical claims."""
from __future__ import annotations

import re

import pytest

from medreg.knowledge.words.concept_words import read_concept
from medreg.knowledge.catalogue.loader import load_data
from medreg.knowledge import Knowledge
from medreg.knowledge.purpose.texts import with_ro
from tests.knowledge.plan_fixtures import classification_for, make_kb

FIELDS = {"intended_purpose": str, "indications": list, "contraindications": list, "target_population": str,
          "intended_users": list, "use_environment": list, "mechanism_of_action": str, "key_components": list,
          "engine": str}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
PUMP_EN = "A smart insulin pump for adults with type 1 diabetes that talks to a phone app over Bluetooth, used at home."
PUMP_KO = "당뇨병 환자의 혈당 관리를 위한 스마트 인슐린 펌프. 블루투스로 앱과 연동되며 가정에서 사용합니다."


class RecordingKnowledge:
    """A fake Knowledge whose classify records its call and answers a canned classification."""

    def __init__(self, answer: dict | None, error: Exception | None = None) -> None:
        self.inner = make_kb()
        self.data = self.inner.data
        self.answer, self.error, self.calls = answer, error, []

    def classify(self, concept, context, markets, language):
        """Record the call; answer or raise."""
        self.calls.append((concept, context, tuple(markets), language))
        if self.error:
            raise self.error
        return self.answer


@pytest.mark.parametrize("concept, language", [(PUMP_EN, "en"), (PUMP_KO, "ko")])
def test_shape_and_language(concept, language) -> None:
    """All contract fields, typed; texts in the request's language."""
    kb = make_kb()
    purpose = kb.purpose(concept, classification_for("insulin-pump-external", language), None, language)
    for key, kind in FIELDS.items():
        assert isinstance(purpose[key], kind), key
    assert purpose["engine"] == "offline"
    generated = [purpose["target_population"], *purpose["contraindications"], *purpose["intended_users"],
                 *purpose["use_environment"], *purpose["key_components"]]
    if language == "ko":
        assert all(HANGUL.search(t) for t in purpose["intended_users"] + purpose["contraindications"])
        assert "체외용 인슐린 주입기" in purpose["intended_purpose"]
    else:
        assert not any(HANGUL.search(t) for t in generated)
        assert "external insulin infusion pump" in purpose["intended_purpose"]


def test_function_and_mechanism_come_from_the_device_type() -> None:
    """An infusion pump administers medicine; the text says so, and the concept is quoted."""
    purpose = make_kb().purpose(PUMP_EN, classification_for("insulin-pump-external"), None, "en")
    assert "administer medicinal products" in purpose["intended_purpose"]
    assert "“A smart insulin pump" in purpose["intended_purpose"]
    assert "medicinal product" in purpose["mechanism_of_action"]
    assert "wireless" in purpose["mechanism_of_action"]


def test_concept_words_fill_indications_users_environment() -> None:
    """Population and environment are the concept's own; home use brings lay users."""
    purpose = make_kb().purpose(PUMP_EN, classification_for("insulin-pump-external"), None, "en")
    assert purpose["target_population"] == "adults with type 1 diabetes"
    assert "adults with type 1 diabetes" in purpose["indications"]
    assert purpose["use_environment"][0] == "home"
    assert any("lay" in u for u in purpose["intended_users"])
    assert {"mobile app", "wireless communication module", "software"} <= set(purpose["key_components"])


def test_korean_concept_words() -> None:
    """Korean indications and population are picked from the concept."""
    purpose = make_kb().purpose(PUMP_KO, classification_for("insulin-pump-external", "ko"), None, "ko")
    assert "당뇨병 환자의 혈당 관리" in purpose["indications"]
    assert purpose["target_population"] == "당뇨병 환자"
    assert "가정" in purpose["use_environment"]


def test_no_invented_contraindications_or_indications() -> None:
    """What the concept does not say is stated as the manufacturer's to establish."""
    purpose = make_kb().purpose("hip stem", classification_for("hip-stem"), None, "en")
    assert len(purpose["contraindications"]) == 1 and "manufacturer must establish" in purpose["contraindications"][0]
    assert "manufacturer must establish the indications" in purpose["indications"][0]
    assert "manufacturer must define" in purpose["target_population"]
    assert set(purpose["to_be_established"]) == {"indications", "target_population", "contraindications"}
    assert "implanted" in purpose["intended_purpose"]


def test_unknown_device_needs_review_without_claims() -> None:
    """An unidentified device gets needs-review wording and no device function."""
    concept = "a gadget that makes people feel better"
    purpose = make_kb().purpose(concept, classification_for(None), None, "en")
    assert purpose["needs_review"] is True
    assert purpose["intended_purpose"].startswith("Needs review") and concept in purpose["intended_purpose"]
    assert purpose["mechanism_of_action"].startswith("Needs review")
    assert "pharmacological" not in purpose["mechanism_of_action"]
    assert any("manufacturer" in u for u in purpose["intended_users"])


def test_classification_absent_calls_classify() -> None:
    """Without a classification, purpose asks kb.classify for all three markets in the language."""
    fake = RecordingKnowledge(classification_for("insulin-pump-external", "ko"))
    from medreg.knowledge.purpose.build import build_purpose

    purpose = build_purpose(fake, PUMP_KO, None, "ctx", "ko")
    assert fake.calls == [(PUMP_KO, "ctx", ("US", "EU", "KR"), "ko")]
    assert "체외용 인슐린 주입기" in purpose["intended_purpose"]


def test_long_concepts_are_quoted_briefly() -> None:
    """The quoted concept is cut so the purpose stays readable."""
    purpose = make_kb().purpose("insulin pump " * 400, classification_for("insulin-pump-external"), None, "en")
    assert len(purpose["intended_purpose"]) < 600


@pytest.mark.parametrize("text, field, expected", [
    ("AI software to detect atrial fibrillation from ECG recordings, used by cardiologists in hospitals",
     "indications", ["to detect atrial fibrillation from ECG recordings"]),
    ("소아 천식 환자용 흡입기 사용 모니터링 패치", "population", ["소아 천식 환자"]),
    ("a wound dressing", "indications", []),
])
def test_read_concept(text, field, expected) -> None:
    """Indications and population are the concept's own phrases."""
    assert getattr(read_concept(text), field) == expected


@pytest.mark.parametrize("name, expected", [("주입기", "주입기로"), ("펌프", "펌프로"), ("스텐트", "스텐트로"),
                                            ("카테터", "카테터로"), ("전극", "전극으로"), ("필름", "필름으로"),
                                            ("레일", "레일로"), ("ECG", "ECG(으)로")])
def test_korean_particle(name, expected) -> None:
    """로/으로 follows the last syllable (ㄹ takes 로)."""
    assert with_ro(name) == expected


REAL = load_data()


@pytest.mark.skipif(not REAL.devices, reason="devices/*.json not present yet")
@pytest.mark.parametrize("concept, language, device_word", [
    ("스마트 인슐린 펌프, 블루투스로 앱 연동, 가정용", "ko", "인슐린"),
    ("Smart insulin pump with Bluetooth app for home use", "en", "insulin"),
])
def test_real_knowledge_end_to_end(concept, language, device_word) -> None:
    """With the real knowledge base and classifier, the purpose names the device type."""
    kb = Knowledge(REAL)
    try:
        purpose = kb.purpose(concept, None, None, language)
    except ImportError:
        pytest.skip("classifier not present yet")
    assert device_word in purpose["intended_purpose"]
    assert purpose["engine"] == "offline"


from hypothesis import given, settings, strategies as st  # noqa: E402

_junk = st.one_of(st.none(), st.text(max_size=5), st.integers(), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=5), st.booleans()), max_size=3))
_classification_st = st.fixed_dictionaries({}, optional={
    "device": st.one_of(_junk, st.fixed_dictionaries({"id": st.sampled_from(["insulin-pump-external", "nope"])},
                                                     optional={"name": _junk, "name_ko": _junk})),
    "attributes": st.one_of(_junk, st.dictionaries(st.sampled_from(["active", "software", "ivd", "home_use", "invasiveness"]),
                                                   st.one_of(st.booleans(), st.text(max_size=4)), max_size=4)),
    "category": _junk, "markets": _junk, "needs_review": _junk})


@settings(max_examples=200, deadline=None)
@given(cls=_classification_st, language=st.sampled_from(["en", "ko"]), concept=st.text(min_size=1, max_size=60))
def test_purpose_and_plans_accept_any_classification_shape(cls, language, concept) -> None:
    """Foreign classifications of any shape give a valid purpose and plans, never an error."""
    kb = make_kb()
    purpose = kb.purpose(concept, cls or {"device": None}, None, language)
    assert all(isinstance(purpose[k], t) for k, t in FIELDS.items())
    plans = kb.plans(cls, None, purpose, ("US", "EU", "KR"), language)
    assert plans and all(p["id"].startswith("plan-") for p in plans)
