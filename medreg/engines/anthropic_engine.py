"""The Anthropic engine: Claude writes each step from the knowledge base's findings, grounded and streamed.

Every step first asks the offline knowledge base, gives its findings to the model (cached),
takes the answer as structured JSON, checks it against the knowledge base (unknown codes are
marked unverified, class disagreements shown with a question) and validates the result with
the API's own schemas. Standards and multi-plan refinements run one call per plan in parallel.
"""
from __future__ import annotations

import logging
from contextlib import closing
from typing import Callable, ClassVar, Iterator, Mapping, Optional

from medreg.engines.base import ClassifyInput, Engine, PurposeInput, RefineInput, StandardsInput
from medreg.engines.claude import prompts
from medreg.engines.claude.body import AnswerFormat, BodyBuilder, findings_block
from medreg.engines.claude.calls import CallSpec, Usage, monotonic_deadline, run_to_end, streamed_call
from medreg.engines.claude.client import ClientSettings, make_client
from medreg.engines.claude.fanout import fan_out
from medreg.engines.claude.grounding import KnownIds, merge_classification
from medreg.engines.claude.plans import merge_plan, merge_refined
from medreg.engines.claude.schemas import (PLAN_FORMAT, PROSE_KEYS, PURPOSE_FORMAT, REFINED_PLAN_FORMAT,
                                           classify_format)
from medreg.engines.offline import OfflineEngine
from medreg.errors import MedregError, UpstreamError
from medreg.events import Event, PlanReady, Result, Status
from medreg.schemas.results import RESULT_SCHEMAS, PlanSchema

# One instance of each result schema per process: building a marshmallow schema (it copies its
# declared fields, nested ones included) costs more than validating with it, and validation
# keeps no state between calls.
_RESULT_CHECKS = {step: schema() for step, schema in RESULT_SCHEMAS.items()}
_PLAN_CHECK = PlanSchema()

log = logging.getLogger(__name__)

STAGES: dict[str, dict[str, str]] = {
    "grounding": {"en": "Checking the knowledge base…", "ko": "지식 베이스를 확인하는 중..."},
    "model": {"en": "Claude is writing the answer…", "ko": "Claude가 답변을 작성하는 중..."},
    "plans": {"en": "Claude is writing the plans in parallel…", "ko": "Claude가 계획을 병렬로 작성하는 중..."},
    "fallback": {"en": "The language model is unavailable; answering from the knowledge base.",
                 "ko": "언어 모델을 사용할 수 없어 지식 베이스로 답변합니다."},
}


class MissingKey(ValueError):
    """The engine was chosen but no key is configured."""


