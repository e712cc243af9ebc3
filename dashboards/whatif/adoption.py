"""Adopting a what-if as the plan, and the previous plan kept for the calendar export."""

from __future__ import annotations

from typing import Any

from optimizer.model.result import Result
from optimizer.model.roster import Baseline, BaselineShift, RosterProblem


def adopted_plan(problem: Any, result: Result) -> tuple[Any, Result]:
    """The what-if problem without its baseline, and ``result`` costed for it.

    Once adopted, the scenario is the plan: the moves away from the old plan are no
    longer a cost. The objective and terms are recomputed by the independent checker;
    the result is no longer proven optimal for the problem without the baseline.
    """
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    adopted = problem.model_copy(update={"baseline": None})
    report = check(adopted, result)
    status = SolveStatus.FEASIBLE if result.status is SolveStatus.OPTIMAL else result.status
    costed = result.model_copy(
        update={
            "objective": report.objective,
            "terms": report.cost_by_rule(),
            "bound": None,
            "status": status,
        }
    )
    return adopted, costed


def with_previous_plan(problem: Any, previous: tuple[Any, Result] | None) -> Any:
    """``problem`` with the ``previous`` plan's result (problem, result: the plan in use
    before an adoption) as its baseline, for the calendar export only:
    ``optimizer.io.ics`` writes each shift or case of the baseline that a person no longer
    works as cancelled. Cases cancelled since come back into the copy's cases, so that
    their events keep their names. Never solved (a baseline is a move penalty), so not
    re-validated."""
    if previous is None:
        return problem
    before, published = previous
    if isinstance(problem, RosterProblem):
        if published.roster is None:
            return problem
        shifts = tuple(
            BaselineShift(staff=a.staff, day=a.day, shift=a.shift)
            for a in published.roster.assignments
        )
        return problem.model_copy(update={"baseline": Baseline(assignments=shifts)})
    if published.schedule is None:
        return problem
    from optimizer.model.cases import CaseBaseline

    gone = tuple(t for t in before.tasks if t.id not in problem.task_index)
    baseline = CaseBaseline(schedule=published.schedule)
    return problem.model_copy(update={"baseline": baseline, "tasks": (*problem.tasks, *gone)})
