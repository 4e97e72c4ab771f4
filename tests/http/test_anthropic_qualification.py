"""Qualification where users read it, over HTTP through gunicorn: a model that gives a wellness app classes cannot
make it a device (JSON and stream; standards refuses it), and plans skip markets where a device type is no device."""
from __future__ import annotations

import json

import pytest
import requests

from tests.sse_parse import events_of

CONCEPT = "명상 음악을 틀어주고 호흡 횟수를 세어 주는 마음챙김 앱"
MODEL_SAYS_DEVICE = {"summary": "A device.", "confidence": 0.95, "questions": [],
                     "markets": {
                         "US": {"class": "II", "pathway": "510(k)", "product_code": "DXH",
                                "regulation": "21 CFR 870.2300", "rationale": "Monitor.", "citations": []},
                         "EU": {"class": "IIa", "rules": ["Rule 10"], "pathway": "NB", "rationale": "R10.",
                                "citations": []},
                         "KR": {"grade": 2, "item_code": "A26010.01", "pathway": "인증", "rationale": "2등급.",
                                "citations": []}}}


def _check(classification: dict) -> None:
    assert classification["qualification"]["status"] == "not_device"
    for market in ("US", "EU", "KR"):
        block = classification["markets"][market]
        assert block["class"] is None and block["pathway"].startswith("의료기기로 규제되지 않음"), market


@pytest.mark.parametrize("path", ["/api/classify", "/api/stream/classify"])
def test_the_served_answer_is_not_a_device_and_standards_refuses_it(anthropic_server, path: str) -> None:
    url, stub = anthropic_server
    stub.control(script=[{"answer": MODEL_SAYS_DEVICE}])
    response = requests.post(url + path, json={"concept": CONCEPT}, timeout=30)
    assert response.status_code == 200
    if path.endswith("stream/classify"):
        events = events_of(response.content)
        assert [e["event"] for e in events].count("done") == 1 and events[-1]["event"] == "done"
        classification = next(e["data"]["data"] for e in events if e["event"] == "result")
    else:
        classification = response.json()
    _check(classification)
    plans = requests.post(url + "/api/standards", json={"classification": classification}, timeout=30)
    assert plans.status_code == 422 and plans.json()["error"]["code"] == "not_a_device"
    assert "의료기기" in plans.json()["error"]["message"]   # in the user's language


@pytest.mark.parametrize("concept, absent", [("일회용 생리대", ("KR", "EU")), ("tampons, regular absorbency", ("KR", "EU"))])
def test_plans_skip_the_markets_where_it_is_no_device(live_server: str, concept: str, absent: tuple) -> None:
    """A US device that is 의약외품 in Korea (and a hygiene product in the EU): no KGMP, no MDR technical file."""
    classification = requests.post(live_server + "/api/classify", json={"concept": concept}, timeout=10).json()
    assert classification["qualification"]["status"] == "device"
    plans = requests.post(live_server + "/api/standards", json={"classification": classification}, timeout=10).json()
    markets = {a.get("market") for p in plans["plans"] for a in p["activities"]}
    assert "US" in markets and not markets & set(absent), markets
    assert any("21 CFR" in str(p) or "FDA" in str(p) for p in plans["plans"])


@pytest.mark.parametrize("concept, regime", [
    ("Nicotine transdermal patch to help you quit smoking", "Directive 2001/83/EC"),
    ("연구용 시약 (RUO), 진단 목적으로 사용 불가", "IVDR (EU) 2017/746 Article 1(3)(a)"),
])
def test_another_regime_is_named_and_no_device_plan_is_made(live_server: str, concept: str, regime: str) -> None:
    """A medicinal product or a research-only reagent: not a device, the regime that applies cited, standards refused."""
    classification = requests.post(live_server + "/api/classify", json={"concept": concept}, timeout=10).json()
    qualification = classification["qualification"]
    assert qualification["status"] == "not_device", qualification
    assert regime in json.dumps(qualification, ensure_ascii=False)
    assert all(block["class"] is None for block in classification["markets"].values())
    plans = requests.post(live_server + "/api/standards", json={"classification": classification}, timeout=10)
    assert plans.status_code == 422 and plans.json()["error"]["code"] == "not_a_device"


@pytest.mark.parametrize("concept, question_word", [
    ("혈압 관련 앱 만들려고 하는데 이거 의료기기인가요?", "질병"),
    ("An app for people with type 2 diabetes", "disease"),
])
def test_a_vague_concept_is_asked_what_it_does(live_server: str, concept: str, question_word: str) -> None:
    """A field or an audience, not a product: served as needs_review with the deciding question in the user's
    language, and every market's block flagged for review."""
    classification = requests.post(live_server + "/api/classify", json={"concept": concept}, timeout=10).json()
    assert classification["qualification"]["status"] == "needs_review"
    assert any(question_word in q for q in classification["questions"]), classification["questions"]
    assert all(block["needs_review"] for block in classification["markets"].values())


@pytest.mark.parametrize("concept, reason_word, question_word", [
    ("Smart ring measuring HRV and SpO2; we haven't decided what to claim yet", "claim", "disease"),
    ("홈케어 LED 마스크, 효능은 아직 정리 중", "표방", "질병"),
    ("의료용 실리콘 원료 컴파운드 납품 (제조사용)", "원료", "질병"),
])
def test_undecided_claims_and_raw_materials_are_asked_over_http(live_server: str, concept: str, reason_word: str,
                                                                 question_word: str) -> None:
    """Served as needs_review with the reason and the claim question in the user's language, never a device."""
    classification = requests.post(live_server + "/api/classify", json={"concept": concept}, timeout=10).json()
    q = classification["qualification"]
    assert q["status"] == "needs_review" and reason_word in q["reason"], q
    assert any(question_word in text for text in classification["questions"]), classification["questions"]


@pytest.mark.parametrize("path", ["/api/classify", "/api/stream/classify"])
def test_an_ems_toning_belt_is_a_us_device_only(live_server: str, path: str) -> None:
    """No medical claim, yet a US class II device (21 CFR 890.5850), not an MDR device, KR for review: per market,
    JSON and stream alike, and the plans skip the EU."""
    response = requests.post(live_server + path, json={"concept": "EMS 복근벨트 충전식 6가지 모드"}, timeout=10)
    classification = (events_of(response.content)[-2]["data"]["data"] if path.endswith("stream/classify")
                      else response.json())
    q = classification["qualification"]
    assert [q["markets"][m]["status"] for m in ("US", "EU", "KR")] == ["device", "not_device", "needs_review"]
    assert any("890.5850" in c for c in q["markets"]["US"]["citations"])
    assert classification["markets"]["EU"]["class"] is None
    plans = requests.post(live_server + "/api/standards", json={"classification": classification}, timeout=10).json()
    assert plans["plans"] and all("EU" not in p.get("markets", []) for p in plans["plans"])
