"""schemathesis against the served /openapi.json: schema-valid and schema-violating bodies for every operation."""
from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from medreg import create_app

SCHEMA = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_app({"ENGINE": "offline", "TESTING": True, "RATE_LIMIT": "off"}))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
EXAMPLES = 100


def test_the_spec_documents_all_eight_endpoints() -> None:
    """The generated requests below cover every endpoint because the spec lists every endpoint."""
    paths = {operation.path for operation in OPERATIONS}
    assert {f"/api{kind}/{step}" for kind in ("", "/stream")
            for step in ("classify", "purpose", "standards", "refine")} <= paths


# Negative cases need something to break: an operation with no body or parameters has none.
CASES = [pytest.param(operation, mode, id=f"{operation.label}-{mode.value}")
         for operation in OPERATIONS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or operation.body or operation.query or operation.headers]


@pytest.mark.parametrize("operation, mode", CASES)
def test_generated_requests(sent, operation, mode) -> None:
    """Every generated request answers in the documented shape (the checks live in `sent`)."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        request = case.as_transport_kwargs()
        data = request.get("data")
        if "json" in request:
            data = json.dumps(request["json"], ensure_ascii=False).encode("utf-8", "surrogatepass")
        headers = {k: v for k, v in request["headers"].items() if k.lower() != "content-type"}
        content_type = request["headers"].get("Content-Type")
        sent(request["method"], request["path"], data=data, headers=headers, content_type=content_type)

    run()
