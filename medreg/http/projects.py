"""The projects API: projects and their versions, diffs, runs into a project (JSON or SSE) and
`GET /api/runs/{id}/events`, the resumable EventSource stream of a run. Owned by API key: a
project or run of another key answers 404, as if it did not exist."""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError

from medreg.errors import InvalidRequest, NotFound, error_from_event
from medreg.http.bodies import guess_language
from medreg.http.relay import sse_response
from medreg.pipeline import request_language
from medreg.projects import EXTENSION, ProjectsStore
from medreg.projects.diff import diff_versions
from medreg.projects.estimate import estimate
from medreg.projects.dossier import kb_version, step_body
from medreg.projects.follow import follow
from medreg.projects.models import Project
from medreg.projects.schemas import ProjectCreateSchema, ProjectRenameSchema, ProjectRunSchema
from medreg.projects.service import StepJob

projects_bp = Blueprint("projects", __name__, url_prefix="/api")


def _store() -> ProjectsStore:
    return current_app.extensions[EXTENSION]


def owner() -> str:
    """Whose projects these are: the API key's id, or "local" on an open server."""
    return getattr(g, "api_key_id", None) or "local"


def _load(schema: Schema) -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise InvalidRequest(fields={"_schema": ["The body must be a JSON object."]})
    try:
        return schema.load(payload)
    except ValidationError as exc:
        raise InvalidRequest(fields=exc.normalized_messages()) from None


def _project(project_id: str, include_deleted: bool = False) -> Project:
    project = _store().projects.get(owner(), project_id, include_deleted=include_deleted)
    if project is None:
        raise NotFound().with_language(guess_language(request))
    return project


def _project_json(project: Project, full: bool = False) -> dict:
    from medreg.projects.models import _iso

    body = {"id": project.id, "name": project.name, "created_at": _iso(project.created_at),
            "updated_at": _iso(project.updated_at), "deleted": project.deleted_at is not None,
            "latest_version": project.latest_version}
    if full:
        versions = _store().projects.versions(project.id)
        body["versions"] = [{key: v.as_dict()[key] for key in ("number", "step", "author", "created_at", "engine")}
                            for v in versions]
        body["latest"] = versions[-1].as_dict() if versions else None
    return body


def _meta() -> dict:
    engine = current_app.extensions["medreg"].engine
    model = current_app.config.get("MODEL") if engine.name.startswith("anthropic") else None
    return {"engine": engine.name, "model": model, "kb_version": kb_version()}


@projects_bp.post("/projects")
def create_project() -> Response:
    """Create a project (with a concept: version 1 holds it)."""
    body = _load(ProjectCreateSchema())
    dossier = {key: body[key] for key in ("concept", "context", "markets", "language") if key in body}
    if dossier.get("concept"):
        dossier["language"] = request_language(dossier)
    project, _ = _store().projects.create(owner(), body["name"], owner(), dossier, _meta())
    response = jsonify(_project_json(project, full=True))
    response.status_code = 201
    response.headers["Location"] = f"/api/projects/{project.id}"
    return response


@projects_bp.get("/projects")
def list_projects() -> Response:
    """This key's projects (`?deleted=1`: the deleted ones, to restore)."""
    deleted = request.args.get("deleted") in ("1", "true")
    return jsonify({"projects": [_project_json(p) for p in _store().projects.list(owner(), deleted)]})


@projects_bp.get("/projects/<project_id>")
def get_project(project_id: str) -> Response:
    """A project with its version list and its latest version."""
    return jsonify(_project_json(_project(project_id, include_deleted=True), full=True))


@projects_bp.patch("/projects/<project_id>")
def rename_project(project_id: str) -> Response:
    """Rename a project."""
    body = _load(ProjectRenameSchema())
    _project(project_id)
    return jsonify(_project_json(_store().projects.rename(owner(), project_id, body["name"])))


@projects_bp.delete("/projects/<project_id>")
def delete_project(project_id: str) -> Response:
    """Soft delete: hidden from the list, restorable."""
    _project(project_id)
    return jsonify(_project_json(_store().projects.delete(owner(), project_id)))


@projects_bp.post("/projects/<project_id>/restore")
def restore_project(project_id: str) -> Response:
    """Bring a deleted project back."""
    _project(project_id, include_deleted=True)
    return jsonify(_project_json(_store().projects.restore(owner(), project_id)))


def _version(project_id: str, number: int) -> dict:
    version = _store().projects.version(project_id, number)
    if version is None:
        raise NotFound().with_language(guess_language(request))
    return version.as_dict()


@projects_bp.get("/projects/<project_id>/versions/<int:number>")
def get_version(project_id: str, number: int) -> Response:
    """One immutable version."""
    _project(project_id, include_deleted=True)
    return jsonify(_version(project_id, number))


