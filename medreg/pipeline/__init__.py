"""The four steps: each is one generator of typed events, consumed by both the JSON and the SSE endpoint."""
from __future__ import annotations

import logging
import time
from typing import Iterator

from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.errors import MedregError, message_for
from medreg.events import Done, Event, Failure, Result, Status
from medreg.export.changes import worded
from medreg.knowledge.qualification.apply import refuse_if_not_a_device
from medreg.language import Text, has_hangul, tr
from medreg.markets import MARKETS
from medreg.schemas.messages import localise

log = logging.getLogger(__name__)

STEPS: tuple[str, ...] = ("classify", "purpose", "standards", "refine")

FIRST_STATUS: dict[str, Text] = {
    "classify": {"en": "Classifying the device concept…", "ko": "의료기기 개념을 분류하는 중..."},
    "purpose": {"en": "Drafting the intended purpose…", "ko": "사용 목적을 작성하는 중..."},
    "standards": {"en": "Planning standards and regulatory work…", "ko": "적용 규격과 인허가 계획을 수립하는 중..."},
    "refine": {"en": "Revising the plan from your feedback…", "ko": "피드백을 반영해 계획을 수정하는 중..."},
}


def request_language(body: dict, default: str = "en") -> str:
    """The answer language: `language` if given, else Korean when the user's text has Hangul."""
    if body.get("language") in ("ko", "en"):
        return body["language"]
    for key in ("concept", "feedback"):
        if has_hangul(body.get(key)):
            return "ko"
    classification = body.get("classification")
    if isinstance(classification, dict) and classification.get("language") in ("ko", "en"):
        return classification["language"]
    dossier = body.get("dossier")   # an export: the session's own language (one level only: no recursion)
    if isinstance(dossier, dict) and "dossier" not in dossier:
        return request_language(dossier, default)
    return default


# What a plan the client wrote by hand may leave out; the engines read these parts of every plan.
# Filled in here, on the engine's copy: the loaded request itself keeps exactly what was sent.
PLAN_PARTS: dict[str, type] = {"title": str, "standards": list, "activities": list, "markets": list,
                               "depends_on": list}


def plan_for_engine(plan: dict) -> dict:
    """A plan with every part the engines read (a served plan has them all and is left as it is)."""
    missing = {key: make() for key, make in PLAN_PARTS.items() if key not in plan}
    return {**plan, **missing} if missing else plan


def build_input(step: str, body: dict):
    """Turn a validated request body into the engine's input dataclass."""
    language = request_language(body)
    markets = tuple(dict.fromkeys(body.get("markets") or MARKETS))
    if step == "classify":
        return ClassifyInput(concept=body["concept"], language=language,
                             context=body.get("context"), markets=markets, answers=body.get("answers") or None)
    if step == "purpose":
        return PurposeInput(concept=body["concept"], language=language,
                            classification=body.get("classification"), context=body.get("context"))
    if step == "standards":
        classification = body["classification"]
        category = body.get("category") or classification.get("category")
        if not body.get("markets") and isinstance(classification.get("markets"), dict):
            markets = tuple(m for m in MARKETS if m in classification["markets"]) or MARKETS
        return StandardsInput(classification=classification, language=language, category=category,
                              purpose=body.get("purposeMechanism"), markets=markets)
    if step == "refine":
        single = body.get("plan") is not None
        plans = [plan_for_engine(plan) for plan in ([body["plan"]] if single else body["plans"])]
        return RefineInput(plans=plans, feedback=body["feedback"], language=language, single=single,
                           classification=body.get("classification"),
                           purpose=body.get("purposeMechanism"))
    raise ValueError(f"unknown step {step!r}")


def _shape_result(step: str, request, data: dict) -> dict:
    if step == "refine":
        # Whichever engine refined, each change also says in words what it did, and to which plan.
        data = worded(data, request.plans, request.language)
    if step == "refine" and getattr(request, "single", False) and "plans" in data:
        data = dict(data)
        plans = data.pop("plans")
        data["plan"] = plans[0] if plans else None
    return data


def failure_for(exc: MedregError, language: str) -> Failure:
    """The `error` event for an engine's error, keeping an upstream's stated reason and Retry-After."""
    retry_after = exc.headers.get("Retry-After")
    return Failure(exc.code, message_for(exc.code, language), exc.retryable, localise(exc.fields, language),
                   reason=exc.reason,
                   retry_after_s=int(retry_after) if str(retry_after or "").isdigit() else None)


def run_step(step: str, engine: Engine, request, request_id: str | None = None) -> Iterator[Event]:
    """Yield the first status at once, the engine's events, then exactly one `Done` or `Failure`."""
    started = time.monotonic()
    language = request.language
    yield Status(message=tr(FIRST_STATUS[step], language), stage="started", progress=0.0,
                 request_id=request_id)
    result: Result | None = None
    try:
        if step in ("standards", "refine"):
            # A non-device has no device plan, whichever engine would write it (422 not_a_device).
            refuse_if_not_a_device(getattr(request, "classification", None))
        for event in getattr(engine, step)(request):
            if isinstance(event, Result):
                result = Result(_shape_result(step, request, event.data))
                yield result
            else:
                yield event
    except MedregError as exc:
        yield failure_for(exc, language)
        return
    except Exception:  # a bug must still end the stream with one error event
        log.exception("step %s failed in engine %s", step, engine.name)
        yield Failure("internal", message_for("internal", language), True)
        return
    if result is None:
        log.error("engine %s ended step %s without a result", engine.name, step)
        yield Failure("internal", message_for("internal", language), True)
        return
    extra: dict = {}
    if step == "standards":
        extra["total_plans"] = result.data.get("total_plans", len(result.data.get("plans", [])))
    if result.data.get("usage"):
        extra["usage"] = result.data["usage"]
    yield Done(elapsed_ms=int((time.monotonic() - started) * 1000), extra=extra)
