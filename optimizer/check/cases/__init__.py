"""Independent checker for case schedules (no solver imports).

Re-verifies every hard rule of ``optimizer.model.cases`` and recomputes each soft
rule's cost with a who/what/when message. One module per group of rules:
``placement`` (unknown, duplicate, unscheduled), ``task`` (duration, window, room,
listed resources, pins), ``team`` (team, qualification), ``rooms`` (double booking,
turnover), ``staff`` (double booking, availability, max minutes), ``capacity``,
``precedences``; the objective in ``penalties`` (with ``overtime``, ``idle``,
``baseline``); shared helpers in ``common``.
"""

from __future__ import annotations

from optimizer.check.cases.capacity import check_capacity
from optimizer.check.cases.penalties import add_penalties
from optimizer.check.cases.placement import placed_tasks
from optimizer.check.cases.precedences import check_precedences
from optimizer.check.cases.rooms import check_rooms
from optimizer.check.cases.staff import check_staff
from optimizer.check.cases.task import check_task
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule


def check_cases(problem: CaseProblem, schedule: CaseSchedule) -> CheckReport:
    """Every broken hard rule and every soft penalty of ``schedule``."""
    report = CheckReport()
    placed = placed_tasks(problem, schedule, report)
    for task_id, item in placed.items():
        check_task(problem, problem.task(task_id), item, report)
    check_rooms(problem, placed, report)
    check_staff(problem, placed, report)
    check_capacity(problem, placed, report)
    check_precedences(problem, placed, report)
    add_penalties(problem, placed, report)
    return report


__all__ = ["check_cases"]
