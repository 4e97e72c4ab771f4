"""Answerable questions over real gunicorn: question_details out, `answers` back in, the class moves."""
from __future__ import annotations

import json

import pytest
import requests

from tests.sse_parse import events_of


def _classify(url: str, body: dict) -> requests.Response:
    return requests.post(f"{url}/api/classify", json=body, timeout=30)


def _ok(url: str, body: dict) -> dict:
    response = _classify(url, body)
    assert response.status_code == 200, response.text
    return response.json()


def test_details_follow_questions_one_to_one(live_server) -> None:
    """Each question has an id, the attribute it decides and options in the user's language."""
    for concept, language in (("AI software that flags diabetic retinopathy in fundus photos", "en"),
                              ("블루투스 혈압계", "ko")):
        data = _ok(live_server, {"concept": concept})
        details = data["question_details"]
        assert data["questions"], concept
        assert [d["text"] for d in details] == data["questions"]
        answerable = [d for d in details if d["options"]]
        assert answerable, details
        for detail in answerable:
            assert detail["id"] and detail["attribute"]
            assert all(o["value"] and o["label"] for o in detail["options"])
            if language == "ko":
                assert any("\uac00" <= ch <= "\ud7a3" for o in detail["options"] for ch in o["label"]), detail


def test_duration_answer_moves_the_eu_class(live_server) -> None:
    """A urinary catheter (Rule 5, short-term: IIa) kept in place more than 30 days is IIb; under an hour, Is."""
    before = _ok(live_server, {"concept": "urinary catheter"})
    assert before["markets"]["EU"]["class"] == "IIa"
    long = _ok(live_server, {"concept": "urinary catheter", "answers": {"duration": "long_term"}})
    assert long["markets"]["EU"]["class"] == "IIb"
    assert "Rule 5" in long["markets"]["EU"]["rules"]
    assert long["attributes"]["duration"] == "long_term"
    assert long["attribute_sources"]["duration"] == "answer"
    assert long["answers"] == {"duration": "long_term"}
    short = _ok(live_server, {"concept": "urinary catheter", "answers": {"duration": "transient"}})
    assert short["markets"]["EU"]["class"] == "Is"


def test_answered_question_is_not_asked_again(live_server) -> None:
    """Answering the wireless question removes it; the answer outranks the text."""
    concept = "AI software that flags diabetic retinopathy in fundus photos"
    first = _ok(live_server, {"concept": concept})
    assert "wireless" in [d["id"] for d in first["question_details"]]
    second = _ok(live_server, {"concept": concept, "answers": {"wireless": "no"}})
    assert "wireless" not in [d["id"] for d in second["question_details"]]
    assert second["attribute_sources"]["wireless"] == "answer"
    # The text says Bluetooth; the user's answer says no wireless: the answer wins.
    bt = _ok(live_server, {"concept": "Bluetooth blood pressure monitor", "answers": {"wireless": "no"}})
    assert bt["attributes"]["wireless"] is False and bt["attribute_sources"]["wireless"] == "answer"


def test_qualification_question_is_answerable(live_server) -> None:
    """A wellness app is not a device; answering that it claims to treat a disease makes it one."""
    concept = "a yoga app that tracks mood"
    first = _ok(live_server, {"concept": concept})
    assert first["qualification"]["status"] == "not_device"
    claim = [d for d in first["question_details"] if d["id"] == "medical_claim"]
    assert claim and {o["value"] for o in claim[0]["options"]} == {"yes", "no"}
    yes = _ok(live_server, {"concept": concept, "answers": {"medical_claim": "yes"}})
    assert yes["qualification"]["status"] == "device"
    assert yes["qualification"]["basis"] == "answer"
    assert "medical_claim" not in [d["id"] for d in yes["question_details"]]
    no = _ok(live_server, {"concept": concept, "answers": {"medical_claim": "no"}})
    assert no["qualification"]["status"] == "not_device" and no["questions"] == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_unknown_id_or_value_is_422_naming_it(live_server, language) -> None:
    """An answer to no question, or with no such option, is refused by name, in the user's language."""
    concept = "urinary catheter" if language == "en" else "요도 카테터"
    response = _classify(live_server, {"concept": concept, "answers": {"colour": "red", "duration": "forever"}})
    assert response.status_code == 422
    error = response.json()["error"]
    fields = error["fields"]["answers"]
    assert "colour" in fields["colour"][0] and "forever" in fields["duration"][0]
    assert "long_term" in fields["duration"][0]   # the options are named
    if language == "ko":
        assert "알 수 없는 질문" in fields["colour"][0] and "선택지" in fields["duration"][0]
        assert "필드" in error["message"]
    else:
        assert fields["colour"] == ["Unknown question id: colour."]
    stream = requests.post(f"{live_server}/api/stream/classify", timeout=30,
                           json={"concept": concept, "answers": {"device_type": "no-such-type"}})
    assert stream.status_code == 422
    event = events_of(stream.content)[-1]
    assert event["event"] == "error" and "no-such-type" in event["data"]["fields"]["answers"]["device_type"][0]


def test_choosing_the_device_type(live_server) -> None:
    """`device_type` picks one of the offered types: the device and its classes follow it."""
    data = _ok(live_server, {"concept": "urinary catheter"})
    other = next(a for a in data["alternatives"] if a.get("source") == "curated")
    chosen = _ok(live_server, {"concept": "urinary catheter", "answers": {"device_type": other["id"]}})
    assert chosen["device"]["id"] == other["id"]
    assert "device_type" not in [d["id"] for d in chosen["question_details"]]


def test_stream_applies_answers_too(live_server) -> None:
    """The stream endpoint reads `answers` like the JSON one."""
    response = requests.post(f"{live_server}/api/stream/classify", timeout=30,
                             json={"concept": "urinary catheter", "answers": {"duration": "long_term"}})
    result = next(e for e in events_of(response.content) if e["event"] == "result")["data"]["data"]
    assert result["markets"]["EU"]["class"] == "IIb"


def test_anthropic_engine_passes_answers_to_the_knowledge_base(anthropic_server) -> None:
    """The Anthropic engine grounds on the KB classification made with the answers."""
    url, _ = anthropic_server
    data = _ok(url, {"concept": "urinary catheter", "answers": {"duration": "long_term"}})
    assert data["engine"].startswith("anthropic")
    assert data["attribute_sources"]["duration"] == "answer"
    assert data["markets"]["EU"]["class"] == "IIb", json.dumps(data["markets"]["EU"])[:400]
    assert [d["text"] for d in data["question_details"]] == data["questions"]
    claim = _ok(url, {"concept": "a yoga app that tracks mood", "answers": {"medical_claim": "yes"}})
    assert claim["qualification"]["status"] == "device"


def test_openapi_documents_answers_and_question_details(live_server) -> None:
    """The OpenAPI document has `answers` on the request and `question_details` on the result."""
    spec = requests.get(f"{live_server}/openapi.json", timeout=30).json()
    schemas = spec["components"]["schemas"]
    assert "answers" in schemas["ClassifyRequest"]["properties"]
    assert "question_details" in schemas["Classification"]["properties"]
    assert {"id", "text", "attribute", "options"} <= set(schemas["QuestionDetail"]["properties"])
    assert "timezone" in schemas["ExportRequest"]["properties"]
