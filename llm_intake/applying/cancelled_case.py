"""Cancelled cases: the case leaves the problem as the re-plan's ``CancelCase`` leaves
it (with its pins and precedences), and leaves the baseline schedule too."""

from __future__ import annotations

from typing import Any

from optimizer.errors import InputError
from optimizer.model.result import CaseSchedule


def cancel_case(
    problem: Any, case_id: str, schedule: CaseSchedule | None, changes: list[str]
) -> Any:
    """The case problem without ``case_id``, as the re-plan's ``CancelCase`` leaves it:
    its pins and the precedences that involve it go with it (an optional case that can
    then no longer be placed goes too). Everything else of the problem stays as it is.
    """
    from optimizer.replan import CancelCase as Cancel
    from optimizer.replan import replan_problem

    if case_id not in problem.task_index:
        raise InputError(
            f"there is no case '{case_id}' in the case problem: a mistyped id, or cancelled "
            "already? nothing is cancelled",
            field="case",
        )
    if len(problem.tasks) == 1:
        raise InputError(
            f"case '{case_id}' is the only case of the problem, which needs at least one; "
            "nothing is cancelled",
            field="case",
        )
    planned, _fixed, dropped = replan_problem(
        problem, schedule or CaseSchedule(), [Cancel(task=case_id)]
    )
    changes.append(_cancel_text(problem, case_id, dropped))
    return problem.model_copy(
        update={
            "tasks": planned.tasks,
            "pins": planned.pins,
            "precedences": planned.precedences,
        }
    )


def without_cases(schedule: CaseSchedule, cancelled: set[str]) -> CaseSchedule:
    """``schedule`` without the cancelled cases (placed or unscheduled)."""
    return schedule.model_copy(
        update={
            "tasks": tuple(t for t in schedule.tasks if t.task not in cancelled),
            "unscheduled": tuple(t for t in schedule.unscheduled if t not in cancelled),
        }
    )


def _cancel_text(problem: Any, case_id: str, dropped: dict[str, str]) -> str:
    """ "case C013 (Hernia repair) cancelled; its precedence with C014 dropped"."""
    text = f"case {_case_name(problem, case_id)} cancelled"
    linked = [
        p.after if p.before == case_id else p.before
        for p in problem.precedences
        if case_id in (p.before, p.after)
    ]
    if linked:
        many = "s" if len(linked) > 1 else ""
        text += f"; its precedence{many} with {', '.join(dict.fromkeys(linked))} dropped"
    pins = sum(1 for pin in problem.pins if pin.task == case_id)
    if pins:
        text += "; its pin dropped" if pins == 1 else f"; its {pins} pins dropped"
    if dropped:
        gone = ", ".join(_case_name(problem, t) for t in dropped)
        text += f"; left out as it can no longer be placed: {gone}"
    return text


def _case_name(problem: Any, case_id: str) -> str:
    """ "C013 (Hernia repair)": the id with the procedure (or the name, if not the id)."""
    task = problem.task(case_id)
    what = task.procedure or task.label
    return f"{case_id} ({what})" if what and what != case_id else case_id
