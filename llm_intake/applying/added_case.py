"""Added cases: an ``AddCase`` request becomes a task of the case problem, in its day
and part of day, refused in words when it cannot be placed."""

from __future__ import annotations

from typing import Any

from llm_intake.applying.case_clock import minute_of_day
from llm_intake.applying.case_fit import case_misfit
from llm_intake.applying.wording import day_text, label
from llm_intake.requests import AddCase
from optimizer.errors import InputError

PRIORITY_WEIGHTS = {"elective": 1, "urgent": 3, "emergency": 10}
"""``AddCase.priority`` → ``Task.priority`` (weight of tardiness and of leaving it out)."""
MORNING_END = 13 * 60
AFTERNOON_START = 12 * 60


def free_case_id(taken: set[str]) -> str:
    """The first of "intake-1", "intake-2", … not in ``taken``."""
    n = 1
    while f"intake-{n}" in taken:
        n += 1
    return f"intake-{n}"


def new_case(problem: Any, req: AddCase, task_id: str) -> tuple[Any, str]:
    """The task ``task_id`` that ``req`` asks for, and its change line; an ``InputError``
    when its day is outside the schedule or it cannot be placed."""
    from optimizer.model.cases import Task, TeamRequirement

    release, deadline = _window(problem, req)
    task = Task(
        id=task_id,
        name=req.procedure,
        procedure=req.procedure,
        duration=req.duration_min,
        release=release,
        deadline=deadline,
        priority=PRIORITY_WEIGHTS[req.priority],
        team=tuple(TeamRequirement(role=r, count=c) for r, c in req.roles.items()),
        staff=(req.surgeon,) if req.surgeon else (),
        rooms=(req.room,) if req.room else None,
    )
    when = f" on {day_text(req.date)}" if req.date is not None else ""
    if misfit := case_misfit(problem, task, req.part_of_day):
        raise InputError(
            f"cannot add the {req.duration_min}-min {req.procedure} case{when}: {misfit}",
            field="tasks",
        )
    return task, f"added case {task_id}: {req.procedure}, {_case_details(problem, req)}"


def _window(problem: Any, req: AddCase) -> tuple[int, int | None]:
    """The release and deadline of the case: its day, or the part of the day asked
    (morning: ends by 13:00; afternoon: starts from 12:00); (0, None) without a date."""
    if req.date is None:
        return 0, None
    if problem.start is None:
        raise InputError("the case problem has no start date, so a date cannot be used")
    day_start = minute_of_day(problem, req.date)
    release = max(0, day_start + (AFTERNOON_START if req.part_of_day == "afternoon" else 0))
    end = day_start + (MORNING_END if req.part_of_day == "morning" else 24 * 60)
    end = min(end, problem.horizon)
    if end <= release:
        part = f" ({req.part_of_day})" if req.part_of_day else ""
        raise InputError(f"{req.date}{part} is outside the case schedule")
    return release, max(release + req.duration_min, end)


def _case_details(problem: Any, req: AddCase) -> str:
    """ "60 min, urgent, in Theatre 2 on Mon 07 Dec morning": what was applied (the
    priority when not elective, the room and part of day when given)."""
    parts = [f"{req.duration_min} min"]
    if req.priority != "elective":
        parts.append(req.priority)
    if req.room is not None:
        parts.append(f"in {label(problem.rooms, req.room)}")
    text = ", ".join(parts)
    if req.date is not None:
        text += f" on {day_text(req.date)}"
    if req.part_of_day is not None:
        text += f" {req.part_of_day}"
    return text
