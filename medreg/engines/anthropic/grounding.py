"""Checks the model's answer against the knowledge base before anyone sees it.

- Any product code, regulation, MFDS item code, MDR rule or standard id the knowledge base does
  not know is kept but listed under `unverified` (and the block's `verified` is false).
- Where the knowledge base has a confident class and the model disagrees, the result keeps the
  knowledge base's class, shows the model's beside it, and asks the user a question.
- Where the knowledge base could not decide, the model's class is shown as unverified.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from medreg.knowledge import Knowledge
from medreg.language import tr
from medreg.markets import MARKET_NAMES

RULE = re.compile(r"^Rule (\d{1,2})[a-z]?$")


@dataclass(frozen=True)
class KnownIds:
    """The identifiers the knowledge base holds, by kind."""

    product_codes: frozenset[str]
    regulations: frozenset[str]
    item_codes: frozenset[str]
    standards: dict[str, dict]

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> "KnownIds":
        """Collect every code the curated devices and the standards catalogue carry."""
        codes, regulations, items = set(), set(), set()
        for device in knowledge.data.devices.values():
            us, kr = device.get("us") or {}, device.get("kr") or {}
            codes.update(us.get("product_codes") or [])
            if us.get("regulation"):
                regulations.add(us["regulation"])
            items.update(kr.get("item_codes") or [])
        return cls(frozenset(codes), frozenset(regulations), frozenset(items), dict(knowledge.data.standards))


def clone_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), several times faster than `copy.deepcopy`."""
    kind = type(value)
    if kind is dict:
        return {key: clone_json(item) for key, item in value.items()}
    if kind is list:
        return [clone_json(item) for item in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)  # anything else (rare): the general copy


def _unverified(field: str, value: Any, reason: str) -> dict:
    return {"field": field, "value": value, "reason": reason}


def _rule_known(rule: str, regulation: Optional[str]) -> bool:
    match = RULE.match(rule.strip())
    if not match:
        return False
    return 1 <= int(match.group(1)) <= (7 if regulation == "IVDR" else 22)


def _model_class(market: str, answer: dict) -> Optional[str]:
    if market == "KR":
        grade = answer.get("grade")
        return str(grade) if isinstance(grade, int) and 1 <= grade <= 4 else None
    value = answer.get("class")
    return value if isinstance(value, str) and value else None


def _question(market: str, kb_class: str, model_class: str, language: str) -> str:
    name = tr(MARKET_NAMES[market], language)
    if language == "ko":
        return (f"{name} 등급: 지식 베이스는 {kb_class}, 모델은 {model_class}로 판단했습니다. "
                "어느 쪽이 맞는지 판단할 수 있도록 기기의 사용 목적, 접촉 부위와 사용 기간을 알려 주세요.")
    return (f"Class for {name}: the knowledge base says {kb_class}, the model says {model_class}. "
            "Which fits your device? Tell us its intended use, body contact and duration of use.")


def _check_codes(market: str, block: dict, answer: dict, known: KnownIds, keep_kb: bool) -> list[dict]:
    """Take the model's codes where the knowledge base had none; flag every unknown one."""
    flagged: list[dict] = []
    fields = {"US": (("product_code", known.product_codes), ("regulation", known.regulations)),
              "KR": (("item_code", known.item_codes),)}.get(market, ())
    for name, known_set in fields:
        value = answer.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        if value not in known_set:
            flagged.append(_unverified(name, value, "not in the knowledge base"))
        if not keep_kb or not block.get(name):
            block[name] = value
    if market == "EU":
        rules = [rule for rule in answer.get("rules") or [] if isinstance(rule, str)]
        for rule in rules:
            if not _rule_known(rule, block.get("regulation")):
                flagged.append(_unverified("rules", rule, "not a rule of the regulation's Annex VIII"))
        if rules and (not keep_kb or not block.get("rules")):
            block["rules"] = rules
    return flagged


def merge_market(market: str, kb_block: dict, answer: Optional[dict], known: KnownIds,
                 language: str) -> tuple[dict, Optional[str]]:
    """One market's block after grounding, and a question to ask when the two sources disagree."""
    block = clone_json(kb_block)
    if not answer:
        return block, None
    kb_class = block.get("class")
    confident = kb_class is not None and bool(block.get("verified")) and not block.get("needs_review")
    model_class = _model_class(market, answer)
    question = None
    if answer.get("rationale"):
        block["kb_rationale"] = block.get("rationale")
        block["rationale"] = answer["rationale"]
    if answer.get("pathway") and not confident:
        block["pathway"] = answer["pathway"]
    extra = [c for c in answer.get("citations") or [] if isinstance(c, str) and c not in block.get("citations", [])]
    block["citations"] = [*block.get("citations", []), *extra]
    flagged = _check_codes(market, block, answer, known, keep_kb=confident)
    if confident and model_class and model_class != kb_class:
        block["model_class"] = model_class
        block["disagreement"] = {"knowledge_base": kb_class, "model": model_class}
        block["needs_review"] = True
        question = _question(market, kb_class, model_class, language)
    elif not confident and model_class:
        block["class"] = model_class
        if market == "KR":
            block["grade"] = int(model_class)
        block["class_source"] = "model"
        flagged.append(_unverified("class", model_class, "the knowledge base could not confirm this class"))
        block["needs_review"] = True
    if flagged:
        block["unverified"] = flagged
        block["verified"] = False
    return block, question


def merge_classification(kb: dict, answer: dict, known: KnownIds, engine: str) -> dict:
    """The knowledge base's classification with the model's reasoning grounded into it."""
    # The markets are copied one by one by `merge_market`; the rest is copied here.
    result = {key: {} if key == "markets" else clone_json(value) for key, value in kb.items()}
    language = kb.get("language", "en")
    questions = list(kb.get("questions") or [])
    unverified: list[dict] = []
    answers = answer.get("markets") or {}
    for market, kb_block in (kb.get("markets") or {}).items():
        block, question = merge_market(market, kb_block, answers.get(market), known, language)
        result["markets"][market] = block
        if question:
            questions.append(question)
        unverified.extend({"market": market, **item} for item in block.get("unverified", []))
    for question in answer.get("questions") or []:
        if isinstance(question, str) and question.strip() and question not in questions:
            questions.append(question)
    result["questions"] = questions
    if isinstance(answer.get("summary"), str):
        result["summary"] = answer["summary"]
    model_confidence = answer.get("confidence")
    if isinstance(model_confidence, (int, float)):
        # The lower of the two: the model cannot make the knowledge base more certain.
        result["confidence"] = round(min(float(kb.get("confidence", 1.0)), max(0.0, min(1.0, model_confidence))), 2)
    if unverified or any(block.get("disagreement") for block in result["markets"].values()):
        result["needs_review"] = True
    result["unverified"] = unverified
    result["engine"] = engine
    return result


def ground_standards(items: Iterable[Any], known: KnownIds) -> tuple[list[dict], list[dict]]:
    """Standards with catalogue editions; unknown ids kept with `verified: false` and listed."""
    standards, flagged, seen = [], [], set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in seen:
            continue
        seen.add(item["id"])
        entry = known.standards.get(item["id"])
        standard = {"id": item["id"], "edition": item.get("edition"), "title": str(item.get("title") or item["id"]),
                    "why": str(item.get("why") or "")}
        if entry is None:
            standard["verified"] = False
            flagged.append(_unverified("standards", item["id"], "not in the standards catalogue"))
        else:
            standard["edition"] = entry.get("edition") or standard["edition"]
            standard["verified"] = bool(entry.get("verified", True))
        standards.append(standard)
    return standards, flagged
