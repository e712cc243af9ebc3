"""Building the re-planning problem: the changes applied to a draft of the problem.

``prepare`` fixes the started cases, applies the changes (refusing contradictions),
pins what cannot move, takes closed rooms out of the cases' rooms and the optional
cases that can no longer be placed out of the problem; ``new_baseline`` makes the
published schedule the new problem's baseline.
"""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.errors import InputError
from optimizer.model.cases import CaseBaseline, CaseProblem
from optimizer.model.result import CaseSchedule, Result
from optimizer.replan.apply_change import apply_change
from optimizer.replan.changes import Change
from optimizer.replan.draft import Draft
from optimizer.replan.now import check_now, fix_started, pin_fixed, release_after
from optimizer.replan.pin_clashes import check_pins
from optimizer.replan.unplaceable import close_rooms, drop_unplaceable
from optimizer.replan.work_limits import raise_limits


def schedule_of(published: Result | CaseSchedule) -> CaseSchedule:
    """The case schedule published (a ``Result`` must hold one)."""
    if isinstance(published, Result):
        if published.schedule is None:
            raise InputError("the published result holds no case schedule", field="published")
        return published.schedule
    return published


def prepare(
    problem: CaseProblem, schedule: CaseSchedule, changes: Sequence[Change], now: int | None
) -> tuple[Draft, dict[str, str]]:
    """The changes applied and the unplaceable optional cases taken out (id -> reason)."""
    check_now(problem, now)
    draft = Draft(problem, schedule)
    fix_started(draft, now)
    for change in changes:
        apply_change(draft, change)
    release_after(draft, now)
    pin_fixed(draft)
    check_pins(draft)
    dropped = close_rooms(draft)
    dropped.update(raise_limits(draft))
    dropped.update(drop_unplaceable(draft, now))
    return draft, dropped


def new_baseline(
    draft: Draft,
    schedule: CaseSchedule,
    dropped: dict[str, str],
    move_weight: int,
    staff_weight: int,
) -> CaseBaseline:
    """The published schedule, less the cancelled cases, as the new problem's baseline."""
    kept = CaseSchedule(
        tasks=tuple(it for it in schedule.tasks if it.task in draft.tasks or it.task in dropped),
        unscheduled=tuple(t for t in schedule.unscheduled if t in draft.tasks),
    )
    return CaseBaseline(schedule=kept, move_weight=move_weight, staff_weight=staff_weight)
