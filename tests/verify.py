"""Solve-and-verify helper: every solve in the tests goes through the checker."""

from __future__ import annotations

from typing import Any

from optimizer import solve
from optimizer.check import CheckReport, check
from optimizer.model.result import Result


def solve_verified(problem: Any, **kwargs: Any) -> tuple[Result, CheckReport]:
    """Solve, then re-verify with the independent checker.

    Asserts the solution breaks no hard rule and the solver's objective equals
    the checker's recomputed objective.
    """
    kwargs.setdefault("workers", 1)
    kwargs.setdefault("seed", 0)
    result = solve(problem, **kwargs)
    if kwargs.get("stage_weights") is not None:
        return result, verify_result(problem, result, objective=False)
    return result, verify_result(problem, result)


def verify_result(problem: Any, result: Result, *, objective: bool = True) -> CheckReport:
    """Check any Result (e.g. from a lexicographic or staged solve) independently.

    Asserts a solution exists and breaks no hard rule, the per-rule costs equal the
    checker's, and (unless ``objective=False``, for a staged objective) the reported
    objective equals the recomputed one.
    """
    assert result.status.has_solution, f"no solution: {result.status} {result.message}"
    report = check(problem, result)
    assert report.feasible, f"checker found violations: {report.violations[:5]}"
    recomputed = report.cost_by_rule()
    assert {r: c for r, c in result.terms.items() if c} == recomputed, (
        f"solver terms {result.terms} != checker terms {recomputed}"
    )
    if objective:
        assert result.objective == report.objective, (
            f"solver objective {result.objective} != checker objective {report.objective}"
        )
        if result.bound is not None:
            assert result.bound <= report.objective
    return report
