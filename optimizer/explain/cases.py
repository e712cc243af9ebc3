"""Why a case is unscheduled or late, and how busy rooms and people are.

Explanations come from analysing the problem and the schedule, never from
guessing. For a task that is unscheduled (or ends after its due time) every
start time that could work is examined in stages:

1. *static* — the task's window, eligible rooms and their openings, named staff
   on duty, enough qualified people on duty: if a stage leaves no start time, that
   stage is the reason ("no qualified anaesthetist on duty on Tue when Mr Okafor
   operates");
2. *against the schedule* — with every other task where the schedule put it, each
   remaining (start, room) is blocked by a busy room, a busy named person, too few
   free qualified people, equipment at capacity, a person's max minutes, or a
   precedence. The reasons list each blocker with the share of candidate times it
   blocks. If some start is blocked by nothing, the explanation says so: the slot
   was free and the solver did not use it (time limit or a costlier trade-off).

The same slot finder gives ``greedy_schedule``: a quick feasible schedule by list
insertion, useful as a warm start (``solve(..., hint=greedy_schedule(problem))``).

Utilisation: per room, booked task minutes / open minutes (overtime excluded from
the open minutes); per person, booked task minutes / on-duty minutes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from optimizer.model.cases import CaseProblem, Opening, Room, StaffMember, Task
from optimizer.model.common import Record
from optimizer.model.result import CaseSchedule, Result, ScheduledTask

GRID_MINUTES = 5
"""Candidate start times are examined on this grid (plus every event time)."""


# -- output records ------------------------------------------------------------------


class Reason(Record):
    """One cause, with the share of candidate (start, room) pairs it blocks."""

    code: str
    message: str
    share: float | None = Field(default=None, description="fraction of candidates blocked")


class TaskExplanation(Record):
    """Why one task is unscheduled or late."""

    task: str
    label: str
    status: Literal["unscheduled", "late"]
    minutes_late: int = 0
    reasons: tuple[Reason, ...] = ()
    free_slot: ScheduledTask | None = Field(
        default=None, description="a placement nothing blocks, if one exists"
    )

    @property
    def message(self) -> str:
        head = (
            f"{self.label}: not scheduled"
            if self.status == "unscheduled"
            else f"{self.label}: ends {self.minutes_late} min late"
        )
        return head + " — " + "; ".join(r.message for r in self.reasons)


class RoomUtilisation(Record):
    """Booked vs open minutes of one room over the horizon."""

    room: str
    name: str
    cases: int
    booked_minutes: int
    turnover_minutes: int
    open_minutes: int
    overtime_minutes: int
    first_start: int | None = None
    last_end: int | None = None

    @property
    def utilisation(self) -> float:
        return self.booked_minutes / self.open_minutes if self.open_minutes else 0.0


class StaffUtilisation(Record):
    """Booked task minutes vs on-duty minutes of one person."""

    staff: str
    name: str
    roles: tuple[str, ...]
    tasks: int
    booked_minutes: int
    on_duty_minutes: int

    @property
    def utilisation(self) -> float:
        return self.booked_minutes / self.on_duty_minutes if self.on_duty_minutes else 0.0


class RoomSummaryRow(Record):
    """One row of the per-room summary table printed by ``carealloc demo``."""

    room: str
    name: str
    cases: int
    booked: str
    open: str
    utilisation_pct: float
    overtime_minutes: int
    first_start: str
    last_end: str


class CaseExplanation(BaseModel):
    """Every unscheduled/late task with its reasons, and utilisation KPIs."""

    model_config = ConfigDict(extra="forbid")

    tasks: list[TaskExplanation] = Field(default_factory=list)
    rooms: list[RoomUtilisation] = Field(default_factory=list)
    staff: list[StaffUtilisation] = Field(default_factory=list)

    def messages(self) -> list[str]:
        """Plain-language lines: one per unscheduled or late task."""
        return [t.message for t in self.tasks]


# -- time formatting -----------------------------------------------------------------


def when(problem: CaseProblem, minute: int) -> str:
    """``Tue 08 Dec 14:05`` (or ``t=845`` for abstract time)."""
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else moment.strftime("%a %d %b %H:%M")


def day_label(problem: CaseProblem, minute: int) -> str:
    """``Tue 08 Dec`` (or ``day 3`` for abstract time)."""
    moment = problem.datetime_of(minute)
    return f"day {minute // 1440}" if moment is None else moment.strftime("%a %d %b")


def _hours(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


def _days(problem: CaseProblem, minutes: Iterable[int]) -> str:
    labels = list(dict.fromkeys(day_label(problem, m) for m in sorted(minutes)))
    return ", ".join(labels) if labels else "no day"


# -- occupancy of a schedule ---------------------------------------------------------


class _Timeline:
    """Disjoint busy intervals kept sorted, with O(log n) overlap tests."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tasks: list[str] = []

    def add(self, start: int, end: int, task: str) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.tasks.insert(i, task)

    def clash(self, start: int, end: int) -> str | None:
        """The task whose interval overlaps ``[start, end)``, if any."""
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.ends[i] > start:
            if self.starts[i] < end:
                return self.tasks[i]
            i -= 1
        return None

    def release_times(self) -> list[int]:
        return list(self.ends)


