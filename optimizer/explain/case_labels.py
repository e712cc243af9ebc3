"""Case labels for explanations: the name, with the id when the name does not tell."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.model.cases import CaseProblem, Task


def case_label(problem: CaseProblem, task_id: str) -> str:
    """A case's label, with its id when it has no name or shares its name."""
    return label_among(problem.task(task_id), problem.tasks)


def label_among(task: Task, cases: Iterable[Task]) -> str:
    """``task``'s label, with its id when it has no name or shares its name with
    another of ``cases`` (e.g. the cases before and after a re-plan)."""
    if task.name and all(t.name != task.name or t.id == task.id for t in cases):
        return task.name
    return task.id if task.label == task.id else f"{task.label} ({task.id})"
