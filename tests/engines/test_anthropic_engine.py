"""The Anthropic engine through the real SDK against the stub over real HTTP (in-process, no gunicorn)."""
from __future__ import annotations

import logging
import time

import pytest

from medreg.engines.base import ClassifyInput, PurposeInput, RefineInput, StandardsInput
from medreg.errors import (AnswerCutOff, MedregError, Refused, UpstreamError, UpstreamRateLimited, UpstreamTimeout,
                           UpstreamUnavailable)
from medreg.events import Delta, PlanReady, Result, Status
from medreg.knowledge import get_knowledge
from medreg.schemas.results import RESULT_SCHEMAS
from tests.engines.conftest import SECRET_KEY

CONCEPT = "smart insulin pump controlled by a phone app"
USAGE_KEYS = {"input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"}


def run(events) -> tuple[list, Result]:
    """All events of a step and its result."""
    collected = list(events)
    results = [event for event in collected if isinstance(event, Result)]
    assert len(results) == 1 and collected[-1] is results[0]
    return collected, results[0]


@pytest.fixture(scope="module")
def classification() -> dict:
    """The knowledge base's classification of the concept (input to later steps)."""
    return get_knowledge().classify(CONCEPT, None, ("US", "EU", "KR"), "en")


def test_classify_streams_prose_and_returns_a_valid_grounded_result(make_engine) -> None:
    engine = make_engine()
    events, result = run(engine.classify(ClassifyInput(CONCEPT, "en")))
    assert isinstance(events[0], Status)
    deltas = [event for event in events if isinstance(event, Delta)]
    assert deltas and "{" not in "".join(d.text for d in deltas)  # prose, not raw JSON
    assert RESULT_SCHEMAS["classify"]().validate(result.data) == {}
    assert result.data["engine"] == "anthropic:claude-sonnet-5-5"
    assert set(result.data["usage"]) == USAGE_KEYS and result.data["usage"]["output_tokens"] > 0
    # The knowledge base's device match and attributes survive.
    assert result.data["device"]["id"] == "insulin-pump-external"


def test_request_is_the_current_form(make_engine, stub) -> None:
    """json_schema output, explicit thinking and effort, no forced tool; one call's findings are not cached."""
    engine = make_engine()
    run(engine.classify(ClassifyInput(CONCEPT, "en")))
    body = stub.requests()[-1]["body"]
    assert [block.get("cache_control") for block in body["system"]] == [{"type": "ephemeral"}, None]
    assert "LZG" in body["system"][1]["text"]  # the KB's product code is in the grounding block
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert body["output_config"]["effort"] in ("low", "medium", "high")
    assert body["thinking"] == {"type": "disabled"}
    assert "tool_choice" not in body and "tools" not in body
    assert body["stream"] is True and body["model"] == "claude-sonnet-5-5"


def test_unknown_codes_are_marked_unverified_and_disagreement_asks(make_engine, stub) -> None:
    answer = {"summary": "An insulin pump.", "confidence": 0.9, "questions": [],
              "markets": {
                  "US": {"class": "III", "pathway": "PMA", "product_code": "ZZQ", "regulation": "21 CFR 999.9999",
                         "rationale": "Because.", "citations": []},
                  "EU": {"class": "IIb", "rules": ["Rule 12", "Rule 99"], "pathway": "NB", "rationale": "R12.",
                         "citations": []},
                  "KR": {"grade": 4, "item_code": "Z99999.99", "pathway": "허가", "rationale": "Grade 4.",
                         "citations": []}}}
    stub.control(script=[{"answer": answer}])
    _, result = run(make_engine().classify(ClassifyInput(CONCEPT, "en")))
    data = result.data
    us = data["markets"]["US"]
    assert us["class"] == "II" and us["model_class"] == "III"          # KB class kept, model's shown
    assert us["disagreement"] == {"knowledge_base": "II", "model": "III"}
    assert us["product_code"] == "LZG" and us["verified"] is False
    assert {(u["field"], u["value"]) for u in us["unverified"]} == {("product_code", "ZZQ"),
                                                                     ("regulation", "21 CFR 999.9999")}
    assert [u["value"] for u in data["markets"]["EU"]["unverified"]] == ["Rule 99"]
    assert [u["value"] for u in data["markets"]["KR"]["unverified"]] == ["Z99999.99"]
    assert "disagreement" not in data["markets"]["EU"]
    assert any("III" in q and "II" in q for q in data["questions"])
    assert data["needs_review"] is True
    assert data["confidence"] <= 0.9