@dataclass
class Occupancy:
    """Where a schedule puts rooms, people and equipment (one task may be left out)."""

    problem: CaseProblem
    rooms: dict[str, _Timeline] = field(default_factory=lambda: defaultdict(_Timeline))
    staff: dict[str, _Timeline] = field(default_factory=lambda: defaultdict(_Timeline))
    usage: dict[str, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    minutes: Counter[str] = field(default_factory=Counter)
    placed: dict[str, ScheduledTask] = field(default_factory=dict)

    @classmethod
    def of(cls, problem: CaseProblem, schedule: CaseSchedule, skip: str | None = None) -> Occupancy:
        occ = cls(problem)
        for item in schedule.tasks:
            if item.task != skip and item.task in problem.task_index:
                occ.add(item)
        return occ

    def add(self, item: ScheduledTask) -> None:
        problem = self.problem
        task = problem.task(item.task)
        self.placed[item.task] = item
        if task.duration == 0:
            return
        if item.room is not None and item.room in problem.room_index:
            turnover = problem.turnover_of(problem.room(item.room))
            self.rooms[item.room].add(item.start, item.end + turnover, item.task)
        for name in item.staff:
            self.staff[name].add(item.start, item.end, item.task)
            self.minutes[name] += task.duration
        for resource, units in task.resources.items():
            self.usage[resource].append((item.start, item.end, units))

    def resource_peak(self, resource: str, start: int, end: int) -> int:
        """Most units of ``resource`` in use at any minute of ``[start, end)``."""
        events = []
        for s, e, u in self.usage.get(resource, ()):
            if s < end and e > start:
                events += [(max(s, start), u), (e, -u)]
        level = peak = 0
        for _, delta in sorted(events, key=lambda ev: (ev[0], ev[1])):
            level += delta
            peak = max(peak, level)
        return peak


# -- candidate placements ------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int
    room: str | None
    opening: Opening | None


class _Lookup:
    """Per-problem caches: duty windows, qualified people, eligible rooms."""

    _cache: ClassVar[dict[int, tuple[CaseProblem, _Lookup]]] = {}

    def __init__(self, problem: CaseProblem) -> None:
        self.problem = problem
        self.duty: dict[str, tuple[list[int], list[int]]] = {}
        self.qualified: dict[tuple[str, str], list[StaffMember]] = {}
        self.rooms: dict[str, list[Room]] = {}
        self.limits: dict[str, int | None] = {}
        self.hours: dict[str, tuple[list[int], list[Opening]]] = {}

    @classmethod
    def of(cls, problem: CaseProblem) -> _Lookup:
        hit = cls._cache.get(id(problem))
        if hit is not None and hit[0] is problem:
            return hit[1]
        if len(cls._cache) > 8:
            cls._cache.clear()
        lookup = cls(problem)
        cls._cache[id(problem)] = (problem, lookup)
        return lookup

    def windows(self, name: str) -> tuple[list[int], list[int]]:
        if name not in self.duty:
            windows = self.problem.windows_of(self.problem.person(name))
            self.duty[name] = ([w.start for w in windows], [w.end for w in windows])
        return self.duty[name]

    def people(self, task: Task, role: str) -> list[StaffMember]:
        key = (task.id, role)
        if key not in self.qualified:
            self.qualified[key] = self.problem.qualified(task, role)
        return self.qualified[key]

    def openings(self, room: Room) -> tuple[list[int], list[Opening]]:
        if room.id not in self.hours:
            openings = self.problem.openings_of(room)
            self.hours[room.id] = ([o.start for o in openings], openings)
        return self.hours[room.id]

    def max_minutes(self, name: str) -> int | None:
        if not self.limits:
            self.limits = {p.id: p.max_minutes for p in self.problem.staff}
        return self.limits[name]

    def eligible(self, task: Task) -> list[Room]:
        if task.id not in self.rooms:
            self.rooms[task.id] = self.problem.eligible_rooms(task)
        return self.rooms[task.id]


def _on_duty(problem: CaseProblem, name: str, start: int, end: int) -> bool:
    starts, ends = _Lookup.of(problem).windows(name)
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


def _starts(
    problem: CaseProblem,
    task: Task,
    earliest: int,
    latest_end: int,
    occ: Occupancy | None,
    grid: bool = True,
) -> list[int]:
    """Every event time at which a placement could become possible (the earliest
    start of any free stretch is one of them), plus grid times if ``grid``."""
    last = latest_end - task.duration
    if last < earliest:
        return []
    points = {earliest}
    if grid:
        points.update(range(earliest - earliest % GRID_MINUTES, last + 1, GRID_MINUTES))
    for room in problem.eligible_rooms(task):
        for opening in problem.openings_of(room):
            points.add(opening.start)
        if occ is not None and room.id in occ.rooms:
            points.update(occ.rooms[room.id].release_times())
    for person in problem.candidates(task):
        points.update(w.start for w in problem.windows_of(person))
        if occ is not None and person.id in occ.staff:
            points.update(occ.staff[person.id].release_times())
    if occ is not None:
        for resource in task.resources:
            points.update(e for _, e, _ in occ.usage.get(resource, ()))
    return sorted(t for t in points if earliest <= t <= last)


def _room_candidates(problem: CaseProblem, task: Task, start: int) -> list[_Candidate]:
    end = start + task.duration
    if not problem.needs_room(task):
        return [_Candidate(start, None, None)]
    found = []
    lookup = _Lookup.of(problem)
    for room in lookup.eligible(task):
        starts, openings = lookup.openings(room)
        if task.duration == 0:
            found.append(_Candidate(start, room.id, openings[0] if openings else None))
            continue
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= openings[i].hard_end:
            found.append(_Candidate(start, room.id, openings[i]))
    return found


def _precedence_range(problem: CaseProblem, task: Task, occ: Occupancy) -> tuple[int, int]:
    """Start range allowed by precedences with already placed tasks."""
    low, high = 0, problem.horizon
    for prec in problem.precedences:
        if prec.after == task.id and prec.before in occ.placed:
            end = occ.placed[prec.before].end
            low = max(low, end + prec.min_lag)
            if prec.max_lag is not None:
                high = min(high, end + prec.max_lag)
        elif prec.before == task.id and prec.after in occ.placed:
            start_after = occ.placed[prec.after].start
            high = min(high, start_after - prec.min_lag - task.duration)
            if prec.max_lag is not None:
                low = max(low, start_after - prec.max_lag - task.duration)
    return low, high


def _pick_team(
    problem: CaseProblem, task: Task, start: int, occ: Occupancy
) -> tuple[tuple[str, ...] | None, list[str]]:
    """A free, on-duty team for ``[start, start + duration)`` or the roles short."""
    end = start + task.duration
    chosen = list(task.staff)
    short: list[str] = []
    lookup = _Lookup.of(problem)

    def free(name: str) -> bool:
        limit = lookup.max_minutes(name)
        if limit is not None and occ.minutes[name] + task.duration > limit:
            return False
        if task.duration == 0:
            return True
        return _on_duty(problem, name, start, end) and occ.staff[name].clash(start, end) is None

    needs = sorted(task.team, key=lambda need: len(lookup.people(task, need.role)))
    for need in needs:
        people = [p for p in lookup.people(task, need.role) if p.id not in chosen and free(p.id)]
        people.sort(key=lambda p: (len(p.roles), occ.minutes[p.id], p.id))
        if len(people) < need.count:
            short.append(need.role)
            continue
        chosen += [p.id for p in people[: need.count]]
    return (tuple(chosen), short) if not short else (None, short)


def _blockers(
    problem: CaseProblem, task: Task, cand: _Candidate, occ: Occupancy, prec: tuple[int, int]
) -> tuple[list[str], tuple[str, ...] | None]:
    """Codes of everything that blocks this placement (empty: it is free) and a team."""
    start, end = cand.start, cand.start + task.duration
    codes: list[str] = []
    if not prec[0] <= start <= prec[1]:
        codes.append("precedence")
    if cand.room is not None and task.duration > 0:
        turnover = problem.turnover_of(problem.room(cand.room))
        if occ.rooms[cand.room].clash(start, end + turnover) is not None:
            codes.append("room_busy")
    for name in task.staff:
        person = problem.person(name)
        if task.duration and occ.staff[name].clash(start, end) is not None:
            codes.append(f"staff_busy:{name}")
        if person.max_minutes is not None and (
            occ.minutes[name] + task.duration > person.max_minutes
        ):
            codes.append(f"max_minutes:{name}")
    team, short = _pick_team(problem, task, start, occ)
    codes += [f"role_short:{role}" for role in short]
    if task.duration:
        for resource, units in task.resources.items():
            capacity = problem.resource(resource).capacity
            if occ.resource_peak(resource, start, end) + units > capacity:
                codes.append(f"equipment:{resource}")
    return codes, team


def find_slot(
    problem: CaseProblem,
    task: Task,
    occ: Occupancy,
    latest_end: int | None = None,
    regular_first: bool = False,
) -> ScheduledTask | None:
    """The earliest placement of ``task`` that nothing in ``occ`` blocks, or None.

    With ``regular_first``, placements within the rooms' regular hours come first and
    overtime only if there is none.
    """
    latest = problem.latest_end(task) if latest_end is None else latest_end
    prec = _precedence_range(problem, task, occ)
    pin = problem.pin_of(task.id)
    starts = _starts(problem, task, max(task.release, prec[0]), latest, occ, grid=False)
    if pin is not None and pin.start is not None:
        starts = [pin.start] if pin.start in starts or pin.start >= task.release else []
    static: dict[int, bool] = {}
    for overtime in (False, True) if regular_first else (None,):
        for start in starts:
            if start not in static:
                static[start] = _static_ok(problem, task, start)
            if not static[start]:
                continue
            end = start + task.duration
            if task.duration and any(
                occ.staff[name].clash(start, end) is not None for name in task.staff
            ):
                continue
            for cand in _room_candidates(problem, task, start):
                regular = cand.opening is None or start + task.duration <= cand.opening.end
                if overtime is not None and regular == overtime:
                    continue
                if pin is not None and pin.room is not None and cand.room != pin.room:
                    continue
                if not _quick_ok(problem, task, cand, occ):
                    continue
                codes, team = _blockers(problem, task, cand, occ, prec)
                if codes or team is None:
                    continue
                if pin is not None and not set(pin.staff) <= set(team):
                    continue
                return ScheduledTask(
                    task=task.id,
                    start=start,
                    end=start + task.duration,
                    room=cand.room,
                    staff=team,
                    resources=tuple(task.resources),
                )
    return None


def _quick_ok(problem: CaseProblem, task: Task, cand: _Candidate, occ: Occupancy) -> bool:
    """Cheap necessary tests (room and named people free) before picking a team."""
    if task.duration == 0:
        return True
    start, end = cand.start, cand.start + task.duration
    if cand.room is not None:
        turnover = problem.turnover_of(problem.room(cand.room))
        if occ.rooms[cand.room].clash(start, end + turnover) is not None:
            return False
    return all(occ.staff[name].clash(start, end) is None for name in task.staff)


def _static_ok(problem: CaseProblem, task: Task, start: int) -> bool:
    end = start + task.duration
    if task.duration == 0:
        return True
    lookup = _Lookup.of(problem)

    def on_duty(name: str) -> bool:
        starts, ends = lookup.windows(name)
        i = bisect_right(starts, start) - 1
        return i >= 0 and ends[i] >= end

    if not all(on_duty(name) for name in task.staff):
        return False
    for need in task.team:
        on = 0
        for person in lookup.people(task, need.role):
            on += on_duty(person.id)
            if on >= need.count:
                break
        if on < need.count:
            return False
    return True


def greedy_schedule(
    problem: CaseProblem, order: Iterable[str] | None = None, variants: int | None = None
) -> CaseSchedule:
    """A feasible schedule by list insertion: pinned and mandatory tasks first, then
    tasks with a due time (earliest first), then by priority and length; each at its
    earliest free placement. Tasks that find no slot stay unscheduled (so mandatory
    ones may be missing: check before use).

    ``variants`` (default: 2 for up to 300 tasks, else 1) insertion rules are tried —
    earliest start, then regular hours before overtime — and the schedule with the
    lowest checker objective is returned.
    """
    if variants is None:
        variants = 2 if len(problem.tasks) <= 300 else 1
    from optimizer.check import check

    best: tuple[int, CaseSchedule] | None = None
    for regular_first in (False, True)[: max(1, variants)]:
        schedule = _insert_all(problem, order, regular_first)
        report = check(problem, schedule)
        cost = report.objective if report.feasible else 1 << 62
        if best is None or cost < best[0]:
            best = (cost, schedule)
    assert best is not None
    return best[1]


def _insert_all(
    problem: CaseProblem, order: Iterable[str] | None, regular_first: bool
) -> CaseSchedule:
    if order is None:
        ranked = sorted(
            problem.tasks,
            key=lambda t: (
                problem.pin_of(t.id) is None,
                not problem.must_schedule(t),
                t.due is None,
                t.due or 0,
                -problem.unscheduled_cost(t),
                -t.duration,
                t.id,
            ),
        )
        ids = [t.id for t in ranked]
    else:
        ids = list(order)
    occ = Occupancy(problem)
    pending = list(ids)
    for _ in range(2):  # a second pass picks up tasks waiting for predecessors
        waiting = []
        for task_id in pending:
            task = problem.task(task_id)
            preds = [p.before for p in problem.precedences if p.after == task_id]
            if any(p not in occ.placed for p in preds):
                waiting.append(task_id)
                continue
            slot = find_slot(problem, task, occ, regular_first=regular_first)
            if slot is not None:
                occ.add(slot)
        pending = waiting
    placed = sorted(occ.placed.values(), key=lambda it: (it.start, it.task))
    left = tuple(t.id for t in problem.tasks if t.id not in occ.placed)
    return CaseSchedule(tasks=tuple(placed), unscheduled=left)


# -- explanations --------------------------------------------------------------------


def _static_reasons(
    problem: CaseProblem, task: Task, latest: int, starts: list[int]
) -> list[Reason]:
    """Reasons that hold whatever the other tasks do (empty if some start passes)."""
    if not starts:
        return [
            Reason(
                code="window_too_short",
                message=f"its window {when(problem, task.release)}–{when(problem, latest)} is "
                f"shorter than its {task.duration} minutes",
            )
        ]
    if problem.needs_room(task):
        rooms = problem.eligible_rooms(task)
        if not rooms:
            needs = ", ".join(task.room_needs) or "any"
            return [Reason(code="room_type", message=f"no room has the capabilities ({needs})")]
        starts = [t for t in starts if _room_candidates(problem, task, t)]
        if not starts:
            names = ", ".join(r.id for r in rooms)
            return [
                Reason(
                    code="room_hours",
                    message=f"no opening of its rooms ({names}) holds {task.duration} minutes "
                    f"between {when(problem, task.release)} and {when(problem, latest)}",
                )
            ]
    end = task.duration
    for name in task.staff:
        on = [t for t in starts if task.duration == 0 or _on_duty(problem, name, t, t + end)]
        if not on:
            person = problem.person(name)
            windows = problem.windows_of(person)
            message = (
                f"{person.label} is not on duty at all"
                if not windows
                else f"{person.label} is on duty only "
                f"{_days(problem, [w.start for w in windows])}, and no room opening then "
                f"holds the {task.duration}-minute case within its window"
            )
            return [Reason(code="staff_off_duty", message=message)]
        starts = on
    for need in task.team:
        people = problem.qualified(task, need.role)
        ok = [
            t
            for t in starts
            if task.duration == 0
            or sum(_on_duty(problem, p.id, t, t + end) for p in people) >= need.count
        ]
        if not ok:
            named = ", ".join(problem.person(n).label for n in task.staff)
            when_named = f" when {named} operates" if named else ""
            role = need.role.replace("_", " ")
            count = "no" if need.count == 1 else f"fewer than {need.count}"
            return [
                Reason(
                    code=f"role_off_duty:{need.role}",
                    message=f"{count} qualified {role} on duty for {task.duration} minutes "
                    f"on {_days(problem, starts)}{when_named}",
                )
            ]
        starts = ok
    if not any(_static_ok(problem, task, t) for t in starts):
        return [
            Reason(
                code="team_off_duty",
                message="the needed team is never on duty together for the whole case",
            )
        ]
    return []


def _blocker_message(problem: CaseProblem, task: Task, code: str, share: float) -> str:
    pct = f"{share:.0%} of the possible times"
    kind, _, what = code.partition(":")
    if kind == "room_busy":
        names = ", ".join(r.id for r in problem.eligible_rooms(task))
        return f"its eligible rooms ({names}) are booked at {pct}"
    if kind == "staff_busy":
        return f"{problem.person(what).label} is on other cases at {pct}"
    if kind == "max_minutes":
        person = problem.person(what)
        return f"{person.label} would exceed max {person.max_minutes} working minutes"
    if kind == "role_short":
        return f"no free qualified {what.replace('_', ' ')} at {pct}"
    if kind == "equipment":
        resource = problem.resource(what)
        return f"{resource.name or resource.id} at capacity ({resource.capacity}) at {pct}"
    if kind == "precedence":
        return f"its precedences with placed tasks rule out {pct}"
    return f"{code} at {pct}"


def explain_task(
    problem: CaseProblem, schedule: CaseSchedule, task_id: str
) -> TaskExplanation | None:
    """Why ``task_id`` is unscheduled or late in ``schedule`` (None if neither)."""
    task = problem.task(task_id)
    placed = schedule.by_task().get(task_id)
    if placed is None:
        status: Literal["unscheduled", "late"] = "unscheduled"
        latest, late = problem.latest_end(task), 0
    elif task.due is not None and placed.end > task.due:
        status, latest, late = "late", task.due, placed.end - task.due
    else:
        return None
    occ = Occupancy.of(problem, schedule, skip=task_id)
    base = dict(task=task_id, label=task.label, status=status, minutes_late=late)
    starts = _starts(problem, task, task.release, latest, occ)
    static = _static_reasons(problem, task, latest, starts)
    if static:
        return TaskExplanation(**base, reasons=tuple(static))
    prec = _precedence_range(problem, task, occ)
    tally: Counter[str] = Counter()
    total = 0
    for start in starts:
        if not _static_ok(problem, task, start):
            continue
        for cand in _room_candidates(problem, task, start):
            codes, _ = _blockers(problem, task, cand, occ, prec)
            if not codes:
                slot = find_slot(problem, task, occ, latest)
                return TaskExplanation(
                    **base,
                    reasons=(
                        Reason(
                            code="free_slot",
                            message=f"a slot was free at {when(problem, start)}"
                            + (f" in {cand.room}" if cand.room else "")
                            + " — the solver did not use it (time limit or a costlier "
                            "trade-off elsewhere)",
                            share=0.0,
                        ),
                    ),
                    free_slot=slot,
                )
            total += 1
            tally.update(set(codes))
    reasons = [
        Reason(code=code, message=_blocker_message(problem, task, code, n / total), share=n / total)
        for code, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return TaskExplanation(**base, reasons=tuple(reasons))


def room_utilisation(problem: CaseProblem, schedule: CaseSchedule) -> list[RoomUtilisation]:
    """Booked vs open minutes per room (openings clipped to the horizon)."""
    rows = []
    for room in problem.rooms:
        items = [
            it for it in schedule.tasks if it.room == room.id and it.task in problem.task_index
        ]
        openings = problem.openings_of(room)
        open_minutes = sum(max(0, min(o.end, problem.horizon) - o.start) for o in openings)
        overtime = 0
        for opening in openings:
            ends = [
                it.end for it in items if opening.start <= it.start and it.end <= opening.hard_end
            ]
            if ends and max(ends) > opening.end:
                overtime += max(ends) - opening.end
        turnover = problem.turnover_of(room)
        rows.append(
            RoomUtilisation(
                room=room.id,
                name=room.label,
                cases=len(items),
                booked_minutes=sum(it.end - it.start for it in items),
                turnover_minutes=turnover * max(0, len(items) - 1),
                open_minutes=open_minutes,
                overtime_minutes=overtime,
                first_start=min((it.start for it in items), default=None),
                last_end=max((it.end for it in items), default=None),
            )
        )
    return rows


def staff_utilisation(problem: CaseProblem, schedule: CaseSchedule) -> list[StaffUtilisation]:
    """Booked task minutes vs on-duty minutes per person."""
    booked: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for item in schedule.tasks:
        for name in item.staff:
            booked[name] += item.end - item.start
            count[name] += 1
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
        )
        for p in problem.staff
    ]


