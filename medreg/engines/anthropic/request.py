"""The parameters of one Messages request, per step: model, limits, thinking, effort, prompt, schema.

Every step sets its thinking and effort explicitly (the current models think adaptively when
`thinking` is left out, and thinking tokens count against `max_tokens`), and sizes `max_tokens`
from what its answers measure on the development sets (`bench/plan_tokens.py`), with headroom, so
no answer stops on `max_tokens`. Structured answers use `output_config.format` (a JSON schema);
a forced `tool_choice` is refused by the current models and is not used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

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
    """One call: how to build the keyword arguments of `client.messages.create`, the prose keys to preview, limits.

    The arguments are built for each attempt, not kept: a call's prompt (6-9 KiB of findings text)
    would otherwise stay in memory for the whole stream, for a retry that almost never happens.
    With the sent body emptied in place (transport.forget_body), RSS per silent open stream
    106.6 / 106.3 -> 84.2 / 84.8 KiB (`python bench/peers.py open --medreg-only --open 1000
    --open-first-token-s 150 --rate 50`; tracemalloc, bench/stream_memory.py: 87.9 -> 65.7 KiB traced).
    """

    build: Callable[[], dict]
    model: str = ""
    prose_keys: frozenset[str] = frozenset()
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    mid_stream_retries: int = 1
    label: str = "call"


# A prompt part given as its text, or as the function that writes it (when the call is built).
Part = Union[str, Callable[[], str], None]


def message_params(model: str, step: str, schema: dict, task: str, language: str,
                   details: Optional[dict[str, Any]] = None, *, shared: Part = None,
                   cache_shared: bool = False, own: Part = None) -> dict:
    """`messages.create(**params)` for one call of `step` answering in `schema`."""
    step_params = STEP_PARAMS[step]
    shared = shared() if callable(shared) else shared
    own = own() if callable(own) else own
    return {
        "model": model,
        "max_tokens": step_params.max_tokens,
        "system": prompts.system_blocks(step, shared, cache_shared),
        "messages": prompts.user_message(task, language, details, own),
        "output_config": {"format": {"type": "json_schema", "schema": schema}, "effort": step_params.effort},
        "thinking": step_params.thinking,
    }
