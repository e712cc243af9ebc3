"""The static stages: why a case can never be placed at a start, whatever the others do.

In order: its window, the units it needs against capacity and its eligible rooms,
their openings, its named staff on duty, enough qualified people on duty, the whole
team together; the first stage that leaves no start time is the reason."""

from __future__ import annotations

from optimizer.construct.slots import candidate_starts, on_duty, room_candidates, static_ok
from optimizer.explain.case_obstacles.missing_resources import above_capacity, no_room
from optimizer.explain.case_obstacles.named_staff import named_off_duty
from optimizer.explain.case_obstacles.pins import pin_reasons
from optimizer.explain.case_obstacles.reason import Reason
from optimizer.explain.case_obstacles.roles import StartsLeft, role_reason
from optimizer.explain.case_obstacles.words import examined_until
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, Task


def static_reasons(problem: CaseProblem, task: Task) -> list[Reason]:
    """Why ``task`` can never be placed whatever the other tasks do (empty: it can),
    its pin (start, room, people) included."""
    latest = problem.latest_end(task)
    starts = candidate_starts(problem, task, task.release, latest, None, grid=False)
    return static_stage_reasons(problem, task, latest, starts) or pin_reasons(problem, task, starts)


def static_stage_reasons(
    problem: CaseProblem, task: Task, latest: int, starts: list[int], late: bool = False
) -> list[Reason]:
    """Reasons that hold whatever the other tasks do (empty if some start passes).

    ``latest`` is the latest end examined: the due time of a ``late`` task, else the
    task's latest end."""
    limit = examined_until(problem, latest, late)
    if not starts:
        message = (
            f"its due time {when(problem, latest)} is less than {task.duration} minutes after "
            f"its earliest start {when(problem, task.release)}"
            if late
            else f"its window {when(problem, task.release)}–{when(problem, latest)} is "
            f"shorter than its {task.duration} minutes"
        )
        return [Reason(code="window_too_short", message=message)]
    never = [*above_capacity(problem, task), *no_room(problem, task)]
    if never:
        return never
    if problem.needs_room(task):
        rooms = problem.eligible_rooms(task)
        starts = [t for t in starts if room_candidates(problem, task, t)]
        if not starts:
            names = ", ".join(r.id for r in rooms)
            return [
                Reason(
                    code="room_hours",
                    message=f"no opening of its rooms ({names}) holds {task.duration} minutes "
                    f"between {when(problem, task.release)} and {limit}",
                )
            ]
    room_starts = starts
    end = task.duration
    for i, name in enumerate(task.staff):
        on = [t for t in starts if task.duration == 0 or on_duty(problem, name, t, t + end)]
        if not on:
            message = named_off_duty(problem, task, name, latest, late, room_starts, task.staff[:i])
            return [Reason(code="staff_off_duty", message=message)]
        starts = on
    for need in task.team:
        people = problem.qualified(task, need.role)
        ok = [
            t
            for t in starts
            if task.duration == 0
            or sum(on_duty(problem, p.id, t, t + end) for p in people) >= need.count
        ]
        if not ok:
            left = StartsLeft(room_starts, starts)
            return [role_reason(problem, task, need, left, latest, late)]
        starts = ok
    if not any(static_ok(problem, task, t) for t in starts):
        scope = f" before {limit}" if late else ""
        return [
            Reason(
                code="team_off_duty",
                message=f"the needed team is never on duty together for the whole case{scope}",
            )
        ]
    return []
