"""Warm starts: hint an earlier schedule, or a list-scheduling heuristic for RCPSP."""

from __future__ import annotations

from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.solvers.cpsat.cases.sgs import rcpsp_starts
from optimizer.solvers.cpsat.cases.variables import CaseVariables


def add_hint(cv: CaseVariables, schedule: CaseSchedule) -> None:
    """Hint presence, start, room and people of every known task in ``schedule``."""
    problem = cv.problem
    placed = schedule.by_task()
    for tv in cv.tasks:
        item = placed.get(tv.task.id)
        if not tv.mandatory:
            cv.model.add_hint(tv.present, item is not None)
        if item is None:
            continue
        cv.model.add_hint(tv.start, item.start)
        for r, lit in tv.rooms.items():
            cv.model.add_hint(lit, problem.rooms[r].id == item.room)
        for s, lit in tv.staff.items():
            cv.model.add_hint(lit, problem.staff[s].id in item.staff)


def heuristic_schedule(
    problem: CaseProblem,
    earliest: list[int],
    latest_end: list[int],
    seconds: float,
    seed: int,
    max_tries: int | None = None,
) -> CaseSchedule | None:
    """A quick schedule for pure RCPSP problems (see ``sgs``), else None."""
    starts = rcpsp_starts(
        problem, earliest, latest_end, seconds=seconds, seed=seed, max_tries=max_tries
    )
    if starts is None:
        return None
    return CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=task.id, start=s, end=s + task.duration)
            for task, s in zip(problem.tasks, starts, strict=True)
        )
    )
