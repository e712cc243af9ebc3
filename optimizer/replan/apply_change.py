"""One change applied to a re-plan's draft: a case added or cancelled, a person away,
a room closed (a case that ran long: ``overrun``), each refused when it contradicts
the started cases or an earlier change."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.explain.case_time import time_span, when
from optimizer.model.cases import Absence, Window
from optimizer.replan.changes import AddCase, CancelCase, Change, RoomClosed, StaffUnavailable
from optimizer.replan.draft import Draft
from optimizer.replan.intervals import close_opening
from optimizer.replan.overrun import apply_overrun
from optimizer.replan.started_clashes import closure_clash


def apply_change(draft: Draft, change: Change) -> None:
    """Apply ``change`` to ``draft``; an ``InputError`` when it contradicts the facts."""
    if isinstance(change, AddCase):
        if change.task.id in draft.tasks:
            raise InputError(f"case '{change.task.id}' already exists", field="task")
        draft.tasks[change.task.id] = change.task
        draft.cancelled.discard(change.task.id)
    elif isinstance(change, CancelCase):
        draft.check_known_task(change.task)
        if change.task in draft.fixed:
            raise InputError(
                f"case '{change.task}' has already started and cannot be cancelled",
                field="task",
            )
        del draft.tasks[change.task]
        draft.pins.pop(change.task, None)
        draft.cancelled.add(change.task)
    elif isinstance(change, StaffUnavailable):
        _staff_off(draft, change)
    elif isinstance(change, RoomClosed):
        _room_closed(draft, change)
    else:
        apply_overrun(draft, change)


def _check_interval(draft: Draft, start: int, end: int) -> None:
    """A change's interval must end after it starts."""
    if end <= start:
        raise InputError(
            f"the interval ends ({when(draft.problem, end)}) before it starts "
            f"({when(draft.problem, start)})",
            field="end",
        )


def _staff_off(draft: Draft, change: StaffUnavailable) -> None:
    """The person is away for the interval, unless a started case of theirs runs then."""
    if change.staff not in draft.windows:
        raise InputError(f"unknown staff '{change.staff}'", field="staff")
    _check_interval(draft, change.start, change.end)
    for task_id, item in draft.fixed.items():
        end = draft.ends.get(task_id, item.end)
        if change.staff in item.staff and item.start < change.end and change.start < end:
            raise InputError(
                f"{draft.who(change.staff)} is on started case '{task_id}' "
                f"({time_span(draft.problem, item.start, end)}) during the requested "
                f"unavailability ({time_span(draft.problem, change.start, change.end)}); "
                f"start it after the case ends ({when(draft.problem, end)})",
                field="start",
            )
    draft.away[change.staff].append(_time_off(change))
    draft.offs.append(change)


def _room_closed(draft: Draft, change: RoomClosed) -> None:
    """The interval cut out of the room's openings, unless a started case runs there then."""
    if change.room not in draft.rooms:
        raise InputError(f"unknown room '{change.room}'", field="room")
    _check_interval(draft, change.start, change.end)
    for task_id, item in draft.fixed.items():
        closure_clash(draft, change, task_id, item)
    draft.closures.append(change)
    if change.room in draft.closed:
        return
    room = draft.rooms[change.room]
    openings = draft.problem.openings_of(room)
    new = [part for o in openings for part in close_opening(o, change.start, change.end)]
    if not new:  # no opening left: the room stays (the plan names it), no case uses it
        draft.closed.add(change.room)
        return
    draft.rooms[change.room] = room.model_copy(update={"openings": tuple(new)})


def _time_off(change: StaffUnavailable) -> Window:
    """The absence as time off, carrying its reason when the change gives one."""
    if change.reason == StaffUnavailable.model_fields["reason"].default:
        return Window(start=change.start, end=change.end)
    return Absence(start=change.start, end=change.end, reason=change.reason)
