"""Helpers shared by the case-schedule checks: times as read, violations, openings."""

from __future__ import annotations

from optimizer.check.report import CheckReport, Violation
from optimizer.model.cases import CaseProblem, Opening
from optimizer.model.result import ScheduledTask

Placed = dict[str, ScheduledTask]
"""The schedule's placed tasks by task id (each task once)."""


def when(problem: CaseProblem, minute: int) -> str:
    """``minute`` as a planner reads it (``Mon 07 Dec 08:00``; ``t=…`` in abstract time)."""
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else moment.strftime("%a %d %b %H:%M")


def violate(
    report: CheckReport,
    rule: str,
    message: str,
    *,
    task: str | None = None,
    staff: str | None = None,
    amount: int = 1,
) -> None:
    """Add one broken hard rule to ``report``."""
    report.violations.append(
        Violation(rule=rule, message=message, task=task, staff=staff, amount=amount)
    )


def opening_of(problem: CaseProblem, room_id: str, item: ScheduledTask) -> Opening | None:
    """The opening of the room that wholly holds ``item`` (overtime included), if any."""
    for opening in problem.openings_of(problem.room(room_id)):
        if opening.start <= item.start and item.end <= opening.hard_end:
            return opening
    return None
