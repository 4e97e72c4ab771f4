"""GET /openapi.json (OpenAPI 3.1 from the marshmallow schemas) and GET /docs (Swagger UI, no CDN)."""
from __future__ import annotations

import os
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, jsonify, send_from_directory

from medreg.pipeline import STEPS
from medreg.schemas import events as event_schemas
from medreg.schemas.requests import REQUEST_SCHEMAS
from medreg.schemas.results import RESULT_SCHEMAS, ErrorSchema

docs_bp = Blueprint("docs", __name__)

SUMMARIES = {
    "classify": "Risk class per market (US FDA, EU MDR, Korea MFDS) with rules, pathway and codes; "
                "answer its `question_details` by sending `answers {id: value}` back",
    "purpose": "Intended purpose, indications, users, environment, mechanism of action",
    "standards": "Regulatory plans (one per workstream) with standards, activities and weeks",
    "refine": "A plan revised from the user's feedback, with what changed and why",
}
ERROR_CODES = {
    "400": "invalid_json", "413": "payload_too_large", "415": "unsupported_media_type",
    "401": "unauthorized", "422": "invalid_request", "429": "rate_limited",
    "502": "upstream_error", "503": "upstream_unavailable", "504": "upstream_timeout",
    "500": "internal",
}
# Codes an endpoint may add to the generic ones.
NOTES = {"422": "; on standards and refine also `not_a_device` (the classification's qualification says the "
                "product is not a medical device, so there is no device plan); on classify an `answers` entry "
                "naming no question or no option (`fields.answers.<id>`). Field messages are in the user's language"}
STREAM_DESCRIPTION = (
    "Server-Sent Events. Each event: `id: <n from 1>`, `event: <type>`, `data: <one line of JSON "
    "whose type equals the event name>`. Events: status (first, at once), delta (optional model "
    "text), plan (standards: each plan as it is ready), result (once), then exactly one terminal "
    "event: done or error. `: keep-alive` comments on idle streams. Invalid requests answer 4xx "
    "with one `error` event."
)


def _swagger_dir() -> str:
    import flask_swagger_ui

    return os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")


@lru_cache(maxsize=1)
def build_spec() -> dict:
    """The OpenAPI document, built once."""
    spec = APISpec(title="medreg API", version="1.0.0", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Regulatory co-pilot for medical-device makers."})
    spec.components.schema("Error", schema=ErrorSchema)
    for name, schema in event_schemas.EVENT_SCHEMAS.items():
        spec.components.schema(f"{name.capitalize()}Event", schema=schema)
    errors = {code: {"description": f"`{name}`" + NOTES.get(code, ""), "content": {"application/json": {"schema": "Error"}}}
              for code, name in ERROR_CODES.items()}
    event_refs = [{"$ref": f"#/components/schemas/{n.capitalize()}Event"} for n in event_schemas.EVENT_SCHEMAS]
    for step in STEPS:
        request_schema = type(REQUEST_SCHEMAS[step])
        result_schema = RESULT_SCHEMAS[step]
        spec.components.schema(request_schema.__name__.removesuffix("Schema"), schema=request_schema)
        spec.components.schema(result_schema.__name__.removesuffix("Schema"), schema=result_schema)
        body = {"required": True, "content": {"application/json": {
            "schema": request_schema.__name__.removesuffix("Schema")}}}
        spec.path(path=f"/api/{step}", operations={"post": {
            "summary": SUMMARIES[step], "tags": ["JSON"], "requestBody": body,
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": result_schema.__name__.removesuffix("Schema")}}}, **errors}}})
        spec.path(path=f"/api/stream/{step}", operations={"post": {
            "summary": f"{SUMMARIES[step]} (streamed)", "tags": ["Streams"], "requestBody": body,
            "description": STREAM_DESCRIPTION,
            "responses": {"200": {"description": "text/event-stream", "content": {"text/event-stream": {
                "schema": {"type": "string", "description": STREAM_DESCRIPTION},
                "x-event-payloads": {"oneOf": event_refs}}}},
                "4XX": {"description": "SSE body holding one `error` event",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}}}}}})
    export_schema = type(REQUEST_SCHEMAS["export"])
    spec.components.schema("ExportRequest", schema=export_schema)
    spec.path(path="/api/export", operations={"post": {
        "summary": "The whole dossier as a Markdown file or a printable HTML report", "tags": ["JSON"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "ExportRequest"}}},
        "responses": {"200": {"description": "The report, as a download", "content": {
            "text/markdown": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}},
            **{code: errors[code] for code in ("400", "413", "415", "422", "401", "429")}}}})
    _add_projects(spec, errors)
    spec.path(path="/healthz", operations={"get": {"summary": "Liveness and engine", "tags": ["Service"],
                                                   "responses": {"200": {"description": "OK"}}}})
    return spec.to_dict()


def _add_projects(spec: APISpec, errors: dict) -> None:
    # Projects (issue 17) describe their own paths in their own module.
    from medreg.projects.openapi import add_paths

    add_paths(spec, errors)


@docs_bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document."""
    return jsonify(build_spec())


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>medreg API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>
"""
DOCS_INIT = """window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
"""


@docs_bp.get("/docs")
@docs_bp.get("/docs/")
def docs_page() -> Response:
    """Interactive API docs, assets served locally."""
    return Response(DOCS_PAGE, mimetype="text/html")


@docs_bp.get("/docs/init.js")
def docs_init() -> Response:
    """Starts Swagger UI on /openapi.json (kept out of the page so a strict CSP can apply)."""
    return Response(DOCS_INIT, mimetype="text/javascript")


@docs_bp.get("/docs/assets/<path:name>")
def docs_asset(name: str) -> Response:
    """Swagger UI's own files, from the installed package."""
    return send_from_directory(_swagger_dir(), name)
