"""People who can be put on cases, and when they may work (on duty, overtime, time off)."""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from pydantic import Field

from optimizer.model.cases.windows import Window, merge_windows, subtract_windows
from optimizer.model.common import MAX_MINUTES, Id, Int, Record


class Absence(Window):
    """Time off ``[start, end)`` with its reason ("sick", "leave"), which explanations name."""

    reason: str = Field(default="", description="why the person is away")


class StaffMember(Record):
    """A person who can be put on tasks. ``available`` None: the whole horizon."""

    id: Id
    name: str = ""
    roles: tuple[Id, ...] = Field(default=(), description="roles / skills held")
    available: tuple[Window, ...] | None = Field(default=None, description="on-duty windows")
    max_minutes: Int | None = Field(
        default=None, ge=0, le=MAX_MINUTES, description="most task minutes in total"
    )
    overtime: Int = Field(
        default=0,
        ge=0,
        le=MAX_MINUTES,
        description="minutes the person may work past the end of an on-duty window, at a cost",
    )
    unavailable: tuple[Window | Absence, ...] = Field(
        default=(),
        description="times off whatever the on-duty windows say (leave, sickness): "
        "no case then, and overtime never reaches into them; an optional ``reason`` "
        "(sick, leave) is named when a case is explained",
    )

    @property
    def label(self) -> str:
        return self.name or self.id


class Duty(NamedTuple):
    """A person's time, worked out once (see ``CaseProblem.windows_of``)."""

    windows: tuple[Window, ...]
    work: tuple[tuple[int, int], ...]
    merged: tuple[Window, ...]


def work_out_duty(person: StaffMember, horizon: int) -> Duty:
    """``person``'s on-duty windows less time off, each with its overtime (cut at the
    next window's start, the next time off and the horizon), and those merged."""
    if person.available is None:
        duty = [Window(start=0, end=horizon)]
    else:
        duty = merge_windows([(w.start, w.end) for w in person.available])
    windows = subtract_windows(duty, person.unavailable)
    stops = sorted([w.start for w in windows[1:]] + [u.start for u in person.unavailable])
    work = []
    for w in windows:
        after = bisect_left(stops, w.end)  # the first stop at or after the window's end
        limit = min(stops[after], horizon) if after < len(stops) else horizon
        work.append((w.start, max(w.end, min(w.end + person.overtime, limit))))
    return Duty(tuple(windows), tuple(work), tuple(merge_windows(work)))
