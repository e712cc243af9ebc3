"""A case that ran long, applied to a re-plan's draft (facts beat plans): pinned where
it ran with its actual duration, its room's openings run on, its team kept on duty."""

from __future__ import annotations

from typing import Any

from optimizer.errors import InputError
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, StaffMember, Window, merge_windows
from optimizer.replan.changes import CaseOverrun
from optimizer.replan.draft import Draft
from optimizer.replan.intervals import run_on
from optimizer.replan.started_clashes import check_not_away, closure_clash, started_clash


def apply_overrun(draft: Draft, change: CaseOverrun) -> None:
    """The case pinned where it ran until its actual end, its room and team kept on."""
    draft.check_known_task(change.task)
    item = draft.published.get(change.task)
    if item is None:
        raise InputError(f"case '{change.task}' is not in the published schedule", field="task")
    end, label = change.actual_end, draft.label(change.task)
    if end <= item.start:
        raise InputError(
            f"case '{change.task}' ({label}) started at {when(draft.problem, item.start)}; "
            f"its actual end ({when(draft.problem, end)}) must be later",
            field="actual_end",
        )
    if end > draft.problem.horizon:
        raise InputError(
            f"case '{change.task}' ({label}): its actual end ({when(draft.problem, end)}) is "
            f"after the end of the schedule ({when(draft.problem, draft.problem.horizon)})",
            field="actual_end",
        )
    check_not_away(draft, change.task, item, end)
    draft.ends[change.task] = end
    for closure in draft.closures:
        closure_clash(draft, closure, change.task, item)
    for other_id, other in draft.fixed.items():
        if other_id != change.task:
            started_clash(draft, change.task, item, other_id, other)
    task = draft.tasks[change.task]
    update: dict[str, Any] = {"duration": end - item.start}
    if task.deadline is not None and task.deadline < end:
        update["deadline"] = end
    draft.tasks[change.task] = task.model_copy(update=update)
    draft.fixed[change.task] = item
    for name in item.staff:
        if name in draft.windows:
            keep_on(draft, name, item.start, end)
    if item.room is not None and item.room in draft.rooms:
        room = draft.rooms[item.room]
        if room.openings:
            openings = run_on(draft.problem.openings_of(room), item.start, end)
            draft.rooms[item.room] = room.model_copy(update={"openings": openings})


def keep_on(draft: Draft, name: str, start: int, end: int) -> None:
    """Keep ``name`` on an overrunning case ``[start, end)``.

    As far as the person's work windows reach (each on-duty window plus its
    overtime), nothing changes: the problem charges the staff overtime rule
    (``_charged``). Beyond that reach the on-duty window before each stretch is
    lengthened so that its overtime ends where the stretch ends (facts beat plans):
    every window the case reaches still charges its overtime in full, the minutes
    beyond are not charged, and no overtime is left after the case's end."""
    person = draft.problem.person(name)
    now = person.model_copy(
        update={
            "available": [Window(start=a, end=b) for a, b in draft.windows[name]],
            "unavailable": draft.away[name],
        }
    )
    if _charged(draft.problem, now, start, end) is not None:
        return
    merged = merge_windows([*draft.windows[name], *_stretch(draft.problem, now, start, end)])
    draft.windows[name] = [(w.start, w.end) for w in merged]


def _stretch(
    problem: CaseProblem, person: StaffMember, start: int, end: int
) -> list[tuple[int, int]]:
    """On-duty time to add so ``person`` may work ``[start, end)``: per stretch
    ``[a, b)`` of it beyond their work windows' reach, the window whose overtime
    ends at ``a`` runs on until ``b`` less that overtime (with no such window, the
    stretch itself is on duty)."""
    duty, work_ends = problem.windows_of(person), problem.work_windows_of(person)
    work = list(zip(duty, work_ends, strict=True))
    reach = [(w.start, w.end) for w in problem.merged_work_windows_of(person)]
    added, at = [], start
    for reach_start, reach_end in [*reach, (end, end)]:
        a, b = at, min(reach_start, end)
        at = max(at, reach_end)
        if a >= b:
            continue
        before = [window.end for window, (_, work_end) in work if work_end == a]
        added.append((a, b) if not before else (before[-1], b - (a - before[-1])))
    return added


def _charged(problem: CaseProblem, person: StaffMember, start: int, end: int) -> int | None:
    """The staff overtime the problem charges for a case ``[start, end)`` of
    ``person`` (who works nothing else then), or None when they may not work it:
    per on-duty window the case reaches (it starts before the window's overtime
    ends and ends after the window), the minutes from the window's end to the
    case's end, counted up to the overtime's end."""
    reach = problem.merged_work_windows_of(person)
    if not any(w.start <= start and end <= w.end for w in reach):
        return None
    duty = problem.windows_of(person)
    work = problem.work_windows_of(person)
    return sum(
        max(0, min(end, work_end) - window.end)
        for window, (_, work_end) in zip(duty, work, strict=True)
        if start < work_end
    )
