"""Which tasks the schedule places: unknown and duplicate entries, missing mandatory tasks."""

from __future__ import annotations

from optimizer.check.cases.common import Placed, violate
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask


def placed_tasks(problem: CaseProblem, schedule: CaseSchedule, report: CheckReport) -> Placed:
    """The placed tasks by id (first entry of each known task); reports unknown and
    duplicate entries and mandatory or pinned tasks left out."""
    placed: dict[str, ScheduledTask] = {}
    for item in schedule.tasks:
        if item.task not in problem.task_index:
            violate(report, "unknown_task", f"unknown task '{item.task}'", task=item.task)
        elif item.task in placed:
            violate(report, "duplicate", f"task '{item.task}' placed twice", task=item.task)
        else:
            placed[item.task] = item
    for task_id in schedule.unscheduled:
        if task_id not in problem.task_index:
            violate(
                report,
                "unknown_task",
                f"unknown task '{task_id}' listed as unscheduled",
                task=task_id,
            )
        elif task_id in placed:
            violate(
                report,
                "duplicate",
                f"task '{task_id}' is both placed and unscheduled",
                task=task_id,
            )
    for task in problem.tasks:
        if task.id not in placed and problem.must_schedule(task):
            why = "pinned" if task.optional else "mandatory"
            violate(report, "unscheduled", f"{why} task '{task.id}' is not scheduled", task=task.id)
    return placed
