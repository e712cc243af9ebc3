"""Overtime costs: rooms past an opening's end, people past an on-duty window's end."""

from __future__ import annotations

from optimizer.check.cases.common import Placed, opening_of, when
from optimizer.check.report import CheckReport, Penalty
from optimizer.model.cases import CaseProblem


def overtime_penalties(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Per room opening: minutes from the opening's end to its last case's end."""
    latest: dict[tuple[str, int], int] = {}
    for item in placed.values():
        if item.room not in problem.room_index or problem.task(item.task).duration == 0:
            continue
        opening = opening_of(problem, item.room, item)
        if opening is not None and item.end > opening.end:
            key = (item.room, opening.end)
            latest[key] = max(latest.get(key, 0), item.end)
    for (room_id, end), last in sorted(latest.items()):
        minutes = last - end
        cost = problem.weights.overtime * minutes
        report.penalties.append(
            Penalty(
                rule="overtime",
                cost=cost,
                amount=minutes,
                message=f"room '{room_id}': {minutes} min overtime after "
                f"{when(problem, end)} ({cost})",
            )
        )


def staff_overtime_penalties(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Per person and on-duty window: minutes from the window's end to the latest end of
    the person's work past it, whichever window that work started in (a case started in
    a later window is not overtime here), counted up to the window's overtime end
    (after it the next window is on duty)."""
    for person in problem.staff:
        if not person.overtime:
            continue
        spans = [
            (item.start, item.end)
            for item in placed.values()
            if person.id in item.staff and problem.task(item.task).duration > 0
        ]
        duty = problem.windows_of(person)
        for window, (_, work_end) in zip(duty, problem.work_windows_of(person), strict=True):
            last = max(
                (min(end, work_end) for start, end in spans if start < work_end),
                default=window.end,
            )
            if last <= window.end:
                continue
            minutes = last - window.end
            cost = problem.weights.staff_overtime * minutes
            report.penalties.append(
                Penalty(
                    rule="staff_overtime",
                    cost=cost,
                    staff=person.id,
                    amount=minutes,
                    message=f"{person.label}: {minutes} min overtime after "
                    f"{when(problem, window.end)} ({cost})",
                )
            )
