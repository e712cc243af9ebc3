"""Changes that contradict the started cases of a re-plan, refused naming both: a
person away or a room closed during a started case, two started cases overlapping
once one ran long."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.explain.case_time import time_span, when
from optimizer.model.result import ScheduledTask
from optimizer.replan.changes import RoomClosed
from optimizer.replan.draft import Draft


def check_not_away(draft: Draft, task_id: str, item: ScheduledTask, end: int) -> None:
    """An overrun case keeps its team until ``end``: none of them may be away then."""
    for name in item.staff:
        for off in draft.away.get(name, ()):
            if item.start < off.end and off.start < end:
                raise InputError(
                    f"case '{task_id}' ran until {when(draft.problem, end)} with "
                    f"{draft.who(name)}, who is unavailable "
                    f"{time_span(draft.problem, off.start, off.end)}; start the "
                    f"unavailability after the case ends ({when(draft.problem, end)})",
                    field="start",
                )


def closure_clash(draft: Draft, closure: RoomClosed, task_id: str, item: ScheduledTask) -> None:
    """A started case may not run in a room while it is closed (either order)."""
    end = draft.ends.get(task_id, item.end)
    if item.room != closure.room or not (item.start < closure.end and closure.start < end):
        return
    ran = " (it ran long)" if task_id in draft.ends else ""
    fix = " or correct the case's actual end" if task_id in draft.ends else ""
    raise InputError(
        f"room '{closure.room}' holds started case '{task_id}' ({draft.label(task_id)}) "
        f"{time_span(draft.problem, item.start, end)}{ran} during the requested closure "
        f"{draft.change_span(closure)}; start the closure after the case ends "
        f"({when(draft.problem, end)}){fix}",
        field="start",
    )


def started_clash(draft: Draft, a_id: str, a: ScheduledTask, b_id: str, b: ScheduledTask) -> None:
    """Two started cases (one ran long) may not share a room or a person at once."""
    (first_id, first), (second_id, second) = sorted(
        ((a_id, a), (b_id, b)), key=lambda pair: pair[1].start
    )
    first_end = draft.ends.get(first_id, first.end)
    same_room = first.room is not None and first.room == second.room
    turnover = 0
    if same_room and first.room in draft.rooms:
        turnover = draft.problem.turnover_of(draft.rooms[first.room])
    shared = [n for n in first.staff if n in second.staff]
    if same_room and second.start < first_end + turnover:
        where = f"in the same room {first.room}" + (
            f" (turnover {turnover} min)" if turnover else ""
        )
        latest = second.start - turnover
    elif shared and second.start < first_end:
        where, latest = f"with the same {draft.who(shared[0])}", second.start
    else:
        return
    raise InputError(
        f"case '{first_id}' ({draft.label(first_id)}) runs until "
        f"{when(draft.problem, first_end)}, but started case '{second_id}' "
        f"({draft.label(second_id)}) began at {when(draft.problem, second.start)} {where}; "
        f"cases that have started cannot overlap: the actual end of '{first_id}' must be "
        f"{when(draft.problem, latest)} at the latest",
        field="actual_end",
    )
