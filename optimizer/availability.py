"""Roster → availability: the shifts a roster gives people become on-duty windows.

The natural hospital sequence is to roster weeks ahead and schedule cases daily.
``roster_to_availability`` turns a roster (a ``Result`` or ``RosterSolution`` of a
``RosterProblem``) into half-open ``[start, end)`` minute intervals relative to a
case horizon's start; ``staff_from_roster`` builds a ``CaseProblem``'s staff from it,
mapping roster grades/skills to case roles as the caller says; and
``with_roster_availability`` puts a roster's duty into an existing case problem.

A shift worked on day ``d`` runs from ``start_date + d`` at the shift's start time
for its length (a night shift runs past midnight). Shifts are clipped to
``[0, horizon)`` when a horizon is given; overlapping or touching shifts merge.

The roster's dates and shift times are the ward's local wall-clock times. A case start
with a UTC offset or time zone (``2026-12-07T00:00+01:00``) is read on its own wall
clock, so it is 00:00 of the roster's 7 December, as a case problem counts its minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from pydantic import ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.model.cases import CaseProblem, StaffMember, Window, merge_windows
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem

Interval = tuple[int, int]


def _roster_of(roster: Result | RosterSolution) -> RosterSolution:
    if isinstance(roster, Result):
        if roster.roster is None:
            raise InputError("the result holds no roster", field="roster")
        return roster.roster
    return roster


def _wall_clock(start: dt.datetime | dt.date) -> dt.datetime:
    """``start`` as a naive wall-clock time (a date: its midnight; an offset dropped)."""
    if isinstance(start, dt.datetime):
        return start.replace(tzinfo=None)
    return dt.datetime.combine(start, dt.time())


def roster_to_availability(
    problem: RosterProblem,
    roster: Result | RosterSolution,
    start: dt.datetime | dt.date | None = None,
    horizon: int | None = None,
    staff: Iterable[str] | None = None,
) -> dict[str, list[Interval]]:
    """On-duty intervals per staff id, in minutes from ``start``.

    Args:
        problem: the roster problem (shift times, start date, staff).
        roster: its solved roster.
        start: minute 0 of the case horizon (default: the roster's start date, 00:00);
            with a UTC offset or time zone, the roster's dates are read in that zone.
        horizon: clip intervals to ``[0, horizon)`` (None: clip at 0 only).
        staff: the staff ids to report (default every roster staff member); people
            who work no shift in the horizon get an empty list.
    """
    solution = _roster_of(roster)
    origin = _wall_clock(problem.start_date if start is None else start)
    offset = int((_wall_clock(problem.start_date) - origin).total_seconds() // 60)
    wanted = list(problem.staff_index) if staff is None else list(staff)
    for name in wanted:
        if name not in problem.staff_index:
            raise InputError(f"unknown roster staff '{name}'", field="staff")
    chosen = set(wanted)
    raw: dict[str, list[Interval]] = {name: [] for name in wanted}
    for worked in solution.assignments:
        if worked.staff not in chosen:
            continue
        if worked.shift not in problem.shift_index:
            raise InputError(f"roster uses unknown shift '{worked.shift}'", field="shift")
        shift = problem.shift(worked.shift)
        begin = offset + worked.day * 24 * 60 + shift.start
        end = begin + shift.length_minutes
        begin, end = max(begin, 0), end if horizon is None else min(end, horizon)
        if end > begin:
            raw[worked.staff].append((begin, end))
    return {
        name: [(w.start, w.end) for w in merge_windows(intervals)]
        for name, intervals in raw.items()
    }


def _roles_of(
    roles: Mapping[str, Sequence[str]], grade: str, skills: Sequence[str]
) -> tuple[str, ...]:
    found: list[str] = []
    for key in (grade, *skills):
        found += roles.get(key, ())
    return tuple(dict.fromkeys(found))


def staff_from_roster(
    problem: RosterProblem,
    roster: Result | RosterSolution,
    roles: Mapping[str, Sequence[str]],
    start: dt.datetime | dt.date | None = None,
    horizon: int | None = None,
    max_minutes: int | None = None,
    keep_unmapped: bool = False,
    overtime: int = 0,
) -> tuple[StaffMember, ...]:
    """Case-scheduling staff built from a roster.

    Args:
        roles: roster grade or skill id -> the case roles it gives (e.g.
            ``{"scrub": ["scrub_nurse"], "RN": ["circulating_nurse"]}``); a person
            holds every role mapped from their grade and skills.
        start, horizon: as in ``roster_to_availability``.
        max_minutes: a cap on task minutes for everybody (None: no cap).
        keep_unmapped: keep people none of whose grade/skills map to a role
            (they can then only be named on tasks); by default they are left out.
        overtime: minutes everybody may stay past the end of a rostered shift, each
            minute at the case problem's ``staff_overtime`` weight (default 0: none).
    """
    duty = roster_to_availability(problem, roster, start=start, horizon=horizon)
    members = []
    for person in problem.staff:
        held = _roles_of(roles, person.grade, person.skills)
        if not held and not keep_unmapped:
            continue
        members.append(
            StaffMember(
                id=person.id,
                name=person.name,
                roles=held,
                available=tuple(Window(start=a, end=b) for a, b in duty[person.id]),
                max_minutes=max_minutes,
                overtime=overtime,
            )
        )
    return tuple(members)


def with_roster_availability(
    cases: CaseProblem,
    problem: RosterProblem,
    roster: Result | RosterSolution,
) -> CaseProblem:
    """``cases`` with the on-duty windows of every person also in the roster
    replaced by their rostered shifts (relative to ``cases.start``, read on its own
    wall clock when it has a UTC offset)."""
    if cases.start is None:
        raise InputError(
            "the case problem has no start date/time, so roster shifts cannot be placed",
            field="start",
        )
    shared = [p.id for p in cases.staff if p.id in problem.staff_index]
    duty = roster_to_availability(
        problem, roster, start=cases.start, horizon=cases.horizon, staff=shared
    )
    staff = tuple(
        person.model_copy(
            update={"available": tuple(Window(start=a, end=b) for a, b in duty[person.id])}
        )
        if person.id in duty
        else person
        for person in cases.staff
    )
    data = cases.model_dump()
    data["staff"] = [p.model_dump() for p in staff]
    try:
        return CaseProblem.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
