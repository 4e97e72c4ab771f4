"""Request validation and the one error shape, in Korean and English, on JSON and stream endpoints."""
from __future__ import annotations

import json

import pytest

from tests.sse_parse import events_of

CLASSIFICATION = {"concept": "x", "language": "en", "category": {"code": "samd"}, "attributes": {},
                  "markets": {"US": {}}}
PLAN = {"id": "plan-software", "title": "Software", "standards": [], "activities": []}

VALID = [
    ("classify", {"concept": "스마트 인슐린 펌프"}),
    ("classify", {"concept": "  AI for retinopathy  ", "context": "home", "markets": ["US", "KR"], "language": "en"}),
    ("purpose", {"concept": "pulse oximeter", "classification": CLASSIFICATION}),
    ("standards", {"classification": CLASSIFICATION, "category": "samd", "purposeMechanism": {}}),
    ("standards", {"classification": CLASSIFICATION, "category": {"code": "samd", "label": "SaMD"}}),
    ("refine", {"plan": PLAN, "feedback": "no wireless"}),
    ("refine", {"plans": [PLAN], "feedback": "한국만 판매합니다"}),
]

INVALID = [
    ("classify", {}, "concept"),
    ("classify", {"concept": "   "}, "concept"),
    ("classify", {"concept": "x" * 4001}, "concept"),
    ("classify", {"concept": 42}, "concept"),
    ("classify", {"concept": "x", "markets": ["JP"]}, "markets"),
    ("classify", {"concept": "x", "markets": []}, "markets"),
    ("classify", {"concept": "x", "language": "fr"}, "language"),
    ("classify", {"concept": "x", "context": "c" * 8001}, "context"),
    ("purpose", {"concept": None}, "concept"),
    ("standards", {}, "classification"),
    ("standards", {"classification": "US class II"}, "classification"),
    ("standards", {"classification": {}, "category": 5}, "category"),
    ("refine", {"feedback": "x"}, "plan"),
    ("refine", {"plan": PLAN, "plans": [PLAN], "feedback": "x"}, "plan"),
    ("refine", {"plan": {"title": "no id"}, "feedback": "x"}, "plan"),
    ("refine", {"plan": PLAN, "feedback": ""}, "feedback"),
    ("refine", {"plans": [{**PLAN, "workstream": ["software"]}], "feedback": "no wireless"}, "plans"),
]


@pytest.mark.parametrize(("step", "body", "field"), INVALID)
def test_invalid_bodies_get_422_with_fields(scripted, step: str, body: dict, field: str) -> None:
    """Schema errors answer 422 `invalid_request` naming the field."""
    app, _ = scripted
    response = app.test_client().post(f"/api/{step}", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request" and error["retryable"] is False
    assert field in error["fields"]


@pytest.mark.parametrize(("step", "body", "field"), INVALID)
def test_invalid_bodies_on_streams_get_one_sse_error(scripted, step: str, body: dict, field: str) -> None:
    """Stream endpoints answer the same status with an SSE body of one `error` event."""
    app, _ = scripted
    response = app.test_client().post(f"/api/stream/{step}", json=body)
    assert response.status_code == 422
    assert response.mimetype == "text/event-stream"
    (event,) = events_of(response.data)
    assert event["id"] == "1" and event["data"]["code"] == "invalid_request"
    assert field in event["data"]["fields"]


@pytest.mark.parametrize(("step", "body"), VALID)
def test_valid_bodies_reach_the_engine(scripted, step: str, body: dict) -> None:
    """Valid bodies pass validation and reach the engine with the field names the seed sends."""
    from medreg.events import Result

    app, engine = scripted
    engine.enqueue(Result({"ok": True}))
    response = app.test_client().post(f"/api/{step}", json=body)
    assert response.status_code == 200, response.get_json()
    assert len(engine.history) == 1


def test_concept_is_trimmed_and_language_detected(scripted) -> None:
    """Surrounding spaces go; Hangul in the concept means Korean."""
    from medreg.events import Result

    app, engine = scripted
    engine.enqueue(Result({}))
    app.test_client().post("/api/classify", json={"concept": "  인슐린 펌프 "})
    request = engine.history[0]
    assert request.concept == "인슐린 펌프" and request.language == "ko"
    assert request.markets == ("US", "EU", "KR")


RAW_ERRORS = [
    ("not json", "application/json", 400, "invalid_json"),
    (b"\xff\xfe{}", "application/json", 400, "invalid_json"),
    ('{"concept": "a", "concept": "b"}', "application/json", 400, "invalid_json"),
    ("[" * 100000 + "]" * 100000, "application/json", 413, "payload_too_large"),
    ("[" * 30000 + "]" * 30000, "application/json", 400, "invalid_json"),
    ('["concept"]', "application/json", 422, "invalid_request"),
    ('{"concept": "x"}', "text/plain", 415, "unsupported_media_type"),
    ('{"concept": "x"}', None, 415, "unsupported_media_type"),
    ('{"concept": "' + "x" * 70000 + '"}', "application/json", 413, "payload_too_large"),
]


@pytest.mark.parametrize(("body", "content_type", "status", "code"), RAW_ERRORS)
@pytest.mark.parametrize("prefix", ["/api", "/api/stream"])
def test_malformed_requests(scripted, prefix: str, body, content_type, status: int, code: str) -> None:
    """Bad bodies get the documented status and code, as JSON or as one SSE error event."""
    app, engine = scripted
    headers = {"Content-Type": content_type} if content_type else {}
    response = app.test_client().post(f"{prefix}/classify", data=body, headers=headers)
    assert response.status_code == status
    if prefix == "/api":
        assert response.get_json()["error"]["code"] == code
    else:
        (event,) = events_of(response.data)
        assert event["data"]["code"] == code
    assert engine.history == []


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Accept-Language": "ko-KR,ko;q=0.9"}, "nope", "요청 본문이 올바른 JSON이 아닙니다."),
        ({"Accept-Language": "en-US"}, "nope", "The request body is not valid JSON."),
        ({}, json.dumps({"concept": "", "language": "ko"}), "일부 필드가 없거나 올바르지 않습니다."),
        ({}, json.dumps({"concept": "인슐린", "markets": ["XX"]}), "일부 필드가 없거나 올바르지 않습니다."),
        ({"Accept-Language": "ko"}, json.dumps({"concept": "x", "language": "en", "markets": 3}),
         "Some fields are missing or invalid."),
    ],
)
def test_error_messages_follow_the_users_language(scripted, headers, body, expected) -> None:
    """Korean for Korean users (language field, Hangul text or Accept-Language), else English."""
    app, _ = scripted
    response = app.test_client().post("/api/classify", data=body,
                                      headers={"Content-Type": "application/json", **headers})
    assert response.get_json()["error"]["message"] == expected


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/classify", 405, "method_not_allowed"),
    ("POST", "/api/nothing", 404, "not_found"),
])
def test_routing_errors_use_the_same_shape(client, method, path, status, code) -> None:
    """Even Werkzeug's own errors come in the one error shape."""
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
