"""Probe fixes: the progress trace ends at the returned objective; lexicographic rules
in no stage are optimised last; the PEP 561 marker ships.

CP-SAT reports its own objective at each solution, in which a cover slack only has to be
at least the shortfall (``under >= required - n``): before optimality it can be above the
roster's cost. The roster backend therefore compares rosters by their recomputed cost and
streams that cost as a last point when it is lower.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from optimizer.io.load import load_problem
from optimizer.lexicographic import solve_lexicographic
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.solvers.cpsat.roster import _Search
from optimizer.solvers.options import SolveOptions
from tests.test_lexicographic import _ward
from tests.test_roster_cpsat import _random_ward
from tests.verify import solve_verified, verify_result

ROOT = Path(__file__).resolve().parents[1]

Roster = dict[tuple[int, int], int]
FALLBACK: Roster = {(0, 0): 0}
CHEAP: Roster = {(0, 0): 1}
DEAR: Roster = {(0, 0): 2}
COSTS = {0: 50, 1: 48, 2: 50}
"""Roster -> its recomputed cost, by the shift of (0, 0)."""


def _search(points: list[ProgressPoint]) -> _Search:
    """A search whose fallback roster costs 50; every point also goes to ``points``."""
    options = SolveOptions(on_solution=points.append)
    return _Search(options, FALLBACK, lambda roster: COSTS[roster[(0, 0)]], started=0.0)


def _assert_trace_ends_at(result: Result, seen: list[ProgressPoint]) -> None:
    """Strictly improving points, streamed as recorded, the last one the objective."""
    objectives = [p.objective for p in result.progress]
    assert seen == result.progress
    assert objectives == sorted(set(objectives), reverse=True)
    assert objectives[-1] == result.objective
    assert all(p.bound is None or p.bound <= objectives[-1] for p in result.progress)


def test_search_streams_the_returned_rosters_cost_as_the_last_point() -> None:
    seen: list[ProgressPoint] = []
    search = _search(seen)
    search.on_point(ProgressPoint(seconds=1.0, objective=49, bound=10))  # CP-SAT's value
    roster, status = search.best_of(CHEAP, SolveStatus.FEASIBLE)
    assert (roster, status) == (CHEAP, SolveStatus.FEASIBLE)
    search.close(CHEAP, bound=60)  # a bound is never shown above the cost
    assert [(p.objective, p.bound) for p in seen] == [(50, None), (49, 10), (48, 48)]
    assert seen == search.progress


def test_search_keeps_a_cheaper_roster_whose_cpsat_value_was_not_an_improvement() -> None:
    # CP-SAT says 55 (above the fallback's 50, so not streamed), the roster costs 48.
    seen: list[ProgressPoint] = []
    search = _search(seen)
    search.on_point(ProgressPoint(seconds=1.0, objective=55))
    roster, status = search.best_of(CHEAP, SolveStatus.FEASIBLE)
    assert (roster, status) == (CHEAP, SolveStatus.FEASIBLE)
    search.close(CHEAP, bound=None)
    assert [p.objective for p in seen] == [50, 48]


def test_search_returns_the_fallback_when_the_search_roster_costs_no_less() -> None:
    seen: list[ProgressPoint] = []
    search = _search(seen)
    search.on_point(ProgressPoint(seconds=1.0, objective=55))
    roster, status = search.best_of(DEAR, SolveStatus.FEASIBLE)
    assert (roster, status) == (FALLBACK, SolveStatus.FEASIBLE)
    search.close(FALLBACK, bound=None)  # already the last point: nothing more
    assert [p.objective for p in seen] == [50]


def test_cpsat_demo_ward_trace_ends_at_the_returned_objective() -> None:
    # Reproducible run (seed, one worker) whose last CP-SAT solution reported 4510
    # while its roster costs 4505: one cover slack was above the shortfall.
    seen: list[ProgressPoint] = []
    result, _ = solve_verified(
        load_problem(ROOT / "data" / "demo_ward.json"),
        time_limit=8,
        workers=1,
        seed=1,
        on_solution=seen.append,
    )
    _assert_trace_ends_at(result, seen)


@pytest.mark.parametrize("backend", ["cpsat", "milp"])
def test_trace_ends_at_the_returned_objective(backend: str) -> None:
    seen: list[ProgressPoint] = []
    result, _ = solve_verified(
        _random_ward(2, staff=12, days=14),
        backend=backend,
        time_limit=10,
        on_solution=seen.append,
    )
    _assert_trace_ends_at(result, seen)


@pytest.mark.parametrize("backend", ["cpsat", "milp"])
def test_rules_in_no_stage_are_optimised_last(backend: str) -> None:
    # Cover alone: full cover refuses at least one day-off request (weight 5) on each of
    # days 0–2, so the rules in no stage cost at least 15 after it, and run as a last
    # stage: exactly 15, nobody over-covered.
    seen: list[ProgressPoint] = []
    result = solve_lexicographic(
        _ward(),
        stages=[{"under_cover": 1}],
        backend=backend,
        workers=1,
        seed=0,
        on_solution=seen.append,
    )
    verify_result(_ward(), result)
    assert result.status is SolveStatus.OPTIMAL
    assert result.terms["under_cover"] == result.terms["over_cover"] == 0
    assert result.terms["shift_off_request"] == result.objective == 15
    assert result.message == (
        "lexicographic: under_cover=0 (OPTIMAL); rules in no stage: "
        "over_cover+shift_on_request+shift_off_request+baseline_change=15 (OPTIMAL)"
    )
    assert seen == result.progress and len(seen) == 2
    assert seen[-1].objective == result.objective


def test_rules_in_no_stage_that_cost_nothing_are_not_solved_again() -> None:
    # Only baseline_change is left out, and without a published roster it costs 0.
    stages = [{"under_cover": 1, "over_cover": 1}, {"shift_on_request": 1, "shift_off_request": 1}]
    result = solve_lexicographic(_ward(), stages=stages, workers=1, seed=0)
    verify_result(_ward(), result)
    assert len(result.progress) == 2
    assert result.message.endswith("; rules in no stage: baseline_change=0 (OPTIMAL)")


def test_py_typed_markers_exist_and_ship_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_data = config["tool"]["setuptools"]["package-data"]
    for package in ("optimizer", "llm_intake"):
        assert (ROOT / package / "py.typed").is_file()
        assert "py.typed" in package_data[package]
