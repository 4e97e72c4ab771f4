"""Plan durations, the critical path through `depends_on`, and compression towards a deadline.

Activities run in sequence unless they say otherwise: those sharing a `parallel` group run
side by side (test laboratories work in parallel), and market-specific activities run per
market in parallel with the other markets. Plans made elsewhere (no such fields) are
treated as sequential, which is the cautious reading.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# How far an activity can be shortened by adding people or paying for priority slots:
# documents compress most; laboratory tests a little; regulator reviews and clinical
# investigations not at all (their pace is not ours).
COMPRESSIBLE: dict[str, float] = {"document": 0.6, "test": 0.8, "audit": 1.0, "clinical": 1.0}
WEEKS_PER_MONTH = 52 / 12
MAX_WEEKS = 520.0   # ten years: the schema's bound on an activity, and a sane cap on foreign input

_KIND_WORDS = (
    ("clinical", re.compile(r"clinical (investigation|study|trial)|임상시험", re.I)),
    ("audit", re.compile(r"audit|notified.body|review by|registration|심사|등록|승인", re.I)),
    ("test", re.compile(r"\btest|testing|validation|verification|시험|검증|밸리데이션", re.I)),
)


def weeks_of(value) -> float:
    """A number of weeks from a plan made elsewhere (a bad value counts as 0, never an error)."""
    try:
        weeks = float(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    if weeks != weeks or weeks < 0:          # NaN and negatives count as 0
        return 0.0
    return min(weeks, MAX_WEEKS)


def round_weeks(weeks: float) -> float:
    """Weeks rounded up to the half week (plans are not more precise than that)."""
    if weeks != weeks or weeks == math.inf:
        weeks = MAX_WEEKS * 100
    return math.ceil(max(0.0, weeks) * 2 - 1e-9) / 2


def kind_of(activity: dict) -> str:
    """The activity's kind, guessed from its name when a plan made elsewhere lacks it."""
    if activity.get("kind") in COMPRESSIBLE:
        return activity["kind"]
    name = str(activity.get("name", ""))
    for kind, pattern in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return "document"


def plan_duration(activities: list[dict]) -> float:
    """Weeks a plan takes with its activities' sequence and parallel groups."""
    sequential = 0.0
    groups: dict[str, float] = {}
    per_market: dict[str, float] = {}
    for activity in activities:
        weeks = weeks_of(activity.get("weeks"))
        if activity.get("market"):
            per_market[activity["market"]] = per_market.get(activity["market"], 0.0) + weeks
        elif activity.get("parallel"):
            groups[activity["parallel"]] = max(groups.get(activity["parallel"], 0.0), weeks)
        else:
            sequential += weeks
    return round_weeks(sequential + sum(groups.values()) + max(per_market.values(), default=0.0))


def plan_weeks(plan: dict) -> float:
    """A plan's estimate, or its activities' duration when it has none."""
    if plan.get("estimated_weeks") in (None, ""):
        return plan_duration(plan.get("activities") or [])
    return weeks_of(plan.get("estimated_weeks"))


def _ids(plans: list[dict]) -> dict[str, dict]:
    return {p.get("id"): p for p in plans if p.get("id")}


@dataclass(frozen=True)
class CriticalPath:
    """The longest chain of dependent plans and its length in weeks."""

    weeks: float
    plan_ids: tuple[str, ...]


def critical_path(plans: list[dict]) -> CriticalPath:
    """The longest path through `depends_on` using each plan's `estimated_weeks`."""
    by_id = _ids(plans)
    finish: dict[str, float] = {}
    previous: dict[str, str | None] = {}

    def visit(plan_id: str, trail: tuple[str, ...]) -> float:
        if plan_id in finish:
            return finish[plan_id]
        plan = by_id[plan_id]
        start, before = 0.0, None
        for dep in plan.get("depends_on") or []:
            if dep in by_id and dep != plan_id and dep not in trail:   # cycles in foreign plans are ignored
                end = visit(dep, trail + (plan_id,))
                if end > start:
                    start, before = end, dep
        finish[plan_id] = start + plan_weeks(plan)
        previous[plan_id] = before
        return finish[plan_id]

    for plan_id in by_id:
        visit(plan_id, ())
    if not finish:
        return CriticalPath(0.0, ())
    last = max(finish, key=lambda k: finish[k])
    chain = [last]
    while previous.get(chain[-1]) and previous[chain[-1]] not in chain:
        chain.append(previous[chain[-1]])
    return CriticalPath(round_weeks(finish[last]), tuple(reversed(chain)))


@dataclass
class Compression:
    """What compressing towards a deadline did: (plan index, activity index, before, after)."""

    deadline_weeks: float
    before: CriticalPath
    after: CriticalPath
    edits: list[tuple[int, int, float, float]]

    @property
    def feasible(self) -> bool:
        """The compressed critical path fits within the deadline."""
        return self.after.weeks <= self.deadline_weeks + 1e-9


def compress(plans: list[dict], deadline_weeks: float) -> Compression:
    """Shorten activities just enough to meet the deadline, or as far as they go; edits `plans`.

    All plans are compressed by one common fraction of their slack (the smallest that meets
    the deadline, found by bisection), then every plan whose compression the critical path
    does not need is put back, so only the plans that matter change.
    """
    before = critical_path(plans)
    if before.weeks <= deadline_weeks:
        return Compression(deadline_weeks, before, before, [])
    original = [[weeks_of(a.get("weeks")) for a in p.get("activities") or []] for p in plans]
    floors = [[round_weeks(w * COMPRESSIBLE[kind_of(a)]) for w, a in zip(ws, p.get("activities") or [])]
              for ws, p in zip(original, plans)]
    # Plans made elsewhere may carry an estimate that is not the sum of their activities:
    # keep their offset and move the estimate only by what compression saved.
    base = [(plan_weeks(p), plan_duration(p.get("activities") or [])) for p in plans]
    estimates = [p.get("estimated_weeks") for p in plans]

    def apply(i: int, fraction: float) -> None:
        acts = plans[i].get("activities") or []
        for j, activity in enumerate(acts):
            w, floor = original[i][j], floors[i][j]
            activity["weeks"] = w if fraction == 0 else max(floor, round_weeks(w - (w - floor) * fraction))
        estimate, duration = base[i]
        plans[i]["estimated_weeks"] = (estimates[i] if fraction == 0
                                       else round_weeks(estimate - (duration - plan_duration(acts))))

    def everything(fraction: float) -> float:
        for i in range(len(plans)):
            apply(i, fraction)
        return critical_path(plans).weeks

    target = max(deadline_weeks, everything(1.0))
    low, high = 0.0, 1.0
    for _ in range(16):
        mid = (low + high) / 2
        if everything(mid) <= target:
            high = mid
        else:
            low = mid
    everything(high)
    for i in range(len(plans)):
        apply(i, 0.0)
        if critical_path(plans).weeks > target:
            apply(i, high)
    edits = [(i, j, original[i][j], weeks_of(plans[i]["activities"][j]["weeks"]))
             for i in range(len(plans)) for j in range(len(original[i]))
             if weeks_of(plans[i]["activities"][j]["weeks"]) != original[i][j]]
    return Compression(deadline_weeks, before, critical_path(plans), edits)
