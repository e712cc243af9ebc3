"""Property tests of lexicographic priorities on small random rosters.

Random problems come from ``tests/test_roster_properties.py``; the stages are a random
ordered split of the penalty rules, each rule with a multiplier of 1–3. On every
problem, for both roster backends:

* the lexicographic roster's first-stage value is the optimum of one solve with only
  that stage as the objective (``stage_weights``): later stages, capped by it, keep it;
* CP-SAT and the MILP reach the same vector of stage values (a lexicographic optimum's
  vector is unique, whichever roster attains it);
* every roster, staged or lexicographic, passes the independent checker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import pairwise

from hypothesis import HealthCheck, event, example, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from optimizer import solve
from optimizer.lexicographic import DEFAULT_STAGES, solve_lexicographic
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import (
    ROSTER_PENALTY_RULES,
    Baseline,
    BaselineShift,
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
)
from tests.test_lexicographic import _ward
from tests.test_roster_properties import roster_problems
from tests.verify import verify_result

BACKENDS = ("cpsat", "milp")
TIME_LIMIT = 10.0
"""Seconds per solve (per stage for a lexicographic run)."""

Stages = list[dict[str, int]]
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

CBC_STALL = RosterProblem(
    start_date=dt.date(2026, 12, 8),
    num_days=4,
    shifts=(
        ShiftType(id="E", start=780, length_minutes=480),
        ShiftType(id="L", start=0, length_minutes=540, forbidden_next=("E", "N")),
        ShiftType(
            id="N", start=1320, length_minutes=480, forbidden_next=("L",), min_rest_hours=12.5
        ),
    ),
    staff=(
        Staff(
            id="s0",
            skills=("ICU",),
            contract=Contract(
                min_minutes=480,
                max_minutes=1440,
                max_shifts=2,
                max_consecutive_work=3,
                max_weekends=0,
            ),
        ),
        Staff(
            id="s1",
            skills=("ICU",),
            contract=Contract(
                min_minutes=480,
                max_minutes=480,
                max_shifts=3,
                max_consecutive_work=1,
                max_weekends=0,
            ),
        ),
        Staff(id="s2"),
    ),
    cover=(
        CoverDemand(day=1, shift="L", skill="ICU", required=2, min_required=1, under_weight=1),
        CoverDemand(day=3, shift="N", required=2, under_weight=0, over_weight=0),
        CoverDemand(day=1, shift="E", required=2, min_required=2, under_weight=1, over_weight=0),
    ),
    requests=(
        ShiftRequest(staff="s2", day=2, shift="L", want=True, weight=3),
        ShiftRequest(staff="s1", day=3, want=True, weight=20),
        ShiftRequest(staff="s0", day=0, want=False, weight=1),
        ShiftRequest(staff="s1", day=0, want=True, weight=20),
        ShiftRequest(staff="s0", day=0, want=True, weight=3),
        ShiftRequest(staff="s0", day=0, want=False, weight=1),
        ShiftRequest(staff="s1", day=3, want=False, weight=3),
    ),
    baseline=Baseline(
        assignments=(
            BaselineShift(staff="s2", day=1, shift="E"),
            BaselineShift(staff="s0", day=0, shift="N"),
            BaselineShift(staff="s2", day=0, shift="L"),
            BaselineShift(staff="s1", day=3, shift="E"),
        ),
        change_weight=30,
    ),
)
"""Found by ``test_first_stage_keeps_its_own_optimum`` with the one stage below: now and
then (about 1 solve in 40) the MILP stage runs 10 s and ends FEASIBLE at value 450, gap 0,
while CP-SAT and most MILP runs prove 450 optimal at once. CBC's log: "Thread 0 used 0
times, waiting to start 10.000108", "Exiting on maximum time" (even with time_limit=3):
``threads=1`` turns on CBC's threaded search, whose one worker sometimes never starts."""
CBC_STALL_STAGES = [{"baseline_change": 3, "shift_off_request": 1, "over_cover": 2}]


