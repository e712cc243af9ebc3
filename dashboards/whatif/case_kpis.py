"""The cases a case what-if changed, and its KPIs against the published schedule."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.whatif.case_baseline import published_under_case_changes
from dashboards.whatif.case_wording import case_names
from dashboards.whatif.kpi_table import broken_rules_note, side_by_side
from dashboards.whatif.roster_kpis import DELTA, baseline_heading
from optimizer.model.result import Result

CASE_PENALTY_ROWS = ("Overtime cost", "Penalty", "Cost of moves")
"""The case KPI rows that are penalty: no Δ against a baseline that breaks hard rules."""


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
    *,
    baseline: tuple[Result, list[str]] | None = None,
) -> pd.DataFrame:
    """Baseline and scenario case KPIs side by side.

    The baseline is the published schedule ``before`` under the changes
    (``published_under_case_changes``: cases the changes take out gone, added cases
    unscheduled), costed by the checker on ``problem`` (the scenario's), so Δ shows what
    the re-plan does about the changes. Cases the what-if left out count as unscheduled
    on both sides, the ones it cancels (``gone``) as "Cases cancelled"; "Cases changed"
    counts the rows of ``case_changes``, their penalty is the separate "Cost of moves"
    row. A baseline that breaks hard rules is headed ``baseline_heading`` ("Baseline
    (breaks 3 hard rules)") and its penalty rows show no Δ ("—"). ``baseline``: that
    baseline and its broken rules when already computed (the page computes them once
    per run, ``scenario_baselines``).
    """
    out = _left_out(problem, before)
    dropped = [t for t in out if t in gone]
    under_changes, broken = baseline or published_under_case_changes(problem, before)

    def measures(result: Result) -> dict[str, float]:
        if result.schedule is None:
            return {}
        extra = {"Cases cancelled": len(dropped)} if gone else {}
        late = 0
        for placed in result.schedule.tasks:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            if task is not None and task.due is not None and placed.end > task.due:
                late += 1
        terms = result.terms
        return {
            "Cases scheduled": len(result.schedule.tasks),
            "Cases unscheduled": len(result.schedule.unscheduled) + len(out) - len(dropped),
            **extra,
            "Late cases": late,
            "Overtime cost": terms.get("overtime", 0) + terms.get("staff_overtime", 0),
            "Penalty": result.objective or 0,
        }

    old, new = measures(under_changes), measures(after)
    if new:
        old["Cases changed"] = 0
        new["Cases changed"] = len(case_changes(problem, before, after, base, gone))
        old["Cost of moves"] = _moves(under_changes)
        new["Cost of moves"] = _moves(after)
    frame = side_by_side(old, new)
    if not broken:
        return frame
    frame.loc[frame["Measure"].isin(CASE_PENALTY_ROWS), "Δ"] = "—"
    return frame.rename(columns={"Baseline": baseline_heading(len(broken))})


def _moves(result: Result) -> int:
    """The penalty of a schedule's moves away from the published one."""
    return int(result.terms.get("baseline_move", 0) + result.terms.get("baseline_staff", 0))


BROKEN_CASE_BASELINE = (
    "The published schedule no longer meets the hard rules under these changes, so "
    "keeping it is not an option: its penalty is shown for reference only, with no Δ. "
    "It breaks:"
)


def broken_case_baseline_note(
    problem: Any,
    published: Result,
    limit: int = 8,
    *,
    baseline: tuple[Result, list[str]] | None = None,
) -> str:
    """Markdown for under the KPI table when the published schedule under the changes of
    ``problem`` breaks hard rules: ``BROKEN_CASE_BASELINE`` and the checker's words, one
    a line (the first ``limit``, then how many more); "" when it is a usable baseline.
    ``baseline``: ``published_under_case_changes(problem, published)`` when computed."""
    _, broken = baseline or published_under_case_changes(problem, published)
    return broken_rules_note(BROKEN_CASE_BASELINE, list(broken), limit)


CASE_BASELINE_CAPTION = (
    "Baseline: the published schedule under the changes ({done}), costed by the checker; {delta}"
)


def case_baseline_caption(
    base: Any, changed: Any, published: Result, *, usable: bool = True
) -> str:
    """The case KPI table's caption, naming what the baseline is for this scenario: the
    published schedule with the cases the changes take out removed and the cases they
    add unscheduled, every other case where it was published; ``usable``: False when
    it breaks hard rules (``broken_case_baseline_note``)."""
    out = [base.task(t) for t in _left_out(changed, published) if t in base.task_index]
    added = [t for t in changed.tasks if t.id not in base.task_index]
    done = []
    if out:
        done.append(f"{case_names(out)} taken out")
    if added:
        done.append(f"{case_names(added)} not scheduled")
    done.append("every other case where it was published" if done else "every case as published")
    return CASE_BASELINE_CAPTION.format(done="; ".join(done), delta=DELTA[usable])