def _schedule_of(solution: Result | CaseSchedule) -> CaseSchedule:
    if isinstance(solution, Result):
        if solution.schedule is None:
            raise ValueError("the result holds no case schedule")
        return solution.schedule
    return solution


def explain_schedule(problem: CaseProblem, solution: Result | CaseSchedule) -> CaseExplanation:
    """Reasons for every unscheduled or late task, and utilisation per room and person."""
    schedule = _schedule_of(solution)
    placed = schedule.by_task()
    explained = []
    for task in problem.tasks:
        item = placed.get(task.id)
        late = item is not None and task.due is not None and item.end > task.due
        if item is None or late:
            found = explain_task(problem, schedule, task.id)
            if found is not None:
                explained.append(found)
    return CaseExplanation(
        tasks=explained,
        rooms=room_utilisation(problem, schedule),
        staff=staff_utilisation(problem, schedule),
    )


def room_summary(problem: CaseProblem, solution: Result | CaseSchedule) -> list[RoomSummaryRow]:
    """One row per room: cases, booked/open hours, utilisation %, overtime, first/last."""
    rows = []
    for util in room_utilisation(problem, _schedule_of(solution)):
        rows.append(
            RoomSummaryRow(
                room=util.room,
                name=util.name,
                cases=util.cases,
                booked=_hours(util.booked_minutes),
                open=_hours(util.open_minutes),
                utilisation_pct=round(100 * util.utilisation, 1),
                overtime_minutes=util.overtime_minutes,
                first_start="-" if util.first_start is None else when(problem, util.first_start),
                last_end="-" if util.last_end is None else when(problem, util.last_end),
            )
        )
    return rows


