"""Every input schema loads a served result as it was served, and dumps it back the same:
load(x) == x and dump(load(x)) == x, over the real answers of the bench flows; limits still hold."""
from __future__ import annotations

import copy
import inspect
import json
from typing import Callable, Iterator

import pytest
from marshmallow import Schema, ValidationError

from medreg.pipeline import build_input
from medreg.schemas import requests as schemas
from tests.http.conftest import KINDS
from tests.http.roundtrip import Flow

pytestmark = pytest.mark.server

Samples = Callable[[Flow], Iterator[dict]]


def _plans(flow: Flow) -> list[dict]:
    refined = flow.refinement.get("plans") or [flow.refinement["plan"]]
    return flow.plans["plans"] + refined


# Each input schema, and where in one flow's served answers the values it loads come from.
SCHEMA_SAMPLES: dict[str, Samples] = {
    "DeviceRefInputSchema": lambda f: iter([f.classification["device"], *f.classification["alternatives"]]
                                           if f.classification["device"] else f.classification["alternatives"]),
    "MarketInputSchema": lambda f: iter(f.classification["markets"].values()),
    "ClassificationInputSchema": lambda f: iter([f.classification]),
    "PurposeInputSchema": lambda f: iter([f.purpose]),
    "_PlanStandardInput": lambda f: (s for p in _plans(f) for s in p["standards"]),
    "_ActivityInput": lambda f: (a for p in _plans(f) for a in p["activities"]),
    "PlanInputSchema": lambda f: iter(_plans(f)),
    "ClassifyRequestSchema": lambda f: iter([{"concept": f.concept, "markets": ["US", "EU", "KR"],
                                              "language": f.language}]),
    "PurposeRequestSchema": lambda f: iter([{"concept": f.concept, "classification": f.classification,
                                             "language": f.language}]),
    "StandardsRequestSchema": lambda f: iter([{"classification": f.classification, "category": f.classification["category"],
                                               "purposeMechanism": f.purpose, "markets": ["US", "EU", "KR"],
                                               "language": f.language}]),
    "RefineRequestSchema": lambda f: iter([f.refine_body()]),
    "ExportRequestSchema": lambda f: iter([{"format": "markdown", "language": f.language, "dossier": {
        "concept": f.concept, "classification": f.classification, "purpose": f.purpose,
        "plans": f.plans["plans"], "refinements": [f.refinement]}}]),
}


def _exact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_the_table_names_every_input_schema() -> None:
    """A schema added to requests.py without a row here fails this test."""
    defined = {name for name, value in vars(schemas).items()
               if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == schemas.__name__
               and name not in ("_Request", "_ObjectSchema")}
    assert defined == set(SCHEMA_SAMPLES)


@pytest.mark.parametrize("name", sorted(SCHEMA_SAMPLES))
@pytest.mark.parametrize("kind", KINDS)
def test_load_and_dump_are_identity_on_served_results(bench_flows, kind: str, name: str) -> None:
    """load(x) == x (the same keys, types and values: `class` stays `class`, 4 stays 4), dump(load(x)) == x."""
    schema, seen = getattr(schemas, name)(), set()
    for flow, _ in bench_flows[kind]:
        if "refused" in flow.plans:
            continue  # standards refused a non-device: there are no plans to load back
        for served in SCHEMA_SAMPLES[name](flow):
            text = _exact(served)  # JSON text tells 4 from 4.0 and 1 from True; == does not
            if text in seen:
                continue
            seen.add(text)
            loaded = schema.load(served)
            assert _exact(served) == text, "load changed its input"
            assert _exact(loaded) == text, (name, flow.concept)
            assert _exact(schema.dump(loaded)) == text, (name, flow.concept)
    assert len(seen) > 50


