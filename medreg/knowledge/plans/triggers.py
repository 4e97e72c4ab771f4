"""Evaluates the standards catalogue's trigger predicates (see data/FORMAT.md).

Evaluation is three-valued: with a closed world (a classification is known) an absent
attribute is false, as FORMAT.md says ("omit what does not apply"); with an open world
(refining plans sent without their classification) an absent attribute is unknown, so a
standard is only dropped or added when the feedback alone decides its trigger.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional

# One satisfied leaf condition: ("always",), ("attr", key, value), ("category", code),
# ("device", id), ("market", code), or ("not", reason) for a satisfied negation.
Reason = tuple


@dataclass(frozen=True)
class TriggerContext:
    """The facts a trigger is evaluated against."""

    attributes: dict = field(default_factory=dict)
    category: Optional[str] = None
    device: Optional[str] = None
    markets: tuple[str, ...] = ()
    closed_world: bool = True
    # For a standard the device type lists itself: its device/category predicates hold.
    assume_device: bool = False

    def with_attributes(self, changes: dict) -> "TriggerContext":
        """A copy with some attributes set (value None removes the attribute)."""
        attributes = dict(self.attributes)
        for key, value in changes.items():
            if value is None:
                attributes.pop(key, None)
            else:
                attributes[key] = value
        return replace(self, attributes=attributes)


@dataclass(frozen=True)
class Outcome:
    """A trigger's truth value (None = unknown) and the leaf conditions that made it true."""

    value: Optional[bool]
    reasons: tuple = ()


def _attribute(ctx: TriggerContext, key: str) -> tuple[bool, Any]:
    if key in ctx.attributes:
        return True, ctx.attributes[key]
    return False, None


def _leaf_attr(pred: dict, ctx: TriggerContext) -> Outcome:
    key = pred["attr"]
    known, value = _attribute(ctx, key)
    if "present" in pred:
        wanted = bool(pred["present"])
        if not known:
            return Outcome(None if not ctx.closed_world else not wanted)
        present = value is not None and value is not False
        ok = present == wanted
        return Outcome(ok, (("attr", key, value),) if ok else ())
    if not known:
        if ctx.closed_world:
            # An omitted boolean attribute is false; anything else simply does not match.
            if "eq" in pred:
                return Outcome(pred["eq"] is False, (("attr", key, False),) if pred["eq"] is False else ())
            return Outcome(False)
        return Outcome(None)
    if "eq" in pred:
        ok = value == pred["eq"]
    elif "in" in pred:
        ok = value in pred["in"]
    else:
        raise ValueError(f"attr predicate needs eq, in or present: {pred!r}")
    return Outcome(ok, (("attr", key, value),) if ok else ())


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _all(parts: list[Outcome]) -> Outcome:
    if any(p.value is False for p in parts):
        return Outcome(False)
    if any(p.value is None for p in parts):
        return Outcome(None)
    return Outcome(True, tuple(r for p in parts for r in p.reasons))


def _any(parts: list[Outcome]) -> Outcome:
    true = [p for p in parts if p.value is True]
    if true:
        return Outcome(True, tuple(r for p in true for r in p.reasons))
    if any(p.value is None for p in parts):
        return Outcome(None)
    return Outcome(False)


def evaluate(pred: Optional[dict], ctx: TriggerContext) -> Outcome:
    """Evaluate one predicate; a missing predicate never triggers."""
    if not pred:
        return Outcome(False)
    if "always" in pred:
        return Outcome(bool(pred["always"]), (("always",),) if pred["always"] else ())
    if "attr" in pred:
        return _leaf_attr(pred, ctx)
    if "category" in pred:
        if ctx.assume_device:
            return Outcome(True, ())
        if ctx.category is None:
            return Outcome(None if not ctx.closed_world else False)
        ok = ctx.category in _as_list(pred["category"])
        return Outcome(ok, (("category", ctx.category),) if ok else ())
    if "device" in pred:
        if ctx.assume_device:
            return Outcome(True, (("device", ctx.device),))
        if ctx.device is None:
            return Outcome(None if not ctx.closed_world else False)
        ok = ctx.device in _as_list(pred["device"])
        return Outcome(ok, (("device", ctx.device),) if ok else ())
    if "market" in pred:
        hits = [m for m in _as_list(pred["market"]) if m in ctx.markets]
        return Outcome(bool(hits), tuple(("market", m) for m in hits))
    if "all" in pred:
        return _all([evaluate(p, ctx) for p in pred["all"]])
    if "any" in pred:
        return _any([evaluate(p, ctx) for p in pred["any"]])
    if "not" in pred:
        inner = evaluate(pred["not"], ctx)
        if inner.value is None:
            return Outcome(None)
        return Outcome(not inner.value, (("not", pred["not"]),) if not inner.value else ())
    raise ValueError(f"unknown trigger predicate: {pred!r}")


def referenced_attributes(pred: Optional[dict]) -> set[str]:
    """Every attribute key a predicate looks at (to tell which standards a change touches)."""
    if not pred:
        return set()
    if "attr" in pred:
        return {pred["attr"]}
    keys: set[str] = set()
    for combinator in ("all", "any"):
        for part in pred.get(combinator, []):
            keys |= referenced_attributes(part)
    if "not" in pred:
        keys |= referenced_attributes(pred["not"])
    return keys


def market_conditions(pred: Optional[dict]) -> set[str]:
    """The markets a predicate names (a standard triggered only through them is market-specific)."""
    if not pred:
        return set()
    if "market" in pred:
        return set(_as_list(pred["market"]))
    found: set[str] = set()
    for combinator in ("all", "any"):
        for part in pred.get(combinator, []):
            found |= market_conditions(part)
    return found