@projects_bp.get("/projects/<project_id>/diff")
def diff_project(project_id: str) -> Response:
    """What changed from version `from` to version `to` (default: the two latest), in en and ko."""
    project = _project(project_id, include_deleted=True)
    try:
        to = int(request.args.get("to") or project.latest_version)
        start = int(request.args.get("from") or to - 1)
    except ValueError:
        raise InvalidRequest(fields={"from": ["Not a version number."]}) from None
    return jsonify(diff_versions(_version(project_id, start), _version(project_id, to)))


@projects_bp.get("/projects/<project_id>/estimate")
def estimate_project(project_id: str) -> Response:
    """Three-point weeks per market, cited review clocks, fees and costs cited or "unknown"."""
    project = _project(project_id, include_deleted=True)
    overrides = {}
    try:
        number = int(request.args.get("version") or project.latest_version)
        for key in ("optimistic_factor", "pessimistic_factor"):
            if request.args.get(key):
                overrides[key] = float(request.args[key])
    except ValueError:
        raise InvalidRequest(fields={"_query": ["Not a number."]}) from None
    if any(not 0 < value <= 10 for value in overrides.values()):
        raise InvalidRequest(fields={"_query": ["Factors must be in (0, 10]."]})
    language = request.args.get("language") if request.args.get("language") in ("en", "ko") else None
    return jsonify(estimate(_version(project_id, number), overrides, language))


@projects_bp.post("/projects/<project_id>/runs")
def start_run(project_id: str) -> Response:
    """Run a step into the project: SSE when asked (`stream` or Accept), else JSON at the end."""
    project = _project(project_id)
    run_request = _load(ProjectRunSchema())
    latest = _store().projects.version(project.id, project.latest_version)
    body, inputs = step_body(run_request, latest.as_dict() if latest else None)
    store = _store()
    job = StepJob(project.id, owner(), owner(), run_request["step"], body, inputs, _meta())
    run_id = store.service.start(job)
    if run_request["stream"] or "text/event-stream" in request.headers.get("Accept", ""):
        return _run_stream(run_id, 0, status=201)
    return _run_json(run_id)


def _run_json(run_id: str) -> Response:
    store = _store()
    result, terminal = None, None
    for item in follow(run_id, 0, store.events, store.runs, heartbeat_s=None, stale_s=store.stale_s,
                       on_lost=store.service.fail_lost):
        data = getattr(item, "data", None) or {}
        if data.get("type") == "result":
            result = data["data"]
        if data.get("type") in ("done", "error"):
            terminal = data
    run = store.runs.state(run_id)
    if terminal is not None and str(terminal.get("code", "")).startswith("run_"):
        # Ended by the projects layer (cancelled, worker lost): its own words, 503 (retry the run).
        body = {key: terminal[key] for key in ("code", "message", "retryable")}
        response = jsonify({"error": body})
        response.status_code = 503
        return response
    if terminal is None or terminal["type"] == "error":
        raise error_from_event(terminal or {}).with_language(run.language if run else "en")
    return jsonify({"run": run.as_dict(), "version": run.version, "result": result})


def _run_stream(run_id: str, after: int, status: int = 200) -> Response:
    store, config = _store(), current_app.config
    items = follow(run_id, after, store.events, store.runs, heartbeat_s=config["HEARTBEAT_S"],
                   stale_s=store.stale_s, on_lost=store.service.fail_lost)
    response = sse_response(items, environ=request.environ, status=status,
                            write_timeout_s=config["WRITE_TIMEOUT_S"], watch_client=True, first_id=after + 1,
                            headers=[("X-Run-Id", run_id), ("Location", f"/api/runs/{run_id}/events")])
    return response


def _last_event_id() -> int:
    raw: Optional[str] = request.headers.get("Last-Event-ID") or request.args.get("lastEventId")
    if raw is None or raw == "":
        return 0
    if not raw.strip().isdigit():
        raise InvalidRequest(fields={"Last-Event-ID": ["Not an event id."]})
    return int(raw)


@projects_bp.get("/runs/<run_id>")
def get_run(run_id: str) -> Response:
    """A run's status and the version it made."""
    run = _store().runs.get(owner(), run_id)
    if run is None:
        raise NotFound().with_language(guess_language(request))
    return jsonify(run.as_dict())


@projects_bp.get("/runs/<run_id>/events")
def run_events(run_id: str) -> Response:
    """The run's events after `Last-Event-ID` (header, or `?lastEventId=`), then live to the end."""
    run = _store().runs.get(owner(), run_id)
    if run is None:
        raise NotFound().with_language(guess_language(request))
    return _run_stream(run_id, _last_event_id())
