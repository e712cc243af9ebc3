"""Absences of case staff: whole days or part of a day become unavailable time, pins
with the person then go, and time away over a case fixed with them is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llm_intake.applying.case_clock import date_at, minute_of_day
from llm_intake.applying.wording import cut_text, span_text
from llm_intake.requests import Unavailable
from optimizer.errors import InputError


def add_case_absence(problem: Any, req: Unavailable, changes: list[str]) -> Any:
    """The case problem with ``req.staff`` away ``from``–``to``: whole calendar days in
    the problem's clock, or from ``from_time`` / until ``to_time`` (cut to the schedule).

    The time becomes the person's ``unavailable`` time as an ``Absence`` with the
    request's reason (no case, and no overtime reaching into it), unless time off
    already holds it. Whole days drop pins fixing them on a case then; part of a day
    over a case fixed with them in time is refused in words.
    """
    from optimizer.model.cases import Absence, merge_windows

    person = next((p for p in problem.staff if p.id == req.staff), None)
    if person is None:
        raise InputError(f"unknown staff '{req.staff}' in the case problem", field="staff")
    if problem.start is None:
        raise InputError("the case problem has no start date, so a date cannot be used")
    off_start, off_end = _absence_span(problem, req)
    timed = req.from_time is not None or req.to_time is not None
    if timed:
        refuse_fixed_case(problem, person, off_start, off_end)
    new = Absence(start=off_start, end=off_end, reason=req.reason or "absence")
    held = any(
        w.start <= off_start and off_end <= w.end
        for w in merge_windows([(w.start, w.end) for w in person.unavailable])
    )
    unavailable = person.unavailable if held else (*person.unavailable, new)
    away = person.model_copy(update={"unavailable": unavailable})
    staff = tuple(away if p is person else p for p in problem.staff)

    def clashes(pin: Any) -> bool:
        if req.staff not in pin.staff or pin.start is None:
            return False
        end = pin.start + problem.task(pin.task).duration
        return pin.start < off_end and off_start < end

    pins = tuple(p for p in problem.pins if not clashes(p))
    for pin in problem.pins:
        if clashes(pin):
            changes.append(f"case {pin.task}: no longer fixed with {person.label}")
    on_duty = [problem.windows_of(p) for p in (person, away)]
    already = sum(w.length for w in on_duty[0]) == sum(w.length for w in on_duty[1])
    if timed:
        from optimizer.explain.case_time import time_span

        span = time_span(problem, off_start, off_end)
        cut = " (already off duty then)" if already else ""
        changes.append(f"{person.label}: unavailable {span} ({new.reason}){cut}")
        return problem.model_copy(update={"staff": staff, "pins": pins})
    applied = (date_at(problem, off_start), date_at(problem, off_end - 1))
    cut = cut_text(req.from_, req.to, *applied, "case schedule")
    if already:
        cut += " (already off duty then)"
    changes.append(f"{person.label}: unavailable, {span_text(*applied)}{cut}")
    return problem.model_copy(update={"staff": staff, "pins": pins})


def _absence_span(problem: Any, req: Unavailable) -> tuple[int, int]:
    """The minutes ``[start, end)`` of an absence of case staff, cut to the schedule."""
    first = minute_of_day(problem, req.from_)
    if req.from_time is not None:
        first += req.from_time.hour * 60 + req.from_time.minute
    if req.to_time is not None:
        last = minute_of_day(problem, req.to) + req.to_time.hour * 60 + req.to_time.minute
    else:
        last = minute_of_day(problem, req.to + dt.timedelta(days=1))
    off_start, off_end = max(first, 0), min(last, problem.horizon)
    if off_end <= off_start:
        raise InputError(f"{req.from_}–{req.to} is outside the case schedule", field="from")
    return off_start, off_end


def refuse_fixed_case(
    problem: Any,
    person: Any,
    first: int,
    last: int,
    what: str | None = None,
    field: str = "from",
) -> None:
    """Time away ``[first, last)`` over a case fixed in time with the person (a pin with a
    start: started, ran long or pinned) is refused, naming when the absence could be;
    ``what`` words the time away (default: the span as dates)."""
    from optimizer.explain.case_time import time_span, when

    for pin in problem.pins:
        if pin.start is None or pin.task not in problem.task_index:
            continue
        task = problem.task(pin.task)
        pin_end = pin.start + task.duration
        with_them = person.id in pin.staff or person.id in task.staff
        if with_them and pin.start < last and first < pin_end:
            away = what if what is not None else time_span(problem, first, last)
            raise InputError(
                f"{person.label} cannot be away {away}: they are "
                f"on case {task.label}, fixed {time_span(problem, pin.start, pin_end)} "
                f"(started, ran long or pinned); let the absence start at "
                f"{when(problem, pin_end)} or later, or end by {when(problem, pin.start)}",
                field=field,
            )
