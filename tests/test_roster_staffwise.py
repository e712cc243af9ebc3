"""Staff-by-staff rosters (``staffwise.py``): legal rows, best responses, fallbacks.

Every roster returned goes through the independent checker (``solve_verified``).
"""

from __future__ import annotations

import random
import time
from typing import Any

from optimizer import solve
from optimizer.check import check
from optimizer.model.result import Assignment, ProgressPoint, RosterSolution, SolveStatus
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, Unavailability
from optimizer.solvers.cpsat.roster import solve as cpsat_roster_solve
from optimizer.solvers.cpsat.roster.groups import group_problem, solve_window, window_problem
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.staffwise import StaffwiseSearch, decomposable
from optimizer.solvers.options import SolveOptions
from tests.test_roster_cpsat import _problem, _random_ward
from tests.verify import solve_verified

ONLY: dict[str, Any] = {"roster_staffwise": True, "roster_staffwise_share": 1.0}
"""Staffwise search for the whole time limit, no full model afterwards."""


def test_staffwise_roster_is_legal_and_improves() -> None:
    problem = _random_ward(3)
    points: list[ProgressPoint] = []
    result, _ = solve_verified(problem, time_limit=5, on_solution=points.append, **ONLY)
    assert result.status is SolveStatus.FEASIBLE
    objectives = [p.objective for p in points]
    assert objectives and objectives == sorted(set(objectives), reverse=True)
    assert result.objective == objectives[-1]
    # Best responses never end above the first legal roster, nor below the bound.
    full, _ = solve_verified(problem, time_limit=10, workers=2)
    assert full.bound is not None and result.objective is not None
    assert full.bound <= result.objective <= objectives[0]


def test_single_person_best_response_is_optimal() -> None:
    # One person: the best response against nobody is the optimum. Days 0-3 each need 1
    # on D; at most 2 shifts in a row, then 2 days off: work 0-1, off 2-3 -> 2 x 100.
    contract = Contract(max_consecutive_work=2, min_consecutive_off=2)
    problem = _problem(num_days=4, contract=contract, cover={0: 1, 1: 1, 2: 1, 3: 1})
    result, _ = solve_verified(problem, time_limit=5, **ONLY)
    assert result.objective == 200


def test_a_person_without_any_legal_row_makes_the_problem_infeasible() -> None:
    # 3 days, at least 3 shifts of 480 minutes, but day 1 is leave: no legal row.
    contract = Contract(min_minutes=3 * 480)
    leave = (Unavailability(staff="s0", first_day=1, last_day=1),)
    problem = _problem(num_days=3, contract=contract, unavailability=leave)
    result = solve(problem, time_limit=5, workers=1, **ONLY)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.roster is None


def test_no_row_for_somebody_within_the_limit_stops_on_time(monkeypatch: Any) -> None:
    # As if one person's legal row took longer than the limit (Curtois Instance23 at
    # 10 s): the full model is not built after the limit, nothing comes back on time.
    def no_row(self: StaffwiseSearch, e: int, limit: float) -> tuple[None, bool]:
        return None, False

    monkeypatch.setattr(StaffwiseSearch, "_feasible_row", no_row)
    result = solve(_random_ward(3), time_limit=1, workers=1, **ONLY)
    assert result.status is SolveStatus.UNKNOWN and result.roster is None
    assert result.message.startswith("no roster found within the 1 s time limit")
    assert result.seconds < 1.5


def test_cover_floors_and_stage_caps_are_not_decomposable() -> None:
    floor = (CoverDemand(day=0, shift="D", required=1, min_required=1, over_weight=1),)
    assert not decomposable(_problem(num_days=1, staff=2, demands=floor), False)
    assert not decomposable(_problem(num_days=1, staff=2), True)
    assert decomposable(_problem(num_days=1, staff=2, cover={0: 1}), False)
    # With a floor the full model runs instead and keeps the floor.
    result, _ = solve_verified(_problem(num_days=1, staff=2, demands=floor), **ONLY)
    assert result.status is SolveStatus.OPTIMAL
    assert result.roster is not None and len(result.roster.assignments) == 1


