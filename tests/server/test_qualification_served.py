"""Qualification through real gunicorn: a non-device gets no class and no plans (422 not_a_device)."""
from __future__ import annotations

import pytest
import requests

from tests.sse_parse import events_of

pytestmark = pytest.mark.server


def _classify(url: str, concept: str) -> dict:
    response = requests.post(f"{url}/api/classify", json={"concept": concept}, timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("concept, language", [
    ("meditation app for stress relief and better mood, no medical claims", "en"),
    ("명상 음악을 틀어주고 스트레스 관리 팁을 알려주는 웰니스 앱", "ko"),
])
def test_wellness_app_is_not_a_device_and_gets_no_plans(live_server: str, concept: str, language: str) -> None:
    """Classify → not_device with null classes and the reason; standards on it → 422 / one error event."""
    c = _classify(live_server, concept)
    q = c["qualification"]
    assert q["status"] == "not_device"
    assert all(block["class"] is None for block in c["markets"].values())
    assert ("웰니스" if language == "ko" else "general wellness") in q["reason"]
    body = {"classification": c}
    response = requests.post(f"{live_server}/api/standards", json=body, timeout=30)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_a_device" and error["retryable"] is False
    assert ("의료기기" in error["message"]) == (language == "ko")
    stream = requests.post(f"{live_server}/api/stream/standards", json=body, timeout=30)
    events = events_of(stream.content)
    assert [e["event"] for e in events].count("error") == 1
    assert events[-1]["event"] == "error" and events[-1]["data"]["code"] == "not_a_device"
    assert not any(e["event"] in ("plan", "result", "done") for e in events)
    refine = requests.post(f"{live_server}/api/refine", json={
        "plans": [{"id": "plan-x", "title": "x", "standards": [], "activities": [], "estimated_weeks": 1,
                   "depends_on": [], "markets": ["US"], "rationale": "x"}],
        "feedback": "we sell in Korea only", "classification": c}, timeout=30)
    assert refine.status_code == 422 and refine.json()["error"]["code"] == "not_a_device"


@pytest.mark.parametrize("concept", ["Implantable cardiac pacemaker",
                                     "smartwatch app that records an ECG and notifies possible atrial fibrillation"])
def test_devices_keep_their_classes_and_plans(live_server: str, concept: str) -> None:
    """A pacemaker or an AF-notification watch is a device, with classes, and standards plan for it."""
    c = _classify(live_server, concept)
    assert c["qualification"]["status"] == "device"
    assert c["markets"]["US"]["class"] in ("II", "III")
    response = requests.post(f"{live_server}/api/standards", json={"classification": c}, timeout=30)
    assert response.status_code == 200 and response.json()["plans"]


@pytest.mark.parametrize("concept", ["asdf", "점심 메뉴 추천해줘"])
def test_nonsense_never_gets_a_class_or_a_plan_set(live_server: str, concept: str) -> None:
    """Non-product input: never a device or a class; standards answer not_a_device, never plans and done."""
    c = _classify(live_server, concept)
    assert c["qualification"]["status"] in ("needs_review", "not_device")
    assert all(block["class"] is None for block in c["markets"].values())
    response = requests.post(f"{live_server}/api/standards", json={"classification": c}, timeout=30)
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_a_device"
    stream = requests.post(f"{live_server}/api/stream/standards", json={"classification": c}, timeout=30)
    kinds = [e["event"] for e in events_of(stream.content)]
    assert kinds.count("error") == 1 and "plan" not in kinds and "done" not in kinds


@pytest.mark.parametrize("concept, status", [
    ("height-adjustable examination couch for urodynamic testing", "device"),
    ("treatment couch for a physiotherapy clinic", "device"),
    ("three-seat fabric couch for the living room", "not_device"),
    ("leather couch with a built-in recliner", "not_device"),
])
def test_a_couch_is_furniture_only_when_nothing_medical_is_said(live_server: str, concept: str, status: str) -> None:
    """'couch' alone once made an examination couch a consumer product, confidently: furniture words decide it now."""
    c = _classify(live_server, concept)
    assert c["qualification"]["status"] == status, c["qualification"]
    if status == "device":
        assert c["markets"]["US"]["qualification"] == "device"
    else:
        assert all(block["class"] is None for block in c["markets"].values())
