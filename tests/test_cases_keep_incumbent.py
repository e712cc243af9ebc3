"""A case solve never returns a schedule worse than the checked warm start it began with.

The caller's hint (e.g. the dashboard's previous plan), the baseline and the greedy
schedule compete: the checker scores each, CP-SAT is hinted with the cheapest, and that
one comes back (FEASIBLE, message says so) when CP-SAT's schedule costs more. The
progress trace starts at its cost. ``stop_after_first_solution`` makes CP-SAT return
its first schedule, so the tests do not depend on the machine's speed.

Instance: Monday of the demo surgical week (41 optional cases, 6 rooms); the greedy
schedule costs 17130, leaving every case out costs 71000.
"""

from __future__ import annotations

import pytest

import optimizer.solvers.cpsat.cases as cpsat_cases
from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.demo.surgery import surgical_days
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ProgressPoint, Result, SolveStatus
from tests.verify import solve_verified

FIRST_SOLUTION = {"stop_after_first_solution": True}


def _monday() -> CaseProblem:
    return surgical_days(0, 1)


def _nothing_scheduled(problem: CaseProblem) -> CaseSchedule:
    """A legal but poor plan: every (optional) case left out."""
    return CaseSchedule(tasks=(), unscheduled=tuple(t.id for t in problem.tasks))


def _greedy_cost(problem: CaseProblem) -> int:
    report = check(problem, greedy_schedule(problem))
    assert report.feasible
    return report.objective


def _assert_trace(result: Result, seen: list[ProgressPoint], first: int) -> None:
    """Streamed as recorded, starting at ``first``, strictly improving, ending at the
    returned objective."""
    objectives = [p.objective for p in result.progress]
    assert seen == result.progress
    assert objectives[0] == first
    assert objectives == sorted(set(objectives), reverse=True)
    assert objectives[-1] == result.objective


def test_a_poor_hint_competes_with_the_greedy_start() -> None:
    problem = _monday()
    hint = _nothing_scheduled(problem)
    empty_cost = check(problem, hint).objective
    greedy = _greedy_cost(problem)
    assert greedy < empty_cost  # 17130 < 71000
    seen: list[ProgressPoint] = []
    result, _ = solve_verified(
        problem, time_limit=2, hint=hint, on_solution=seen.append, **FIRST_SOLUTION
    )
    # Before: CP-SAT was hinted with the empty plan and returned it (71000).
    assert result.objective is not None and result.objective <= greedy
    _assert_trace(result, seen, greedy)


def test_cpsat_worse_than_the_checked_warm_start_returns_the_warm_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CP-SAT with several workers on a busy machine need not get back to its hint:
    # here it gets none, and its first schedule costs more than the greedy one.
    monkeypatch.setattr(cpsat_cases, "add_hint", lambda cv, schedule: None)
    problem = _monday()
    greedy = _greedy_cost(problem)
    seen: list[ProgressPoint] = []
    result, report = solve_verified(
        problem, time_limit=2, on_solution=seen.append, **FIRST_SOLUTION
    )
    assert result.status is SolveStatus.FEASIBLE
    assert result.objective == report.objective == greedy
    assert result.message.endswith(
        f"more than the checked warm start's {greedy}; returning the warm start"
    )
    assert result.bound is None or result.bound <= greedy
    _assert_trace(result, seen, greedy)
    assert seen == [seen[0]]  # CP-SAT's dearer schedule is not shown as progress


def test_the_kept_start_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpsat_cases, "add_hint", lambda cv, schedule: None)
    problem = _monday()
    runs = [
        solve_verified(problem, time_limit=1, hint=_nothing_scheduled(problem))[0] for _ in range(2)
    ]
    assert runs[0].schedule == runs[1].schedule  # seed 0, one worker
    assert [p.objective for p in runs[0].progress] == [p.objective for p in runs[1].progress]
    assert runs[0].objective is not None and runs[0].objective <= _greedy_cost(problem)


def test_large_neighbourhood_search_starts_from_the_best_legal_start() -> None:
    problem = _monday()
    greedy = _greedy_cost(problem)
    result, _ = solve_verified(
        problem, time_limit=1, hint=_nothing_scheduled(problem), case_lns=True
    )
    # Before: the search started from the caller's hint, the empty plan (71000).
    assert result.progress[0].objective == greedy
    assert result.objective is not None and result.objective <= greedy