def test_standards_one_call_per_plan_unknown_standard_flagged(make_engine, stub, classification) -> None:
    kb_plans = get_knowledge().plans(classification, classification["category"], None, ("US", "EU", "KR"), "en")
    answer = {"title": "Risk", "rationale": "Why.", "estimated_weeks": 9,
              "activities": [{"name": "FMEA", "deliverable": "FMEA file", "weeks": 4}],
              "standards": [{"id": "ISO 14971", "edition": "ISO 14971:2007", "title": "x", "why": "risk"},
                            {"id": "ISO 99999", "edition": None, "title": "Invented", "why": "none"}]}
    stub.control(script=[{"answer": answer}] * len(kb_plans))
    events, result = run(make_engine(ANTHROPIC_CONCURRENCY=4).standards(StandardsInput(classification, "en")))
    plans = [event for event in events if isinstance(event, PlanReady)]
    assert [p.index for p in plans] == list(range(1, len(kb_plans) + 1))
    assert {p.total for p in plans} == {len(kb_plans)}
    assert [p["id"] for p in result.data["plans"]] == [p["id"] for p in kb_plans]  # KB dependency order
    assert stub.stats()["completed"] == len(kb_plans)
    risk = result.data["plans"][0]
    by_id = {s["id"]: s for s in risk["standards"]}
    assert by_id["ISO 14971"]["edition"] == "ISO 14971:2019"   # the catalogue's edition wins
    assert by_id["ISO 99999"]["verified"] is False
    assert risk["unverified"] == [{"field": "standards", "value": "ISO 99999", "reason": "not in the standards catalogue"}]
    usage = result.data["usage"]
    assert usage["cache_read_input_tokens"] > 0   # the shared system + KB blocks were cached


def test_refine_several_plans_in_parallel(make_engine, classification) -> None:
    kb_plans = get_knowledge().plans(classification, classification["category"], None, ("US", "EU", "KR"), "en")[:3]
    events, result = run(make_engine().refine(RefineInput(kb_plans, "we sell in Korea only", "en", single=False)))
    assert len([e for e in events if isinstance(e, PlanReady)]) == 3
    assert RESULT_SCHEMAS["refine"]().validate(result.data) == {}
    assert all(change["path"].startswith("plans[") for change in result.data["changes"])


RECOVERED = [
    pytest.param([{"fault": "529"}], 2, id="529-then-ok"),
    pytest.param([{"fault": "429", "retry_after": 0}], 2, id="429-then-ok"),
    pytest.param([{"fault": "500"}, {"fault": "500"}], 3, id="500-twice-then-ok"),
    pytest.param([{"fault": "overloaded_mid", "after_tokens": 0}], 2, id="overloaded-before-output"),
]


@pytest.mark.parametrize("script, requests", RECOVERED)
def test_transient_failures_before_output_are_retried(make_engine, stub, script, requests) -> None:
    stub.control(script=script)
    _, result = run(make_engine().purpose(PurposeInput(CONCEPT, "en")))
    assert result.data["engine"].startswith("anthropic:")
    assert stub.stats()["requests"] == requests


def test_a_retry_after_a_mid_stream_overload_sends_the_same_prompt_again(make_engine, stub) -> None:
    """The prompt is built again for the retry (not kept for the stream): the very same request body."""
    stub.control(reset=True)
    stub.control(script=[{"fault": "overloaded_mid", "after_tokens": 0}])
    _, result = run(make_engine().classify(ClassifyInput(CONCEPT, "en")))
    assert result.data["engine"].startswith("anthropic:")
    bodies = [entry["body"] for entry in stub.requests() if "messages" in entry.get("body", {})]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert "kb_classification" in bodies[0]["system"][1]["text"] and CONCEPT in str(bodies[0]["messages"])


FAILURES = [
    pytest.param([{"fault": "overloaded_mid", "after_tokens": 20}], UpstreamUnavailable, True, id="overloaded-after-output"),
    pytest.param([{"fault": "refusal", "json": True, "explanation": "no"}], Refused, False, id="refusal-with-json"),
    pytest.param([{"fault": "refusal", "json": False}], Refused, False, id="refusal-partial-json"),
    pytest.param([{"fault": "max_tokens"}], AnswerCutOff, False, id="max-tokens"),
    pytest.param([{"fault": "non_json"}], UpstreamError, True, id="non-json-answer"),
    pytest.param([{"fault": "drop", "after_tokens": 5}], UpstreamError, True, id="dropped-socket"),
    pytest.param([{"fault": "malformed", "after_tokens": 5}], UpstreamError, True, id="malformed-event"),
    pytest.param([{"fault": "hang"}], UpstreamTimeout, True, id="hang"),
    pytest.param([{"fault": "500"}] * 3, UpstreamError, True, id="500-exhausts-retries"),
    pytest.param([{"fault": "529"}] * 3, UpstreamUnavailable, True, id="529-exhausts-retries"),
]


