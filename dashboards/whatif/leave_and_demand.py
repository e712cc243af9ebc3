"""Roster what-ifs: a person away (leave, sickness) and extra staff needed on a shift."""

from __future__ import annotations

import datetime as dt

from dashboards.whatif.problem_copy import rebuild
from llm_intake.apply import minimum_note, recorded_note
from optimizer.errors import InputError
from optimizer.model.roster import CoverDemand, RosterProblem, unrecorded_absences


def _day(problem: RosterProblem, date: dt.date) -> int:
    day = problem.day_of(date)
    if not 0 <= day < problem.num_days:
        raise InputError(
            f"{date:%d %b %Y} is outside the roster ({problem.start_date:%d %b} – "
            f"{problem.date_of(problem.num_days - 1):%d %b %Y})",
            field="date",
        )
    return day


def with_leave(
    problem: RosterProblem, staff: str, first: dt.date, last: dt.date, reason: str
) -> tuple[RosterProblem, str]:
    """The person is off (leave, sickness) from ``first`` to ``last``; their pins on the
    days newly away go.

    Days already recorded as away are not stored again; the new whole days count toward
    their contracted hours (the minimum drops pro rata) for sickness and leave reasons,
    not for "other" (:func:`~optimizer.model.roster.credits_hours`).
    """
    a, b = _day(problem, first), _day(problem, last)
    if b < a:
        raise InputError("the last day is before the first day", field="last")
    added = unrecorded_absences(problem.unavailability, staff, a, b, None, reason)
    away = {d for u in added for d in range(u.first_day, u.last_day + 1)}
    pins = tuple(p for p in problem.pins if not (p.staff == staff and p.day in away))
    new = rebuild(problem, unavailability=(*problem.unavailability, *added), pins=pins)
    span = f"{first:%a %d %b}" if a == b else f"{first:%a %d %b} – {last:%a %d %b}"
    notes = recorded_note(problem, a, b, added)
    notes += minimum_note(problem.minimum_minutes(staff), new.minimum_minutes(staff))
    return new, f"{problem.person(staff).label}: {reason}, {span}{notes}"


def with_extra_demand(
    problem: RosterProblem,
    first: dt.date,
    last: dt.date,
    shift: str,
    skill: str | None,
    delta: int,
) -> tuple[RosterProblem, str]:
    """``delta`` more staff (with ``skill``; any staff if None) needed on ``shift`` each day.

    The demand row of that shift, day and skill is raised (or added). A change for any
    staff to a shift whose cover is set per skill only is refused with a question (which
    skill?): a new any-staff row there would change nothing the planner meant.
    """
    a, b = _day(problem, first), _day(problem, last)
    if b < a:
        raise InputError("the last day is before the first day", field="last")
    if delta == 0:
        raise InputError("0 extra staff changes nothing", field="Extra staff")
    cover = list(problem.cover)
    totals = []
    for day in range(a, b + 1):
        before, after = _raise_cover(problem, cover, day, shift, skill, delta)
        totals.append((before, after))
    new = rebuild(problem, cover=tuple(cover))
    who = skill or "staff"
    span = f"{first:%a %d %b}" + ("" if a == b else f" – {last:%a %d %b}")
    cover_text = f" (cover {totals[0][0]} → {totals[0][1]})" if a == b else ""
    return new, f"{delta:+d} {who} on {problem.shift(shift).label} shifts, {span}{cover_text}"


def added_demand(
    base: RosterProblem, changed: RosterProblem
) -> dict[tuple[int, str, str | None], int]:
    """(day, shift, skill) -> how many more staff ``changed`` needs there than ``base``
    (only the cover rows it raised)."""
    before: dict[tuple[int, str, str | None], int] = {}
    for c in base.cover:
        before.setdefault((c.day, c.shift, c.skill), c.required)
    added: dict[tuple[int, str, str | None], int] = {}
    for c in changed.cover:
        more = c.required - before.get((c.day, c.shift, c.skill), 0)
        if more > 0:
            added[(c.day, c.shift, c.skill)] = more
    return added


def _raise_cover(
    problem: RosterProblem,
    cover: list[CoverDemand],
    day: int,
    shift: str,
    skill: str | None,
    delta: int,
) -> tuple[int, int]:
    """Change ``cover`` in place for one day; returns the required count before and after."""
    date = f"{problem.date_of(day):%a %d %b}"
    label = problem.shift(shift).label
    rows = [i for i, c in enumerate(cover) if c.day == day and c.shift == shift]
    index = next((i for i in rows if cover[i].skill == skill), None)
    if index is None and skill is None and rows:
        per_skill = ", ".join(f"{cover[i].skill} {cover[i].required}" for i in rows)
        raise InputError(
            f"the {label} cover on {date} is set per skill ({per_skill}); pick the skill "
            f"that needs {delta:+d}",
            field="Skill",
        )
    if index is None and delta < 0:
        who = f"{skill} staff" if skill else "staff"
        raise InputError(
            f"the {label} shift on {date} has no demand for {who} to lower", field="Extra staff"
        )
    before = 0 if index is None else cover[index].required
    after = max(0, before + delta)
    able = sum(1 for s in problem.staff if skill is None or skill in s.skills)
    if after > max(able, before):
        who = f"{able} staff with {skill}" if skill else f"{able} staff"
        raise InputError(
            f"a cover of {after} on the {label} shift of {date} needs more than the {who} "
            "on the ward",
            field="Extra staff",
        )
    if index is None:
        cover.append(CoverDemand(day=day, shift=shift, skill=skill, required=after))
    else:
        old = cover[index]
        update = {"required": after, "min_required": min(old.min_required, after)}
        cover[index] = old.model_copy(update=update)
    return before, after
