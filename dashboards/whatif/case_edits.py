"""Case what-ifs: a case added, a published case that ran long, a case cancelled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from dashboards.whatif.case_baseline import published_schedule
from dashboards.whatif.case_wording import case_names, case_words, in_words
from dashboards.whatif.problem_copy import rebuild
from optimizer.errors import InputError, from_validation_error
from optimizer.model.common import canonical_id
from optimizer.model.result import Result

CASE_FORM_FIELDS = {
    "id": "Case id",
    "procedure": "Procedure",
    "name": "Procedure",
    "duration": "Minutes",
    "priority": "Priority",
    "staff": "Named surgeon",
    "team": "Team",
    "role": "Team",
    "count": "Team",
}
"""Task / team fields -> the label of the add-case form field that sets them."""


def _form_error(exc: ValidationError, labels: dict[str, str]) -> InputError:
    """One ``InputError`` naming the form field (by its label) and the broken rule."""
    error = from_validation_error(exc)
    first = exc.errors(include_url=False)[0]
    names = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    label = next((labels[name] for name in names if name in labels), error.field)
    return InputError(error.message, field=label)


def with_added_case(
    problem: Any,
    case_id: str,
    procedure: str,
    duration: int,
    surgeon: str | None,
    roles: dict[str, int],
    day: dt.date | None,
    priority: int,
) -> tuple[Any, str]:
    """A new case (optionally on a given day, by a named surgeon)."""
    from optimizer.model.cases import Task, TeamRequirement

    if not case_id.strip():
        raise InputError("a case id is required", field="Case id")
    if canonical_id(case_id) in problem.task_index:  # X’1 is the case X'1
        raise InputError(f"a case with id '{case_id}' already exists", field="Case id")
    release, due = 0, None
    if day is not None and problem.start is not None:
        release = max(0, problem.minute_of(dt.datetime.combine(day, dt.time())))
        due = min(problem.horizon, release + 24 * 60)
    try:
        task = Task(
            id=case_id,
            name=f"{case_id} {procedure}",
            procedure=procedure,
            duration=duration,
            release=release,
            due=due,
            priority=priority,
            optional=True,
            staff=(surgeon,) if surgeon else (),
            team=tuple(TeamRequirement(role=r, count=n) for r, n in roles.items() if n > 0),
        )
    except ValidationError as exc:
        raise _form_error(exc, CASE_FORM_FIELDS) from None
    try:
        new = rebuild(problem, tasks=(*problem.tasks, task))
    except InputError as exc:
        raise in_words(_with_task(problem, task), exc) from None
    when = "" if day is None else f" on {day:%a %d %b}"
    _refuse_misfit(new, new.task(case_id), due, when)
    who = f", surgeon {new.person(surgeon).label}" if surgeon else ""
    text = f"added case {case_id}: {procedure}, {duration} min{when}{who}, priority {priority}"
    return new, text


def _refuse_misfit(problem: Any, task: Any, day_end: int | None, when: str) -> None:
    """Refuse a case that cannot be placed on its day (or at all), as free text does
    (``llm_intake.apply.case_misfit``): the named surgeon off duty then, no room open
    long enough, too few of a role on duty. The day is a soft due on the case, but a
    case its own day cannot hold would only be placed late, on another day."""
    from llm_intake.apply import case_misfit

    on_day = task.model_copy(update={"deadline": day_end})
    misfit = case_misfit(problem, on_day)
    if misfit is None:
        return
    unnamed = case_misfit(problem, on_day.model_copy(update={"staff": ()}))
    field = "Day" if day_end is not None else "Minutes"
    if task.staff and unnamed != misfit:
        field = "Named surgeon"
    raise InputError(
        f"cannot add the {task.duration}-min {task.procedure} case{when}: {misfit}",
        field=field,
    )


def _with_task(problem: Any, task: Any) -> Any:
    """``problem`` with ``task`` added, unvalidated: only for naming it in a message."""
    return problem.model_copy(update={"tasks": (*problem.tasks, task)})


def with_case_overrun(
    problem: Any, published: Result, task_id: str, minutes: int
) -> tuple[Any, str]:
    """A published case ran ``minutes`` past its planned end (``optimizer.replan``'s
    ``CaseOverrun``): it is fixed where it ran, with its room and team kept on for it."""
    from optimizer.explain.case_time import when
    from optimizer.replan import CaseOverrun, replan_problem

    schedule = published_schedule(problem, published)
    item = schedule.by_task().get(task_id)
    if item is None or task_id not in problem.task_index:
        raise InputError("pick a case of the published schedule", field="Case")
    label = problem.task(task_id).label
    if minutes < 1:
        raise InputError("a case that ran long ran at least 1 minute over", field="Minutes over")
    end = item.end + minutes
    if end > problem.horizon:
        raise InputError(
            f"{label} would end {when(problem, end)}, after the plan ends "
            f"({when(problem, problem.horizon)})",
            field="Minutes over",
        )
    try:
        planned, _fixed, dropped = replan_problem(
            problem, schedule, [CaseOverrun(task=task_id, actual_end=end)]
        )
    except InputError as exc:
        raise in_words(problem, exc) from None
    text = f"{label} ran {minutes} min over: ends {when(problem, end)}"
    if dropped:
        gone = [problem.task(t) for t in dropped]
        text += "; left out (can no longer be placed): " + case_names(gone)
    return planned.model_copy(update={"baseline": None}), text


class Cancellation(str):
    """A change's description that cancels a case: ``task`` is the case's id, so that the
    scenario lists the case as cancelled, not as left out (see ``cancelled``)."""

    task: str

    def __new__(cls, text: str, task: str) -> Cancellation:
        made = super().__new__(cls, text)
        made.task = task
        return made


def cancelled(changes: list[str]) -> set[str]:
    """The ids of the cases that the changes (descriptions) cancel."""
    return {c.task for c in changes if isinstance(c, Cancellation)}


def with_cancelled_case(problem: Any, published: Result, task_id: str) -> tuple[Any, str]:
    """The case will not happen (``optimizer.replan``'s ``CancelCase``): it leaves the
    plan with its pin and precedences; optional cases that can no longer be placed go too.

    Once the scenario is adopted, the calendar export marks the case cancelled for the
    people the published plan had on it.
    """
    from optimizer.explain.case_time import when
    from optimizer.replan import CancelCase, replan_problem

    if task_id not in problem.task_index:
        raise InputError("pick a case of the plan", field="Case")
    schedule = published_schedule(problem, published)
    task = problem.task(task_id)
    try:
        planned, _fixed, dropped = replan_problem(problem, schedule, [CancelCase(task=task_id)])
    except InputError as exc:
        raise in_words(problem, exc) from None
    placed = schedule.by_task().get(task_id)
    text = f"cancelled {case_words(task)}"
    if placed is not None:
        text += f", planned {when(problem, placed.start)}"
    else:
        text += ", not in the published schedule"
    linked = [
        p.after if p.before == task_id else p.before
        for p in problem.precedences
        if task_id in (p.before, p.after)
    ]
    if linked:
        text += "; its order with " + case_names([problem.task(t) for t in linked]) + " is dropped"
    if dropped:
        gone = [problem.task(t) for t in dropped]
        text += "; left out (can no longer be placed): " + case_names(gone)
    return planned.model_copy(update={"baseline": None}), Cancellation(text, task_id)
