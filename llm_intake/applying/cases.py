"""Requests applied to a case problem, each by the module of its kind, and the
previous schedule (without cancelled cases) as the new baseline."""

from __future__ import annotations

from typing import Any

from llm_intake.applying.added_case import free_case_id, new_case
from llm_intake.applying.applied import Applied, revalidate
from llm_intake.applying.cancelled_case import cancel_case, without_cases
from llm_intake.applying.case_absence import add_case_absence
from llm_intake.requests import AddCase, CancelCase, Request, Unavailable
from optimizer.model.result import CaseSchedule, Result


def apply_cases(
    problem: Any, requests: list[Request], previous: Result | CaseSchedule | None
) -> Applied:
    """The case problem with ``requests`` applied in order (roster kinds are not its
    kind); the ``previous`` schedule becomes its baseline."""
    from optimizer.model.cases import CaseBaseline

    tasks = list(problem.tasks)
    changes: list[str] = []
    ids = {t.id for t in tasks}
    schedule = previous.schedule if isinstance(previous, Result) else previous
    cancelled: set[str] = set()
    for req in requests:
        if isinstance(req, Unavailable):
            problem = add_case_absence(problem, req, changes)
            continue
        if isinstance(req, CancelCase):
            if req.case not in cancelled:  # the same case twice is cancelled once
                problem = problem.model_copy(update={"tasks": tuple(tasks)})
                problem = cancel_case(problem, req.case, schedule, changes)
                tasks = list(problem.tasks)
                cancelled.add(req.case)
            continue
        if not isinstance(req, AddCase):
            continue
        task_id = free_case_id(ids)
        ids.add(task_id)
        task, change = new_case(problem, req, task_id)
        tasks.append(task)
        changes.append(change)
    update: dict[str, Any] = {"tasks": tuple(tasks)}
    if schedule is not None:
        kept = without_cases(schedule, cancelled)
        update["baseline"] = CaseBaseline(schedule=kept)
        changes.append(f"baseline: {len(kept.tasks)} placed tasks of the last schedule")
    elif problem.baseline is not None and cancelled:
        kept = without_cases(problem.baseline.schedule, cancelled)
        update["baseline"] = problem.baseline.model_copy(update={"schedule": kept})
    return Applied(revalidate(problem.model_copy(update=update), "cases"), changes)
