"""Property tests: CP-SAT, MILP and the checker agree on small random rosters.

Hypothesis draws small ``RosterProblem`` instances touching every rule: skills, shifts
crossing midnight, forbidden successions, rests shorter and longer than a day, hard and
soft cover, leave, requests, pins, contracts, weekends and a baseline. Records are built
through the pydantic models; whatever they refuse (a pin on a day of leave, a minimum
above a maximum, a demand for a skill nobody holds) is rejected, not hand-avoided.

Both backends must reach the same verdict: both infeasible, or both optimal with equal
objectives, each solution passing the independent checker. On the tiniest instances the
checker alone also enumerates every roster, so neither backend can be wrong in the same
way as the other without the test noticing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from optimizer import solve
from optimizer.check import check
from optimizer.model.result import Assignment, RosterSolution, SolveStatus
from optimizer.model.roster import (
    Baseline,
    BaselineShift,
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)
from tests.verify import verify_result

BACKENDS = ("cpsat", "milp")
MONDAY = dt.date(2026, 12, 7)
SHIFT_IDS = ("E", "L", "N")
SKILLS = ("RN", "ICU")
TIME_LIMIT = 20

R = TypeVar("R", bound=BaseModel)
Draw = Callable[[st.SearchStrategy[Any]], Any]


def _valid(model: type[R], **fields: Any) -> R:
    """``model(**fields)``, or reject the example if the model refuses it."""
    try:
        return model(**fields)
    except ValidationError:
        reject()


def _maybe(draw: Draw, values: list[Any]) -> Any:
    """None (unset) about half the time, else one of ``values``."""
    return draw(st.sampled_from([None] * len(values) + values))


def _shift(draw: Draw, shift_id: str, ids: tuple[str, ...]) -> ShiftType:
    # starts and lengths that end before, at and after midnight (a 22:00 + 600 night
    # overlaps the next morning); rests below and above a day
    return _valid(
        ShiftType,
        id=shift_id,
        start=draw(st.sampled_from([0, 360, 420, 780, 840, 1260, 1320])),
        length_minutes=draw(st.sampled_from([240, 480, 540, 600, 720])),
        forbidden_next=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))),
        min_rest_hours=_maybe(draw, [8, 11, 12.5, 16, 24, 36, 50]),
    )


def _contract(draw: Draw, ids: tuple[str, ...]) -> Contract:
    per_type = draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 2), max_size=2))
    return _valid(
        Contract,
        min_minutes=draw(st.sampled_from([0, 0, 0, 480, 960])),
        max_minutes=_maybe(draw, [480, 1000, 1440, 2400]),
        max_shifts=_maybe(draw, [1, 2, 3]),
        max_shifts_per_type=per_type,
        min_consecutive_work=draw(st.sampled_from([1, 1, 1, 2])),
        max_consecutive_work=_maybe(draw, [1, 2, 3]),
        min_consecutive_off=draw(st.sampled_from([1, 1, 1, 2])),
        max_weekends=_maybe(draw, [0, 1]),
    )


def _staff(draw: Draw, index: int, ids: tuple[str, ...]) -> Staff:
    return Staff(
        id=f"s{index}",
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2))),
        contract=_contract(draw, ids) if draw(st.booleans()) else Contract(),
    )


def _cover(draw: Draw, ids: tuple[str, ...], num_days: int) -> tuple[CoverDemand, ...]:
    keys = draw(
        st.lists(
            st.tuples(
                st.integers(0, num_days - 1), st.sampled_from(ids), st.sampled_from([None, *SKILLS])
            ),
            unique=True,
            max_size=2 * num_days,
        )
    )
    return tuple(
        _valid(
            CoverDemand,
            day=day,
            shift=shift,
            skill=skill,
            required=draw(st.integers(0, 3)),
            min_required=draw(st.sampled_from([0, 0, 0, 0, 1, 2])),
            under_weight=draw(st.sampled_from([0, 1, 10, 100])),
            over_weight=draw(st.sampled_from([0, 0, 1, 5])),
        )
        for day, shift, skill in keys
    )


def _leave(draw: Draw, people: list[str], ids: tuple[str, ...], num_days: int) -> Unavailability:
    shifts = draw(st.none() | st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=2))
    return _valid(
        Unavailability,
        staff=draw(st.sampled_from(people)),
        first_day=draw(st.integers(0, num_days - 1)),
        last_day=draw(st.integers(0, num_days - 1)),  # before first_day: rejected
        shifts=None if shifts is None else tuple(shifts),
    )


def _request(draw: Draw, people: list[str], ids: tuple[str, ...], num_days: int) -> ShiftRequest:
    return ShiftRequest(
        staff=draw(st.sampled_from(people)),
        day=draw(st.integers(0, num_days - 1)),
        shift=draw(st.sampled_from([None, *ids])),
        want=draw(st.booleans()),
        weight=draw(st.sampled_from([1, 3, 20])),
    )


def _pin(draw: Draw, people: list[str], ids: tuple[str, ...], num_days: int) -> Pin:
    return Pin(
        staff=draw(st.sampled_from(people)),
        day=draw(st.integers(0, num_days - 1)),
        shift=draw(st.sampled_from([None, *ids])),
    )


def _baseline(
    draw: Draw, people: list[str], ids: tuple[str, ...], num_days: int
) -> Baseline | None:
    if not draw(st.booleans()):
        return None
    cells = draw(
        st.lists(
            st.tuples(st.sampled_from(people), st.integers(0, num_days - 1), st.sampled_from(ids)),
            unique_by=lambda cell: cell[:2],
            max_size=num_days,
        )
    )
    return Baseline(
        assignments=tuple(BaselineShift(staff=s, day=d, shift=sh) for s, d, sh in cells),
        change_weight=draw(st.sampled_from([1, 5, 30])),
    )


@st.composite
def roster_problems(
    draw: Draw, max_staff: int = 4, max_days: int = 6, max_shifts: int = 3
) -> RosterProblem:
    """A small random roster problem; invalid combinations are rejected by the model."""
    num_days = draw(st.integers(3, max_days))
    ids = SHIFT_IDS[: draw(st.integers(1, max_shifts))]
    people = [f"s{i}" for i in range(draw(st.integers(2, max_staff)))]
    sized = (draw, people, ids, num_days)
    fields = {
        "start_date": MONDAY + dt.timedelta(days=draw(st.integers(0, 6))),  # weekends move
        "num_days": num_days,
        "shifts": tuple(_shift(draw, shift_id, ids) for shift_id in ids),
        "staff": tuple(_staff(draw, i, ids) for i in range(len(people))),
        "cover": _cover(draw, ids, num_days),
        "unavailability": tuple(_leave(*sized) for _ in range(draw(st.integers(0, 2)))),
        "requests": tuple(_request(*sized) for _ in range(draw(st.integers(0, 3)))),
        "pins": tuple(_pin(*sized) for _ in range(draw(st.integers(0, 2)))),
        "baseline": _baseline(*sized),
    }
    # duplicate pins, pins on leave, demands for a skill nobody holds: rejected
    return _valid(RosterProblem, **fields)


def _outcome(problem: RosterProblem, backend: str) -> tuple[SolveStatus, int | None]:
    """The backend's status and objective; any solution is verified by the checker."""
    result = solve(problem, backend=backend, time_limit=TIME_LIMIT, workers=1, seed=0)
    if result.status.has_solution:
        verify_result(problem, result)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE), (
        f"{backend}: {result.status} {result.message}"
    )
    return result.status, result.objective


