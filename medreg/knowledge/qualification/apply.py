"""Applies a qualification to a Classification (any engine's), and refuses device plans for non-devices."""
from __future__ import annotations

from typing import Optional, Sequence

from medreg.errors import NotADevice
from medreg.markets import MARKETS
from medreg.knowledge.classification.answers import sync_details
from medreg.knowledge.qualification.qualify import Qualification, data, pathway_text, qualify

# Market keys that only a device has: emptied where the product is not a device there.
_NULLED = ("class", "product_code", "regulation", "grade", "item_code", "item_name", "derived_class")
_EMPTIED = ("product_codes", "rules", "item_codes", "criteria")
STATED_MATCH = 0.7   # the match score assumed for a device type an engine names without one


def _market_block(block: dict, mq: dict, language: str) -> dict:
    block = dict(block)
    status = mq["status"]
    if status == "not_device":
        for key in _NULLED:
            if key in block or key == "class":
                block[key] = None
        for key in _EMPTIED:
            if key in block:
                block[key] = []
        other = mq.get("other_regime")
        block.update({"pathway": pathway_text(mq["reason"], language),
                      "rationale": mq["reason"] + (f". {other}" if other else ""),
                      "citations": list(mq["citations"]), "needs_review": False, "derived": False})
        block["verified"] = mq.get("verified", True) is not False
    elif status == "needs_review":
        block["needs_review"] = True
    block["qualification"] = status
    return block


def apply_qualification(classification: dict, q: Qualification) -> dict:
    """A copy of `classification` with `qualification` set and each market, confidence and questions made to agree."""
    c = dict(classification)
    language = "ko" if c.get("language") == "ko" else "en"
    qd = q.to_dict()
    c["qualification"] = qd
    markets = dict(c.get("markets") or {})
    for code, mq in (qd.get("markets") or {}).items():
        if isinstance(markets.get(code), dict):
            markets[code] = _market_block(markets[code], mq, language)
    if qd["status"] != "device" and not c.get("device"):
        # Nothing matched and nothing decides it: no class anywhere, not even one derived from words.
        for block in markets.values():
            block.pop("derived_class", None)
    c["markets"] = markets
    claim_question = data().raw["questions"]["claim"][language]
    questions = [x for x in (c.get("questions") or []) if isinstance(x, str)]
    confidence = q.confidence
    if qd["status"] == "not_device":
        if c.get("device"):
            c["alternatives"] = [c["device"], *(c.get("alternatives") or [])]
            c["device"] = None
        c["confidence"], c["needs_review"] = confidence, False
        c["questions"] = [claim_question]   # the one thing that would make it a device
    elif qd["status"] == "needs_review":
        c["needs_review"] = True
        c["confidence"] = round(min(float(c.get("confidence") or 0.0), confidence, 0.5), 2)
        c["questions"] = _first(qd.get("question") or claim_question, questions)
    else:
        if qd.get("question"):
            c["questions"] = _first(qd["question"], questions)
        if any(isinstance(b, dict) and b.get("needs_review") for b in markets.values()):
            # A market left undecided (US clinical decision support) keeps the whole answer under review.
            c["needs_review"] = True
            c["confidence"] = round(min(float(c.get("confidence") or 0.0), 0.7), 2)
    if qd.get("basis") == "answer" and qd["status"] == "not_device":
        c["questions"] = []   # the user already answered the one question that would make it a device
    return sync_details(c, data().raw["questions"])


def _first(question: str, questions: list[str]) -> list[str]:
    return [question, *[x for x in questions if x != question]][:4]


def qualify_classification(classification: dict, concept: str, language: str,
                           markets: Sequence[str] = MARKETS, context: Optional[str] = None,
                           answers: Optional[dict] = None) -> dict:
    """One call for any engine: qualify the concept (using the classification's device match) and apply it;
    the user's answers are the classification's own (`answers`) unless given."""
    if answers is None and isinstance(classification.get("answers"), dict):
        answers = classification["answers"]
    device = classification.get("device") if isinstance(classification.get("device"), dict) else None
    if device is not None and not isinstance(device.get("score"), (int, float)):
        # An engine that names a device type without a match score vouches for it as a strong match.
        device = dict(device, score=STATED_MATCH)
    q = qualify(concept, language, markets, context, match=device, answers=answers)
    return apply_qualification(classification, q)


def device_markets(classification: Optional[dict], markets: Sequence[str]) -> tuple[str, ...]:
    """The requested markets that regulate it as a device: no KGMP plan for a pad that is 의약외품 in Korea.
    All of them when none does (standards then refuses the classification as a whole)."""
    q = classification.get("qualification") if isinstance(classification, dict) else None
    qm = q.get("markets") if isinstance(q, dict) and isinstance(q.get("markets"), dict) else {}
    kept = tuple(m for m in markets if not (isinstance(qm.get(m), dict) and qm[m].get("status") == "not_device"))
    return kept or tuple(markets)


def is_not_a_device(classification: Optional[dict]) -> bool:
    """Whether a classification says there is no medical device to plan for.

    True when its qualification is `not_device`, or `needs_review` with no device type and no class
    in any market (nonsense or non-product input): a plan set for either would be invented.
    """
    if not isinstance(classification, dict):
        return False
    q = classification.get("qualification")
    status = q.get("status") if isinstance(q, dict) else None
    if status == "not_device":
        return True
    if status != "needs_review" or classification.get("device"):
        return False
    markets = classification.get("markets") if isinstance(classification.get("markets"), dict) else {}
    return not any(isinstance(b, dict) and b.get("class") for b in markets.values())


def refuse_if_not_a_device(classification: Optional[dict]) -> None:
    """Raise `NotADevice` (422 `not_a_device`) for a classification that is not a medical device."""
    if is_not_a_device(classification):
        raise NotADevice()
