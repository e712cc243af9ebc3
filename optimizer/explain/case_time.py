"""Minutes from the horizon start as readable times and days (for case explanations)."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.model.cases import CaseProblem


def when(problem: CaseProblem, minute: int) -> str:
    """``Tue 08 Dec 14:05`` (or ``t=845`` for abstract time)."""
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else moment.strftime("%a %d %b %H:%M")


def weekday_time(problem: CaseProblem, minute: int) -> str:
    """``Tue 14:05`` (or ``t=845`` for abstract time): enough within one week."""
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else moment.strftime("%a %H:%M")


def day_label(problem: CaseProblem, minute: int) -> str:
    """``Tue 08 Dec`` (or ``day 3`` for abstract time)."""
    moment = problem.datetime_of(minute)
    return f"day {minute // 1440}" if moment is None else moment.strftime("%a %d %b")


def hours_minutes(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


def day_list(problem: CaseProblem, minutes: Iterable[int]) -> str:
    labels = list(dict.fromkeys(day_label(problem, m) for m in sorted(minutes)))
    return ", ".join(labels) if labels else "no day"


def time_span(problem: CaseProblem, start: int, end: int) -> str:
    """``Mon 07 Dec 11:00–18:00``, ``Mon 07 Dec 20:00 – Tue 08 Dec 06:00`` or ``t=0–200``."""
    first, last = problem.datetime_of(start), problem.datetime_of(end)
    if first is None or last is None:
        return f"t={start}–{end}"
    if first.date() == last.date():
        return f"{when(problem, start)}–{last:%H:%M}"
    return f"{when(problem, start)} – {when(problem, end)}"
