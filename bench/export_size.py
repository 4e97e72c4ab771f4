"""The largest realistic export request: a full session (the concept with the most plans, every plan
refined twice), through the offline engine; prints its size so the export limit can be set from it.

    python bench/export_size.py [--concepts bench/data/dev_set.jsonl ...]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.language import language_of  # noqa: E402

FEEDBACK = {"en": ["we sell in Korea only", "no wireless, and it is not for home use"],
            "ko": ["한국에서만 판매합니다", "무선 기능이 없고 가정용이 아닙니다"]}


def session(kb, concept: str, language: str, plan_count: int = 0, per_plan: bool = False) -> dict:
    """One full dossier: classification, purpose, plans refined twice.

    `plan_count` pads the plan set to that many plans with copies of its largest plan (the engine makes
    at most 11 today; the issue's session had 12). `per_plan` refines each plan on its own, twice, as the
    web app did (one refinement entry per plan and feedback), instead of the whole set at once.
    """
    c = kb.classify(concept, None, ("US", "EU", "KR"), language)
    purpose = kb.purpose(concept, c, None, language)
    plans = kb.plans(c, c["category"], purpose, ("US", "EU", "KR"), language)
    largest = max(plans, key=lambda p: len(json.dumps(p, ensure_ascii=False)))
    for n in range(len(plans), plan_count):
        plans.append({**largest, "id": f"{largest['id']}-copy{n}"})
    refinements = []
    for text in FEEDBACK[language]:
        for group in ([[p] for p in plans] if per_plan else [plans]):
            r = kb.refine(group, text, c, purpose, language)
            done = {p["id"]: p for p in r["plans"]}
            plans = [done.get(p["id"], p) for p in plans]
            refinements.append({"plan_id": group[0]["id"] if per_plan else None, "feedback": text,
                                "changes": r["changes"], "not_applied": r.get("not_applied", []), "engine": "offline"})
    return {"concept": concept, "language": language, "classification": c, "purpose": purpose,
            "plans": plans, "refinements": refinements}


def main() -> None:
    """Measure every concept of the sets given; print the largest request."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--concepts", nargs="*", default=["bench/data/dev_set.jsonl", "bench/data/holdout.jsonl"])
    parser.add_argument("--plans", type=int, default=12, help="pad every plan set to this many plans")
    parser.add_argument("--per-plan", action="store_true", help="refine plan by plan (the web app's old way)")
    args = parser.parse_args()
    kb = get_knowledge()
    sizes = []
    for path in args.concepts:
        for row in load_rows(path):
            concept = row.get("concept") or row.get("text")
            language = language_of(concept)
            dossier = session(kb, concept, language, args.plans, args.per_plan)
            body = json.dumps({"format": "html", "dossier": dossier}, ensure_ascii=False).encode()
            sizes.append((len(body), len(dossier["plans"]), concept))
    sizes.sort(reverse=True)
    print(f"{len(sizes)} sessions; most plans: {max(s[1] for s in sizes)}")
    for size, plans, concept in sizes[:5]:
        print(f"{size:>8} bytes  {plans:>2} plans  {concept[:70]}")


if __name__ == "__main__":
    main()