def test_commit_keeps_a_row_only_if_strictly_cheaper() -> None:
    # Two people, day 0 needs 1 on D (under 100, over 1 per extra person).
    demands = (CoverDemand(day=0, shift="D", required=1, under_weight=100, over_weight=1),)
    search = StaffwiseSearch(RosterIndex.build(_problem(num_days=1, staff=2, demands=demands)))
    complete, infeasible = search.construct(deadline=1e18)
    assert complete and not infeasible
    search.rows[0], search.rows[1] = {}, {}
    search.cover.count = [0]
    assert search._commit(0, {0: 0})  # covers the demand: -100
    assert not search._commit(1, {0: 0})  # an extra person costs +1: rejected
    assert search.cost(search.roster()) == 0


def _swap_ward() -> RosterProblem:
    """Day 0 needs one ICU nurse on D (only s0 has ICU) and anybody on N."""
    demands = (
        CoverDemand(day=0, shift="D", skill="ICU", required=1, under_weight=100, over_weight=1),
        CoverDemand(day=0, shift="N", required=1, under_weight=100, over_weight=1),
    )
    return _problem(num_days=1, staff=2, demands=demands)


def _stuck_search(problem: RosterProblem) -> StaffwiseSearch:
    """s0 on N, s1 off: the ICU day shift is short, and no single row can fix it."""
    search = StaffwiseSearch(RosterIndex.build(problem), group_solver=cpsat_roster_solve)
    assert search.construct(deadline=1e18) == (True, False)
    for e, row in enumerate(search.rows):
        search.cover.add(e, row or {}, -1)
    search.rows = [{0: 1}, {}]
    search.cover.add(0, {0: 1}, +1)
    return search


def test_group_move_trades_shifts_that_single_rows_cannot() -> None:
    search = _stuck_search(_swap_ward())
    assert search.cost(search.roster()) == 100
    assert search.improve_pass(deadline=1e18) == 0  # every best response is as costly
    assert search._group_move(deadline=time.perf_counter() + 30)
    assert search.rows == [{0: 0}, {0: 1}]  # s0 on the ICU day shift, s1 on nights
    assert search.cost(search.roster()) == 0


def test_staffwise_with_group_moves_reaches_the_swap_optimum() -> None:
    result, _ = solve_verified(_swap_ward(), time_limit=10, **ONLY)
    assert result.objective == 0


def test_group_cost_change_matches_the_recomputed_roster_cost() -> None:
    # Random legal rows for a random ward: the incremental group delta must equal the
    # difference of the two rosters' costs as evaluated from scratch.
    problem = _random_ward(4)
    index = RosterIndex.build(problem)
    first, second = StaffwiseSearch(index, seed=1), StaffwiseSearch(index, seed=2)
    assert first.construct(deadline=1e18) == (True, False)
    assert second.construct(deadline=1e18) == (True, False)
    rng = random.Random(0)
    for size in (1, 2, 3, 5):
        group = rng.sample(range(index.num_staff), size)
        old = [first.rows[e] or {} for e in group]
        new = [second.rows[e] or {} for e in group]
        before = first.cost(first.roster())
        mixed = first.roster()
        for e, row in zip(group, new, strict=True):
            for d in range(index.num_days):
                mixed.pop((e, d), None)
            mixed.update({(e, d): s for d, s in row.items()})
        assert first._group_delta(group, old, new) == first.cost(mixed) - before


def test_group_problem_asks_only_for_what_the_others_leave_short() -> None:
    problem = _swap_ward()
    sub = group_problem(problem, [1], others_count=[1, 0])
    assert [p.id for p in sub.staff] == ["s1"]
    assert [(d.shift, d.required) for d in sub.cover] == [("N", 1)]  # s1 has no ICU
    sub = group_problem(problem, [0], others_count=[0, 3])
    assert [(d.shift, d.required) for d in sub.cover] == [("D", 1), ("N", 0)]


def test_progress_runs_on_from_the_staffwise_phase_into_the_full_model() -> None:
    points: list[ProgressPoint] = []
    result, _ = solve_verified(
        _random_ward(7),
        time_limit=6,
        workers=2,
        on_solution=points.append,
        roster_staffwise=True,
        roster_staffwise_share=0.5,
    )
    assert result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert points == result.progress  # every streamed point, nothing streamed twice
    seconds = [p.seconds for p in points]
    assert seconds == sorted(seconds) and seconds[-1] <= result.seconds
    objectives = [p.objective for p in points]
    assert objectives == sorted(set(objectives), reverse=True)
    assert result.objective == objectives[-1]


