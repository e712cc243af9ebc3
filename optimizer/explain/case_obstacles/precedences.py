"""Precedences with placed cases that rule out a start, and their wording."""

from __future__ import annotations

from optimizer.construct.occupancy import Occupancy
from optimizer.explain.case_labels import case_label
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, Precedence, Task
from optimizer.model.result import CaseSchedule


def precedence_codes(problem: CaseProblem, task: Task, occ: Occupancy, start: int) -> list[str]:
    """``precedence:<index>`` for each precedence with a placed task that ``start`` breaks."""
    codes = []
    for i, prec in enumerate(problem.precedences):
        low: int | None
        high: int | None
        if prec.after == task.id and prec.before in occ.placed:
            end = occ.placed[prec.before].end
            low = end + prec.min_lag
            high = None if prec.max_lag is None else end + prec.max_lag
        elif prec.before == task.id and prec.after in occ.placed:
            begin = occ.placed[prec.after].start - task.duration
            high = begin - prec.min_lag
            low = None if prec.max_lag is None else begin - prec.max_lag
        else:
            continue
        if (low is not None and start < low) or (high is not None and start > high):
            codes.append(f"precedence:{i}")
    return codes


def precedence_message(
    problem: CaseProblem, task: Task, prec: Precedence, schedule: CaseSchedule
) -> str:
    """The precedence in the planner's words, with the other case's time."""
    placed = schedule.by_task()
    lag = _lag_words(prec)
    if prec.after == task.id:
        other = placed[prec.before]
        return (
            f"it must start {lag}after {case_label(problem, prec.before)} ends "
            f"({when(problem, other.end)})"
        )
    other = placed[prec.after]
    return (
        f"it must end {lag}before {case_label(problem, prec.after)} starts "
        f"({when(problem, other.start)})"
    )


def _lag_words(prec: Precedence) -> str:
    """``min_lag`` (and ``max_lag``) as words: "at least 7 min ", "7 to 30 min ", ""."""
    if prec.max_lag is not None:
        return f"{prec.min_lag} to {prec.max_lag} min "
    return f"at least {prec.min_lag} min " if prec.min_lag else ""
