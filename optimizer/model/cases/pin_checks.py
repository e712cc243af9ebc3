"""Checks of a case problem's pins: each names a known task, room and people once, and
leaves the pinned case an opening and people on duty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.model.cases.checks import near_room, near_staff, near_task

if TYPE_CHECKING:
    from optimizer.model.cases.problem import CaseProblem
    from optimizer.model.cases.tasks import CasePin, Task


def pin_errors(problem: CaseProblem) -> list[str]:
    """Every pin's error messages, pin by pin."""
    errors: list[str] = []
    seen: set[str] = set()
    for i, pin in enumerate(problem.pins):
        where = f"pins[{i}] of task '{pin.task}'"
        if pin.task not in problem.task_index:
            errors.append(f"{where}: unknown task '{pin.task}'{near_task(problem, pin.task)}")
            continue
        if pin.task in seen:
            errors.append(f"{where}: the task is pinned twice")
        seen.add(pin.task)
        task = problem.task(pin.task)
        found: list[str] = []
        if pin.start is not None and not (
            task.release <= pin.start and pin.start + task.duration <= problem.latest_end(task)
        ):
            found.append(
                f"{where}: start {pin.start} is outside the task's window "
                f"[{task.release}, {problem.latest_end(task)}]"
            )
        if pin.room is not None:
            if pin.room not in problem.room_index:
                found.append(f"{where}: unknown room '{pin.room}'{near_room(problem, pin.room)}")
            elif pin.room not in {r.id for r in problem.eligible_rooms(task)}:
                found.append(f"{where}: room '{pin.room}' is not eligible for the task")
        candidates = {p.id for p in problem.candidates(task)}
        for name in pin.staff:
            if name not in problem.staff_index:
                found.append(f"{where}: unknown staff '{name}'{near_staff(problem, name)}")
            elif name not in candidates:
                found.append(f"{where}: staff '{name}' is not qualified for the task")
        if len(set(pin.staff)) > task.team_size:
            found.append(
                f"{where}: {len(set(pin.staff))} people pinned to a team of {task.team_size}"
            )
        if not found and task.duration > 0:
            found += _pin_room_errors(problem, where, pin, task)
            found += _pin_staff_errors(problem, where, pin, task)
        errors += found
    return errors


def _pin_room_errors(problem: CaseProblem, where: str, pin: CasePin, task: Task) -> list[str]:
    """A pinned start and/or room must leave an opening (overtime included) for the task."""
    if not problem.needs_room(task) or (pin.start is None and pin.room is None):
        return []
    rooms = [problem.room(pin.room)] if pin.room is not None else problem.eligible_rooms(task)
    if pin.start is None:
        earliest, latest = task.release, problem.latest_end(task)
    else:
        earliest, latest = pin.start, pin.start + task.duration
    for room in rooms:
        for opening in problem.openings_of(room):
            if min(opening.hard_end, latest) - max(opening.start, earliest) >= task.duration:
                return []
    names = ", ".join(f"'{r.id}'" for r in rooms)
    which = f"room {names}" if pin.room is not None else f"its eligible rooms ({names})"
    if pin.start is None:
        return [
            f"{where}: no opening of {which} (overtime included) holds its "
            f"{task.duration} minutes within [{earliest}, {latest}]"
        ]
    return [
        f"{where}: at start {pin.start} its {task.duration} minutes [{earliest}, {latest}) "
        f"fit in no opening of {which} (overtime included)"
    ]


def _pin_staff_errors(problem: CaseProblem, where: str, pin: CasePin, task: Task) -> list[str]:
    """Named and pinned people must be on duty (overtime included) for the whole
    pinned case."""
    errors: list[str] = []
    if pin.start is not None:
        earliest, latest = pin.start, pin.start + task.duration
    else:
        earliest, latest = task.release, problem.latest_end(task)
    for name in dict.fromkeys([*task.staff, *pin.staff]):
        if pin.start is None and name in task.staff:
            continue  # the task's own check covers named staff without a pinned start
        windows = problem.merged_work_windows_of(problem.person(name))
        if any(min(w.end, latest) - max(w.start, earliest) >= task.duration for w in windows):
            continue
        kind = "named" if name in task.staff else "pinned"
        span = (
            f"for the whole of [{earliest}, {latest})"
            if pin.start is not None
            else f"for {task.duration} minutes within [{earliest}, {latest}]"
        )
        errors.append(f"{where}: {kind} staff '{name}' is not on duty {span}")
    return errors
