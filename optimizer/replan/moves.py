"""What a re-plan moved, in the planner's words: the moves between two schedules with
case labels, why a case is out, why there is no schedule, the precedences dropped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from optimizer.explain.case_reasons import case_label, explain_task, label_among
from optimizer.explain.case_time import time_span, when
from optimizer.explain.diagnosis import case_conflict_hints
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.replan.changes import (
    AddCase,
    CancelCase,
    Change,
    Move,
    MoveKind,
    RoomClosed,
    StaffUnavailable,
)
from optimizer.solvers.messages import INFEASIBLE


def diff_schedules(
    old_problem: CaseProblem,
    new_problem: CaseProblem,
    old: CaseSchedule,
    new: CaseSchedule,
    cancelled: Sequence[str] = (),
) -> list[Move]:
    """Every task whose placement differs between two schedules, as ``Move`` records
    (a task new in ``new_problem`` that ``new`` leaves out is ``unscheduled``)."""
    before, after = old.by_task(), new.by_task()
    moves = []
    labels = _labels(old_problem, new_problem)
    for task_id in labels:
        a, b = before.get(task_id), after.get(task_id)
        problem = new_problem if task_id in new_problem.task_index else old_problem
        label = labels[task_id]
        is_new = task_id not in old_problem.task_index
        move = _move(problem, task_id, label, a, b, task_id in cancelled, is_new)
        if move is not None:
            moves.append(move)
    return moves


def _labels(*problems: CaseProblem, added: Sequence[Task] = ()) -> dict[str, str]:
    """Each case's label (``label_among``: with its id when it has no name or shares
    it) among every case of ``problems`` and ``added``, in that order."""
    cases = {t.id: t for p in problems for t in p.tasks} | {t.id: t for t in added}
    return {task_id: label_among(task, cases.values()) for task_id, task in cases.items()}


def _move(
    problem: CaseProblem,
    task_id: str,
    label: str,
    a: ScheduledTask | None,
    b: ScheduledTask | None,
    cancelled: bool,
    is_new: bool,
) -> Move | None:
    base: dict[str, Any] = dict(task=task_id, label=label)
    if a is not None:
        base.update(old_start=a.start, old_room=a.room)
    if b is not None:
        base.update(new_start=b.start, new_room=b.room)
    if a is None and b is None:
        return _unscheduled(task_id, label) if is_new else None
    if a is None:
        assert b is not None
        kind: MoveKind = "added" if is_new else "placed"
        where = f" in {b.room}" if b.room else ""
        return Move(
            **base,
            kind=kind,
            staff_added=b.staff,
            message=f"{label}: scheduled at {when(problem, b.start)}{where}",
        )
    if b is None:
        kind = "cancelled" if cancelled else "dropped"
        verb = "cancelled" if cancelled else "dropped from the schedule"
        return Move(
            **base,
            kind=kind,
            staff_removed=a.staff,
            message=f"{label}: {verb} (was {when(problem, a.start)})",
        )
    removed = tuple(n for n in a.staff if n not in b.staff)
    added = tuple(n for n in b.staff if n not in a.staff)
    parts = []
    if a.start != b.start:
        parts.append(f"{when(problem, a.start)} → {when(problem, b.start)}")
    if a.room != b.room:
        parts.append(f"room {a.room} → {b.room}")
    if removed or added:
        parts.append(f"team −{', '.join(removed) or '∅'} +{', '.join(added) or '∅'}")
    if parts:
        kind = "moved" if a.start != b.start or a.room != b.room else "restaffed"
        return Move(
            **base,
            kind=kind,
            staff_removed=removed,
            staff_added=added,
            message=f"{label}: " + "; ".join(parts),
        )
    if a.end != b.end:
        return Move(
            **base,
            kind="extended",
            message=f"{label}: now ends {when(problem, b.end)} (was {when(problem, a.end)})",
        )
    return None


def _unscheduled(task_id: str, label: str) -> Move:
    """A case added by the changes that the new schedule leaves out."""
    return Move(
        task=task_id, label=label, kind="unscheduled", message=f"{label}: new case not scheduled"
    )


def dropped_precedences(
    problem: CaseProblem, new_problem: CaseProblem, changes: Sequence[Change]
) -> list[str]:
    """One note per case taken out that had precedences: they are dropped with it, and
    the cases on either side of it are no longer ordered through it."""
    cancelled = {c.task for c in changes if isinstance(c, CancelCase)}
    kept = new_problem.task_index
    told: set[int] = set()
    notes = []
    for task in problem.tasks:
        if task.id in kept:
            continue
        mine = [
            i
            for i, p in enumerate(problem.precedences)
            if task.id in (p.before, p.after) and i not in told
        ]
        if not mine:
            continue
        told.update(mine)
        links = [problem.precedences[i] for i in mine]
        arrows = " and ".join(f"'{p.before}' → '{p.after}'" for p in links)
        how = "cancelled" if task.id in cancelled else "dropped"
        many = "s" if len(links) > 1 else ""
        note = (
            f"re-plan: {case_label(problem, task.id)} is {how}; its precedence{many} "
            f"{arrows} {'are' if many else 'is'} dropped with it"
        )
        before = [p.before for p in links if p.after == task.id and p.before in kept]
        after = [p.after for p in links if p.before == task.id and p.after in kept]
        if before and after:
            note += (
                f", so {_ids(before)} and {_ids(after)} are no longer ordered through it: "
                "add a precedence between them if one must still follow the other"
            )
        notes.append(note)
    return notes


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def outcome_moves(
    problem: CaseProblem,
    new_problem: CaseProblem,
    old: CaseSchedule,
    new: CaseSchedule,
    changes: Sequence[Change],
    dropped: dict[str, str],
) -> list[Move]:
    """Every move, a case out of the new schedule with the reason."""
    cancelled = [c.task for c in changes if isinstance(c, CancelCase)]
    moves = diff_schedules(problem, new_problem, old, new, cancelled)
    added = [c.task for c in changes if isinstance(c, AddCase)]
    labels = _labels(problem, new_problem, added=added)
    moves += [_unscheduled(t.id, labels[t.id]) for t in added if t.id in dropped]
    return [_with_reason(move, new_problem, new, dropped) for move in moves]


def _with_reason(
    move: Move, problem: CaseProblem, schedule: CaseSchedule, dropped: dict[str, str]
) -> Move:
    """A dropped or unscheduled move with why the case is out of the schedule."""
    if move.kind not in ("dropped", "unscheduled"):
        return move
    reason = dropped.get(move.task)
    if reason is None and move.task in problem.task_index:
        found = explain_task(problem, schedule, move.task)
        reason = None if found is None else "; ".join(r.message for r in found.reasons)
    if not reason:
        return move
    return move.model_copy(update={"message": f"{move.message}: {reason}"})


def no_schedule_notes(problem: CaseProblem, result: Result, changes: list[str]) -> list[str]:
    """Why the re-plan of ``problem`` has no schedule: the solver's word and the likely
    causes (``changes``: the changes in words, named when no single cause shows)."""
    infeasible = result.status == SolveStatus.INFEASIBLE
    specific = bool(result.message) and result.message != INFEASIBLE
    if infeasible:
        head = "no schedule keeps every mandatory and pinned case after the changes"
    else:
        head = f"no new schedule found ({result.status.value})"
    notes = [f"re-plan: {head}" + (f": {result.message}" if specific else "")]
    hints = case_conflict_hints(problem)
    notes += [f"likely cause: {hint}" for hint in hints]
    if infeasible and not hints:
        done = "; ".join(changes) or "none"
        notes.append(
            "no single case is impossible on its own: the mandatory cases compete for the "
            f"same rooms, people, equipment or time after the changes ({done}); mark some "
            'optional ("optional": true) so that the re-plan may leave cases out, or revisit '
            "the changes"
        )
    return notes


def describe(problem: CaseProblem, change: Change) -> str:
    """One change in the planner's words (``problem``: the problem before the changes)."""
    if isinstance(change, AddCase):
        return f"{label_among(change.task, problem.tasks)} added"
    if isinstance(change, CancelCase):
        return f"{case_label(problem, change.task)} cancelled"
    if isinstance(change, StaffUnavailable):
        who = problem.person(change.staff).label
        return f"{who} unavailable {time_span(problem, change.start, change.end)}"
    if isinstance(change, RoomClosed):
        room = problem.room(change.room).label
        return f"room {room} closed {time_span(problem, change.start, change.end)}"
    return f"{case_label(problem, change.task)} ends {when(problem, change.actual_end)}"
