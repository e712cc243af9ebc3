"""What a case needs that does not exist: more units of equipment, a room that may hold it."""

from __future__ import annotations

from optimizer.explain.case_obstacles.reason import Reason
from optimizer.model.cases import CaseProblem, Task


def above_capacity(problem: CaseProblem, task: Task) -> list[Reason]:
    """Each resource the task needs more units of than exist (a milestone uses none)."""
    reasons = []
    for resource_id, units in task.resources.items():
        capacity = problem.resource(resource_id).capacity
        if task.duration and units > capacity:
            name = problem.resource(resource_id).name or resource_id
            there = f"only {capacity} exist{'s' if capacity == 1 else ''}"
            message = f"it needs {units} {name} but {there if capacity else 'none exists'}"
            reasons.append(Reason(code=f"equipment_capacity:{resource_id}", message=message))
    return reasons


def no_room(problem: CaseProblem, task: Task) -> list[Reason]:
    """The task needs a room but none may hold it: its room list is empty, or no room
    (of the list) has the capabilities it needs."""
    if not problem.needs_room(task) or problem.eligible_rooms(task):
        return []
    if task.rooms is not None and not task.rooms:
        message = "its room list is empty, so no room may hold it"
        return [Reason(code="room_list_empty", message=message)]
    needs = ", ".join(task.room_needs) or "any"
    among = "" if task.rooms is None else f" among its rooms ({', '.join(task.rooms)})"
    return [Reason(code="room_type", message=f"no room{among} has the capabilities ({needs})")]
