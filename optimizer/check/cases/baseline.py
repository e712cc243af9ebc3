"""Baseline costs when re-planning: baseline tasks moved or dropped, people taken off."""

from __future__ import annotations

from optimizer.check.cases.common import Placed, when
from optimizer.check.report import CheckReport, Penalty
from optimizer.model.cases import CaseProblem


def baseline_penalties(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Rules ``baseline_move`` and ``baseline_staff``; cancelled baseline tasks are skipped."""
    assert problem.baseline is not None
    baseline = problem.baseline
    for old in baseline.schedule.tasks:
        if old.task not in problem.task_index:
            continue
        new = placed.get(old.task)
        label = problem.task(old.task).label
        moved = new is None or new.start != old.start or new.room != old.room
        if moved and baseline.move_weight:
            what = "dropped" if new is None else f"moved from {when(problem, old.start)}"
            if new is not None and new.room != old.room:
                what += f" / room {old.room} → {new.room}"
            report.penalties.append(
                Penalty(
                    rule="baseline_move",
                    cost=baseline.move_weight,
                    task=old.task,
                    message=f"{label}: {what} ({baseline.move_weight})",
                )
            )
        now = set() if new is None else set(new.staff)
        for name in dict.fromkeys(old.staff):
            if name not in now and baseline.staff_weight:
                report.penalties.append(
                    Penalty(
                        rule="baseline_staff",
                        cost=baseline.staff_weight,
                        task=old.task,
                        staff=name,
                        message=f"{label}: {name} taken off the task ({baseline.staff_weight})",
                    )
                )
