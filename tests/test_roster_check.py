"""The independent roster checker, rule by rule, on hand-built rosters.

Each rule has a pair: a roster that keeps it and one that breaks it by a known amount.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.check import check
from optimizer.model.result import Assignment, RosterSolution
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

MONDAY = dt.date(2024, 1, 1)


def _problem(num_days: int = 7, contract: Contract | None = None, **extra: Any) -> RosterProblem:
    """Two nurses (A holds ICU), early and night shifts; night may not precede early."""
    contract = contract or Contract()
    return RosterProblem(
        start_date=MONDAY,
        num_days=num_days,
        shifts=(
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(
                id="N", name="Night", start="21:00", length_minutes=600, forbidden_next=("E",)
            ),
        ),
        staff=(
            Staff(id="A", name="Ana Silva", skills=("RN", "ICU"), contract=contract),
            Staff(id="B", name="Ben Ode", skills=("RN",), contract=contract),
        ),
        **extra,
    )


def _roster(*rows: tuple[str, int, str]) -> RosterSolution:
    return RosterSolution(
        assignments=tuple(Assignment(staff=s, day=d, shift=t) for s, d, t in rows)
    )


def _rules(problem: RosterProblem, solution: RosterSolution) -> list[tuple[str, int]]:
    return [(v.rule, v.amount) for v in check(problem, solution).violations]


def test_empty_roster_without_rules_is_feasible_and_free() -> None:
    report = check(_problem(), _roster())
    assert report.feasible
    assert report.objective == 0


def test_two_shifts_on_one_day_is_a_violation() -> None:
    assert _rules(_problem(), _roster(("A", 0, "E"), ("A", 0, "N"))) == [("one_shift_per_day", 1)]


@pytest.mark.parametrize(("shift", "broken"), [("E", True), ("N", False)])
def test_unavailability_for_some_shifts(shift: str, broken: bool) -> None:
    problem = _problem(
        unavailability=(Unavailability(staff="A", first_day=1, last_day=2, shifts=("E",)),)
    )
    rules = _rules(problem, _roster(("A", 2, shift)))
    assert rules == ([("unavailable", 1)] if broken else [])


def test_pin_to_shift_and_pin_to_day_off() -> None:
    problem = _problem(pins=(Pin(staff="A", day=0, shift="E"), Pin(staff="B", day=0, shift=None)))
    assert _rules(problem, _roster(("A", 0, "E"))) == []
    assert _rules(problem, _roster(("A", 0, "N"), ("B", 0, "E"))) == [("pin", 1), ("pin", 1)]


def test_forbidden_succession_only_on_consecutive_days() -> None:
    problem = _problem()
    assert _rules(problem, _roster(("A", 0, "N"), ("A", 2, "E"))) == []
    assert _rules(problem, _roster(("A", 0, "N"), ("A", 1, "E"))) == [("succession", 1)]


def test_minimum_rest_becomes_a_forbidden_succession() -> None:
    # Late ends 22:00; an early at 07:00 next day leaves 9 h < 11 h rest.
    problem = RosterProblem(
        start_date=MONDAY,
        num_days=2,
        shifts=(
            ShiftType(id="E", start="07:00", length_minutes=480),
            ShiftType(id="L", start="14:00", length_minutes=480, min_rest_hours=11),
        ),
        staff=(Staff(id="A"),),
    )
    assert _rules(problem, _roster(("A", 0, "L"), ("A", 1, "L"))) == []
    assert _rules(problem, _roster(("A", 0, "L"), ("A", 1, "E"))) == [("succession", 1)]


def test_max_shifts_per_type_and_total() -> None:
    contract = Contract(max_shifts_per_type={"N": 1}, max_shifts=2)
    problem = _problem(contract=contract)
    assert _rules(problem, _roster(("A", 0, "N"), ("A", 2, "E"))) == []
    broken = _roster(("A", 0, "N"), ("A", 2, "N"), ("A", 4, "E"))
    assert sorted(_rules(problem, broken)) == [("max_shifts", 1), ("max_shifts_per_type", 1)]


def test_minutes_within_contract() -> None:
    problem = _problem(contract=Contract(min_minutes=960, max_minutes=1080))
    ok = _roster(("A", 0, "E"), ("A", 1, "E"), ("B", 0, "E"), ("B", 3, "E"))
    assert _rules(problem, ok) == []
    # A: one early = 480 (short by 480); B: early + night = 1080 (ok) + early = 1560 (over by 480)
    broken = _roster(("A", 0, "E"), ("B", 0, "E"), ("B", 2, "N"), ("B", 4, "E"))
    assert sorted(_rules(problem, broken)) == [("max_minutes", 480), ("min_minutes", 480)]


def test_max_consecutive_work_counts_the_longest_run() -> None:
    problem = _problem(contract=Contract(max_consecutive_work=2))
    assert _rules(problem, _roster(("A", 0, "E"), ("A", 1, "E"), ("A", 3, "E"))) == []
    run = _roster(*(("A", d, "E") for d in range(4)))
    assert _rules(problem, run) == [("max_consecutive_work", 2)]


def test_min_consecutive_work_exempts_runs_at_the_borders() -> None:
    problem = _problem(contract=Contract(min_consecutive_work=2))
    # single days at day 0 and day 6 touch the borders: exempt
    assert _rules(problem, _roster(("A", 0, "E"), ("A", 6, "E"))) == []
    assert _rules(problem, _roster(("A", 3, "E"))) == [("min_consecutive_work", 1)]


def test_min_consecutive_off_exempts_runs_at_the_borders() -> None:
    problem = _problem(contract=Contract(min_consecutive_off=2))
    assert _rules(problem, _roster(("A", 2, "E"), ("A", 3, "E"))) == []
    # off on day 2 only, between worked days 1 and 3
    broken = _roster(("A", 0, "E"), ("A", 1, "E"), ("A", 3, "E"), ("A", 4, "E"))
    assert _rules(problem, broken) == [("min_consecutive_off", 1)]


def test_max_weekends_counts_saturday_or_sunday() -> None:
    problem = _problem(num_days=14, contract=Contract(max_weekends=1))
    assert _rules(problem, _roster(("A", 5, "E"), ("A", 6, "E"))) == []
    assert _rules(problem, _roster(("A", 6, "E"), ("A", 12, "E"))) == [("max_weekends", 1)]


def test_cover_penalties_by_skill() -> None:
    problem = _problem(
        cover=(
            CoverDemand(day=0, shift="E", skill="ICU", required=1, under_weight=100),
            CoverDemand(day=0, shift="E", required=1, over_weight=3),
        )
    )
    # B alone: ICU short by 1 (100); staff demand met exactly.
    report = check(problem, _roster(("B", 0, "E")))
    assert report.cost_by_rule() == {"under_cover": 100}
    assert report.penalties[0].message == "Early shift Mon 1 Jan: 1 ICU short (100)"
    # A and B: ICU met; one staff more than needed costs 3.
    assert check(problem, _roster(("A", 0, "E"), ("B", 0, "E"))).cost_by_rule() == {"over_cover": 3}


def test_min_required_cover_is_hard() -> None:
    problem = _problem(cover=(CoverDemand(day=1, shift="N", required=2, min_required=2),))
    assert _rules(problem, _roster(("A", 1, "N"), ("B", 1, "N"))) == []
    assert _rules(problem, _roster(("A", 1, "N"))) == [("min_cover", 1)]


def test_requests_on_and_off() -> None:
    problem = _problem(
        requests=(
            ShiftRequest(staff="A", day=0, shift="E", want=True, weight=2),
            ShiftRequest(staff="A", day=1, want=False, weight=3),
            ShiftRequest(staff="B", day=2, shift="N", want=False, weight=1),
            ShiftRequest(staff="B", day=3, want=True, weight=5),
        )
    )
    granted = _roster(("A", 0, "E"), ("B", 2, "E"), ("B", 3, "N"))
    assert check(problem, granted).objective == 0
    refused = _roster(("A", 0, "N"), ("A", 1, "E"), ("B", 2, "N"))
    report = check(problem, refused)
    # 2 (A wanted early) + 3 (A wanted off) + 1 (B did not want night) + 5 (B wanted to work)
    assert report.objective == 11
    assert report.cost_by_rule() == {"shift_on_request": 7, "shift_off_request": 4}
    assert "Ana Silva: request for a day off on Tue 2 Jan not granted (3)" in [
        p.message for p in report.penalties
    ]


def test_baseline_changes_cost_per_staff_day() -> None:
    baseline = Baseline(assignments=(BaselineShift(staff="A", day=0, shift="E"),), change_weight=10)
    problem = _problem(baseline=baseline)
    assert check(problem, _roster(("A", 0, "E"))).objective == 0
    # A moved from early to night on day 0 (1 change) and B added on day 1 (1 change)
    assert check(problem, _roster(("A", 0, "N"), ("B", 1, "E"))).objective == 20
