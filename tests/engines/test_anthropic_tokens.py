"""Tokens and cache that pay: each plan call carries its own workstream and a shared, cacheable prefix;
the first call of a fan-out starts alone, so one request writes the cache once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from medreg.engines.base import StandardsInput
from medreg.engines.anthropic.prompts import SYSTEM_PROMPTS
from medreg.events import Result
from medreg.knowledge import get_knowledge
from tests.stub_anthropic.cache import MIN_CACHEABLE_TOKENS, estimate_tokens

CONCEPT = "smart insulin pump controlled by a phone app"
ROOT = Path(__file__).resolve().parents[2]
INPUT_KEYS = ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


@pytest.fixture(scope="module")
def request_input() -> tuple[StandardsInput, list[dict]]:
    """A standards request with 11 workstreams, and the KB's plans for it."""
    classification = get_knowledge().classify(CONCEPT, None, ("US", "EU", "KR"), "en")
    plans = get_knowledge().plans(classification, classification["category"], None, ("US", "EU", "KR"), "en")
    return StandardsInput(classification, "en"), plans


@pytest.mark.parametrize("step", ["classify", "purpose", "refine"])
def test_prompt_alone_is_long_enough_to_cache(step) -> None:
    assert estimate_tokens(SYSTEM_PROMPTS[step]) >= MIN_CACHEABLE_TOKENS


def test_plan_prefix_is_long_enough_to_cache_for_every_dev_concept(make_engine, stub) -> None:
    """The shared prefix of a plan call (system prompt + shared findings) for each dev-set concept."""
    engine = make_engine()
    short = []
    for line in (ROOT / "bench/data/dev_set.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        found = get_knowledge().classify(case["concept"], None, ("US", "EU", "KR"), case["language"])
        plans = get_knowledge().plans(found, found["category"], None, ("US", "EU", "KR"), case["language"])
        shared = engine.shared_plan_findings(StandardsInput(found, case["language"]), plans)
        tokens = estimate_tokens(SYSTEM_PROMPTS["plan"]) + estimate_tokens(shared)
        if tokens < MIN_CACHEABLE_TOKENS:
            short.append((case["concept"], tokens))
    assert short == []


def test_standards_request_budget_and_cache_reads(make_engine, stub, request_input) -> None:
    request, kb_plans = request_input
    engine = make_engine()
    totals = []
    for _ in range(2):
        result = list(engine.standards(request))[-1]
        assert isinstance(result, Result)
        totals.append(result.data["usage"])
    usages = stub.usages()
    assert len(usages) == 2 * len(kb_plans) >= 22
    first, rest = usages[0], usages[1:len(kb_plans)]
    shared = first["cache_creation_input_tokens"]
    assert shared >= MIN_CACHEABLE_TOKENS                       # one write, by the call that started alone
    assert all(u["cache_creation_input_tokens"] == 0 for u in usages[1:])
    assert all(u["cache_read_input_tokens"] >= 0.8 * shared for u in rest)   # calls 2..n of request 1
    assert all(u["cache_read_input_tokens"] == shared for u in usages[len(kb_plans):])  # all of request 2
    for usage in totals:
        assert sum(usage[key] for key in INPUT_KEYS) <= 25_000, usage


def test_each_plan_call_carries_only_its_own_workstream(make_engine, stub, request_input) -> None:
    request, kb_plans = request_input
    list(make_engine().standards(request))
    bodies = [entry["body"] for entry in stub.requests()][-len(kb_plans):]
    shared = {json.dumps(body["system"], sort_keys=True) for body in bodies}
    assert len(shared) == 1  # the same prefix, byte for byte, for every call
    by_task = {}
    for body in bodies:
        own, task = body["messages"][0]["content"]
        by_task[task["text"]] = own["text"]
    for plan in kb_plans:
        own = next(text for task, text in by_task.items() if f"`{plan['id']}`" in task)
        assert all(f'"{standard["id"]}"' in own for standard in plan["standards"])  # every KB standard it needs
        others = [p for p in kb_plans if p["id"] != plan["id"]]
        assert not any(f'"{p["rationale"][:60]}' in own for p in others if p["rationale"])


def test_refine_fan_out_writes_once_and_reads_after(make_engine, stub, request_input) -> None:
    from medreg.engines.base import RefineInput

    _, kb_plans = request_input
    list(make_engine().refine(RefineInput(kb_plans[:4], "we sell in Korea only", "en", single=False)))
    usages = stub.usages()
    assert len(usages) == 4 and usages[0]["cache_creation_input_tokens"] >= MIN_CACHEABLE_TOKENS
    assert all(u["cache_creation_input_tokens"] == 0 and u["cache_read_input_tokens"] > 0 for u in usages[1:])
