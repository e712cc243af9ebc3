"""The recomputed objective: every soft rule's cost, one ``Penalty`` per term.

Unscheduled, tardiness and makespan here; overtime, idle and baseline terms in their
own modules (rules: ``optimizer.model.cases.costs``).
"""

from __future__ import annotations

from optimizer.check.cases.baseline import baseline_penalties
from optimizer.check.cases.common import Placed, when
from optimizer.check.cases.idle import idle_penalties
from optimizer.check.cases.overtime import overtime_penalties, staff_overtime_penalties
from optimizer.check.report import CheckReport, Penalty
from optimizer.model.cases import CaseProblem


def add_penalties(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Every soft-rule cost of the placed tasks, in rule order, into ``report``."""
    weights = problem.weights
    add = report.penalties.append
    for task in problem.tasks:
        item = placed.get(task.id)
        if item is None:
            cost = problem.unscheduled_cost(task)
            if cost and not problem.must_schedule(task):
                add(
                    Penalty(
                        rule="unscheduled",
                        cost=cost,
                        task=task.id,
                        message=f"{task.label}: not scheduled ({cost})",
                    )
                )
            continue
        if task.due is not None and item.end > task.due:
            late = item.end - task.due
            cost = weights.tardiness * task.priority * late
            if cost:
                add(
                    Penalty(
                        rule="tardiness",
                        cost=cost,
                        task=task.id,
                        amount=late,
                        message=f"{task.label}: ends {late} min after due "
                        f"{when(problem, task.due)} ({cost})",
                    )
                )
    if weights.overtime:
        overtime_penalties(problem, placed, report)
    if weights.staff_overtime:
        staff_overtime_penalties(problem, placed, report)
    if weights.idle:
        idle_penalties(problem, placed, report)
    end = max((item.end for item in placed.values()), default=0)
    if weights.makespan and end > 0:  # like the other rules: no zero-cost penalty
        add(
            Penalty(
                rule="makespan",
                cost=weights.makespan * end,
                amount=end,
                message=f"last task ends at {when(problem, end)} ({weights.makespan * end})",
            )
        )
    if problem.baseline is not None:
        baseline_penalties(problem, placed, report)