def _brute_force_optimum(problem: RosterProblem) -> int | None:
    """The checker's best objective over every roster, or None if none is feasible."""
    choices = [None, *(s.id for s in problem.shifts)]
    cells = [(p.id, d) for p in problem.staff for d in range(problem.num_days)]
    best: int | None = None
    for picks in itertools.product(choices, repeat=len(cells)):
        roster = RosterSolution(
            assignments=tuple(
                Assignment(staff=staff, day=day, shift=shift)
                for (staff, day), shift in zip(cells, picks, strict=True)
                if shift is not None
            )
        )
        report = check(problem, roster)
        if report.feasible and (best is None or report.objective < best):
            best = report.objective
    return best


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(roster_problems())
def test_backends_agree_on_random_rosters(problem: RosterProblem) -> None:
    cpsat, milp = (_outcome(problem, backend) for backend in BACKENDS)
    assert cpsat == milp, f"cpsat {cpsat} != milp {milp}"


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(roster_problems(max_staff=2, max_days=3, max_shifts=2))
def test_backends_find_the_brute_force_optimum(problem: RosterProblem) -> None:
    # at most 3 choices for each of 2 x 3 staff-days: 729 rosters, all checked
    expected = _brute_force_optimum(problem)
    for backend in BACKENDS:
        status, objective = _outcome(problem, backend)
        assert objective == expected, f"{backend}: {status} {objective}, checker best {expected}"
