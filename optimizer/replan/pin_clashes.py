"""A planner's pin that the changes of a re-plan make impossible (a closure, an
absence, a case that ran long), refused naming both."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.explain.case_time import time_span, when
from optimizer.model.cases import CasePin
from optimizer.replan.draft import Draft
from optimizer.replan.intervals import overlaps


def check_pins(draft: Draft) -> None:
    """A planner's pin that a closure or an absence makes impossible is refused."""
    for task_id, pin in draft.pins.items():
        if task_id in draft.fixed or task_id not in draft.tasks:
            continue
        duration = draft.tasks[task_id].duration
        span = (0, 0) if pin.start is None else (pin.start, pin.start + duration)
        for closure in draft.closures:
            if closure.room == pin.room and (
                closure.room in draft.closed or overlaps(span, closure.start, closure.end)
            ):
                what = f"the closure of room {closure.room} {draft.change_span(closure)}"
                _pin_clash(draft, task_id, pin, what, "closure")
        people = {*draft.tasks[task_id].staff, *pin.staff}
        for off in draft.offs:
            if off.staff in people and overlaps(span, off.start, off.end):
                what = f"{draft.who(off.staff)} unavailable {draft.change_span(off)}"
                _pin_clash(draft, task_id, pin, what, "unavailability")
        for ran_id in draft.ends:
            _overrun_pin_clash(draft, ran_id, task_id, pin, span, people)


def _overrun_pin_clash(
    draft: Draft, ran_id: str, task_id: str, pin: CasePin, span: tuple[int, int], people: set[str]
) -> None:
    """A case that ran long may not run into a planner's pinned time in its room
    (turnover included) or with a person the pinned case needs."""
    item, end = draft.fixed[ran_id], draft.ends[ran_id]
    turnover = 0
    if item.room is not None and item.room in draft.rooms:
        turnover = draft.problem.turnover_of(draft.rooms[item.room])
    in_room = item.room is not None and pin.room == item.room
    shared = [name for name in item.staff if name in people]
    if in_room and overlaps(span, item.start, end + turnover):
        where = f"in room {item.room}" + (f" (turnover {turnover} min)" if turnover else "")
    elif shared and overlaps(span, item.start, end):
        where = f"with {draft.who(shared[0])}"
    else:
        return
    what = (
        f"case '{ran_id}' ({draft.label(ran_id)}) running until {when(draft.problem, end)} {where}"
    )
    _pin_clash(draft, task_id, pin, what, "case's actual end")


def _pin_clash(draft: Draft, task_id: str, pin: CasePin, what: str, kind: str) -> None:
    """Refuse the change ``what`` that breaks the pin of ``task_id``."""
    parts = []
    if pin.start is not None:
        duration = draft.tasks[task_id].duration
        parts.append(time_span(draft.problem, pin.start, pin.start + duration))
    if pin.room is not None:
        parts.append(f"in room {pin.room}")
    if pin.staff:
        parts.append("with " + ", ".join(draft.who(name) for name in pin.staff))
    raise InputError(
        f"{what} clashes with the pin of case '{task_id}' ({draft.label(task_id)}: "
        f"{' '.join(parts)}); move or remove the pin, or revise the {kind}",
        field="pins",
    )