class AnthropicEngine(Engine):
    """Claude via the official SDK, grounded in the offline knowledge base."""

    engine_id: ClassVar[str] = "anthropic"
    needs_key: ClassVar[bool] = True
    key_env_var: ClassVar[Optional[str]] = "ANTHROPIC_API_KEY"
    streams_text: ClassVar[bool] = True
    keeps_data_local: ClassVar[bool] = False

    def __init__(self, settings: ClientSettings, *, model: str = "claude-sonnet-4-5", step_deadline_s: float = 120.0,
                 concurrency: int = 6, fallback_offline: bool = True, structured: str = "output_config",
                 max_tokens: int = 4096, offline: Optional[OfflineEngine] = None) -> None:
        self.settings = settings
        self.model = model
        self.step_deadline_s = step_deadline_s
        self.concurrency = concurrency
        self.fallback_offline = fallback_offline
        self.structured = structured
        self.max_tokens = max_tokens
        self.offline = offline or OfflineEngine()
        self.known = KnownIds.from_knowledge(self.offline.knowledge)
        self.client = make_client(settings)
        self.bodies = BodyBuilder(model, max_tokens, structured)

    @classmethod
    def from_config(cls, config: Mapping) -> "AnthropicEngine":
        """Build from app config; fails with what to do when there is no key."""
        settings = ClientSettings.from_config(config)
        if not settings.api_key:
            raise MissingKey("MEDREG_ENGINE=anthropic needs ANTHROPIC_API_KEY; set it, or use MEDREG_ENGINE=offline")
        # Finish a little before the stream's own deadline so our error (or fallback) wins.
        deadline = float(config.get("STEP_DEADLINE_S", 120.0))
        return cls(settings, model=str(config.get("MODEL") or "claude-sonnet-4-5"),
                   step_deadline_s=max(1.0, deadline - 2.0),
                   concurrency=int(config.get("ANTHROPIC_CONCURRENCY", 6)),
                   fallback_offline=_flag(config.get("FALLBACK_OFFLINE", True)),
                   structured=str(config.get("ANTHROPIC_STRUCTURED", "output_config")),
                   max_tokens=int(config.get("ANTHROPIC_MAX_TOKENS", 4096)))

    @property
    def name(self) -> str:
        """`anthropic:<model>`."""
        return f"anthropic:{self.model}"

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    # --- helpers ----------------------------------------------------------------------------------
    def _status(self, stage: str, language: str, progress: float) -> Status:
        return Status(message=STAGES[stage][language], stage=stage, progress=progress)

    def _spec(self, findings: bytes, task: str, language: str, details: dict, answer: AnswerFormat, label: str,
              prose: bool = True) -> CallSpec:
        """One call; `findings` is the step's encoded KB block (`findings_block`), shared by its calls."""
        return CallSpec(body=self.bodies.body(findings, task, language, details, answer),
                        prose_keys=PROSE_KEYS if prose else frozenset(),
                        connect_timeout_s=self.settings.connect_timeout_s,
                        read_timeout_s=self.settings.read_timeout_s, label=label)

    def _validate(self, step: str, data: dict) -> dict:
        errors = _RESULT_CHECKS[step].validate(data)
        if errors:
            log.warning("anthropic %s answer failed validation on %s", step, sorted(errors))
            raise UpstreamError("model answer failed validation")
        return data

    def _fallback(self, step: str, request, error: MedregError) -> Iterator[Event]:
        if not (self.fallback_offline and isinstance(error, UpstreamError)):
            raise error
        log.info("anthropic %s: falling back to the offline engine (%s)", step, error.code)
        yield self._status("fallback", request.language, 0.5)
        for event in getattr(self.offline, step)(request):
            if isinstance(event, Result):
                event = Result({**event.data, "fallback": {"from": self.name, "reason": error.code}})
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
        kb = self.offline.knowledge.classify(request.concept, request.context, request.markets, request.language)
        yield self._status("model", request.language, 0.2)
        spec = self._spec(findings_block({"kb_classification": kb}), prompts.CLASSIFY_TASK, request.language,
                          {"concept": request.concept, "context": request.context, "markets": list(request.markets)},
                          classify_format(tuple(m for m in request.markets if m in kb["markets"])), "classify")
        answer = yield from streamed_call(self.client, spec, deadline, usage)
        data = self._validate("classify", merge_classification(kb, answer, self.known, self.name))
        yield Result({**data, "usage": usage.as_dict()})

    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        """Claude writes the purpose from the KB device type and the concept."""
        return self._guarded("purpose", request, lambda: self._purpose(request))

    def _purpose(self, request: PurposeInput) -> Iterator[Event]:
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        yield self._status("grounding", request.language, 0.1)
        kb = self.offline.knowledge.purpose(request.concept, request.classification, request.context, request.language)
        yield self._status("model", request.language, 0.2)
        spec = self._spec(findings_block({"kb_purpose": kb, "classification": request.classification}),
                          prompts.PURPOSE_TASK, request.language,
                          {"concept": request.concept, "context": request.context}, PURPOSE_FORMAT, "purpose")
        answer = yield from streamed_call(self.client, spec, deadline, usage)
        data = self._validate("purpose", {**kb, **answer, "engine": self.name})
        yield Result({**data, "usage": usage.as_dict()})

    def standards(self, request: StandardsInput) -> Iterator[Event]:
        """One call per KB workstream plan, in parallel; each plan is sent as soon as it is written."""
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        yield self._status("grounding", request.language, 0.1)
        kb_plans = self.offline.knowledge.plans(request.classification, request.category, request.purpose,
                                                request.markets, request.language)
        findings = findings_block({"classification": request.classification, "purpose": request.purpose,
                                   "kb_plans": kb_plans, "markets": list(request.markets)})
        specs = [self._spec(findings, prompts.PLAN_TASK.format(workstream=plan.get("workstream", plan["id"]),
                                                                plan_id=plan["id"]),
                            request.language, {"plan_id": plan["id"]}, PLAN_FORMAT, f"plan {plan['id']}", prose=False)
                 for plan in kb_plans]
        yield self._status("plans", request.language, 0.2)
        plans: list[Optional[dict]] = [None] * len(kb_plans)
        with closing(self._parallel(specs, deadline, usage)) as outcomes:
            for index, answer, error in outcomes:
                plan = self._plan_or_fallback(kb_plans[index], answer, error)
                plans[index] = plan
                yield PlanReady(plan, sum(p is not None for p in plans), len(plans))
        # Each plan was validated as it arrived (`_plan_or_fallback`); the envelope adds nothing to check.
        yield Result({"plans": plans, "total_plans": len(plans), "engine": self.name, "usage": usage.as_dict()})

    def refine(self, request: RefineInput) -> Iterator[Event]:
        """One call per plan, in parallel; with several plans each is sent as soon as it is revised."""
        deadline, usage = monotonic_deadline(self.step_deadline_s), Usage()
        findings = findings_block({"plans": request.plans, "classification": request.classification,
                                   "purpose": request.purpose})
        specs = [self._spec(findings, prompts.REFINE_TASK.format(plan_id=plan.get("id")), request.language,
                            {"feedback": request.feedback, "plan_id": plan.get("id")}, REFINED_PLAN_FORMAT,
                            f"refine {plan.get('id')}", prose=False)
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
                    offline = offline or self._offline_refine(request, error)
                    plan = {**offline["plans"][index], "fallback": {"from": self.name, "reason": error.code}}
                    plan_changes = [c for c in offline.get("changes", [])
                                    if str(c.get("path", "")).startswith(f"plans[{index}]")]
                    plan_not_applied = offline.get("not_applied", [])
                plans[index] = plan
                changes.extend(plan_changes)
                not_applied.extend(item for item in plan_not_applied if item not in not_applied)
                if not request.single:
                    yield PlanReady(plan, sum(p is not None for p in plans), len(plans))
        data = self._validate("refine", {"plans": plans, "changes": changes, "not_applied": not_applied,
                                         "engine": self.name})
        yield Result({**data, "usage": usage.as_dict()})

    def _offline_refine(self, request: RefineInput, error: MedregError) -> dict:
        """One offline refinement serves every plan whose call failed (when fallback is on)."""
        if not (self.fallback_offline and isinstance(error, UpstreamError)):
            raise error
        return self.offline.knowledge.refine(request.plans, request.feedback, request.classification,
                                             request.purpose, request.language)

    def _parallel(self, specs: list[CallSpec], deadline: float, usage: Usage):
        jobs = [(lambda spec=spec: run_to_end(streamed_call(self.client, spec, deadline, usage))) for spec in specs]
        return fan_out(jobs, self.concurrency, deadline, label="plans")

    def _plan_or_fallback(self, kb_plan: dict, answer: Optional[dict], error: Optional[MedregError]) -> dict:
        if error is None and answer is not None:
            plan = merge_plan(kb_plan, answer, self.known, self.name)
            if not _PLAN_CHECK.validate(plan):
                return plan
            error = UpstreamError("invalid plan")
        if not (self.fallback_offline and isinstance(error, UpstreamError)):
            raise error
        return {**kb_plan, "fallback": {"from": self.name, "reason": error.code}}


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
