"""Every 4xx in the user's language over real gunicorn: field errors included, Korean for a Korean request."""
from __future__ import annotations

import pytest
import requests

from medreg.language import has_hangul
from medreg.schemas.messages import korean
from tests.sse_parse import events_of

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
# (path, body, headers): each wrong in a different way, each from a Korean user.
BAD = [
    ("/api/classify", {"concept": "스마트 인슐린 펌프", "markets": ["XX"], "context": 5}, {}),
    ("/api/classify", {"concept": "혈압계", "markets": [], "language": "fr"}, {}),
    ("/api/classify", {}, KO),
    ("/api/classify", {"concept": None}, KO),
    ("/api/classify", {"concept": "x" * 5000}, KO),
    ("/api/standards", {"classification": {"confidence": "높음", "questions": "하나"}, "language": "ko"}, {}),
    ("/api/refine", {"feedback": "한국에서만 판매합니다"}, {}),
    ("/api/refine", {"feedback": "무선 없음", "plans": [{"id": "p", "activities": [{"name": "x", "weeks": 900}]}]}, {}),
    ("/api/export", {"format": "pdf", "dossier": {}, "language": "ko"}, {}),
    ("/api/classify", {"concept": "요도 카테터", "answers": {"색": "빨강", "duration": "영원히"}}, {}),
]


def _leaves(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)


@pytest.mark.parametrize("path,body,headers", BAD)
def test_field_errors_are_korean(live_server, path, body, headers) -> None:
    """The message and every field message are in Korean."""
    response = requests.post(live_server + path, json=body, headers=headers, timeout=30)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert has_hangul(error["message"])
    leaves = list(_leaves(error["fields"]))
    assert leaves and all(has_hangul(text) for text in leaves), leaves


def test_stream_field_errors_are_korean(live_server) -> None:
    """The SSE error event of an invalid stream request is Korean too."""
    response = requests.post(f"{live_server}/api/stream/classify", json={"concept": "펌프", "markets": "US"},
                             timeout=30)
    assert response.status_code == 422
    data = events_of(response.content)[-1]["data"]
    assert has_hangul(data["message"]) and all(has_hangul(t) for t in _leaves(data["fields"]))


def test_english_request_keeps_english(live_server) -> None:
    """The same mistakes from an English user read in English."""
    response = requests.post(f"{live_server}/api/classify", json={"concept": "pump", "markets": ["XX"]}, timeout=30)
    fields = response.json()["error"]["fields"]
    assert fields == {"markets": {"0": ["Must be one of: US, EU, KR."]}}


@pytest.mark.parametrize("path,method,headers", [("/nope", "GET", KO), ("/api/classify", "GET", KO),
                                                 ("/api/classify", "POST", {**KO, "Content-Type": "text/plain"})])
def test_other_4xx_follow_accept_language(live_server, path, method, headers) -> None:
    """404, 405 and 415 (no body to read) follow Accept-Language."""
    response = requests.request(method, live_server + path, headers=headers, data="x", timeout=30)
    assert 400 <= response.status_code < 500
    assert has_hangul(response.json()["error"]["message"])


@pytest.mark.parametrize("english,expected", [
    ("Missing data for required field.", "필수 항목이 없습니다."),
    ("Length must be between 1 and 4000.", "길이는 1~4000이어야 합니다."),
    ("Must be greater than or equal to 0 and less than or equal to 520.", "0 이상 520 이하이어야 합니다."),
    ("Not an option of duration: x. Options: transient, long_term.", "질문 duration의 선택지가 아닙니다: x. 선택지: transient, long_term."),
    ("A message nobody wrote a pattern for.", "A message nobody wrote a pattern for."),
])
def test_korean_patterns(english, expected) -> None:
    """Known messages are translated with their values kept; unknown ones stay as they were."""
    assert korean(english) == expected
