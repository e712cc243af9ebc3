"""Whether a new case can be placed at all, and why not in names and days (the
dashboard's added-case form asks it too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llm_intake.applying.wording import day_text

_PART_RULES = {
    "morning": ("that morning", "a morning case must end by 13:00"),
    "afternoon": ("that afternoon", "an afternoon case starts from 12:00"),
}


def case_misfit(problem: Any, task: Any, part_of_day: str | None = None) -> str | None:
    """Why a new case cannot be placed, in names and days (None when it can); the
    dashboard's added-case form asks it too.

    The same checks the case model makes on validation, which would name minutes and ids;
    a morning or afternoon case names the window it must fit.
    """
    earliest, latest = task.release, problem.latest_end(task)
    then = "that day" if task.deadline is not None else "in the schedule"
    rule = ""
    if part_of_day in _PART_RULES:
        then, rule = _PART_RULES[part_of_day]
    note = f" ({rule})" if rule else ""

    def fits(windows: list[tuple[int, int]]) -> bool:
        return any(min(e, latest) - max(s, earliest) >= task.duration for s, e in windows)

    def can_work(person: Any) -> bool:
        too_long = person.max_minutes is not None and task.duration > person.max_minutes
        return not too_long and fits([(w.start, w.end) for w in problem.windows_of(person)])

    if earliest + task.duration > problem.horizon:
        return "it would end after the case schedule"
    for name in task.staff:
        person = problem.person(name)
        if person.max_minutes is not None and task.duration > person.max_minutes:
            return f"{person.label} works at most {person.max_minutes} min in all"
        if not can_work(person):
            return (
                f"{person.label} is not on duty long enough {then} "
                f"({f'{rule}; ' if rule else ''}{_duty_days(problem, person)})"
            )
    rooms = problem.eligible_rooms(task)
    openings = [(o.start, o.hard_end) for r in rooms for o in problem.openings_of(r)]
    if rooms and not fits(openings):
        names = ", ".join(r.label for r in rooms)
        return f"no opening of {names} holds it {then}{note}"
    for need in task.team:
        people = problem.qualified(task, need.role)
        fitting = [p for p in people if can_work(p)]
        if len(people) >= need.count > len(fitting):
            return (
                f"it needs {need.count} {need.role} but only {len(fitting)} "
                f"{'is' if len(fitting) == 1 else 'are'} on duty long enough {then}{note}"
            )
    return None


def _duty_days(problem: Any, person: Any) -> str:
    """ "on duty Tue 08 Dec, Fri 11 Dec" (the days of the person's windows)."""
    days: list[dt.date] = []
    for window in problem.windows_of(person):
        first = problem.datetime_of(window.start)
        last = problem.datetime_of(max(window.start, window.end - 1))
        if first is None or last is None:
            return "on duty at other times"
        day = first.date()
        while day <= last.date():
            days.append(day)
            day += dt.timedelta(days=1)
    days = sorted(set(days))
    if not days:
        return "never on duty"
    shown = ", ".join(day_text(d) for d in days[:7])
    return f"on duty {shown}{', …' if len(days) > 7 else ''}"
