"""Column generation for decomposable rosters (``columns.py``): the LP, the bound, rosters.

Every solve goes through the independent checker (``solve_verified``).
"""

from __future__ import annotations

import itertools
import math
import time

import pytest

from optimizer.model.result import SolveStatus
from optimizer.model.roster import Contract
from optimizer.solve import solve
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat.roster.columns import ColumnGeneration, ColumnPhase
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.staffwise import Row, StaffwiseSearch
from tests.test_roster_cpsat import _problem, _random_ward
from tests.verify import solve_verified, verify_result


def _generation(problem: object, seconds: float = 5.0) -> ColumnGeneration:
    """Column generation run to convergence (or ``seconds``) from a first legal roster."""
    search = StaffwiseSearch(RosterIndex.build(problem), workers=1, seed=0)  # type: ignore[arg-type]
    deadline = time.perf_counter() + seconds
    assert search.construct(deadline) == (True, False)
    generation = ColumnGeneration(search)
    generation.add_current_rows()
    while generation.round(deadline):
        pass
    return generation


def test_column_bound_is_at_most_the_proven_optimum() -> None:
    problem = _random_ward(5, staff=6, days=7)
    optimum, _ = solve_verified(problem, time_limit=5, workers=2, roster_staffwise=False)
    assert optimum.status is SolveStatus.OPTIMAL and optimum.objective is not None
    generation = _generation(problem)
    assert generation.bound is not None and generation.lp_value is not None
    assert generation.bound <= optimum.objective
    # Converged: the bound is the LP value rounded up (the LP is a relaxation too).
    assert generation.converged()
    assert generation.bound == math.ceil(generation.lp_value - 1e-6)
    assert generation.lp_value <= optimum.objective + 1e-6


def _legal(row: Row, days: int) -> bool:
    """At most 2 days worked in a row, and no D (shift 0) the day after an N (shift 1)."""
    worked = [d in row for d in range(days)]
    if any(all(worked[d : d + 3]) for d in range(days - 2)):
        return False
    return not any(row.get(d) == 1 and row.get(d + 1) == 0 for d in range(days))


def test_converged_lp_equals_the_lp_over_every_legal_row() -> None:
    # 2 people, 4 days, shifts D/N, at most 2 days in a row: few enough rows to list all.
    # Cover: day 0-3 need 2, 1, 2, 1 on D (under weight 100, over weight 3).
    contract = Contract(max_consecutive_work=2)
    problem = _problem(
        num_days=4, staff=2, contract=contract, cover={0: 2, 1: 1, 2: 2, 3: 1}, over_weight=3
    )
    converged = _generation(problem)
    assert converged.lp_value is not None
    complete = ColumnGeneration(converged.search)
    rows = 0
    for choice in itertools.product((None, 0, 1), repeat=4):
        row = {d: s for d, s in enumerate(choice) if s is not None}
        if _legal(row, 4):
            for e in range(2):
                rows += complete.add(e, row)
    assert rows > 2 * 9
    assert complete.solve_lp() is not None and complete.lp_value is not None
    assert abs(converged.lp_value - complete.lp_value) < 1e-6
    assert converged.bound == math.ceil(complete.lp_value - 1e-6)


def test_restricted_master_and_dive_give_legal_rosters() -> None:
    problem = _random_ward(3, staff=8, days=7)
    generation = _generation(problem)
    search = generation.search
    dived = generation.dive(time.perf_counter() + 5)
    assert dived is not None and all(row is not None for row in dived)
    best = generation.best_rows(2.0, dived)
    assert best is not None
    roster = {(e, d): s for e, row in enumerate(best) for d, s in row.items()}
    dive_roster = {(e, d): s for e, row in enumerate(dived) for d, s in row.items()}
    assert generation.bound is not None
    assert generation.bound <= search.cost(roster) <= search.cost(dive_roster)


