"""Case what-if: a member of case staff away for a day or part of one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboards.whatif.case_baseline import published_schedule
from dashboards.whatif.case_wording import case_names, in_words
from llm_intake.apply import refuse_fixed_case
from optimizer.errors import InputError
from optimizer.model.result import Result

ABSENCE_REASONS = ("sickness", "annual leave", "study leave", "training", "leave", "other")
"""The form's reasons (free text's, and "other"): stored with the time off, which
explanations name."""


def absence_span(
    problem: Any, day: dt.date, start: dt.time | None, end: dt.time | None
) -> tuple[int, int]:
    """The minutes ``[start, end)`` of an absence on ``day`` (the whole day when no
    time is given, from its start or to its end when one is missing), cut to the plan."""
    if problem.start is None:
        raise InputError("this case problem has no calendar dates", field="Day")
    if start is not None and end is not None and end <= start:
        raise InputError(
            f"the absence ends ({end:%H:%M}) at or before it starts ({start:%H:%M}); "
            "leave To empty for the rest of the day",
            field="To",
        )
    midnight = problem.minute_of(dt.datetime.combine(day, dt.time()))
    first = midnight if start is None else midnight + start.hour * 60 + start.minute
    last = midnight + 24 * 60 if end is None else midnight + end.hour * 60 + end.minute
    first, last = max(first, 0), min(last, problem.horizon)
    if last <= first:
        raise InputError(
            f"{_span_words(day, start, end)} is outside the case schedule", field="Day"
        )
    return first, last


def _span_words(day: dt.date, start: dt.time | None, end: dt.time | None) -> str:
    """ "all Tue 08 Dec", "Tue 08 Dec 13:00–24:00"."""
    if start is None and end is None:
        return f"all {day:%a %d %b}"
    first = "00:00" if start is None else f"{start:%H:%M}"
    last = "24:00" if end is None else f"{end:%H:%M}"
    return f"{day:%a %d %b} {first}–{last}"


def with_case_absence(
    problem: Any,
    published: Result,
    person_id: str,
    day: dt.date,
    start: dt.time | None = None,
    end: dt.time | None = None,
    reason: str = "sickness",
) -> tuple[Any, str]:
    """``person_id`` is away on ``day`` (from ``start`` to ``end`` when given), as
    ``optimizer.replan``'s ``StaffUnavailable``: the time becomes their ``unavailable``
    time (an ``Absence`` with ``reason``); optional cases that can then no longer be
    placed are left out. A case fixed with them at that time (started, ran long or
    pinned) refuses the absence, naming the case and when the absence could start.
    """
    from optimizer.replan import StaffUnavailable, replan_problem

    if person_id not in problem.staff_index:
        raise InputError("pick a member of the case staff", field="Person")
    person = problem.person(person_id)
    first, last = absence_span(problem, day, start, end)
    what = _span_words(day, start, end)
    refuse_fixed_case(problem, person, first, last, what, "Day" if start is None else "From")
    schedule = published_schedule(problem, published)
    away = StaffUnavailable(staff=person_id, start=first, end=last, reason=reason or "other")
    try:
        planned, _fixed, dropped = replan_problem(problem, schedule, [away])
    except InputError as exc:  # a case that must be placed, or none left to place
        raise InputError(in_words(problem, exc).message, field="Person") from None
    text = f"{person.label} away {what} ({away.reason})"
    if _already_off(problem, planned, person_id):
        text += ", off duty then already"
    moved = _their_cases(problem, schedule, person_id, first, last, set(dropped))
    if moved:
        text += "; their cases then are re-planned: " + case_names(moved)
    if dropped:
        text += "; left out (can no longer be placed): " + case_names(
            [problem.task(t) for t in dropped]
        )
    return planned.model_copy(update={"baseline": None}), text


def _already_off(before: Any, after: Any, person_id: str) -> bool:
    """Whether the absence takes no on-duty minute away from the person."""

    def on_duty(problem: Any) -> int:
        return sum(w.length for w in problem.windows_of(problem.person(person_id)))

    return on_duty(before) == on_duty(after)


def _their_cases(
    problem: Any, schedule: Any, person_id: str, first: int, last: int, dropped: set[str]
) -> list[Any]:
    """The cases of the published schedule that have the person during the absence."""
    return [
        problem.task(item.task)
        for item in sorted(schedule.tasks, key=lambda t: (t.start, t.task))
        if person_id in item.staff
        and item.start < last
        and first < item.end
        and item.task not in dropped
    ]