def static_reasons(problem: CaseProblem, task: Task) -> list[Reason]:
    """Why ``task`` can never be placed whatever the other tasks do (empty: it can)."""
    latest = problem.latest_end(task)
    starts = _starts(problem, task, task.release, latest, None, grid=False)
    return _static_reasons(problem, task, latest, starts)


def placement_fits(problem: CaseProblem, item: ScheduledTask, occ: Occupancy) -> bool:
    """Whether ``item`` (start, room, team as given) breaks no hard rule next to ``occ``."""
    task = problem.task(item.task)
    if item.end - item.start != task.duration:
        return False
    if item.start < task.release or item.end > problem.latest_end(task):
        return False
    if problem.needs_room(task):
        if item.room is None or item.room not in {r.id for r in problem.eligible_rooms(task)}:
            return False
        cands = [c for c in _room_candidates(problem, task, item.start) if c.room == item.room]
        if not cands:
            return False
        cand = cands[0]
    elif item.room is not None:
        return False
    else:
        cand = _Candidate(item.start, None, None)
    if not _quick_ok(problem, task, cand, occ):
        return False
    prec = _precedence_range(problem, task, occ)
    if not prec[0] <= item.start <= prec[1]:
        return False
    team = list(dict.fromkeys(item.staff))
    if len(team) != task.team_size or not set(task.staff) <= set(team):
        return False
    lookup = _Lookup.of(problem)
    for name in team:
        if name not in problem.staff_index:
            return False
        limit = lookup.max_minutes(name)
        if limit is not None and occ.minutes[name] + task.duration > limit:
            return False
        if task.duration and (
            not _on_duty(problem, name, item.start, item.end)
            or occ.staff[name].clash(item.start, item.end) is not None
        ):
            return False
    others = [n for n in team if n not in task.staff]
    slots = [need.role for need in task.team for _ in range(need.count)]
    if not _matches(problem, others, slots):
        return False
    if task.duration:
        for resource, units in task.resources.items():
            peak = occ.resource_peak(resource, item.start, item.end)
            if peak + units > problem.resource(resource).capacity:
                return False
    return True


def _matches(problem: CaseProblem, people: list[str], slots: list[str]) -> bool:
    """Whether the people can fill the role slots one each (augmenting paths)."""
    holder: dict[int, str] = {}

    def augment(name: str, seen: set[int]) -> bool:
        roles = problem.person(name).roles
        for j, role in enumerate(slots):
            if role in roles and j not in seen:
                seen.add(j)
                if j not in holder or augment(holder[j], seen):
                    holder[j] = name
                    return True
        return False

    return len(people) == len(slots) and all(augment(n, set()) for n in people)
