"""Rest between shifts: overlaps across midnight, rests longer than a day, baseline twins.

A night at 22:00 for 540 minutes ends at 07:00 the next morning; with 36 h of rest
the early shift (07:00) two days later is too soon (24 h) and three days later is
fine (48 h). A night of 600 minutes ends at 08:00 and overlaps the next early shift.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.check import check
from optimizer.errors import InputError
from optimizer.io.project import problem_from_data
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

MONDAY = dt.date(2024, 1, 1)
BACKENDS = ("cpsat", "milp")
EARLY = ShiftType(id="E", start="07:00", length_minutes=480)


def _night(length: int = 540, rest: float | None = None) -> ShiftType:
    return ShiftType(id="N", start="22:00", length_minutes=length, min_rest_hours=rest)


def _problem(night: ShiftType, num_days: int, cover: dict[int, str]) -> RosterProblem:
    """One nurse; ``cover`` maps a day to the shift that needs one person (100 if short)."""
    return RosterProblem(
        start_date=MONDAY,
        num_days=num_days,
        shifts=(EARLY, night),
        staff=(Staff(id="A"),),
        cover=tuple(CoverDemand(day=d, shift=s, required=1) for d, s in cover.items()),
    )


def _roster(*rows: tuple[int, str]) -> RosterSolution:
    return RosterSolution(assignments=tuple(Assignment(staff="A", day=d, shift=s) for d, s in rows))


def test_overlapping_shifts_are_a_forbidden_succession_without_any_rule() -> None:
    overlapping = _problem(_night(length=600), 2, {})
    assert overlapping.forbidden_successions() == {("N", "E")}
    ending_at_seven = _problem(_night(length=540), 2, {})  # ends as the early one starts
    assert ending_at_seven.forbidden_successions() == set()


def test_long_rest_reaches_beyond_the_next_day() -> None:
    assert _problem(_night(rest=36), 3, {}).forbidden_later_successions() == {("N", "E", 2)}
    # 24 h exactly is enough: only the next day is affected.
    at_limit = _problem(_night(rest=24), 3, {})
    assert at_limit.forbidden_later_successions() == set()
    assert at_limit.forbidden_successions() == {("N", "E"), ("N", "N")}
    week = ShiftType(id="D", start="08:00", length_minutes=480, min_rest_hours=168)
    weekly = RosterProblem(start_date=MONDAY, num_days=14, shifts=(week,), staff=(Staff(id="A"),))
    # Day 7 at 08:00 is 6 days 16 h after 16:00 on day 0; day 8 is a full week later.
    assert weekly.forbidden_later_successions() == {("D", "D", k) for k in range(2, 8)}


def test_checker_flags_a_rest_too_short_two_days_later() -> None:
    problem = _problem(_night(rest=36), 4, {})
    report = check(problem, _roster((0, "N"), (2, "E")))
    assert [(v.rule, v.days) for v in report.violations] == [("succession", (0, 2))]
    assert check(problem, _roster((0, "N"), (3, "E"))).feasible
    assert check(problem, _roster((0, "N"), (2, "N"))).feasible  # 39 h


def test_checker_flags_overlapping_shifts() -> None:
    problem = _problem(_night(length=600), 2, {})
    report = check(problem, _roster((0, "N"), (1, "E")))
    assert [(v.rule, v.days) for v in report.violations] == [("succession", (0, 1))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_solvers_keep_a_long_rest(backend: str) -> None:
    # N on day 0, E on days 2 and 3: the nurse can't do N and E on day 2; one is short.
    problem = _problem(_night(rest=36), 4, {0: "N", 2: "E", 3: "E"})
    result, report = solve_verified(problem, backend=backend, time_limit=20)
    assert (result.objective, report.cost_by_rule()) == (100, {"under_cover": 100})


@pytest.mark.parametrize("backend", BACKENDS)
def test_solvers_refuse_overlapping_shifts(backend: str) -> None:
    problem = _problem(_night(length=600), 2, {0: "N", 1: "E"})
    result, report = solve_verified(problem, backend=backend, time_limit=20)
    assert (result.objective, report.cost_by_rule()) == (100, {"under_cover": 100})


def test_baseline_with_two_shifts_on_one_day_is_refused() -> None:
    data: dict[str, Any] = {
        "kind": "roster",
        "start_date": "2024-01-01",
        "num_days": 3,
        "shifts": [
            {"id": "E", "start": "07:00", "length_minutes": 480},
            {"id": "N", "start": "22:00", "length_minutes": 540},
        ],
        "staff": [{"id": "A"}],
        "baseline": {
            "assignments": [
                {"staff": "A", "day": 1, "shift": "E"},
                {"staff": "A", "day": 1, "shift": "N"},
            ]
        },
    }
    with pytest.raises(InputError) as info:
        problem_from_data(data, "p.json")
    message = str(info.value)
    assert "baseline[1] of 'A' (Tue 2 Jan): the day is in the baseline twice (E and N)" in message
