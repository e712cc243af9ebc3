"""The cases a case what-if changed, and its KPIs against the published schedule."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.whatif.kpi_table import side_by_side
from optimizer.model.result import Result


def _left_out(problem: Any, before: Result) -> list[str]:
    """Cases of the published plan that the what-if problem no longer has."""
    if before.schedule is None:
        return []
    ids = [t.task for t in before.schedule.tasks] + list(before.schedule.unscheduled)
    return [t for t in dict.fromkeys(ids) if t not in problem.task_index]


def case_changes(
    problem: Any,
    before: Result,
    after: Result,
    base: Any = None,
    gone: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Every case whose time, room or team changed, or that was added, dropped, left out
    or cancelled (``gone``: the ids of the cases the changes cancel).

    Rooms and people are named; ``base`` (the problem of ``before``) names the cases
    that the what-if problem left out.
    """
    rooms = {r.id: r.label for r in problem.rooms}
    people = {p.id: p.label for p in problem.staff}

    def clock(minute: int) -> str:
        when = problem.datetime_of(minute)
        return str(minute) if when is None else when.strftime("%a %d %b %H:%M")

    def describe(placed: Any) -> str:
        if placed is None:
            return "not scheduled"
        room = rooms.get(placed.room, placed.room) if placed.room else ""
        team = ", ".join(people.get(s, s) for s in placed.staff)
        return f"{clock(placed.start)} {room} [{team}]".replace("  ", " ")

    old = before.schedule.by_task() if before.schedule else {}
    new = after.schedule.by_task() if after.schedule else {}
    rows = []
    for task in problem.tasks:
        a, b = old.get(task.id), new.get(task.id)
        same = (a is None and b is None) or (
            a is not None
            and b is not None
            and (a.start, a.room, set(a.staff)) == (b.start, b.room, set(b.staff))
        )
        if not same:
            rows.append(
                {"Case": task.id, "Name": task.label, "Before": describe(a), "After": describe(b)}
            )
    for task_id in _left_out(problem, before):
        if task_id not in old and task_id not in gone:
            continue  # unscheduled before and out now: no change
        label = base.task(task_id).label if base is not None and task_id in base.task_index else ""
        rows.append(
            {
                "Case": task_id,
                "Name": label or task_id,
                "Before": describe(old.get(task_id)),
                "After": "cancelled"
                if task_id in gone
                else "left out (cannot be placed after the changes)",
            }
        )
    return pd.DataFrame(rows, columns=["Case", "Name", "Before", "After"])


def case_kpi_table(
    problem: Any,
    before: Result,
    after: Result,
    base: Any = None,
    gone: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Baseline and scenario case KPIs side by side.

    Cases the what-if left out count as unscheduled, the ones it cancels (``gone``) as
    "Cases cancelled"; "Cases changed" counts the rows of ``case_changes``, their
    penalty is the separate "Cost of moves" row.
    """
    out = _left_out(problem, before)
    dropped = [t for t in out if t in gone]

    def measures(result: Result, left_out: int, cancelled: int) -> dict[str, float]:
        if result.schedule is None:
            return {}
        extra = {"Cases cancelled": cancelled} if gone else {}
        late = 0
        for placed in result.schedule.tasks:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            if task is not None and task.due is not None and placed.end > task.due:
                late += 1
        terms = result.terms
        return {
            "Cases scheduled": len(result.schedule.tasks),
            "Cases unscheduled": len(result.schedule.unscheduled) + left_out,
            **extra,
            "Late cases": late,
            "Overtime cost": terms.get("overtime", 0) + terms.get("staff_overtime", 0),
            "Penalty": result.objective or 0,
        }

    old = measures(before, 0, 0)
    new = measures(after, len(out) - len(dropped), len(dropped))
    if new:
        old["Cases changed"] = 0
        new["Cases changed"] = len(case_changes(problem, before, after, base, gone))
        old["Cost of moves"] = 0
        new["Cost of moves"] = after.terms.get("baseline_move", 0) + after.terms.get(
            "baseline_staff", 0
        )
    return side_by_side(old, new)
