"""Every dev and holdout concept through the web app's flow over real gunicorn: each served answer,
sent back verbatim (JSON and the streams' `result`), means what the engine in process says it means."""
from __future__ import annotations

import pytest

from medreg.engines.base import ClassifyInput
from tests.http.conftest import KINDS
from tests.http.roundtrip import (bench_concepts, classified_markets, in_process, unlabelled_concepts,
                                 undetermined_markets)

pytestmark = pytest.mark.server

STEPS = ("purpose", "standards", "refine")
ANSWERS = {"purpose": "purpose", "standards": "plans", "refine": "refinement"}


def _first_differences(pairs: list[tuple[str, object, object]], limit: int = 3) -> list[str]:
    """The first few (concept, field) where the served answer differs from the in-process one."""
    out = []
    for concept, got, want in pairs:
        if got == want:
            continue
        if isinstance(got, dict) and isinstance(want, dict):
            keys = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            out.append(f"{concept!r}: fields {keys}; e.g. {keys[0]}: {str(got.get(keys[0]))[:300]} "
                       f"!= {str(want.get(keys[0]))[:300]}")
        else:
            out.append(f"{concept!r}: {str(got)[:300]} != {str(want)[:300]}")
        if len(out) == limit:
            break
    return out


def _without_alternatives(classification: dict) -> dict:
    return {key: value for key, value in classification.items() if key != "alternatives"}


def test_the_flows_cover_every_bench_concept(bench_flows) -> None:
    """The dev set and every holdout set, over both kinds of endpoint, each with plans to refine."""
    concepts = bench_concepts()
    assert len(concepts) > 1000
    for kind in KINDS:
        assert [(flow.concept, flow.language) for flow, _ in bench_flows[kind]] == concepts
        refused = [flow for flow, _ in bench_flows[kind] if "refused" in flow.plans]
        # standards refuses only what qualification did not find to be a device with a class
        assert all(flow.classification["qualification"]["status"] != "device" for flow in refused)
        # and only concepts the sets label with no class anywhere (wellness bands, admin software …),
        # or, for a labelled one, only as a question (needs_review), never as not_device
        unlabelled = unlabelled_concepts()
        wrongly = [flow.concept for flow in refused if flow.concept not in unlabelled
                   and flow.classification["qualification"]["status"] != "needs_review"]
        assert not wrongly, wrongly
        assert all(flow.plans["plans"] and flow.refinement for flow, _ in bench_flows[kind] if flow not in refused)


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("kind", KINDS)
def test_served_answer_sent_back_means_the_same(bench_flows, kind: str, step: str) -> None:
    """The step over HTTP, given the served earlier answers, equals the engine in process, field for field."""
    pairs = [(flow.concept, getattr(flow, ANSWERS[step]), want[step]) for flow, want in bench_flows[kind]]
    wrong = _first_differences(pairs)
    count = sum(got != want for _, got, want in pairs)
    assert not wrong, f"{count} of {len(pairs)} {kind} {step} answers differ:\n" + "\n".join(wrong)


def test_stream_results_equal_json_results(bench_flows) -> None:
    """The stream's `result` is the object the JSON endpoint returns, at every step."""
    for (by_json, _), (by_stream, _) in zip(bench_flows["json"], bench_flows["stream"]):
        for answer in ("classification", *ANSWERS.values()):
            assert getattr(by_stream, answer) == getattr(by_json, answer), (by_json.concept, answer)


def test_served_classification_is_the_engines(bench_flows, offline_engine) -> None:
    """What classify serves is what the engine answers in process (so (a) starts from the real answer)."""
    for flow, _ in bench_flows["json"][::10]:
        local = in_process(offline_engine, "classify", ClassifyInput(flow.concept, flow.language))
        # `alternatives` is left out: which near-tied rivals make the shortlist depends on set order,
        # hence on the process's hash seed (knowledge/matching.py), not on the round trip.
        assert _without_alternatives(flow.classification) == _without_alternatives(local), flow.concept


@pytest.mark.parametrize("kind", KINDS)
def test_a_class_given_by_classify_is_never_called_undetermined(bench_flows, kind: str) -> None:
    """No plan (standards or refined) says "the class is not determined" for a market classify gave a class."""
    said, flagged = [], 0
    for flow, _ in bench_flows[kind]:
        if "refused" in flow.plans:
            continue
        plans = flow.plans["plans"] + (flow.refinement.get("plans") or [flow.refinement.get("plan")])
        undetermined = undetermined_markets(plans, flow.language)
        flagged += bool(undetermined)
        if undetermined & classified_markets(flow.classification):
            said.append((flow.concept, sorted(undetermined & classified_markets(flow.classification))))
    assert not said, f"{len(said)} concepts, e.g. {said[:5]}"
    assert flagged, "no concept without a class: the check would not see the sentence"
