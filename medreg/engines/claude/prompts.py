"""Prompts: a fixed system prompt and the knowledge base's findings, both cached, then the task.

`system_blocks` and `user_message` give the prompt as plain dicts; requests are sent as bytes
assembled by `body.BodyBuilder` from the same texts (a test checks the two agree).
"""
from __future__ import annotations

import json
from typing import Any, Optional

CACHE = {"type": "ephemeral"}

SYSTEM_PROMPT = """You are medreg, a regulatory co-pilot for medical-device makers, covering the United States (FDA),
the European Union (MDR 2017/745 and IVDR 2017/746) and Korea (MFDS).

You are given the findings of medreg's curated knowledge base (KB) for the user's device concept:
matched device types with their FDA product codes and regulations, the EU classification rules that
fired, the MFDS item codes and grades, and the standards catalogue entries that apply. Work from them.

Rules you must follow:
1. Never invent identifiers. Use only FDA product codes, CFR regulation numbers, MFDS item codes and
   standard ids that appear in the KB findings. If the right one is not there, use null (or leave it
   out of a list) and say in the rationale what must be checked.
2. If you disagree with a KB class, give your class and explain why in the rationale; do not
   silently repeat the KB.
3. A wrong class is worse than an open question: when the concept is ambiguous, say what you
   would need to know in `questions`.
4. Be specific to the concept: intended use, users, environment, energy, contact and software.
5. Write every human-readable text in the language requested in the task ("ko" = Korean,
   "en" = English); identifiers stay as they are.
6. Answer only with the JSON object the output schema describes."""

LANGUAGE_NAMES = {"ko": "Korean (한국어)", "en": "English"}


def system_blocks(kb_context: dict[str, Any]) -> list[dict]:
    """The system prompt and the KB findings as two cached blocks (stable across a request's calls)."""
    findings = json.dumps(kb_context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [
        {"type": "text", "text": SYSTEM_PROMPT, "cache_control": CACHE},
        {"type": "text", "text": f"<kb_findings>\n{findings}\n</kb_findings>", "cache_control": CACHE},
    ]


def user_text(task: str, language: str, details: Optional[dict[str, Any]] = None) -> str:
    """The per-call task: what to write, in which language, with the user's own inputs."""
    text = f"Task: {task}\nAnswer language: {LANGUAGE_NAMES.get(language, language)}."
    if details:
        text += "\n<inputs>\n" + json.dumps(details, ensure_ascii=False, separators=(",", ":")) + "\n</inputs>"
    return text


def user_message(task: str, language: str, details: Optional[dict[str, Any]] = None) -> list[dict]:
    """The per-call task as the `messages` list."""
    return [{"role": "user", "content": user_text(task, language, details)}]


CLASSIFY_TASK = ("Classify the device concept in <inputs> for each requested market. Start from the KB "
                 "classification; keep its codes where they fit, and explain the class, pathway and the rule "
                 "or regulation behind it. `summary` is two or three sentences for the user.")
PURPOSE_TASK = ("Write the intended purpose and mechanism of action of the concept in <inputs>, specific to "
                "it. Do not claim indications or contraindications the concept does not support; say what "
                "the manufacturer must establish instead.")
PLAN_TASK = ("Write the regulatory work plan for the workstream `{workstream}` (KB plan id `{plan_id}`), "
             "fitted to this concept. Keep to standards in the KB findings; give each a one-line `why`. "
             "Activities with realistic durations in weeks.")
REFINE_TASK = ("Revise the plan with id `{plan_id}` from the user's feedback in <inputs>. Return the whole "
               "revised plan, the markets it now covers, each change with its JSON path relative to the "
               "plan, and any part of the feedback you could not apply, with the reason.")
