"""How long are the answers the model writes? Sizes `max_tokens` per step (medreg/engines/anthropic/request.py).

For every concept of the given sets, the knowledge base's own answer for each step is put in the
shape the model answers in (the step's JSON schema) and its tokens estimated conservatively
(ASCII at 3.5 characters a token, every other character one token: Korean runs near that).
The model rewrites the KB's answer, so its answers are about this long; the limits keep at
least 2x headroom over the largest.

    python bench/plan_tokens.py bench/data/dev_set.jsonl [more sets]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

from medreg.engines.anthropic.request import STEP_PARAMS  # noqa: E402
from medreg.knowledge import get_knowledge  # noqa: E402

PLAN_KEYS = ("title", "rationale", "standards", "activities", "estimated_weeks")


def tokens(value: object) -> int:
    """A conservative token estimate of `value` as compact JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    return int(ascii_chars / 3.5) + (len(text) - ascii_chars)


def measure(paths: list[str]) -> dict:
    """The largest answer per step over every concept in `paths`, beside each step's `max_tokens`."""
    knowledge = get_knowledge()
    largest = {"classify": 0, "purpose": 0, "plan": 0, "refine": 0}
    concepts = 0
    for path in paths:
        for case in load_rows(path):
            concepts += 1
            language = case.get("language", "en")
            found = knowledge.classify(case["concept"], None, ("US", "EU", "KR"), language)
            answer = {"summary": found.get("questions"), "markets": found["markets"], "confidence": 1.0}
            largest["classify"] = max(largest["classify"], tokens(answer))
            purpose = knowledge.purpose(case["concept"], found, None, language)
            largest["purpose"] = max(largest["purpose"], tokens(purpose))
            for plan in knowledge.plans(found, found["category"], purpose, ("US", "EU", "KR"), language):
                written = {key: plan.get(key) for key in PLAN_KEYS}
                largest["plan"] = max(largest["plan"], tokens(written))
                # A refined plan: the plan, plus a change record per activity at worst.
                changes = [{"path": f"activities[{n}]", "before": a["name"], "after": a["name"], "reason": "x" * 80}
                           for n, a in enumerate(plan.get("activities", []))]
                largest["refine"] = max(largest["refine"], tokens({"plan": written, "changes": changes}))
    return {"concepts": concepts,
            "steps": {step: {"largest_answer_tokens": size, "max_tokens": STEP_PARAMS[step].max_tokens,
                             "headroom": round(STEP_PARAMS[step].max_tokens / max(size, 1), 2)}
                      for step, size in largest.items()}}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:] or ["bench/data/dev_set.jsonl"]), indent=2))
