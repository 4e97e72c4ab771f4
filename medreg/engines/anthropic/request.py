"""The parameters of one Messages request, per step: model, limits, thinking, effort, prompt, schema.

Every step sets its thinking and effort explicitly (the current models think adaptively when
`thinking` is left out, and thinking tokens count against `max_tokens`), and sizes `max_tokens`
from what its answers measure on the development sets (`bench/plan_tokens.py`), with headroom, so
no answer stops on `max_tokens`. Structured answers use `output_config.format` (a JSON schema);
a forced `tool_choice` is refused by the current models and is not used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from medreg.engines.anthropic import prompts


@dataclass(frozen=True)
class StepParams:
    """Limits and reasoning settings for one kind of call."""

    max_tokens: int
    effort: str
    thinking: dict


_NO_THINKING = {"type": "disabled"}
# Largest answers measured on the dev set and holdout 1 (229 concepts, both languages;
# `python bench/plan_tokens.py bench/data/dev_set.jsonl bench/data/holdout.jsonl`): classification
# 531 tokens, purpose 648, plan 1,695, refined plan 2,572. Each limit is at least 2.4x the largest.
STEP_PARAMS: dict[str, StepParams] = {
    "classify": StepParams(max_tokens=4096, effort="medium", thinking=_NO_THINKING),
    "purpose": StepParams(max_tokens=2048, effort="low", thinking=_NO_THINKING),
    "plan": StepParams(max_tokens=4096, effort="low", thinking=_NO_THINKING),
    "refine": StepParams(max_tokens=6144, effort="medium", thinking=_NO_THINKING),
}


@dataclass(frozen=True)
class CallSpec:
    """One call: the keyword arguments of `client.messages.stream`, the prose keys to preview, limits."""

    params: dict
    prose_keys: frozenset[str] = frozenset()
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    mid_stream_retries: int = 1
    label: str = "call"


def message_params(model: str, step: str, schema: dict, task: str, language: str,
                   details: Optional[dict[str, Any]] = None, *, shared: Optional[str] = None,
                   cache_shared: bool = False, own: Optional[str] = None) -> dict:
    """`messages.stream(**params)` for one call of `step` answering in `schema`."""
    step_params = STEP_PARAMS[step]
    return {
        "model": model,
        "max_tokens": step_params.max_tokens,
        "system": prompts.system_blocks(step, shared, cache_shared),
        "messages": prompts.user_message(task, language, details, own),
        "output_config": {"format": {"type": "json_schema", "schema": schema}, "effort": step_params.effort},
        "thinking": step_params.thinking,
    }
