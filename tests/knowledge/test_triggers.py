"""Trigger predicates from data/FORMAT.md, closed and open world."""
from __future__ import annotations

import pytest

from medreg.knowledge.plans.triggers import TriggerContext, evaluate, market_conditions, referenced_attributes

PUMP = TriggerContext(attributes={"active": True, "software": True, "wireless": True, "body_contact": "intact_skin"},
                      category="drug_delivery", device="insulin-pump-external", markets=("US", "KR"))
ACTIVE_HW = {"all": [{"attr": "active", "eq": True}, {"not": {"attr": "software_only", "eq": True}}]}


@pytest.mark.parametrize("pred, expected", [
    ({"always": True}, True),
    ({"always": False}, False),
    ({"attr": "active", "eq": True}, True),
    ({"attr": "sterile", "eq": True}, False),           # absent flag is false in a closed world
    ({"attr": "sterile", "eq": False}, True),
    ({"attr": "body_contact", "in": ["intact_skin", "mucosa"]}, True),
    ({"attr": "body_contact", "in": ["circulating_blood"]}, False),
    ({"attr": "body_contact", "present": True}, True),
    ({"attr": "duration", "present": True}, False),
    ({"attr": "duration", "present": False}, True),
    ({"category": ["drug_delivery", "monitoring"]}, True),
    ({"category": ["imaging"]}, False),
    ({"device": ["insulin-pump-external"]}, True),
    ({"device": ["hip-stem"]}, False),
    ({"market": "EU"}, False),
    ({"market": "KR"}, True),
    ({"market": ["EU", "US"]}, True),
    (ACTIVE_HW, True),
    ({"all": [ACTIVE_HW, {"attr": "home_use", "eq": True}]}, False),
    ({"any": [{"attr": "software_only", "eq": True}, {"all": [{"attr": "software", "eq": True},
                                                              {"attr": "wireless", "eq": True}]}]}, True),
    ({"not": {"attr": "ivd", "eq": True}}, True),
    (None, False),
])
def test_closed_world(pred: dict, expected: bool) -> None:
    """Each predicate form evaluates as FORMAT.md describes."""
    assert evaluate(pred, PUMP).value is expected


def test_reasons_name_the_satisfied_leaves() -> None:
    """The outcome carries the conditions that made it true (used for `why`)."""
    out = evaluate({"all": [{"attr": "software", "eq": True}, {"attr": "wireless", "eq": True}]}, PUMP)
    assert set(out.reasons) == {("attr", "software", True), ("attr", "wireless", True)}
    out = evaluate({"any": [{"attr": "sterile", "eq": True}, {"market": "KR"}]}, PUMP)
    assert out.reasons == (("market", "KR"),)


@pytest.mark.parametrize("pred, expected", [
    ({"attr": "wireless", "eq": True}, None),          # unknown, not false
    ({"all": [{"attr": "wireless", "eq": True}, {"attr": "software", "eq": False}]}, False),
    ({"any": [{"attr": "wireless", "eq": True}, {"attr": "software", "eq": False}]}, None),
    ({"any": [{"attr": "wireless", "eq": True}, {"attr": "software", "eq": True}]}, True),
    ({"not": {"attr": "wireless", "eq": True}}, None),
    ({"device": ["x"]}, None),
    ({"always": True}, True),
])
def test_open_world_is_three_valued(pred: dict, expected) -> None:
    """Without a classification, only what the known facts decide is decided."""
    ctx = TriggerContext(attributes={"software": True}, closed_world=False)
    assert evaluate(pred, ctx).value is expected


def test_assume_device_makes_device_and_category_hold() -> None:
    """A standard the device type lists holds through its device/category predicates."""
    ctx = TriggerContext(attributes={}, device="other", assume_device=True)
    assert evaluate({"device": ["insulin-pump-external"]}, ctx).value is True
    assert evaluate({"all": [{"category": ["x"]}, {"attr": "home_use", "eq": True}]}, ctx).value is False


def test_unknown_predicate_is_an_error() -> None:
    """A typo in the catalogue is loud, not silently false."""
    with pytest.raises(ValueError):
        evaluate({"atr": "active"}, PUMP)


def test_referenced_attributes_and_markets() -> None:
    """Helpers that tell refine which standards a change touches."""
    pred = {"all": [ACTIVE_HW, {"any": [{"market": "EU"}, {"attr": "home_use", "eq": True}]}]}
    assert referenced_attributes(pred) == {"active", "software_only", "home_use"}
    assert market_conditions(pred) == {"EU"}
    assert referenced_attributes({"always": True}) == set()


def test_with_attributes_sets_and_removes() -> None:
    """Context copies with changed facts; the original is untouched."""
    changed = PUMP.with_attributes({"wireless": False, "software": None})
    assert changed.attributes["wireless"] is False and "software" not in changed.attributes
    assert PUMP.attributes["wireless"] is True
