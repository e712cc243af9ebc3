"""What ``now`` means for a re-plan: it lies within the schedule; the cases started
before it are fixed and pinned where they ran; no other case starts before it."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.explain.case_time import time_span, when
from optimizer.model.cases import CasePin, CaseProblem, Task
from optimizer.replan.draft import Draft


def check_now(problem: CaseProblem, now: int | None) -> None:
    """``now`` lies within the schedule: from its start to its end (the horizon)."""
    if now is None or 0 <= now <= problem.horizon:
        return
    span = time_span(problem, 0, problem.horizon)
    raise InputError(
        f"now ({now} minutes from the start) is outside the schedule: it must lie within "
        f"0 to {problem.horizon} minutes ({span})",
        field="now",
    )


def fix_started(draft: Draft, now: int | None) -> None:
    """The published cases that started before ``now`` are fixed."""
    if now is None:
        return
    for task_id, item in draft.published.items():
        if task_id in draft.tasks and item.start < now:
            draft.fixed[task_id] = item


def release_after(draft: Draft, now: int | None) -> None:
    """No case that has not started may start before ``now``; a case that must be
    placed and no longer fits before its deadline is refused."""
    if now is None:
        return
    for task_id, task in list(draft.tasks.items()):
        if task_id not in draft.fixed and task.release < now:
            _check_deadline(draft, task, now)
            draft.tasks[task_id] = task.model_copy(update={"release": now})


def _check_deadline(draft: Draft, task: Task, now: int) -> None:
    """A mandatory (or pinned) case whose deadline leaves no room for it after
    ``now``; an optional one is dropped later, with the reason."""
    if task.deadline is None or task.deadline >= now + task.duration:
        return
    if task.optional and task.id not in draft.pins:
        return
    about = [task.label] if task.label != task.id else []
    if task.id not in draft.problem.task_index:
        about.append("added")
    where = f"case '{task.id}'" + (f" ({', '.join(about)})" if about else "")
    deadline, at = when(draft.problem, task.deadline), when(draft.problem, now)
    if task.deadline < now:
        rule = f"its deadline {deadline} is before now ({at})"
    else:
        rule = (
            f"its {task.duration} minutes no longer fit between now ({at}) and its "
            f"deadline {deadline}"
        )
    raise InputError(
        f"{where}: {rule}; give it a later deadline, or mark it optional", field="task"
    )


def pin_fixed(draft: Draft) -> None:
    """Every fixed case pinned where it ran: start, room and whole team."""
    for task_id, item in draft.fixed.items():
        draft.pins[task_id] = CasePin(
            task=task_id, start=item.start, room=item.room, staff=item.staff
        )
