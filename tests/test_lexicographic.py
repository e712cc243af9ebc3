"""Lexicographic priorities: each stage's optimum survives the later stages.

Assertions are true by construction: stage 1 is optimal over all rosters, so no
roster (the weighted optimum included) has less uncovered demand; stage 2 only
searches rosters that keep stage 1's value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer import solve
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.lexicographic import DEFAULT_STAGES, solve_lexicographic
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
)
from tests.verify import solve_verified

BACKENDS = ["cpsat", "milp"]
MONDAY = dt.date(2026, 12, 7)


def _ward() -> RosterProblem:
    """Weights that trade cover for requests: one missing nurse costs only 1, while
    each of the three nurses asks (weight 5) for the whole first three days off.

    Weighted optimum: leave Early short on days 0–2 (3 x 1 = 3) and grant every request.
    Lexicographic: cover first (0 short), which refuses at least one request.
    """
    return RosterProblem(
        start_date=MONDAY,
        num_days=4,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=tuple(Staff(id=f"s{i}", contract=Contract(max_consecutive_work=3)) for i in range(3)),
        cover=tuple(
            CoverDemand(day=d, shift="E", required=1, under_weight=1, over_weight=1)
            for d in range(4)
        ),
        requests=tuple(
            ShiftRequest(staff=f"s{i}", day=d, want=False, weight=5)
            for i in range(3)
            for d in range(3)
        ),
    )


def _lex_verified(problem: RosterProblem, **kwargs: Any) -> Result:
    """solve_lexicographic, then the same checks as ``tests/verify.py::solve_verified``."""
    kwargs.setdefault("workers", 1)
    kwargs.setdefault("seed", 0)
    result = solve_lexicographic(problem, **kwargs)
    assert result.status.has_solution, result.message
    report = check(problem, result)
    assert report.feasible, report.violations[:5]
    assert result.objective == report.objective
    assert result.terms == {rule: report.cost_by_rule().get(rule, 0) for rule in result.terms}
    return result


@pytest.mark.parametrize("backend", BACKENDS)
def test_lexicographic_never_has_more_under_cover_than_weighted(backend: str) -> None:
    problem = _ward()
    weighted, _ = solve_verified(problem, backend=backend, time_limit=20)
    lex = _lex_verified(problem, backend=backend, time_limit_per_stage=20)
    assert weighted.status is lex.status is SolveStatus.OPTIMAL
    # weighted: 3 short (3), all requests granted
    assert weighted.terms["under_cover"] == 3 and weighted.objective == 3
    # lexicographic: nobody short; one request per covered day refused (3 x 5)
    assert lex.terms["under_cover"] == 0 <= weighted.terms["under_cover"]
    assert lex.terms["shift_off_request"] == 15
    # the weighted optimum is the least plain objective of all rosters
    assert lex.objective is not None and weighted.objective is not None
    assert lex.objective >= weighted.objective
    assert lex.bound is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_stage_one_optimum_is_kept_by_later_stages(backend: str) -> None:
    problem = _ward()
    # a stage objective is not the checker's plain objective: check feasibility and terms
    stage1 = solve(problem, backend=backend, workers=1, seed=0, stage_weights={"under_cover": 1})
    assert stage1.status is SolveStatus.OPTIMAL
    report = check(problem, stage1)
    assert report.feasible and stage1.objective == report.cost_by_rule().get("under_cover", 0)
    lex = _lex_verified(problem, backend=backend, time_limit_per_stage=20)
    assert lex.terms["under_cover"] == stage1.objective == 0
    # stage 2 (over_cover) kept at its own optimum 0 in stage 3
    assert lex.terms["over_cover"] == 0
    assert lex.message == (
        "lexicographic: under_cover=0 (OPTIMAL); over_cover=0 (OPTIMAL); "
        "shift_on_request+shift_off_request+baseline_change=15 (OPTIMAL)"
    )
    assert [p.objective for p in lex.progress][-1] == lex.objective


@pytest.mark.parametrize("backend", BACKENDS)
def test_custom_stages_requests_before_cover(backend: str) -> None:
    # requests first (all granted: 0), then cover: days 0–2 stay short (3)
    problem = _ward()
    stages = [{"shift_off_request": 1}, {"under_cover": 1, "over_cover": 1}]
    seen: list[int] = []
    lex = _lex_verified(
        problem, stages=stages, backend=backend, on_solution=lambda p: seen.append(p.objective)
    )
    assert (lex.terms["shift_off_request"], lex.terms["under_cover"]) == (0, 3)
    assert len(seen) == 2 and seen[-1] == lex.objective == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_infeasible_problem_stops_at_stage_one(backend: str) -> None:
    problem = _ward().model_copy(
        update={"pins": tuple(Pin(staff="s0", day=d, shift="E") for d in range(4))}
    )
    result = solve_lexicographic(problem, backend=backend, workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.roster is None


def test_bad_stages_are_bad_input() -> None:
    problem = _ward()
    with pytest.raises(InputError, match="unknown penalty rule 'fairness'"):
        solve_lexicographic(problem, stages=[{"fairness": 1}])
    with pytest.raises(InputError, match="at least one rule"):
        solve_lexicographic(problem, stages=[{}])
    with pytest.raises(InputError, match="positive integer"):
        solve_lexicographic(problem, stages=[{"under_cover": 0}])
    with pytest.raises(InputError, match="time_limit_per_stage"):
        solve_lexicographic(problem, time_limit=5)


def test_default_stages_cover_every_penalty_rule_once() -> None:
    rules = [rule for stage in DEFAULT_STAGES for rule in stage]
    assert sorted(rules) == sorted(set(rules))
    assert set(rules) == {
        "under_cover",
        "over_cover",
        "shift_on_request",
        "shift_off_request",
        "baseline_change",
    }
