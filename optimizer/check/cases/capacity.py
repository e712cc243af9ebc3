"""Resource capacity: the units in use at every moment are at most the capacity."""

from __future__ import annotations

from optimizer.check.cases.common import Placed, violate, when
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem


def check_capacity(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Rule ``capacity``, from each task's needs (milestones use nothing)."""
    for resource in problem.resources:
        events: list[tuple[int, int, str]] = []
        for item in placed.values():
            task = problem.task(item.task)
            units = task.resources.get(resource.id, 0)
            if units and task.duration > 0:
                events.append((item.start, units, item.task))
                events.append((item.end, -units, item.task))
        events.sort(key=lambda e: (e[0], e[1]))  # releases before uses at equal times
        level = 0
        for time, delta, task_id in events:
            level += delta
            if delta > 0 and level > resource.capacity:
                violate(
                    report,
                    "capacity",
                    f"resource '{resource.id}': {level} units in use at "
                    f"{when(problem, time)} (capacity {resource.capacity}) when "
                    f"'{task_id}' starts",
                    task=task_id,
                    amount=level - resource.capacity,
                )
