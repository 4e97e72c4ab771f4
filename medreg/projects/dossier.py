"""From a project's latest version and a run request to the step's own request body: a step runs
on what the project already holds (its concept, classification, purpose, plans)."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from marshmallow import ValidationError

from medreg import __version__
from medreg.errors import InvalidRequest
from medreg.projects.messages import run_message
from medreg.schemas.requests import REQUEST_SCHEMAS

KNOWLEDGE_DATA = Path(__file__).resolve().parent.parent / "knowledge" / "data"


@lru_cache(maxsize=1)
def kb_version() -> str:
    """The knowledge base a version was made with: medreg's version and a digest of its data files."""
    digest = hashlib.sha256()
    for path in sorted(KNOWLEDGE_DATA.rglob("*.json")):
        digest.update(path.relative_to(KNOWLEDGE_DATA).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+kb.{digest.hexdigest()[:12]}"


def _missing(step: str, missing: str, language: str) -> InvalidRequest:
    message = run_message("needs_step", language).format(missing=missing)
    return InvalidRequest(fields={step: [message]}).with_language(language)


def step_body(run: dict, latest: Optional[dict]) -> tuple[dict, dict]:
    """(the validated body for the step, the inputs this run changes in the dossier)."""
    latest = latest or {}
    step = run["step"]
    inputs = {key: run[key] for key in ("concept", "context", "answers", "markets", "language") if key in run}
    language = run.get("language") or latest.get("language") or "en"
    concept = inputs.get("concept") or latest.get("concept")
    body: dict = {}
    if run.get("language"):
        body["language"] = run["language"]
    if step in ("classify", "purpose"):
        if not concept:
            raise InvalidRequest(fields={"concept": [run_message("no_concept", language)]}).with_language(language)
        body["concept"] = concept
        context = inputs.get("context", latest.get("context"))
        if context:
            body["context"] = context
        if step == "classify" and (inputs.get("markets") or latest.get("markets")):
            body["markets"] = inputs.get("markets") or latest.get("markets")
        if step == "purpose" and latest.get("classification"):
            body["classification"] = latest["classification"]
    elif step == "standards":
        if not latest.get("classification"):
            raise _missing(step, "classify", language)
        body["classification"] = latest["classification"]
        if latest.get("purpose"):
            body["purposeMechanism"] = latest["purpose"]
    elif step == "refine":
        if not latest.get("plans"):
            raise _missing(step, "standards", language)
        if not run.get("feedback"):
            raise InvalidRequest(fields={"feedback": ["Missing data for required field."]}).with_language(language)
        body["feedback"] = run["feedback"]
        if run.get("plan_id"):
            plan = next((p for p in latest["plans"] if p.get("id") == run["plan_id"]), None)
            if plan is None:
                raise InvalidRequest(fields={"plan_id": ["No such plan in this project."]}).with_language(language)
            body["plan"] = plan
        else:
            body["plans"] = latest["plans"]
        for key, source in (("classification", "classification"), ("purposeMechanism", "purpose")):
            if latest.get(source):
                body[key] = latest[source]
    try:
        loaded = REQUEST_SCHEMAS[step].load(body)
    except ValidationError as exc:
        raise InvalidRequest(fields=exc.normalized_messages()).with_language(language) from None
    return loaded, inputs