@st.composite
def stage_lists(draw: st.DrawFn) -> Stages:
    """The default stages, or an ordered split of a random subset of the penalty rules."""
    if draw(st.booleans()):
        return [dict(stage) for stage in DEFAULT_STAGES]
    rules = draw(st.permutations(ROSTER_PENALTY_RULES))[: draw(st.integers(1, 5))]
    cuts = sorted(draw(st.sets(st.integers(1, len(rules) - 1), max_size=2))) if rules[1:] else []
    bounds = [0, *cuts, len(rules)]
    return [
        {rule: draw(st.integers(1, 3)) for rule in rules[start:end]}
        for start, end in pairwise(bounds)
    ]


@st.composite
def contested_problems(draw: st.DrawFn) -> RosterProblem:
    """A random roster problem with up to six more requests to work or be off on any
    shift, so that requests more often pull against cover and the stages conflict."""
    problem = draw(roster_problems())
    extra = draw(
        st.lists(
            st.builds(
                ShiftRequest,
                staff=st.sampled_from([person.id for person in problem.staff]),
                day=st.integers(0, problem.num_days - 1),
                want=st.booleans(),
                weight=st.sampled_from([1, 3, 20]),
            ),
            max_size=6,
        )
    )
    try:
        return RosterProblem(**{**dict(problem), "requests": (*problem.requests, *extra)})
    except ValidationError:
        reject()


def _stage_value(terms: Mapping[str, int], stage: Mapping[str, int]) -> int:
    """``sum(multiplier * cost)`` of one stage's rules."""
    return sum(multiplier * terms.get(rule, 0) for rule, multiplier in stage.items())


def _lexicographic(problem: RosterProblem, stages: Stages, backend: str) -> Result:
    """A reproducible lexicographic solve; any roster is verified on the plain scale."""
    result = solve_lexicographic(
        problem,
        stages,
        backend=backend,
        time_limit_per_stage=TIME_LIMIT,
        workers=1,
        seed=0,
    )
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE), (
        f"{backend}: {result.status} {result.message}"
    )
    if result.status.has_solution:
        verify_result(problem, result)
    return result


def _stage_optimum(problem: RosterProblem, stage: dict[str, int], backend: str) -> int | None:
    """The optimum of ``stage`` alone as the objective, or None when infeasible."""
    result = solve(
        problem, backend=backend, time_limit=TIME_LIMIT, workers=1, seed=0, stage_weights=stage
    )
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE), (
        f"{backend}: {result.status} {result.message}"
    )
    if not result.status.has_solution:
        return None
    verify_result(problem, result, objective=False)
    assert result.objective == _stage_value(result.terms, stage)
    return result.objective


def _stage_values(problem: RosterProblem, stages: Stages, backend: str) -> list[int] | None:
    """The lexicographic roster's value of every stage, or None when infeasible."""
    result = _lexicographic(problem, stages, backend)
    event(f"lexicographic: {result.status}")
    if not result.status.has_solution:
        return None
    values = [_stage_value(result.terms, stage) for stage in stages]
    event("every stage at 0" if not any(values) else "some stage above 0")
    return values


@PROPERTY_SETTINGS
@given(problem=contested_problems(), stages=stage_lists())
@example(problem=_ward(), stages=[dict(stage) for stage in DEFAULT_STAGES])
@example(problem=CBC_STALL, stages=CBC_STALL_STAGES)
def test_first_stage_keeps_its_own_optimum(problem: RosterProblem, stages: Stages) -> None:
    for backend in BACKENDS:
        values = _stage_values(problem, stages, backend)
        optimum = _stage_optimum(problem, stages[0], backend)
        first = None if values is None else values[0]
        assert first == optimum, (
            f"{backend}: lexicographic stage values {values}, first stage alone {optimum}"
        )


@PROPERTY_SETTINGS
@given(problem=contested_problems(), stages=stage_lists())
@example(problem=_ward(), stages=[dict(stage) for stage in DEFAULT_STAGES])
def test_backends_agree_on_stage_values(problem: RosterProblem, stages: Stages) -> None:
    cpsat, milp = (_stage_values(problem, stages, backend) for backend in BACKENDS)
    assert cpsat == milp, f"stages {stages}: cpsat {cpsat} != milp {milp}"