@pytest.mark.parametrize("script, error, retryable", FAILURES)
def test_failures_become_medreg_errors_without_secrets(make_engine, stub, caplog, script, error, retryable) -> None:
    caplog.set_level(logging.DEBUG)
    stub.control(script=script)
    engine = make_engine(ANTHROPIC_READ_TIMEOUT_S=1.0)
    with pytest.raises(error) as raised:
        list(engine.purpose(PurposeInput(CONCEPT, "en")))
    assert type(raised.value) is error and raised.value.retryable is retryable
    assert raised.value.__cause__ is None   # the SDK error (and its request) is not chained along
    assert SECRET_KEY not in caplog.text and SECRET_KEY not in str(raised.value.payload("en"))
    time.sleep(0.2)
    assert stub.stats()["open"] == 0


def test_retry_after_longer_than_the_deadline_fails_fast(make_engine, stub) -> None:
    stub.control(script=[{"fault": "429", "retry_after": 60}])
    started = time.monotonic()
    with pytest.raises(UpstreamRateLimited) as raised:
        list(make_engine(STEP_DEADLINE_S=10.0).purpose(PurposeInput(CONCEPT, "en")))
    assert time.monotonic() - started < 3
    assert raised.value.headers["Retry-After"] == "60"


def test_fallback_to_offline_says_so(make_engine, stub) -> None:
    stub.control(script=[{"fault": "529"}] * 3)
    events, result = run(make_engine(FALLBACK_OFFLINE=True).classify(ClassifyInput(CONCEPT, "en")))
    assert any(isinstance(e, Status) and e.stage == "fallback" for e in events)
    assert result.data["engine"] == "offline (fallback: upstream_unavailable)"
    assert result.data["fallback"] == {"from": "anthropic:claude-sonnet-5-5", "reason": "upstream_unavailable"}


def test_fallback_off_raises(make_engine, stub) -> None:
    stub.control(script=[{"fault": "529"}] * 3)
    with pytest.raises(MedregError):
        list(make_engine(FALLBACK_OFFLINE=False).classify(ClassifyInput(CONCEPT, "en")))


def test_closing_the_step_closes_the_upstream_stream(make_engine, stub) -> None:
    stub.control(tokens_per_s=20, words=40)
    events = make_engine().classify(ClassifyInput(CONCEPT, "en"))
    for event in events:
        if isinstance(event, Delta):
            break
    events.close()   # what the SSE helper does when the client goes away
    deadline = time.monotonic() + 3
    while stub.stats()["cancelled"] < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    stats = stub.stats()
    assert stats["cancelled"] == 1 and stats["completed"] == 0 and stats["open"] == 0


def test_missing_key_says_what_to_do(monkeypatch) -> None:
    from medreg.engines.anthropic.engine import AnthropicEngine, MissingKey
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(MissingKey, match="ANTHROPIC_API_KEY"):
        AnthropicEngine.from_config({})


def test_deep_health_checks_the_model_again_but_not_more_than_every_5s(make_engine, stub) -> None:
    from dataclasses import replace

    engine = make_engine()
    assert stub.stats()["model_checks"] == 1 and engine.health()["status"] == "ok"   # at start-up
    engine.health(deep=True)
    assert stub.stats()["model_checks"] == 1                                          # just checked
    engine.model_status = replace(engine.model_status, checked_at=0.0)
    stub.control(api_key="sk-ant-another-key")
    report = engine.health(deep=True)
    assert stub.stats()["model_checks"] == 2
    assert (report["code"], report["status"]) == ("invalid_api_key", "invalid API key — set ANTHROPIC_API_KEY")


@pytest.mark.parametrize("concept, language", [
    ("step counter wristband that shows daily steps and calories, with badges for goals", "en"),
    ("명상 음악을 틀어주고 호흡 횟수를 세어 주는 마음챙김 앱", "ko"),
])
def test_a_model_cannot_make_a_wellness_product_a_device(make_engine, stub, concept, language) -> None:
    """The model answers with classes; the qualification (knowledge base) still says not a device, every market."""
    answer = {"summary": "A device.", "confidence": 0.95, "questions": [],
              "markets": {
                  "US": {"class": "II", "pathway": "510(k)", "product_code": "DXH", "regulation": "21 CFR 870.2300",
                         "rationale": "Monitor.", "citations": []},
                  "EU": {"class": "IIa", "rules": ["Rule 10"], "pathway": "NB", "rationale": "R10.", "citations": []},
                  "KR": {"grade": 2, "item_code": "A26010.01", "pathway": "인증", "rationale": "2등급.",
                         "citations": []}}}
    stub.control(script=[{"answer": answer}])
    _, result = run(make_engine().classify(ClassifyInput(concept, language)))
    data = result.data
    assert data["qualification"]["status"] == "not_device"
    for market in ("US", "EU", "KR"):
        block = data["markets"][market]
        assert block["class"] is None and block["qualification"] == "not_device"
        assert block["citations"], market
    assert data["device"] is None