def _after_night_ward() -> RosterProblem:
    """2 days; day 1 needs one ICU nurse on D (only s0 has ICU) and anybody on N.

    A night on day 0 rules out a day shift on day 1 (N is not followed by D).
    """
    demands = (
        CoverDemand(day=1, shift="D", skill="ICU", required=1, under_weight=100, over_weight=1),
        CoverDemand(day=1, shift="N", required=1, under_weight=100, over_weight=1),
    )
    return _problem(num_days=2, staff=2, demands=demands)


def _checked_cost(search: StaffwiseSearch) -> int:
    """The search's cost of its roster, asserted equal to the independent checker's."""
    problem, shifts = search.problem, search.problem.shifts
    solution = RosterSolution(
        assignments=tuple(
            Assignment(staff=problem.staff[e].id, day=d, shift=shifts[s].id)
            for (e, d), s in sorted(search.roster().items())
        )
    )
    report = check(problem, solution)
    assert report.feasible, report.violations
    cost = search.cost(search.roster())
    assert cost == report.objective
    return cost


NIGHTS = [{0: 1, 1: 1}, {}]
"""s0 on nights both days, s1 off: the ICU day shift of day 1 is short (cost 100)."""


def test_window_problem_pins_every_day_outside_the_window_to_the_rows() -> None:
    problem = _after_night_ward()
    sub = window_problem(problem, NIGHTS, first=1, days=1)
    assert {(p.staff, p.day, p.shift) for p in sub.pins} == {("s0", 0, "N"), ("s1", 0, None)}
    assert window_problem(problem, NIGHTS, first=0, days=2).pins == ()


def test_a_window_move_respects_the_fixed_days_and_gains_from_a_wider_window() -> None:
    problem = _after_night_ward()
    options = SolveOptions(time_limit=10, workers=1, seed=0)
    # Day 0 fixed: s0's night rules out the ICU day shift; nothing better than 100.
    narrow, proven = solve_window(problem, NIGHTS, 1, 1, cpsat_roster_solve, options)
    assert proven and narrow is not None and narrow[0][0] == 1 and narrow[0].get(1) != 0
    # Both days free: s0 drops the night before and takes the ICU day shift.
    wide, proven = solve_window(problem, NIGHTS, 0, 2, cpsat_roster_solve, options)
    assert proven and wide is not None and wide[0].get(1) == 0 and wide[1].get(1) == 1


def test_staffwise_window_move_lowers_a_checked_cost() -> None:
    search = StaffwiseSearch(
        RosterIndex.build(_after_night_ward()), group_solver=cpsat_roster_solve, windows=True
    )
    assert search.construct(deadline=1e18) == (True, False)
    for e, row in enumerate(search.rows):
        search.cover.add(e, row or {}, -1)
    search.rows = [dict(row) for row in NIGHTS]
    search.cover.add(0, NIGHTS[0], +1)
    assert _checked_cost(search) == 100
    search.window_days = 1  # either day alone: the other day's shift blocks any gain
    assert not search.window_move(deadline=time.perf_counter() + 30)
    assert search.rows == NIGHTS and search.window_days == 2  # proven: the window grows
    assert search.window_move(deadline=time.perf_counter() + 30)
    assert _checked_cost(search) == 0


def test_window_moves_are_chosen_only_when_switched_on() -> None:
    index = RosterIndex.build(_after_night_ward())
    off = StaffwiseSearch(index, group_solver=cpsat_roster_solve)
    assert {off._next_move() for _ in range(50)} == {"groups"}
    on = StaffwiseSearch(index, group_solver=cpsat_roster_solve, seed=3, windows=True)
    assert {on._next_move() for _ in range(50)} == {"groups", "window"}


def test_staffwise_with_window_moves_passes_the_checker() -> None:
    result, _ = solve_verified(_random_ward(5), time_limit=6, roster_windows=True, **ONLY)
    assert result.status is SolveStatus.FEASIBLE
