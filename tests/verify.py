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
    assert result.status.has_solution, f"no solution: {result.status} {result.message}"
    report = check(problem, result)
    assert report.feasible, f"checker found violations: {report.violations[:5]}"
    assert result.objective == report.objective, (
        f"solver objective {result.objective} != checker objective {report.objective}"
    )
    if result.bound is not None:
        assert result.bound <= report.objective
    return result, report
