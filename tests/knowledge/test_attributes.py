"""Attributes read from Korean and English text, negations, and where each value came from."""
from __future__ import annotations

import pytest

from medreg.knowledge.classification.attributes import extract
from medreg.knowledge.classification.merge import merge_attributes


@pytest.mark.parametrize("text, expected", [
    ("Bluetooth-connected insulin pump used at home", {"wireless": True, "home_use": True}),
    ("블루투스로 스마트폰과 연결되는 가정용 혈압계", {"wireless": True, "home_use": True}),
    ("an implantable sensor", {"invasiveness": "implantable", "duration": "long_term"}),
    ("체내 이식형 자극기", {"invasiveness": "implantable"}),
    ("AI software that reads chest X-rays", {"ai": True, "software": True, "software_only": True,
                                             "ionizing_radiation": True}),
    ("딥러닝 기반 영상 분석 소프트웨어", {"ai": True, "software": True, "software_only": True}),
    ("sterile single-use catheter", {"sterile": True, "single_use": True}),
    ("멸균 일회용 주사기", {"sterile": True, "single_use": True}),
    ("non-sterile reusable forceps", {"sterile": False, "single_use": False}),
    ("비멸균 제품, 무선 기능 없음", {"sterile": False, "wireless": False}),
    ("no Bluetooth, wired only", {"wireless": False}),
    ("a patch worn on the skin for 14 days", {"body_contact": "intact_skin", "duration": "short_term"}),
    ("피부에 부착해 3개월 사용하는 패치", {"body_contact": "intact_skin", "duration": "long_term"}),
    ("a life-supporting ventilator", {"life_supporting": True}),
    ("약물을 주입하는 펌프", {"administers_medicine": True}),
    ("rapid test for a saliva sample", {"ivd": True}),
    ("연성 내시경 세척 소독기", {"disinfects_devices": "invasive"}),
    ("a washer-disinfector for flexible endoscopes", {"disinfects_devices": "invasive"}),
    ("고압증기 멸균기", {"disinfects_devices": "other"}),
    ("contact lens solution", {"disinfects_devices": "lenses"}),
    ("12-lead ECG cart with network export to the hospital EMR", {"connected": True}),
    ("판독 결과를 PACS로 전송하고 서버에 저장해요", {"connected": True}),
    ("standalone unit, no network connection", {"connected": False}),
    ("a 7-day ECG patch worn during daily life", {"home_use": True}),
    ("foam dressing for stage 3-4 pressure ulcers (full-thickness wounds)", {"wound_dressing": "dermis_breach"}),
    ("욕창 3~4단계 전층 상처용 폼 드레싱", {"wound_dressing": "dermis_breach"}),
    ("진피까지 손상된 깊은 상처용 드레싱", {"wound_dressing": "dermis_breach"}),
    ("일상생활 하면서 7일 동안 붙이는 심전도 패치", {"home_use": True}),
])
def test_extracts(text: str, expected: dict) -> None:
    got = extract(text).values
    for key, value in expected.items():
        assert got.get(key) == value, (text, key, got)


@pytest.mark.parametrize("text, absent", [
    ("찰과상이나 가벼운 화상에 붙이는 하이드로겔 패드, 진피까지 안 간 상처용", ["wound_dressing"]),
    ("hydrogel pad for minor burns, not for full-thickness wounds", ["wound_dressing"]),
    ("a wheelchair", ["wireless", "sterile", "invasiveness", "software"]),
    ("수동 휠체어", ["wireless", "sterile", "invasiveness", "software"]),
    ("고압증기 멸균기", ["sterile"]),          # a steriliser is not itself supplied sterile
])
def test_says_nothing_it_was_not_told(text: str, absent: list[str]) -> None:
    got = extract(text).values
    assert not any(k in got for k in absent), got


def test_sources_say_text_device_type_or_default() -> None:
    device = {"active": True, "administers_medicine": True}
    attrs, sources, conflicts = merge_attributes(device, extract("bluetooth pump used at home").values, curated=True)
    assert attrs["wireless"] is True and sources["wireless"] == "text"        # the maker's choice wins
    assert sources["administers_medicine"] == "device_type"
    assert attrs["sterile"] is False and sources["sterile"] == "default"
    assert conflicts == []


def test_a_type_that_is_the_variant_without_it_raises_a_conflict() -> None:
    """A type saying wireless: false is the non-wireless variant (ESD vs OSM hearing aids): the user's
    word still wins, and the answer says the type may be the wrong one."""
    device = {"active": True, "wireless": False}
    attrs, _, conflicts = merge_attributes(device, extract("bluetooth hearing aid").values, curated=True)
    assert attrs["wireless"] is True and conflicts == ["wireless"]


def test_contradiction_with_the_device_type_is_reported_not_applied() -> None:
    device = {"invasiveness": "non_invasive", "active": True}
    attrs, sources, conflicts = merge_attributes(device, extract("an implantable version").values, curated=True)
    assert attrs["invasiveness"] == "non_invasive" and "invasiveness" in conflicts


def test_single_use_turns_off_reusable_surgical() -> None:
    device = {"invasiveness": "surgically_invasive", "duration": "transient", "reusable_surgical": True}
    attrs, sources, _ = merge_attributes(device, extract("single-use scissors").values, curated=True)
    assert attrs["reusable_surgical"] is False and sources["reusable_surgical"] == "text"


@pytest.mark.parametrize("text, contact", [
    ("a dressing for burns", "injured_skin"),
    ("a catheter placed into the vein", "circulating_blood"),
    ("정맥 내로 삽입하는 카테터", "circulating_blood"),
    ("an intraoral appliance", "mucosa"),
    ("구강 내에 넣는 장치", "mucosa"),
    ("an adhesive patch on the skin", "intact_skin"),
    ("a patch placed over a wound", "injured_skin"),     # the wound decides, not the patch
])
def test_body_contact(text: str, contact: str) -> None:
    assert extract(text).values.get("body_contact") == contact


@pytest.mark.parametrize("text", ["a low-level laser therapy cap", "초음파 치료기", "a radiofrequency skin tightening device"])
def test_energy_delivery_makes_it_active_and_therapeutic(text: str) -> None:
    values = extract(text).values
    assert values.get("active") is True and values.get("active_function") == "therapeutic", values


@pytest.mark.parametrize("device_attrs, text, firmware", [
    ({"active": True}, {}, True),                                   # electronics: firmware assumed
    ({"active": True, "firmware": False}, {}, False),               # a type that says it has none
    ({"active": True, "software": True}, {}, None),                 # software already says it
    ({"active": True, "ivd": True}, {}, None),
    ({"active": False}, {}, None),
])
def test_firmware_is_assumed_for_electronic_devices(device_attrs, text, firmware) -> None:
    attrs, sources, _ = merge_attributes(device_attrs, text, curated=True)
    assert attrs.get("firmware") == firmware
    if firmware and "firmware" not in device_attrs:
        assert sources["firmware"] == "default"


@pytest.mark.parametrize("device_attrs, expected", [
    ({"body_contact": "injured_skin"}, "dermis_breach"),                                   # foam, hydrocolloid
    ({"body_contact": "injured_skin", "wound_dressing": "barrier"}, "barrier"),           # gauze stays rule 4 I
    ({"body_contact": "intact_skin"}, None),                                                # not a dressing
])
def test_deep_wounds_make_a_dressing_rule_4_iib(device_attrs, expected) -> None:
    text = extract("for full-thickness chronic ulcers").values
    attrs, _, _ = merge_attributes(device_attrs, text, curated=True)
    assert attrs.get("wound_dressing") == expected
