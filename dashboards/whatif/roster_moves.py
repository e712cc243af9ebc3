"""The staff-days a roster re-plan changed, and why each changed."""

from __future__ import annotations

from collections.abc import Callable, Collection

import pandas as pd

from dashboards.whatif.leave_and_demand import added_demand
from dashboards.whatif.replan_scope import free_days
from dashboards.whatif.roster_baseline import repaired_roster
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem


def roster_changes(
    problem: RosterProblem,
    before: Result,
    after: Result,
    why: Callable[[str, int], str] | None = None,
) -> pd.DataFrame:
    """Every staff-day whose shift changed: who, date, before, after (shift names), and
    with ``why`` (staff, day -> words, see ``change_reasons``) a "Why" column."""
    old = before.roster.by_staff_day() if before.roster else {}
    new = after.roster.by_staff_day() if after.roster else {}
    names = {s.id: s.label for s in problem.shifts}

    def shown(shift: str | None) -> str:
        return "off" if shift is None else names.get(shift, shift)

    rows = []
    for staff, day in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        if old.get((staff, day)) == new.get((staff, day)):
            continue
        row = {
            "Date": problem.date_of(day).strftime("%a %d %b"),
            "Who": problem.person(staff).label if staff in problem.staff_index else staff,
            "Before": shown(old.get((staff, day))),
            "After": shown(new.get((staff, day))),
        }
        if why is not None:
            row["Why"] = why(staff, day)
        rows.append(row)
    columns = ["Date", "Who", "Before", "After", *(["Why"] if why is not None else [])]
    return pd.DataFrame(rows, columns=columns)


FORCED, NEAR, ELSEWHERE = "the change itself", "near the change", "elsewhere"
COVERS, RULES = "covers the change", "needed by the hard rules"
REASONS = (FORCED, COVERS, NEAR, RULES, ELSEWHERE)
"""Why a staff-day of a roster re-plan changed (``change_reasons``), in summary order."""

Slot = tuple[int, str, str | None]
"""(day, shift, skill or None for any staff): a place a re-plan may have to fill."""


def change_reasons(
    base: RosterProblem,
    changed: RosterProblem,
    published: Result,
    after: Result | None = None,
    *,
    scope: str = "around",
    unkept: Collection[int] = (),
) -> Callable[[str, int], str]:
    """(staff, day) -> why a re-plan ``after`` of ``changed`` moves it.

    FORCED: the published roster cannot stand there (the absent person's shift left
    open, a new pin), or the move fills demand the changes raised (up to the added
    number). Then, "whole" ``scope``: COVERS for a move onto a shift the forced changes
    left open (up to the number left open), ELSEWHERE for every other move (improvements
    to the published roster). "around": RULES on the ``unkept`` days (kept as published
    at first, then freed because keeping them broke a hard rule), NEAR on the other
    ``free_days`` around the changes, ELSEWHERE on the rest.
    """
    repaired = repaired_roster(changed, published)
    old = published.roster.by_staff_day() if published.roster else {}
    fixed = repaired.by_staff_day() if repaired else {}
    new = after.roster.by_staff_day() if after is not None and after.roster else {}
    forced = {k for k in set(old) | set(fixed) if old.get(k) != fixed.get(k)}
    moved = {k for k in set(old) | set(new) if old.get(k) != new.get(k)} - forced
    demand = _filling(changed, moved, new, added_demand(base, changed))
    covers = _filling(changed, moved - demand, new, _left_open(old, fixed))
    free, kept = free_days(base, changed), set(unkept)

    def why(staff: str, day: int) -> str:
        if (staff, day) in forced or (staff, day) in demand:
            return FORCED
        if scope == "whole":
            return COVERS if (staff, day) in covers else ELSEWHERE
        if day in kept:
            return RULES
        return NEAR if day in free else ELSEWHERE

    return why


def _left_open(
    old: dict[tuple[str, int], str], fixed: dict[tuple[str, int], str]
) -> dict[Slot, int]:
    """The shifts the published roster ``old`` staffs and its repair ``fixed`` leaves
    open: (day, shift, None) -> how many."""
    opened: dict[Slot, int] = {}
    for (staff, day), shift in old.items():
        if fixed.get((staff, day)) != shift:
            opened[(day, shift, None)] = opened.get((day, shift, None), 0) + 1
    return opened


def _filling(
    problem: RosterProblem,
    moved: set[tuple[str, int]],
    new: dict[tuple[str, int], str],
    slots: dict[Slot, int],
) -> set[tuple[str, int]]:
    """The staff-days of ``moved`` that fill ``slots``: put on that day's shift (with the
    skill), at most as many as each slot needs; skilled slots first."""
    taken: set[tuple[str, int]] = set()
    for (day, shift, skill), count in sorted(
        slots.items(), key=lambda kv: (kv[0][2] is None, kv[0][0], kv[0][1], kv[0][2] or "")
    ):
        fillers = sorted(
            (staff, d)
            for staff, d in moved - taken
            if d == day
            and new.get((staff, d)) == shift
            and (skill is None or _has_skill(problem, staff, skill))
        )
        taken.update(fillers[:count])
    return taken


def _has_skill(problem: RosterProblem, staff: str, skill: str) -> bool:
    return staff in problem.staff_index and skill in problem.person(staff).skills


def changes_summary(moved: pd.DataFrame) -> str:
    """``"12 changed assignments: 3 the change itself, 9 near the change"``."""
    head = f"{len(moved)} changed assignments"
    if "Why" not in moved.columns or moved.empty:
        return head
    counts = moved["Why"].value_counts()
    parts = [f"{counts[k]} {k}" for k in REASONS if k in counts]
    return f"{head}: " + ", ".join(parts)
