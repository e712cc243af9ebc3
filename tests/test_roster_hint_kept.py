"""A warm-started roster solve never comes back worse than a legal warm start.

CP-SAT with more than one worker does not reliably keep its hint, and HiGHS ignores a
MIP start: the backends check the hint with the independent checker and return it
when the search's roster costs more (or there is none). An illegal hint is never
returned. Some tests replace the search (``run`` / ``_read_grid``) by one that
"finds" the empty roster, which is legal on the tiny ward and costs 14 x 100.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import optimizer.solvers.cpsat.roster as cpsat_roster
import optimizer.solvers.milp.roster as milp_roster
from optimizer import solve
from optimizer.check import check
from optimizer.io.load import load_problem
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solvers.cpsat.runner import RunOutcome
from tests.verify import solve_verified, verify_result

WARD = Path(__file__).resolve().parents[1] / "data" / "demo_ward.json"
EMPTY_COST = 14 * 100  # every demand of the tiny ward short by one, weight 100


def _tiny_ward() -> RosterProblem:
    """Ann, Bob and Cat; 12-hour Day and Night shifts, one of each every day for a week
    from a Wednesday; at most 5 shifts, 4 in a row, one weekend each. Optimum 0: five
    shifts each cover the 14 demands (derived by the first test's solve)."""
    shifts = (
        ShiftType(id="D", name="Day", start="07:00", length_minutes=720, min_rest_hours=11),
        ShiftType(id="N", name="Night", start="19:00", length_minutes=720, min_rest_hours=11),
    )
    contract = Contract(max_shifts=5, max_consecutive_work=4, max_weekends=1)
    staff = tuple(
        Staff(id=f"A{i}", name=name, skills=("RN",), contract=contract)
        for i, name in enumerate(("Ann", "Bob", "Cat"), start=1)
    )
    cover = tuple(CoverDemand(day=d, shift=s, required=1) for d in range(7) for s in "DN")
    return RosterProblem(
        name="Tiny ward",
        start_date=dt.date(2026, 12, 9),
        num_days=7,
        shifts=shifts,
        staff=staff,
        cover=cover,
    )


def _illegal_hint() -> RosterSolution:
    """Ann on every Day, Bob on every Night: all cover met (cost 0), but 7 shifts and 7
    days in a row each, above the contract's 5 and 4."""
    return RosterSolution(
        assignments=tuple(
            Assignment(staff=staff, day=d, shift=shift)
            for d in range(7)
            for staff, shift in (("A1", "D"), ("A2", "N"))
        )
    )


class _NoShiftSolver:
    """Reads as a CP-SAT solution in which nobody works."""

    best_objective_bound = 0.0

    def boolean_value(self, _var: Any) -> bool:
        return False


def _search_finds_the_empty_roster(
    monkeypatch: pytest.MonkeyPatch, bound: int | None = None
) -> None:
    """The CP-SAT run "finds" the empty roster (FEASIBLE, with ``bound``)."""

    def fake_run(*_args: Any, **_kwargs: Any) -> RunOutcome:
        return RunOutcome(SolveStatus.FEASIBLE, _NoShiftSolver(), EMPTY_COST, bound, 0.0)  # type: ignore[arg-type]

    monkeypatch.setattr(cpsat_roster, "run", fake_run)


@pytest.fixture(scope="module")
def tiny_optimum() -> Result:
    result, _ = solve_verified(_tiny_ward(), time_limit=20)
    assert result.status is SolveStatus.OPTIMAL and result.objective == 0
    return result


@pytest.fixture(scope="module")
def ward() -> RosterProblem:
    problem = load_problem(WARD)
    assert isinstance(problem, RosterProblem)
    return problem


@pytest.fixture(scope="module")
def ward_hint(ward: RosterProblem) -> Result:
    """A good legal roster of the demo ward (staff-by-staff search, reproducible)."""
    result, _ = solve_verified(ward, time_limit=2, roster_staffwise=True)
    return result


def _assert_never_worse(problem: RosterProblem, result: Result, hint: Result) -> None:
    """Verified by the checker, no dearer than the hint, the trace ending on it."""
    report = verify_result(problem, result)
    assert hint.objective is not None and result.objective is not None
    assert report.objective == result.objective <= hint.objective
    assert result.progress and result.progress[-1].objective == result.objective
    assert result.roster is not None and hint.roster is not None
    if "warm start" in result.message:
        assert result.roster.by_staff_day() == hint.roster.by_staff_day()


# -- CP-SAT ---------------------------------------------------------------------------


def test_cpsat_returns_the_hint_when_the_search_finds_nothing_in_time(
    ward: RosterProblem, ward_hint: Result
) -> None:
    # One worker and 0.05 s (work clock): CP-SAT finds no roster of its own.
    result = solve(ward, time_limit=0.05, workers=1, seed=0, hint=ward_hint)
    assert result.status is SolveStatus.FEASIBLE
    assert result.objective == ward_hint.objective
    assert "this is the warm start (hint) roster" in result.message
    _assert_never_worse(ward, result, ward_hint)


@pytest.mark.parametrize("time_limit", [0.05, 0.5])
def test_cpsat_with_two_workers_never_returns_worse_than_the_hint(
    ward: RosterProblem, ward_hint: Result, time_limit: float
) -> None:
    result = solve(ward, time_limit=time_limit, workers=2, seed=0, hint=ward_hint)
    _assert_never_worse(ward, result, ward_hint)


def test_cpsat_keeps_the_hint_over_a_dearer_search_roster(
    monkeypatch: pytest.MonkeyPatch, tiny_optimum: Result
) -> None:
    problem = _tiny_ward()
    _search_finds_the_empty_roster(monkeypatch)
    result = solve(problem, workers=2, hint=tiny_optimum)
    assert result.status is SolveStatus.FEASIBLE  # no bound proves it optimal
    assert result.objective == 0 < EMPTY_COST
    assert "warm start" in result.message
    _assert_never_worse(problem, result, tiny_optimum)


def test_cpsat_kept_hint_is_optimal_when_the_bound_reaches_it(
    monkeypatch: pytest.MonkeyPatch, tiny_optimum: Result
) -> None:
    problem = _tiny_ward()
    _search_finds_the_empty_roster(monkeypatch, bound=0)
    result = solve(problem, workers=2, hint=tiny_optimum)
    assert result.status is SolveStatus.OPTIMAL and result.bound == result.objective == 0
    _assert_never_worse(problem, result, tiny_optimum)


def test_cpsat_does_not_return_an_illegal_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _tiny_ward()
    hint = _illegal_hint()
    assert not check(problem, hint).feasible
    _search_finds_the_empty_roster(monkeypatch)
    result = solve(problem, workers=2, hint=hint)
    verify_result(problem, result)
    assert result.roster == RosterSolution(assignments=())  # the search's, not the hint
    assert result.objective == EMPTY_COST
    assert "warm start" not in result.message


def test_cpsat_does_not_return_an_illegal_hint_when_nothing_is_found(
    ward: RosterProblem, ward_hint: Result
) -> None:
    assert ward_hint.roster is not None
    leave = ward.unavailability[0]  # N04 on annual leave from day 7
    shift = ward.shifts[0].id
    kept = [a for a in ward_hint.roster.assignments if (a.staff, a.day) != (leave.staff, 7)]
    illegal = RosterSolution(assignments=(*kept, Assignment(staff=leave.staff, day=7, shift=shift)))
    result = solve(ward, time_limit=0.05, workers=1, seed=0, hint=illegal)
    assert result.roster != illegal
    if result.roster is not None:
        verify_result(ward, result)
    else:
        assert result.status is SolveStatus.UNKNOWN


def test_cpsat_hint_breaking_a_stage_cap_is_not_returned(
    ward: RosterProblem, ward_hint: Result
) -> None:
    rule, cost = max(ward_hint.terms.items(), key=lambda item: item[1])
    assert cost > 0
    result = solve(
        ward,
        time_limit=0.05,
        workers=1,
        seed=0,
        hint=ward_hint,
        stage_caps=[({rule: 1}, cost - 1)],
    )
    assert result.roster != ward_hint.roster
    if result.roster is not None:
        verify_result(ward, result)
        assert result.terms[rule] <= cost - 1


def test_cpsat_returns_the_search_roster_when_it_beats_the_hint() -> None:
    problem = _tiny_ward()
    poor = RosterSolution(assignments=(Assignment(staff="A1", day=0, shift="D"),))
    report = check(problem, poor)
    assert report.feasible and report.objective == EMPTY_COST - 100
    result, _ = solve_verified(problem, time_limit=20, hint=poor)
    assert result.status is SolveStatus.OPTIMAL and result.objective == 0
    assert result.message == ""


# -- MILP ------------------------------------------------------------------------------


def test_milp_keeps_the_hint_over_a_dearer_solver_roster(
    monkeypatch: pytest.MonkeyPatch, tiny_optimum: Result
) -> None:
    # As HiGHS, which ignores the MIP start, might: the solver's roster is the empty one.
    problem = _tiny_ward()
    monkeypatch.setattr(milp_roster, "_read_grid", lambda _variables: {})
    result = solve(problem, backend="milp", time_limit=30, hint=tiny_optimum)
    assert result.objective == 0 < EMPTY_COST
    assert result.status is SolveStatus.OPTIMAL  # CBC's bound 0 proves the hint optimal
    assert "found no roster cheaper than the hint roster" in result.message
    _assert_never_worse(problem, result, tiny_optimum)


def test_milp_does_not_return_an_illegal_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _tiny_ward()
    monkeypatch.setattr(milp_roster, "_read_grid", lambda _variables: {})
    result = solve(problem, backend="milp", time_limit=30, hint=_illegal_hint())
    verify_result(problem, result)
    assert result.roster == RosterSolution(assignments=())
    assert result.objective == EMPTY_COST
    assert "hint roster" not in result.message
