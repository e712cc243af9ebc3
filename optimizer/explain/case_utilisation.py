"""How busy rooms and people are in a case schedule.

Per room, booked task minutes / (open minutes + overtime minutes used), so that a
feasible schedule never exceeds 100 % (the overtime is also reported on its own), and
the idle minutes between cases beyond the turnover; per person, booked task minutes /
on-duty minutes, and the overtime worked past the on-duty windows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import pairwise

from optimizer.errors import InputError
from optimizer.explain.case_time import hours_minutes, when
from optimizer.model.cases import CaseProblem, Opening
from optimizer.model.common import Record
from optimizer.model.result import CaseSchedule, Result, ScheduledTask


class RoomUtilisation(Record):
    """Booked vs open minutes of one room over the horizon."""

    room: str
    name: str
    cases: int
    booked_minutes: int
    turnover_minutes: int
    """Turnover minutes between consecutive cases of one opening (milestones left out)."""
    open_minutes: int
    overtime_minutes: int
    idle_minutes: int = 0
    """Minutes empty between consecutive cases of one opening, beyond the turnover."""
    first_start: int | None = None
    last_end: int | None = None

    @property
    def available_minutes(self) -> int:
        """Open minutes plus the overtime minutes the schedule used."""
        return self.open_minutes + self.overtime_minutes

    @property
    def utilisation(self) -> float:
        """Booked / (open + overtime used): at most 1 for a feasible schedule."""
        return self.booked_minutes / self.available_minutes if self.available_minutes else 0.0


class StaffUtilisation(Record):
    """Booked task minutes vs on-duty minutes of one person."""

    staff: str
    name: str
    roles: tuple[str, ...]
    tasks: int
    booked_minutes: int
    on_duty_minutes: int
    overtime_minutes: int = 0
    """Staff overtime minutes, as the checker's ``staff_overtime`` rule counts them: per
    on-duty window, from its end to the latest end of work running past it."""

    @property
    def utilisation(self) -> float:
        """Booked / (on duty + overtime worked): at most 1 for a feasible schedule."""
        available = self.on_duty_minutes + self.overtime_minutes
        return self.booked_minutes / available if available else 0.0


class RoomSummaryRow(Record):
    """One row of the per-room summary table printed by ``carealloc demo``."""

    room: str
    name: str
    cases: int
    booked: str
    open: str
    utilisation_pct: float
    overtime_minutes: int
    idle_minutes: int
    first_start: str
    last_end: str


def room_utilisation(problem: CaseProblem, schedule: CaseSchedule) -> list[RoomUtilisation]:
    """Booked vs open minutes per room (openings clipped to the horizon)."""
    rows = []
    for room in problem.rooms:
        items = [
            it for it in schedule.tasks if it.room == room.id and it.task in problem.task_index
        ]
        openings = problem.openings_of(room)
        open_minutes = sum(max(0, min(o.end, problem.horizon) - o.start) for o in openings)
        overtime = _overtime(problem, openings, items)
        turnover = problem.turnover_of(room)
        runs = _runs(problem, openings, items)
        rows.append(
            RoomUtilisation(
                room=room.id,
                name=room.label,
                cases=len(items),
                booked_minutes=sum(it.end - it.start for it in items),
                turnover_minutes=turnover * sum(len(run) - 1 for run in runs),
                open_minutes=open_minutes,
                overtime_minutes=overtime,
                idle_minutes=_idle(runs, turnover),
                first_start=min((it.start for it in items), default=None),
                last_end=max((it.end for it in items), default=None),
            )
        )
    return rows


def _overtime(problem: CaseProblem, openings: list[Opening], items: list[ScheduledTask]) -> int:
    """Overtime minutes used: per opening, how far its last case runs past its end.

    Each case counts in the first opening that holds it, as the checker charges it."""
    last: dict[int, int] = {}
    for item in items:
        if problem.task(item.task).duration == 0:
            continue
        for i, opening in enumerate(openings):
            if opening.start <= item.start and item.end <= opening.hard_end:
                last[i] = max(last.get(i, 0), item.end)
                break
    return sum(max(0, end - openings[i].end) for i, end in last.items())


def _runs(
    problem: CaseProblem, openings: list[Opening], items: list[ScheduledTask]
) -> list[list[ScheduledTask]]:
    """The cases of each opening used, in start order (milestones left out); each case
    counts in the first opening that holds it."""
    by_opening: dict[int, list[ScheduledTask]] = {}
    for item in items:
        if problem.task(item.task).duration == 0:
            continue
        for i, opening in enumerate(openings):
            if opening.start <= item.start and item.end <= opening.hard_end:
                by_opening.setdefault(i, []).append(item)
                break
    return [sorted(cases, key=lambda it: (it.start, it.end)) for cases in by_opening.values()]


def _idle(runs: list[list[ScheduledTask]], turnover: int) -> int:
    """Minutes empty between consecutive cases of each opening, beyond the turnover."""
    return sum(max(0, b.start - a.end - turnover) for run in runs for a, b in pairwise(run))


def _staff_overtime(problem: CaseProblem, person_id: str, spans: list[tuple[int, int]]) -> int:
    """Per on-duty window, minutes from its end to the latest end of the person's work
    running past it, whichever window that work started in (work started in a later
    window does not count), up to the window's overtime end: the checker's
    ``staff_overtime`` minutes."""
    person = problem.person(person_id)
    duty = problem.windows_of(person)
    total = 0
    for window, (_, work_end) in zip(duty, problem.work_windows_of(person), strict=True):
        last = max(
            (min(end, work_end) for start, end in spans if start < work_end),
            default=window.end,
        )
        total += max(0, last - window.end)
    return total


def staff_utilisation(problem: CaseProblem, schedule: CaseSchedule) -> list[StaffUtilisation]:
    """Booked task minutes vs on-duty minutes per person (each person once per case)."""
    booked: Counter[str] = Counter()
    count: Counter[str] = Counter()
    spans: dict[str, list[tuple[int, int]]] = {}
    for item in schedule.tasks:
        if item.task not in problem.task_index:
            continue
        for name in dict.fromkeys(item.staff):
            booked[name] += item.end - item.start
            count[name] += 1
            if item.end > item.start:
                spans.setdefault(name, []).append((item.start, item.end))
    return [
        StaffUtilisation(
            staff=p.id,
            name=p.label,
            roles=p.roles,
            tasks=count[p.id],
            booked_minutes=booked[p.id],
            on_duty_minutes=sum(
                max(0, min(w.end, problem.horizon) - w.start) for w in problem.windows_of(p)
            ),
            overtime_minutes=_staff_overtime(problem, p.id, spans.get(p.id, [])),
        )
        for p in problem.staff
    ]


def schedule_of(solution: Result | CaseSchedule | None) -> CaseSchedule:
    """The case schedule of ``solution``; anything else is an ``InputError`` (field
    ``solution``)."""
    if isinstance(solution, CaseSchedule):
        return solution
    if isinstance(solution, Result):
        if solution.schedule is not None:
            return solution.schedule
        held = "a RosterSolution" if solution.roster is not None else "no solution"
        raise InputError(
            f"a case explanation needs a result with a CaseSchedule; this "
            f"{solution.status.value} result holds {held}",
            field="solution",
        )
    hint = " (result.schedule is None when the solve found no schedule)" if solution is None else ""
    raise InputError(
        f"a case explanation needs a CaseSchedule or a Result holding one, "
        f"got {type(solution).__name__}{hint}",
        field="solution",
    )


def room_summary(
    problem: CaseProblem,
    solution: Result | CaseSchedule,
    moment: Callable[[CaseProblem, int], str] = when,
) -> list[RoomSummaryRow]:
    """One row per room: cases, booked/open hours, utilisation % (of the open hours plus
    the overtime used), overtime, first/last (written by ``moment``)."""
    rows = []
    for util in room_utilisation(problem, schedule_of(solution)):
        rows.append(
            RoomSummaryRow(
                room=util.room,
                name=util.name,
                cases=util.cases,
                booked=hours_minutes(util.booked_minutes),
                open=hours_minutes(util.open_minutes),
                utilisation_pct=round(100 * util.utilisation, 1),
                overtime_minutes=util.overtime_minutes,
                idle_minutes=util.idle_minutes,
                first_start="-" if util.first_start is None else moment(problem, util.first_start),
                last_end="-" if util.last_end is None else moment(problem, util.last_end),
            )
        )
    return rows
