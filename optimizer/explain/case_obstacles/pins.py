"""Why a case's pin (start, room, people) leaves it no time that passes the static stages."""

from __future__ import annotations

from optimizer.construct.slots import on_duty, room_candidates, static_ok
from optimizer.explain.case_obstacles.reason import Reason
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, Task


def pin_reasons(problem: CaseProblem, task: Task, starts: list[int]) -> list[Reason]:
    """The task's pin, if no start passing the static stages also honours it."""
    pin = problem.pin_of(task.id)
    if pin is None:
        return []
    if pin.start is not None:
        starts = [pin.start]
    end = task.duration
    for start in starts:
        if task.duration and not (
            static_ok(problem, task, start)
            and all(on_duty(problem, name, start, start + end) for name in pin.staff)
        ):
            continue
        rooms = [cand.room for cand in room_candidates(problem, task, start)]
        if not problem.needs_room(task) or (pin.room is None and rooms) or pin.room in rooms:
            return []
    parts = [f"at {when(problem, pin.start)}"] if pin.start is not None else []
    if pin.room is not None:
        parts.append(f"in room {problem.room(pin.room).label}")
    if pin.staff:
        parts.append("with " + ", ".join(problem.person(name).label for name in pin.staff))
    opening = "a room opening holds it and " if problem.needs_room(task) else ""
    return [
        Reason(
            code="pin",
            message=f"its pin ({' '.join(parts)}) leaves no time when {opening}the whole "
            "team is on duty for the case",
        )
    ]
