"""The Anthropic engine: Claude writes each step from the knowledge base's findings, grounded and streamed.

Every step first asks the offline knowledge base, gives its findings to the model, takes the
answer as structured JSON, checks it against the knowledge base (unknown codes are marked
unverified, class disagreements shown with a question) and validates the result with the API's
own schemas. Fan-outs (standards, multi-plan refine) run one call per plan in parallel, each with the
shared findings (a cached prefix) and its own plan's. Only transient faults fall back, visibly.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from contextlib import closing
from functools import partial
from typing import Callable, ClassVar, Iterator, Mapping, Optional

from medreg.config import DEFAULTS, setting
from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.engines.anthropic import prompts
from medreg.engines.anthropic.calls import Usage, monotonic_deadline, run_to_end, streamed_call
from medreg.engines.anthropic.client import ClientSettings, flag, make_client
from medreg.engines.anthropic.failures import is_transient
from medreg.engines.anthropic.findings import Packed, own_plan, slim_classification
from medreg.engines.anthropic.fanout import fan_out
from medreg.engines.anthropic.grounding import KnownIds, merge_classification
from medreg.engines.anthropic.models import UNCHECKED, ModelStatus, check_model
from medreg.engines.anthropic.plans import merge_plan, merge_refined
from medreg.engines.anthropic.request import CallSpec, Part, message_params
from medreg.engines.anthropic.stages import STAGES, fallback_name
from medreg.engines.anthropic.schemas import (PLAN_SCHEMA, PROSE_KEYS, PURPOSE_SCHEMA, REFINED_PLAN_SCHEMA,
                                           classify_schema_for)
from medreg.engines.offline import OfflineEngine
from medreg.errors import MedregError, UpstreamError
from medreg.events import Event, PlanReady, Result, Status
from medreg.knowledge.qualification.apply import qualify_classification
from medreg.language import tr
from medreg.schemas.results import RESULT_SCHEMAS, PlanSchema

# One instance of each result schema per process: building a marshmallow schema costs more than
# validating with it, and validation keeps no state between calls.
_RESULT_CHECKS = {step: schema() for step, schema in RESULT_SCHEMAS.items()}
_PLAN_CHECK = PlanSchema()

log = logging.getLogger(__name__)
# /healthz?deep=1 is open to anyone: it asks the Models API at most this often.
DEEP_CHECK_EVERY_S = 5.0

class MissingKey(ValueError):
    """The engine was chosen but no key is configured."""


class AnthropicEngine(Engine):
    """Claude via the official SDK, grounded in the offline knowledge base."""

    engine_id: ClassVar[str] = "anthropic"
    # Steps wait on upstream calls: the HTTP layer watches the client socket to stop them at a hang-up.
    waits_on_io: ClassVar[bool] = True

    def __init__(self, settings: ClientSettings, *, model: str = DEFAULTS["MODEL"], step_deadline_s: float = DEFAULTS["STEP_DEADLINE_S"],
                 concurrency: int = DEFAULTS["ANTHROPIC_CONCURRENCY"], fallback_offline: bool = True, offline: Optional[OfflineEngine] = None,
                 check_at_start: bool = True) -> None:
        self.settings = settings
        self.model = model
        self.step_deadline_s = step_deadline_s
        self.concurrency = concurrency
        self.fallback_offline = fallback_offline
        self.offline = offline or OfflineEngine()
        self.known = KnownIds.from_knowledge(self.offline.knowledge)
        self.client = make_client(settings)
        self.fallbacks: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.model_status: ModelStatus = UNCHECKED
        if check_at_start:
            self.check()

    @classmethod
    def from_config(cls, config: Mapping) -> "AnthropicEngine":
        """Build from app config; fails with what to do when there is no key."""
        settings = ClientSettings.from_config(config)
        if not settings.api_key:
            raise MissingKey("MEDREG_ENGINE=anthropic needs ANTHROPIC_API_KEY; set it, or use MEDREG_ENGINE=offline")
        # Finish a little before the stream's own deadline so our error (or fallback) wins.
        deadline = float(setting(config, "STEP_DEADLINE_S"))
        return cls(settings, model=str(setting(config, "MODEL") or DEFAULTS["MODEL"]),
                   step_deadline_s=max(1.0, deadline - 2.0),
                   concurrency=int(setting(config, "ANTHROPIC_CONCURRENCY")),
                   fallback_offline=flag(setting(config, "FALLBACK_OFFLINE")),
                   check_at_start=flag(setting(config, "ANTHROPIC_CHECK_MODEL")))

    @property
    def name(self) -> str:
        """`anthropic:<model>`."""
        return f"anthropic:{self.model}"

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    # --- health -----------------------------------------------------------------------------------
    def check(self) -> ModelStatus:
        """Ask the Models API whether the configured model exists for this key; remember the answer."""
        self.model_status = check_model(self.client, self.model)
        return self.model_status

    def health(self, deep: bool = False) -> dict:
        """`{name, model, status, code, fallbacks}` for /healthz (`deep` checks the model again, at most every 5 s)."""
        recent = time.time() - self.model_status.checked_at < DEEP_CHECK_EVERY_S
        status = self.check() if deep and not recent else self.model_status
        with self._lock:
            fallbacks = {"total": sum(self.fallbacks.values()), **dict(self.fallbacks)}
        return {"name": self.name, "model": self.model, "status": status.status, "code": status.code,
                "usable": status.usable, "fallbacks": fallbacks}

    def _noted(self, error: MedregError) -> MedregError:
        """A call's 404/401/403 also becomes what /healthz says."""
        status = error.model_status
        if status is not None:
            self.model_status = status
        return error

    # --- helpers ----------------------------------------------------------------------------------
    def _status(self, stage: str, language: str, progress: float, **values: str) -> Status:
        return Status(message=tr(STAGES[stage], language, **values), stage=stage, progress=progress)

    def _spec(self, step: str, schema: dict, task: str, language: str, details: Optional[dict], label: str, *,
              shared: Part = None, cache_shared: bool = False, own: Part = None, prose: bool = True) -> CallSpec:
        build = partial(message_params, self.model, step, schema, task, language, details, shared=shared,
                        cache_shared=cache_shared, own=own)
        return CallSpec(build=build, model=self.model, prose_keys=PROSE_KEYS if prose else frozenset(),
                        connect_timeout_s=self.settings.connect_timeout_s,
                        read_timeout_s=self.settings.read_timeout_s, label=label)

    def _validate(self, step: str, data: dict) -> dict:
        errors = _RESULT_CHECKS[step].validate(data)
        if errors:
            log.warning("anthropic %s answer failed validation on %s", step, sorted(errors))
            raise UpstreamError("model answer failed validation")
        return data

    def _may_fall_back(self, error: MedregError) -> bool:
        """Fall back only for transient faults, and count each fallback."""
        if not (self.fallback_offline and is_transient(error)):
            return False
        with self._lock:
            self.fallbacks[error.code] += 1
        log.warning("anthropic: answering from the offline engine (fallback: %s)", error.code)
        return True

    def _fallback(self, step: str, request, error: MedregError) -> Iterator[Event]:
        if not self._may_fall_back(error):
            raise self._noted(error)
        yield self._status("fallback", request.language, 0.5, reason=error.code)
        for event in getattr(self.offline, step)(request):
            if isinstance(event, Result):
                event = Result({**event.data, "engine": fallback_name(error.code),
                                "fallback": {"from": self.name, "reason": error.code}})
            yield event

    def _guarded(self, step: str, request, body: Callable[[], Iterator[Event]]) -> Iterator[Event]:
        try:
            yield from body()
        except MedregError as error:
            yield from self._fallback(step, request, error)

    # --- steps ------------------------------------------------------------------------------------
    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        """KB classification, then Claude's reasoning grounded into it."""
        return self._guarded("classify", request, lambda: self._classify(request))

    def _classify(self, request: ClassifyInput) -> Iterator[Event]:
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        yield self._status("grounding", request.language, 0.1)
        kb = self.offline.knowledge.classify(request.concept, request.context, request.markets, request.language, request.answers)
        yield self._status("model", request.language, 0.2)
        schema = classify_schema_for(tuple(m for m in request.markets if m in kb["markets"]))
        kb = Packed(kb)  # kept packed while the model writes (findings.Packed says what it saves)
        spec = self._spec("classify", schema, prompts.CLASSIFY_TASK, request.language,
                          {"concept": request.concept, "context": request.context, "markets": list(request.markets)},
                          "classify", shared=lambda: prompts.findings_text({"kb_classification": kb.value()}))
        answer = yield from streamed_call(self.client, spec, deadline, usage)
        merged = merge_classification(kb.value(), answer, self.known, self.name)
        # The knowledge base decides whether it is a device at all: the model may not give a class to a
        # product no market regulates, nor drop the qualification's question.
        merged = qualify_classification(merged, request.concept, request.language, request.markets, request.context)
        data = self._validate("classify", merged)
        yield Result({**data, "usage": usage.as_dict()})

    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        """Claude writes the purpose from the KB device type and the concept."""
        return self._guarded("purpose", request, lambda: self._purpose(request))

    def _purpose(self, request: PurposeInput) -> Iterator[Event]:
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        yield self._status("grounding", request.language, 0.1)
        kb = self.offline.knowledge.purpose(request.concept, request.classification, request.context, request.language)
        yield self._status("model", request.language, 0.2)
        shared = partial(prompts.findings_text, {"kb_purpose": kb, "classification": slim_classification(request.classification)})
        spec = self._spec("purpose", PURPOSE_SCHEMA, prompts.PURPOSE_TASK, request.language,
                          {"concept": request.concept, "context": request.context}, "purpose", shared=shared)
        answer = yield from streamed_call(self.client, spec, deadline, usage)
        data = self._validate("purpose", {**kb, **answer, "engine": self.name})
        yield Result({**data, "usage": usage.as_dict()})

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        """One call per KB workstream plan, in parallel; each plan is sent as soon as it is written."""
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        yield self._status("grounding", request.language, 0.1)
        kb_plans = self.offline.knowledge.plans(request.classification, request.category, request.purpose,
                                                request.markets, request.language)
        shared = self.shared_plan_findings(request, kb_plans)
        specs = [self._spec("plan", PLAN_SCHEMA,
                            prompts.PLAN_TASK.format(workstream=plan.get("workstream", plan["id"]), plan_id=plan["id"]),
                            request.language, None, f"plan {plan['id']}", shared=shared, cache_shared=len(kb_plans) > 1,
                            own=prompts.findings_text({"kb_plan": own_plan(plan)}, "workstream_findings"),
                            prose=False)
                 for plan in kb_plans]
        yield self._status("plans", request.language, 0.2)
        plans: list[Optional[dict]] = [None] * len(kb_plans)
        fell_back: list[str] = []
        with closing(self._parallel(specs, deadline, usage)) as outcomes:
            for index, answer, error in outcomes:
                plan = self._plan_or_fallback(kb_plans[index], answer, error)
                if "fallback" in plan and not fell_back:
                    fell_back.append(plan["fallback"]["reason"])
                    yield self._status("fallback", request.language, 0.5, reason=fell_back[0])
                plans[index] = plan
                yield PlanReady(plan, sum(p is not None for p in plans), len(plans))
        engine = fallback_name(fell_back[0]) if fell_back and all("fallback" in p for p in plans) else self.name
        # Each plan was validated as it arrived (`_plan_or_fallback`); the envelope adds nothing to check.
        yield Result({"plans": plans, "total_plans": len(plans), "engine": engine, "usage": usage.as_dict()})

    def shared_plan_findings(self, request: StandardsInput, kb_plans: list[dict]) -> str:
        """The findings every plan call of a standards request shares (the cached part of its prompt)."""
        return prompts.findings_text({"classification": slim_classification(request.classification),
                                      "purpose": request.purpose, "markets": list(request.markets),
                                      "workstreams": [plan["id"] for plan in kb_plans]})

    def refine(self, request: RefineInput) -> Iterator[Event]:
        """One call per plan, in parallel; with several plans each is sent as soon as it is revised."""
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        shared = prompts.findings_text({"classification": slim_classification(request.classification), "purpose": request.purpose,
                                        "feedback": request.feedback})
        specs = [self._spec("refine", REFINED_PLAN_SCHEMA, prompts.REFINE_TASK.format(plan_id=plan.get("id")),
                            request.language, {"feedback": request.feedback, "plan_id": plan.get("id")},
                            f"refine {plan.get('id')}", shared=shared, cache_shared=len(request.plans) > 1,
                            own=prompts.findings_text({"plan": plan}, "plan"), prose=False)
                 for plan in request.plans]
        yield self._status("model", request.language, 0.2)
        plans: list[Optional[dict]] = [None] * len(request.plans)
        changes: list[dict] = []
        not_applied: list[dict] = []
        offline: Optional[dict] = None
        with closing(self._parallel(specs, deadline, usage)) as outcomes:
            for index, answer, error in outcomes:
                if error is None:
                    plan, plan_changes, plan_not_applied = merge_refined(request.plans[index], answer, self.known,
                                                                         self.name, index)
                    error = UpstreamError("invalid plan") if _PLAN_CHECK.validate(plan) else None
                if error is not None:
                    if offline is None:
                        offline = self._offline_refine(request, error)
                        yield self._status("fallback", request.language, 0.5, reason=error.code)
                    plan = {**offline["plans"][index], "engine": fallback_name(error.code),
                            "fallback": {"from": self.name, "reason": error.code}}
                    plan_changes = [c for c in offline.get("changes", [])
                                    if str(c.get("path", "")).startswith(f"plans[{index}]")]
                    plan_not_applied = offline.get("not_applied", [])
                plans[index] = plan
                changes.extend(plan_changes)
                not_applied.extend(item for item in plan_not_applied if item not in not_applied)
                if not request.single:
                    yield PlanReady(plan, sum(p is not None for p in plans), len(plans))
        engine = self.name if not all("fallback" in p for p in plans) else plans[0]["engine"]
        data = self._validate("refine", {"plans": plans, "changes": changes, "not_applied": not_applied,
                                         "engine": engine})
        yield Result({**data, "usage": usage.as_dict()})

    def _offline_refine(self, request: RefineInput, error: MedregError) -> dict:
        """One offline refinement serves every plan whose call failed transiently (when fallback is on)."""
        if not self._may_fall_back(error):
            raise self._noted(error)
        return self.offline.knowledge.refine(request.plans, request.feedback, request.classification,
                                             request.purpose, request.language)

    def _parallel(self, specs: list[CallSpec], deadline: float, usage: Usage):
        jobs = [(lambda on_open, spec=spec: run_to_end(streamed_call(self.client, spec, deadline, usage, on_open)))
                for spec in specs]
        return fan_out(jobs, self.concurrency, deadline, label="plans")

    def _plan_or_fallback(self, kb_plan: dict, answer: Optional[dict], error: Optional[MedregError]) -> dict:
        if error is None and answer is not None:
            plan = merge_plan(kb_plan, answer, self.known, self.name)
            if not _PLAN_CHECK.validate(plan):
                return plan
            error = UpstreamError("invalid plan")
        if not self._may_fall_back(error):
            raise self._noted(error)
        return {**kb_plan, "engine": fallback_name(error.code), "fallback": {"from": self.name, "reason": error.code}}
