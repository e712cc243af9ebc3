"""Independent checker: re-verifies any solution with no solver imports."""

from __future__ import annotations

from typing import Any

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import RosterProblem

_FAMILIES: tuple[tuple[type, str, type], ...] = (
    (RosterProblem, "roster problem", RosterSolution),
    (CaseProblem, "case problem", CaseSchedule),
)


def check(problem: Any, solution: Result | RosterSolution | CaseSchedule) -> CheckReport:
    """Check a roster or case schedule against its problem's hard rules.

    Returns every violation and the recomputed objective (sum of penalties).
    Raises ``InputError`` when ``problem`` is not a problem or ``solution`` is not
    of the problem's family (a ``RosterSolution`` for a ``RosterProblem``, a
    ``CaseSchedule`` for a ``CaseProblem``, or a ``Result`` holding one).
    """
    solution = _solution_for(problem, solution)
    if isinstance(problem, RosterProblem) and isinstance(solution, RosterSolution):
        from optimizer.check.roster import check_roster

        return check_roster(problem, solution)
    assert isinstance(problem, CaseProblem) and isinstance(solution, CaseSchedule)
    from optimizer.check.cases import check_cases

    return check_cases(problem, solution)


def _solution_for(problem: Any, solution: Any) -> RosterSolution | CaseSchedule:
    """The solution to check, or an ``InputError`` naming what was given and what is needed."""
    family = next((f for f in _FAMILIES if isinstance(problem, f[0])), None)
    if family is None:
        raise InputError(
            f"check needs a RosterProblem or CaseProblem, got {_kind(problem)}",
            field="problem",
        )
    _, name, wanted = family
    if isinstance(solution, Result):
        inner = solution.roster if wanted is RosterSolution else solution.schedule
        if inner is None:
            if solution.roster is not None:
                holds = "holds a RosterSolution"
            elif solution.schedule is not None:
                holds = "holds a CaseSchedule"
            else:
                holds = "holds no solution"
            raise InputError(
                f"a {name} needs a result with a {wanted.__name__}; this result {holds}",
                field="solution",
            )
        return inner
    if isinstance(solution, wanted) and isinstance(solution, RosterSolution | CaseSchedule):
        return solution
    raise InputError(
        f"a {name} is checked against a {wanted.__name__} (or a Result holding one), "
        f"got {_kind(solution)}",
        field="solution",
    )


def _kind(value: object) -> str:
    """``value``'s type for a message, e.g. 'a CaseSchedule' or 'None'."""
    return "None" if value is None else f"a {type(value).__name__}"


__all__ = ["CheckReport", "Penalty", "Violation", "check"]
