"""Checks of one task against its problem: known ids and, for a case that must be
placed, some room, opening and team that could hold it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from optimizer.model.cases.checks import task_id_errors

if TYPE_CHECKING:
    from optimizer.model.cases.problem import CaseProblem
    from optimizer.model.cases.staff import StaffMember
    from optimizer.model.cases.tasks import Task


def task_errors(problem: CaseProblem, task: Task) -> list[str]:
    """Unknown ids, and for a case that must be placed, whatever rules out every
    placement. An optional case that can never run is no error: it stays out at
    its penalty, and the explanation of the schedule says why."""
    errors = task_id_errors(problem, task)
    if errors or not problem.must_schedule(task):
        return errors
    return _fit_errors(problem, task)


def _fit_errors(problem: CaseProblem, task: Task) -> list[str]:
    """The case fits the horizon, its resources' capacities, a room and its people."""
    where = f"task '{task.id}'"
    if task.release + task.duration > problem.horizon:
        return [
            f"{where}: release {task.release} + duration {task.duration} exceeds the "
            f"horizon {problem.horizon}"
        ]
    errors = [
        f"{where}: needs {units} of resource '{resource_id}' whose capacity is "
        f"{problem.resource(resource_id).capacity}"
        for resource_id, units in task.resources.items()
        if units > problem.resource(resource_id).capacity
    ]
    earliest, latest = task.release, problem.latest_end(task)

    def fits(windows: list[tuple[int, int]]) -> bool:
        return any(min(e, latest) - max(s, earliest) >= task.duration for s, e in windows)

    def too_long(person: StaffMember) -> bool:
        return person.max_minutes is not None and task.duration > person.max_minutes

    def on_duty(person: StaffMember) -> bool:
        return task.duration == 0 or fits(
            [(w.start, w.end) for w in problem.merged_work_windows_of(person)]
        )

    errors += _room_errors(problem, task, fits)
    for name in task.staff:
        person = problem.person(name)
        if too_long(person):
            errors.append(
                f"{where}: named staff '{name}' may work at most {person.max_minutes} "
                f"minutes (max_minutes), less than its duration {task.duration}"
            )
        elif not on_duty(person):
            errors.append(
                f"{where}: named staff '{name}' has no availability window of "
                f"{task.duration} minutes within [{earliest}, {latest}]"
            )
    for need in task.team:
        people = problem.qualified(task, need.role)
        if len(people) < need.count:
            errors.append(
                f"{where}: needs {need.count} '{need.role}' but only {len(people)} "
                f"staff hold that role" + (" besides the named staff" if task.staff else "")
            )
            continue
        short = [p for p in people if too_long(p)]
        fitting = [p for p in people if not too_long(p) and on_duty(p)]
        if len(fitting) < need.count:
            limits = (
                f" and max_minutes of at least {task.duration} ({len(short)} of the "
                f"{len(people)} who hold that role {'has' if len(short) == 1 else 'have'} "
                f"max_minutes below {task.duration})"
                if short
                else ""
            )
            errors.append(
                f"{where}: needs {need.count} '{need.role}' but only {len(fitting)} "
                f"have an availability window of {task.duration} minutes within "
                f"[{earliest}, {latest}]" + limits
            )
    return errors


def _room_errors(
    problem: CaseProblem, task: Task, fits: Callable[[list[tuple[int, int]]], bool]
) -> list[str]:
    """A case that needs a room has an eligible one, and (unless a milestone, which
    takes no room time) an opening of one holds it."""
    if not problem.needs_room(task):
        return []
    where = f"task '{task.id}'"
    if not problem.rooms:
        return [f"{where} needs a room (needs_room: true), but the problem has no rooms"]
    if task.rooms is not None and not task.rooms:
        return [
            f"{where}: its room list is empty (rooms: []); list the rooms it may use, "
            "or leave the list out to allow any room"
        ]
    rooms = problem.eligible_rooms(task)
    if not rooms:
        wanted = ", ".join(task.room_needs) or "any"
        listed = "" if task.rooms is None else f" among {', '.join(task.rooms)}"
        return [f"{where}: no room{listed} has the capabilities ({wanted})"]
    if task.duration == 0 or any(
        fits([(o.start, o.hard_end) for o in problem.openings_of(r)]) for r in rooms
    ):
        return []
    return [
        f"{where}: duration {task.duration} fits in no opening of its eligible rooms "
        f"({', '.join(r.id for r in rooms)}) within [{task.release}, {problem.latest_end(task)}]"
    ]
