"""Plan durations, critical path and deadline compression."""
from __future__ import annotations

import pytest

from medreg.knowledge.plans.schedule import compress, critical_path, kind_of, plan_duration, round_weeks


def _plan(pid, weeks, deps=(), kind="document"):
    acts = [{"name": f"{pid} work", "deliverable": "d", "weeks": weeks, "kind": kind}]
    return {"id": pid, "activities": acts, "estimated_weeks": plan_duration(acts), "depends_on": list(deps)}


@pytest.mark.parametrize("activities, weeks", [
    ([], 0),
    ([{"weeks": 2}, {"weeks": 3}], 5),
    ([{"weeks": 2}, {"weeks": 8, "parallel": "standards"}, {"weeks": 6, "parallel": "standards"}], 10),
    ([{"weeks": 1}, {"weeks": 4, "market": "EU"}, {"weeks": 2, "market": "EU"}, {"weeks": 5, "market": "US"}], 7),
    ([{"weeks": 1.2}], 1.5),
])
def test_plan_duration(activities, weeks) -> None:
    """Sequence adds, a parallel group counts its longest, markets run side by side."""
    assert plan_duration(activities) == weeks


def test_critical_path() -> None:
    """The longest dependency chain, in order."""
    plans = [_plan("a", 4), _plan("b", 10, ["a"]), _plan("c", 3, ["a"]), _plan("d", 2, ["b", "c"]), _plan("q", 12)]
    path = critical_path(plans)
    assert path.plan_ids == ("a", "b", "d") and path.weeks == 16


def test_critical_path_survives_cycles_and_unknown_ids() -> None:
    """Foreign plans with a cycle or a dangling dependency still get a path."""
    plans = [_plan("a", 4, ["b", "zzz"]), _plan("b", 5, ["a"])]
    assert critical_path(plans).weeks == 9


@pytest.mark.parametrize("name, kind", [("Clinical investigation", "clinical"), ("임상시험", "clinical"),
                                        ("Notified-body audit", "audit"), ("IEC 60601-1 testing", "test"),
                                        ("소프트웨어 검증", "test"), ("Write the plan", "document")])
def test_kind_guessed_from_name(name, kind) -> None:
    """Plans made elsewhere get a kind from the activity's name."""
    assert kind_of({"name": name}) == kind


def test_compress_only_as_needed() -> None:
    """Only the critical chain shrinks, and only to the deadline."""
    plans = [_plan("a", 10), _plan("b", 10, ["a"]), _plan("side", 8)]
    result = compress(plans, 16)
    assert result.feasible and result.after.weeks == 16
    assert plans[2]["activities"][0]["weeks"] == 8          # not on the critical path: untouched
    assert {i for i, *_ in result.edits} <= {0, 1}


def test_compress_respects_floors() -> None:
    """Clinical work does not compress; documents stop at their floor; infeasible is reported."""
    plans = [_plan("clin", 52, kind="clinical"), _plan("doc", 10, ["clin"])]
    result = compress(plans, 20)
    assert not result.feasible
    assert plans[0]["activities"][0]["weeks"] == 52
    assert plans[1]["activities"][0]["weeks"] == round_weeks(10 * 0.6)
    assert result.after.weeks == 58


def test_compress_keeps_foreign_estimate_offsets() -> None:
    """A plan whose estimate is not its activities' sum moves only by what was saved."""
    plan = _plan("a", 10)
    plan["estimated_weeks"] = 14
    result = compress([plan], 12)
    assert result.feasible and plan["estimated_weeks"] == 12
    assert plan["activities"][0]["weeks"] == 8


@pytest.mark.parametrize("value, weeks", [(None, 0.0), ("3", 3.0), ("x", 0.0), (-2, 0.0), (float("nan"), 0.0),
                                          (10 ** 400, 0.0), (2 ** 70, 520.0), (5000, 520.0)])
def test_weeks_of_foreign_values(value, weeks) -> None:
    """Bad or huge week counts from plans made elsewhere never raise."""
    from medreg.knowledge.plans.schedule import weeks_of

    assert weeks_of(value) == weeks
