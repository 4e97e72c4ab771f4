"""Applies a qualification to a Classification (any engine's), and refuses device plans for non-devices."""
from __future__ import annotations

from typing import Optional, Sequence, Union

from medreg.errors import NotADevice
from medreg.markets import MARKETS
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


def apply_qualification(classification: dict, q: Union[Qualification, dict]) -> dict:
    """A copy of `classification` with `qualification` set and each market, confidence and questions made to agree."""
    c = dict(classification)
    language = "ko" if c.get("language") == "ko" else "en"
    qd = q.to_dict() if isinstance(q, Qualification) else dict(q)
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
    confidence = float(qd.get("confidence", getattr(q, "confidence", 0.5)) if isinstance(q, dict)
                       else q.confidence)
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
    return c


def _first(question: str, questions: list[str]) -> list[str]:
    return [question, *[x for x in questions if x != question]][:4]


def qualify_classification(classification: dict, concept: str, language: str,
                           markets: Sequence[str] = MARKETS, context: Optional[str] = None) -> dict:
    """One call for any engine: qualify the concept (using the classification's device match) and apply it."""
    device = classification.get("device") if isinstance(classification.get("device"), dict) else None
    if device is not None and not isinstance(device.get("score"), (int, float)):
        # An engine that names a device type without a match score vouches for it as a strong match.
        device = dict(device, score=STATED_MATCH)
    q = qualify(concept, language, markets, context, match=device)
    return apply_qualification(classification, q)


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
