"""The staff-days a roster re-plan changed, and why each changed."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

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
"""Why a staff-day of a roster re-plan changed (``change_reasons``)."""


def change_reasons(
    base: RosterProblem, changed: RosterProblem, published: Result
) -> Callable[[str, int], str]:
    """(staff, day) -> why a re-plan of ``changed`` moves it: FORCED where the published
    roster cannot stand (the absent person's shift left open, a new pin), NEAR on the
    ``free_days`` around the changes, ELSEWHERE on the other days (improvements to the
    published roster the changes do not need)."""
    repaired = repaired_roster(changed, published)
    old = published.roster.by_staff_day() if published.roster else {}
    new = repaired.by_staff_day() if repaired else {}
    forced = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    free = free_days(base, changed)

    def why(staff: str, day: int) -> str:
        if (staff, day) in forced:
            return FORCED
        return NEAR if day in free else ELSEWHERE

    return why


def changes_summary(moved: pd.DataFrame) -> str:
    """``"12 changed assignments: 3 the change itself, 9 near the change"``."""
    head = f"{len(moved)} changed assignments"
    if "Why" not in moved.columns or moved.empty:
        return head
    counts = moved["Why"].value_counts()
    parts = [f"{counts[k]} {k}" for k in (FORCED, NEAR, ELSEWHERE) if k in counts]
    return f"{head}: " + ", ".join(parts)
