"""Case what-if: a room closed for a day or the whole plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboards.whatif.case_wording import case_names
from dashboards.whatif.problem_copy import rebuild
from optimizer.errors import InputError

CLOSED = {"start": 0, "end": 1, "overtime": 0}
"""A room with no openings is open all the time, so a room closed for every minute of
the plan keeps this one-minute opening at minute 0, which no case fits."""


def with_closed_room(
    problem: Any,
    room: str,
    day: dt.date | None,
    start: dt.time | None = None,
    end: dt.time | None = None,
) -> tuple[Any, str]:
    """The room is closed on ``day`` (or for the whole plan when None), from ``start``
    to ``end`` on that day when given (from midnight, to midnight by default).

    Every opening (with its overtime) is cut back to the minutes outside the closure.
    Optional cases that then fit in no room are left out of the plan (the description
    names them); a case that must be scheduled (mandatory or pinned) and can only use
    the room then makes the change impossible (``InputError`` in names and dates).
    """
    from optimizer.model.cases import Opening

    target = problem.room(room)
    first, last, what = _closure(problem, day, start, end)
    kept = [part for o in problem.openings_of(target) for part in _outside(o, first, last)]
    openings = tuple(kept) or (Opening(**CLOSED),)
    rooms = tuple(
        r.model_copy(update={"openings": openings}) if r.id == room else r for r in problem.rooms
    )
    trial = problem.model_copy(update={"rooms": rooms})
    stuck = [t for t in problem.tasks if not _still_fits(trial, t, room)]
    forced = [t for t in stuck if trial.must_schedule(t)]
    if forced:
        raise InputError(
            f"{target.label} cannot close {what}: only it can take "
            + ", ".join(f"{t.label} ({_why_forced(trial, t)})" for t in forced)
            + " then, and these cases must be scheduled. Close it on fewer days, or make "
            "the cases optional (Data page, tasks)",
            field="Closed on",
        )
    gone = {t.id for t in stuck}
    new = rebuild(trial, **_without(trial, gone))
    text = f"{target.label} closed {what}"
    if stuck:
        text += f"; left out (only {target.label} could take them): " + case_names(stuck)
    return new, text


def _closure(
    problem: Any, day: dt.date | None, start: dt.time | None = None, end: dt.time | None = None
) -> tuple[int, int, str]:
    """The closed minutes ``[first, last)`` of a closure on ``day`` (from ``start`` to
    ``end`` that day when given) and its wording."""
    if day is None:
        if start is not None or end is not None:
            raise InputError(
                "a closure with a From or To time needs a day: pick the day, or clear the "
                "times to close the room for the whole plan",
                field="Closed on",
            )
        return 0, problem.horizon, "for the whole plan"
    if problem.start is None:
        raise InputError("this case problem has no calendar dates", field="Closed on")
    midnight = problem.minute_of(dt.datetime.combine(day, dt.time()))
    first = midnight + (0 if start is None else start.hour * 60 + start.minute)
    last = midnight + 24 * 60 if end is None else midnight + end.hour * 60 + end.minute
    if last <= first:
        raise InputError(
            f"the closure on {day:%a %d %b} must end after it starts: To "
            f"({end:%H:%M}) is not after From ({(start or dt.time()):%H:%M})"
            if end is not None
            else "the closure must end after it starts",
            field="To",
        )
    if start is None and end is None:
        return first, last, f"on {day:%a %d %b}"
    opens = "00:00" if start is None else f"{start:%H:%M}"
    closes = "24:00" if end is None else f"{end:%H:%M}"
    return first, last, f"on {day:%a %d %b} {opens}–{closes}"


def _outside(opening: Any, start: int, end: int) -> list[Any]:
    """The parts of an opening outside ``[start, end)`` (an overtime-only rest dropped)."""
    from optimizer.model.cases import Opening

    if opening.hard_end <= start or opening.start >= end:
        return [opening]
    parts = []
    if opening.start < start:
        regular_end = min(opening.end, start)
        overtime = min(start, opening.hard_end) - regular_end
        parts.append(Opening(start=opening.start, end=regular_end, overtime=overtime))
    if end < opening.end:
        parts.append(Opening(start=end, end=opening.end, overtime=opening.overtime))
    return parts


def _still_fits(problem: Any, task: Any, room: str) -> bool:
    """Whether a task that may use ``room`` still fits some opening (its pin respected)."""
    if not problem.needs_room(task):
        return True
    rooms = problem.eligible_rooms(task)
    if room not in {r.id for r in rooms}:
        return True
    pin = problem.pin_of(task.id)
    earliest, latest = task.release, problem.latest_end(task)
    if pin is not None and pin.room is not None:
        rooms = [r for r in rooms if r.id == pin.room]
    if pin is not None and pin.start is not None:
        earliest, latest = pin.start, pin.start + task.duration
    return any(
        min(o.hard_end, latest) - max(o.start, earliest) >= task.duration
        for r in rooms
        for o in problem.openings_of(r)
    )


def _why_forced(problem: Any, task: Any) -> str:
    """Why a case must be scheduled, in words."""
    from optimizer.explain.case_time import when

    pin = problem.pin_of(task.id)
    if pin is not None and pin.start is not None:
        return f"fixed at {when(problem, pin.start)}"
    if pin is not None:
        return "fixed in the plan"
    return "not optional"


def _without(problem: Any, gone: set[str]) -> dict[str, Any]:
    """The tasks, pins and precedences of ``problem`` without the tasks ``gone``."""
    return {
        "tasks": tuple(t for t in problem.tasks if t.id not in gone),
        "pins": tuple(p for p in problem.pins if p.task not in gone),
        "precedences": tuple(
            p for p in problem.precedences if p.before not in gone and p.after not in gone
        ),
    }
