"""The cases a re-plan can no longer place: rooms closed for all their opening time
leave the cases' rooms; an optional case that cannot be placed is taken out (id ->
reason), a mandatory one is an ``InputError``."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.explain.case_reasons import static_reasons
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem
from optimizer.replan.draft import Draft


def close_rooms(draft: Draft) -> dict[str, str]:
    """Take the rooms closed for all their opening time out of every case's rooms.

    An optional case left with no room is taken out (returned: id -> reason); a
    mandatory one makes the closure invalid."""
    dropped: dict[str, str] = {}
    for task_id, task in list(draft.tasks.items()):
        eligible = [r.id for r in draft.problem.eligible_rooms(task)]
        shut = [r for r in eligible if r in draft.closed]
        if not shut:
            continue
        if len(shut) < len(eligible):
            keep = [r for r in task.rooms or eligible if r not in draft.closed]
            draft.tasks[task_id] = task.model_copy(update={"rooms": tuple(keep)})
            continue
        closures = "; ".join(
            f"{c.room} closed {draft.change_span(c)}" for c in draft.closures if c.room in shut
        )
        reason = f"no opening at all is left in its rooms ({closures})"
        if not task.optional or task_id in draft.pins:
            raise InputError(
                f"case '{task_id}' ({task.label}) must be scheduled, but {reason}; mark "
                "it optional or close the rooms for less time",
                field="room",
            )
        dropped[task_id] = reason
        del draft.tasks[task_id]
    return dropped


def drop_unplaceable(draft: Draft, now: int | None) -> dict[str, str]:
    """Take out optional, unfixed tasks that can no longer be placed at all (one the
    problem could never place stays in: it is left out at its cost, as before)."""
    trial = draft.build(None, validate=False)
    dropped: dict[str, str] = {}
    for task in list(draft.tasks.values()):
        if task.id in draft.fixed or trial.must_schedule(task) or _never(draft.problem, task.id):
            continue
        unknown = [n for n in task.staff if n not in trial.staff_index] or [
            r for r in task.rooms or () if r not in trial.room_index
        ]
        if unknown or any(r not in trial.resource_index for r in task.resources):
            continue  # validation names the bad reference
        latest = trial.latest_end(task)
        if task.release + task.duration > latest:
            after = "" if now is None else f" after {when(trial, now)}"
            dropped[task.id] = f"its window closes{after} before {task.duration} minutes fit"
            continue
        reasons = static_reasons(trial, task)
        if reasons:
            dropped[task.id] = reasons[0].message
    for task_id in dropped:
        del draft.tasks[task_id]
    return dropped


def _never(problem: CaseProblem, task_id: str) -> bool:
    """Whether ``problem`` (before the changes) could never place the case either."""
    if task_id not in problem.task_index:
        return False
    task = problem.task(task_id)
    return task.release + task.duration > problem.latest_end(task) or bool(
        static_reasons(problem, task)
    )
