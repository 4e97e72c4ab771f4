"""The exported memo over real gunicorn: a whole session (answers, plans refined twice) as a dated memo
someone can sign, in both languages; the export's own size limit."""
from __future__ import annotations

import json
import re

import pytest
import requests

from bench.export_size import session
from medreg import __version__
from medreg.knowledge import get_knowledge

SESSIONS = {
    "en": ("urinary catheter", {"duration": "long_term"}, ["we sell in Korea only", "add 2 weeks to biocompatibility"]),
    "ko": ("요도 카테터", {"duration": "long_term"}, ["한국에서만 판매합니다", "생물학적 안전성에 2주 추가"]),
}


def _post(url: str, step: str, body: dict) -> dict:
    response = requests.post(f"{url}/api/{step}", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _dossier(url: str, language: str) -> dict:
    """The session the web app makes: classify with an answer, purpose, standards, the whole set refined twice."""
    concept, answers, feedback = SESSIONS[language]
    c = _post(url, "classify", {"concept": concept, "answers": answers})
    purpose = _post(url, "purpose", {"concept": concept, "classification": c})
    plans = _post(url, "standards", {"classification": c, "purposeMechanism": purpose})["plans"]
    refinements = []
    for text in feedback:
        r = _post(url, "refine", {"plans": plans, "feedback": text, "classification": c, "purposeMechanism": purpose})
        plans = r["plans"]
        refinements.append({"plan_id": None, "feedback": text, "changes": r["changes"],
                            "not_applied": r.get("not_applied", []), "engine": r["engine"]})
    return {"concept": concept, "language": language, "classification": c, "purpose": purpose, "plans": plans,
            "refinements": refinements}


@pytest.fixture(scope="module")
def sessions(live_server) -> dict:
    """Both languages' sessions, made once."""
    return {language: _dossier(live_server, language) for language in SESSIONS}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_memo_has_everything_a_signature_needs(live_server, sessions, language) -> None:
    """Date (UTC and local), version, engine, KB version, classes with rule trace, answers, plans,
    timeline, refinements in words, and a disclaimer naming what is unverified."""
    dossier = sessions[language]
    response = requests.post(f"{live_server}/api/export", timeout=60,
                             json={"format": "html", "dossier": dossier, "timezone": "Asia/Seoul"})
    assert response.status_code == 200
    page = response.text
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC \((local|현지) \d{4}-\d\d-\d\d \d\d:\d\d KST\)", page)
    assert __version__ in page and "offline" in page and "curated " in page
    # the official lists the catalogue was built from, each with its file, hash and version
    assert "fda: foiclass.txt, sha256 " in page and "about Oct 2020" in page and "mfds: mfds-items.csv" in page
    assert "IIb" in page and "Rule 5" in page          # the class the answer moved to, with its rule
    answer = "More than 30 days" if language == "en" else "30일 초과"
    assert answer in page
    assert "<svg" in page and page.count("<rect") == len(dossier["plans"])
    for plan in dossier["plans"]:
        assert plan["title"] in page
    assert ("markets: US, EU, KR → KR" if language == "en" else "시장: US, EU, KR → KR") in page
    assert "plans[" not in page                          # no raw change paths
    assert (">What is not verified<" if language == "en" else ">확인되지 않은 내용<") in page
    assert ("planning estimates" if language == "en" else "계획용 추정치") in page
    for raw in ("home_use", "body_contact", "short_term", "long_term", "non_invasive"):
        assert raw not in page, raw
    markdown = requests.post(f"{live_server}/api/export", timeout=60,
                             json={"format": "markdown", "dossier": dossier}).text
    assert "UTC (" in markdown and answer in markdown and "home_use" not in markdown


def test_export_limit_is_sized_to_a_full_session(live_server) -> None:
    """The largest realistic session (12 plans, every plan refined twice, Korean) passes; 256 KiB does not."""
    dossier = session(get_knowledge(), "소 심낭 조직으로 만든 경피적 대동맥 판막(TAVI)", "ko", 12, True)
    body = json.dumps({"format": "html", "dossier": dossier}, ensure_ascii=False).encode()
    assert len(body) > 64 * 1024 * 0.9   # what used to be refused (the limit was 64 KiB for every request)
    response = requests.post(f"{live_server}/api/export", data=body, timeout=60,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and "<svg" in response.text
    dossier["context"] = "x" * (256 * 1024)
    # A body too large is not read, so its language comes from Accept-Language.
    too_big = requests.post(f"{live_server}/api/export", json={"format": "html", "dossier": dossier}, timeout=60,
                            headers={"Accept-Language": "ko"})
    assert too_big.status_code == 413
    assert too_big.json()["error"]["message"] == "요청 본문이 256 KiB보다 큽니다."
    english = requests.post(f"{live_server}/api/export", json={"format": "html", "dossier": dossier}, timeout=60)
    assert english.json()["error"]["message"] == "The request body is larger than 256 KiB."
    step = requests.post(f"{live_server}/api/classify", json={"concept": "x", "context": "y" * 70000}, timeout=60)
    assert step.status_code == 413 and "64 KiB" in step.json()["error"]["message"]


def test_unknown_time_zone_is_refused_by_name(live_server, sessions) -> None:
    """A time zone that does not exist is a 422 naming it."""
    response = requests.post(f"{live_server}/api/export", timeout=60,
                             json={"format": "html", "dossier": sessions["ko"], "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"timezone": ["알 수 없는 시간대입니다: Mars/Olympus."]}
