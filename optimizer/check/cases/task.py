"""Rules of one placed task on its own: duration, time window, room, listed resources, pins."""

from __future__ import annotations

from optimizer.check.cases.common import opening_of, violate, when
from optimizer.check.cases.team import check_team
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import ScheduledTask


def check_task(problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport) -> None:
    """Every rule ``item``, the placement of ``task``, must keep by itself."""
    tid = task.id
    if item.end - item.start != task.duration:
        violate(
            report,
            "duration",
            f"task '{tid}' runs {item.end - item.start} minutes, not {task.duration}",
            task=tid,
        )
    if item.start < task.release:
        violate(
            report,
            "window",
            f"task '{tid}' starts at {item.start}, before its release {task.release}",
            task=tid,
        )
    if item.end > problem.latest_end(task):
        violate(
            report,
            "window",
            f"task '{tid}' ends at {item.end}, after its latest end {problem.latest_end(task)}",
            task=tid,
        )
    _check_room_choice(problem, task, item, report)
    check_team(problem, task, item, report)
    _check_listed_resources(problem, task, item, report)
    pin = problem.pin_of(tid)
    if pin is not None:
        if pin.start is not None and item.start != pin.start:
            violate(
                report, "pin", f"task '{tid}' pinned at {pin.start} starts {item.start}", task=tid
            )
        if pin.room is not None and item.room != pin.room:
            violate(
                report, "pin", f"task '{tid}' pinned to room '{pin.room}' is elsewhere", task=tid
            )
        for name in pin.staff:
            if name not in item.staff:
                violate(
                    report,
                    "pin",
                    f"'{name}' is pinned to task '{tid}' but not on it",
                    task=tid,
                    staff=name,
                )


def _check_listed_resources(
    problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport
) -> None:
    """Listed resources, when any are listed, are known and exactly the task's own.

    An empty list means "not listed" (warm starts and hand-made schedules leave it
    out); capacity is always checked from the task's needs, never from the list.
    """
    tid = task.id
    listed = list(item.resources)
    if not listed:
        return
    if len(set(listed)) != len(listed):
        violate(report, "resources", f"task '{tid}' lists a resource twice", task=tid)
    for rid in dict.fromkeys(listed):
        if rid in problem.resource_index:
            if rid not in task.resources:
                violate(
                    report,
                    "resources",
                    f"task '{tid}' lists resource '{rid}' it does not use",
                    task=tid,
                )
        elif rid in problem.room_index:
            violate(
                report,
                "resources",
                f"task '{tid}' lists room '{rid}' among its resources (the room goes in 'room')",
                task=tid,
            )
        else:
            violate(report, "resources", f"task '{tid}': unknown resource '{rid}'", task=tid)
    for rid in task.resources:
        if rid not in listed:
            violate(
                report,
                "resources",
                f"task '{tid}' uses resource '{rid}' but does not list it",
                task=tid,
            )


def _check_room_choice(
    problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport
) -> None:
    tid = task.id
    if not problem.needs_room(task):
        if item.room is not None:
            violate(report, "room", f"task '{tid}' needs no room but is in '{item.room}'", task=tid)
        return
    if item.room is None:
        violate(report, "room", f"task '{tid}' needs a room but has none", task=tid)
    elif item.room not in {r.id for r in problem.eligible_rooms(task)}:
        violate(report, "room", f"task '{tid}' is in ineligible room '{item.room}'", task=tid)
    elif task.duration > 0 and opening_of(problem, item.room, item) is None:
        violate(
            report,
            "room_hours",
            f"task '{tid}' in room '{item.room}' at {when(problem, item.start)}–"
            f"{when(problem, item.end)} is outside the room's openings",
            task=tid,
        )
