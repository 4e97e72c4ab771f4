"""The projects API in the OpenAPI document (medreg/http/docs.py calls `add_paths`)."""
from __future__ import annotations

from medreg.projects.schemas import (DiffSchema, ProjectCreateSchema, ProjectRenameSchema, ProjectRunSchema,
                                     ProjectSchema, RunSchema, VersionSchema,
                                     VersionSummarySchema)

RUN_STREAM = (
    "Server-Sent Events of one run, ids from 1 as stored. Reconnect with `Last-Event-ID` (header, or "
    "`?lastEventId=`): the events after it are replayed, then followed live, until exactly one `done` "
    "(carrying `version`, the project's new version) or `error`. A run goes on when its client leaves; "
    "with no reader for RUN_GRACE_S it ends with `error` `run_cancelled`; a run whose worker died ends "
    "with `error` `run_lost`.")


def _json(schema: str) -> dict:
    return {"application/json": {"schema": schema}}


def add_paths(spec, errors: dict) -> None:
    """Add the projects paths and schemas to `spec`."""
    for name, schema in (("ProjectCreate", ProjectCreateSchema), ("ProjectRename", ProjectRenameSchema),
                         ("ProjectRun", ProjectRunSchema), ("ProjectVersion", VersionSchema),
                         ("VersionSummary", VersionSummarySchema), ("Project", ProjectSchema),
                         ("Run", RunSchema), ("Diff", DiffSchema)):
        spec.components.schema(name, schema=schema)
    common = {code: errors[code] for code in ("401", "422", "429")}
    missing = {"404": {"description": "`not_found`: no such project (or another API key's)",
                       "content": _json("Error")}}
    pid = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "string"}}
    tags = ["Projects"]
    ok = lambda schema, text="OK": {"200": {"description": text, "content": _json(schema)}}  # noqa: E731
    spec.path(path="/api/projects", operations={
        "post": {"summary": "Create a project (with a concept: version 1)", "tags": tags,
                 "requestBody": {"required": True, "content": _json("ProjectCreate")},
                 "responses": {"201": {"description": "Created", "content": _json("Project")}, **common}},
        "get": {"summary": "This API key's projects (`?deleted=1`: the deleted ones)", "tags": tags,
                "responses": {"200": {"description": "`{projects: [...]}`"}, **common}}})
    spec.path(path="/api/projects/{project_id}", operations={
        "get": {"summary": "A project, its versions and its latest version", "tags": tags, "parameters": [pid],
                "responses": {**ok("Project"), **missing, **common}},
        "patch": {"summary": "Rename", "tags": tags, "parameters": [pid],
                  "requestBody": {"required": True, "content": _json("ProjectRename")},
                  "responses": {**ok("Project"), **missing, **common}},
        "delete": {"summary": "Soft delete (restorable)", "tags": tags, "parameters": [pid],
                   "responses": {**ok("Project"), **missing, **common}}})
    spec.path(path="/api/projects/{project_id}/restore", operations={"post": {
        "summary": "Restore a deleted project", "tags": tags, "parameters": [pid],
        "responses": {**ok("Project"), **missing, **common}}})
    spec.path(path="/api/projects/{project_id}/versions/{number}", operations={"get": {
        "summary": "One immutable version", "tags": tags,
        "parameters": [pid, {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {**ok("ProjectVersion"), **missing, **common}}})
    spec.path(path="/api/projects/{project_id}/diff", operations={"get": {
        "summary": "What changed between two versions (class, pathway, plans, weeks), in English and Korean",
        "tags": tags, "parameters": [pid, *({"name": n, "in": "query", "schema": {"type": "integer"}}
                                           for n in ("from", "to"))],
        "responses": {**ok("Diff"), **missing, **common}}})
    spec.path(path="/api/projects/{project_id}/estimate", operations={"get": {
        "summary": "Three-point weeks per market and pathway; review clocks cited; fees and costs cited or unknown",
        "tags": tags, "parameters": [pid, *({"name": n, "in": "query", "schema": {"type": "number"}}
                                           for n in ("version", "optimistic_factor", "pessimistic_factor")),
                                     {"name": "language", "in": "query", "schema": {"type": "string", "enum": ["en", "ko"]}}],
        "responses": {"200": {"description": "The estimate"}, **missing, **common}}})
    spec.path(path="/api/projects/{project_id}/runs", operations={"post": {
        "summary": "Run a step into the project: JSON at the end, or SSE (`stream: true` / Accept)",
        "tags": tags, "parameters": [pid], "description": RUN_STREAM,
        "requestBody": {"required": True, "content": _json("ProjectRun")},
        "responses": {"200": {"description": "`{run, version, result}`"},
                      "201": {"description": "The run's events (`X-Run-Id` header)",
                              "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                      **missing, **common}}})
    run_id = {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}}
    spec.path(path="/api/runs/{run_id}", operations={"get": {
        "summary": "A run's status and the version it made", "tags": tags, "parameters": [run_id],
        "responses": {**ok("Run"), **missing, **common}}})
    spec.path(path="/api/runs/{run_id}/events", operations={"get": {
        "summary": "The run's events: EventSource endpoint, resumable with Last-Event-ID", "tags": tags,
        "description": RUN_STREAM,
        "parameters": [run_id, {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}},
                       {"name": "lastEventId", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "text/event-stream",
                              "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                      **missing, **common}}})
