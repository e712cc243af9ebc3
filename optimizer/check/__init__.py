"""Independent checker: re-verifies any solution with no solver imports."""

from __future__ import annotations

from typing import Any

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.model.result import CaseSchedule, Result, RosterSolution


def check(problem: Any, solution: Result | RosterSolution | CaseSchedule) -> CheckReport:
    """Check a roster or case schedule against its problem's hard rules.

    Returns every violation and the recomputed objective (sum of penalties).
    """
    if isinstance(solution, Result):
        inner = solution.roster if solution.roster is not None else solution.schedule
        if inner is None:
            raise ValueError("the result holds no solution to check")
        solution = inner
    if isinstance(solution, RosterSolution):
        from optimizer.check.roster import check_roster

        return check_roster(problem, solution)
    from optimizer.check.cases import check_cases

    return check_cases(problem, solution)


__all__ = ["CheckReport", "Penalty", "Violation", "check"]