@pytest.mark.parametrize("name", sorted(SCHEMA_SAMPLES))
@pytest.mark.parametrize("kind", KINDS)
def test_anthropic_results_load_and_dump_as_served(anthropic_flows, kind: str, name: str) -> None:
    """The same identity for what the Anthropic engine (against the stub) serves."""
    schema = getattr(schemas, name)()
    for flow in anthropic_flows[kind]:
        assert flow.classification["engine"].startswith("anthropic:") and flow.refinement
        for served in SCHEMA_SAMPLES[name](flow):
            text = _exact(served)
            loaded = schema.load(served)
            assert _exact(loaded) == text and _exact(schema.dump(loaded)) == text, (name, flow.concept)


def _market(flow: Flow) -> dict:
    return flow.classification["markets"]["KR"]


# (what is broken, schema, the served value to start from, the edit) — each must be refused.
LIMITS = [
    ("class as a number", "MarketInputSchema", _market, lambda m: m.update({"class": 3})),
    ("class over 20 chars", "MarketInputSchema", _market, lambda m: m.update({"class": "I" * 21})),
    ("grade as a string", "MarketInputSchema", _market, lambda m: m.update({"grade": "4"})),
    ("grade as 4.0", "MarketInputSchema", _market, lambda m: m.update({"grade": 4.0})),
    ("grade as a bool", "MarketInputSchema", _market, lambda m: m.update({"grade": True})),
    ("citations not a list", "MarketInputSchema", _market, lambda m: m.update({"citations": "x"})),
    ("score above 1", "DeviceRefInputSchema", lambda f: f.classification["device"], lambda d: d.update({"score": 1.5})),
    ("score as a string", "DeviceRefInputSchema", lambda f: f.classification["device"], lambda d: d.update({"score": "0.9"})),
    ("confidence as a string", "ClassificationInputSchema", lambda f: f.classification,
     lambda c: c.update({"confidence": "0.9"})),
    ("an attribute holding a list", "ClassificationInputSchema", lambda f: f.classification,
     lambda c: c["attributes"].update({"active": [True]})),
    ("an unknown market", "ClassificationInputSchema", lambda f: f.classification,
     lambda c: c["markets"].update({"JP": {}})),
    ("concept over 4000 chars", "ClassificationInputSchema", lambda f: f.classification,
     lambda c: c.update({"concept": "x" * 4001})),
    ("weeks as a string", "_ActivityInput", lambda f: f.plans["plans"][0]["activities"][0],
     lambda a: a.update({"weeks": "4"})),
    ("weeks over 520", "_ActivityInput", lambda f: f.plans["plans"][0]["activities"][0],
     lambda a: a.update({"weeks": 521})),
    ("weeks as NaN", "_ActivityInput", lambda f: f.plans["plans"][0]["activities"][0],
     lambda a: a.update({"weeks": float("nan")})),
    ("estimated weeks past 64 bits", "PlanInputSchema", lambda f: f.plans["plans"][0],
     lambda p: p.update({"estimated_weeks": 2 ** 64})),
    ("a plan without an id", "PlanInputSchema", lambda f: f.plans["plans"][0], lambda p: p.pop("id")),
]


@pytest.mark.parametrize(("broken", "name", "pick", "edit"), LIMITS, ids=[row[0] for row in LIMITS])
def test_type_and_size_limits_still_hold(bench_flows, broken: str, name: str, pick, edit) -> None:
    """Keeping values as sent is not accepting anything: a served value made invalid is refused."""
    flow = bench_flows["json"][0][0]
    value = copy.deepcopy(pick(flow))
    getattr(schemas, name)().load(copy.deepcopy(value))  # valid as served
    edit(value)
    with pytest.raises(ValidationError):
        getattr(schemas, name)().load(value)


def test_a_hand_written_plan_is_loaded_as_sent_and_completed_only_for_the_engine(client) -> None:
    """No default enters the loaded request; the engine's copy gets the parts it reads (refine answers 200)."""
    body = {"plan": {"id": "p1", "estimated_weeks": 4}, "feedback": "we sell in Korea only"}
    assert schemas.RefineRequestSchema().load(copy.deepcopy(body)) == body
    assert build_input("refine", body).plans[0] == {"id": "p1", "estimated_weeks": 4, "title": "", "standards": [],
                                                    "activities": [], "markets": [], "depends_on": []}
    assert client.post("/api/refine", json=body).status_code == 200