def test_solve_with_the_column_phase_is_checked_and_bounded() -> None:
    problem = _random_ward(5, staff=6, days=7)
    options = {"roster_staffwise": True, "roster_staffwise_share": 1.0}
    result, report = solve_verified(problem, time_limit=5, roster_columns=True, **options)
    assert result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    # No full model after the search (share 1): the bound is the column phase's.
    assert result.bound is not None and 0 < result.bound <= report.objective
    plain, _ = solve_verified(problem, time_limit=5, **options)
    assert plain.bound is None


def test_column_phase_without_a_time_limit_dives_and_bounds() -> None:
    problem = _random_ward(7, staff=6, days=7)
    optimum, _ = solve_verified(problem, time_limit=5, workers=2, roster_staffwise=False)
    assert optimum.status is SolveStatus.OPTIMAL and optimum.objective is not None
    search = StaffwiseSearch(RosterIndex.build(problem), workers=1, seed=0)
    search.construct(math.inf)
    phase = ColumnPhase(search)
    phase(math.inf)
    assert phase.bound is not None and phase.bound <= optimum.objective
    assert set(phase.found) == {"dive", "master"}
    assert phase.bound <= phase.found["master"] <= phase.found["dive"]
    assert search.cost(search.roster()) <= phase.found["master"]
    result, report = solve_verified(
        problem, time_limit=None, roster_staffwise=True, roster_columns=True
    )
    assert result.status is SolveStatus.OPTIMAL and result.objective == optimum.objective
    assert result.bound == report.objective


def test_column_phase_needs_time() -> None:
    search = StaffwiseSearch(RosterIndex.build(_random_ward(3)), workers=1, seed=0)
    search.construct(time.perf_counter() + 5)
    phase = ColumnPhase(search)
    phase(time.perf_counter() + 2.0)  # a phase of 1 s: not worth it
    assert phase.generation is None and phase.bound is None


def test_ctrl_c_after_the_column_phase_keeps_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _random_ward(5, staff=6, days=7)
    phase_call = ColumnPhase.__call__

    def then_ctrl_c(phase: ColumnPhase, deadline: float) -> None:
        phase_call(phase, deadline)
        interrupts.request_stop("Ctrl-C")

    monkeypatch.setattr(ColumnPhase, "__call__", then_ctrl_c)
    result = solve(problem, time_limit=60, roster_staffwise=True, roster_columns=True)
    assert result.message.startswith("interrupted:")
    report = verify_result(problem, result)
    assert result.bound is not None and 0 < result.bound <= report.objective


def test_row_excesses_sum_to_at_most_the_gap_to_the_bound() -> None:
    generation = _generation(_random_ward(11, staff=8, days=14))
    search = generation.search
    assert generation.bound is not None
    rows = [row or {} for row in search.rows]
    dived = generation.dive(time.perf_counter() + 5)
    assert dived is not None
    for roster_rows in (rows, dived):
        cost = search.cost({(e, d): s for e, row in enumerate(roster_rows) for d, s in row.items()})
        excesses = [generation.excess(e, row) for e, row in enumerate(roster_rows)]
        assert min(excesses) >= 0
        # cost - bound (before rounding up) = sum of excesses + slack costs >= the sum
        assert sum(excesses) < cost - generation.bound + 1


def test_guided_groups_start_from_rows_with_an_excess() -> None:
    search = StaffwiseSearch(RosterIndex.build(_random_ward(2, staff=10)), workers=1, seed=0)
    search.group_size = 3
    firsts = [search._pick_group()[0] for _ in range(200)]
    assert len(set(firsts)) == 10  # no reduced costs: random
    search.excess = lambda e, row: 2.0 if e == 7 else 0.5 if e == 4 else 0.0
    groups = [search._pick_group() for _ in range(200)]
    assert all(len(set(group)) == 3 for group in groups)
    assert sum(group[0] == 7 for group in groups) > 100  # 0.8 x 0.8 of the picks expected
    # Two mates of 9: person 4 (weight 1 + 4 x 0.5 = 3 of 11) joins about half of these
    # groups, against 2 / 9 at random.
    joined = sum(4 in group[1:] for group in groups if group[0] == 7)
    assert joined > 0.35 * sum(group[0] == 7 for group in groups)
