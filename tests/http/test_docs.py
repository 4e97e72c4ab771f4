"""The OpenAPI document is valid 3.1 and covers every endpoint and event."""
from __future__ import annotations

from openapi_spec_validator import validate

from medreg.pipeline import STEPS


def test_openapi_document_is_valid(client) -> None:
    """openapi-spec-validator accepts the generated document."""
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"


def test_every_endpoint_and_event_is_documented(client) -> None:
    """Eight step endpoints, export and health; the request fields the seed sends; each event's payload."""
    spec = client.get("/openapi.json").get_json()
    for step in STEPS:
        assert f"/api/{step}" in spec["paths"] and f"/api/stream/{step}" in spec["paths"]
    assert {"/api/export", "/healthz"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"concept", "context", "markets", "language"} <= set(schemas["ClassifyRequest"]["properties"])
    assert {"classification", "category", "purposeMechanism"} <= set(schemas["StandardsRequest"]["properties"])
    for event in ("Status", "Delta", "Plan", "Result", "Done", "Error"):
        assert schemas[f"{event}Event"]["properties"]["type"]
