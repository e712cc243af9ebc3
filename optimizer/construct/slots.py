"""Finding placements (start, room, team) for one case next to an occupancy.

Candidate start times are event times (window and opening starts, release times of
busy rooms, people and equipment, the start bounds precedences with placed tasks
allow, the latest start) plus, for explanations, a grid. A placement is
free when no room, named person, qualified team member, equipment, working-minutes
limit or precedence blocks it; ``blockers`` names what does (a role with enough free
holders who would all pass their working-minutes limit is told apart from one with
too few free holders).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import ClassVar

from optimizer.construct.occupancy import Occupancy
from optimizer.model.cases import CaseProblem, Opening, Room, StaffMember, Task
from optimizer.model.result import ScheduledTask

GRID_MINUTES = 5
"""Candidate start times are examined on this grid (plus every event time)."""


_EventKey = tuple[tuple[str, ...], frozenset[str], frozenset[str]]
"""Rooms, named people and roles: what a task's event times depend on."""


@dataclass(frozen=True)
class Candidate:
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
        self.team: dict[str, list[StaffMember]] = {}
        self.events: dict[_EventKey, frozenset[int]] = {}
        self.open_ranges: dict[tuple[str, int], list[tuple[int, int]]] = {}

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
        if name not in self.duty:  # where the person may work: on duty or in overtime
            windows = self.problem.merged_work_windows_of(self.problem.person(name))
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

    def candidates(self, task: Task) -> list[StaffMember]:
        if task.id not in self.team:
            self.team[task.id] = self.problem.candidates(task)
        return self.team[task.id]

    def event_starts(self, task: Task) -> frozenset[int]:
        """Opening starts of the task's rooms and duty starts of its candidates (shared
        by tasks with the same rooms, named people and roles)."""
        rooms = self.eligible(task)
        key = (
            tuple(room.id for room in rooms),
            frozenset(task.staff),
            frozenset(need.role for need in task.team),
        )
        if key not in self.events:
            problem = self.problem
            points = {o.start for room in rooms for o in problem.openings_of(room)}
            for person in self.candidates(task):
                points.update(w.start for w in problem.windows_of(person))
            self.events[key] = frozenset(points)
        return self.events[key]

    def open_starts(self, room: Room, duration: int) -> list[tuple[int, int]]:
        key = (room.id, duration)
        if key not in self.open_ranges:
            self.open_ranges[key] = _open_starts(self, room, duration)
        return self.open_ranges[key]


def on_duty(problem: CaseProblem, name: str, start: int, end: int) -> bool:
    starts, ends = _Lookup.of(problem).windows(name)
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


def candidate_starts(
    problem: CaseProblem,
    task: Task,
    earliest: int,
    latest_end: int,
    occ: Occupancy | None,
    grid: bool = True,
) -> list[int]:
    """Every event time at which a placement could become possible (the earliest
    start of any free stretch is one of them), plus grid times if ``grid``.

    Event times: ``earliest`` and the latest start, opening and duty starts, the ends
    of busy rooms, people and equipment, and the bounds precedences with placed tasks
    put on the start (an off-grid lag or a ``max_lag`` window)."""
    last = latest_end - task.duration
    if last < earliest:
        return []
    points = {earliest, last}
    if grid:
        points.update(range(earliest - earliest % GRID_MINUTES, last + 1, GRID_MINUTES))
    lookup = _Lookup.of(problem)
    points.update(lookup.event_starts(task))
    if occ is not None:
        for room in lookup.eligible(task):
            if room.id in occ.rooms:
                points.update(occ.rooms[room.id].release_times())
        for person in lookup.candidates(task):
            if person.id in occ.staff:
                points.update(occ.staff[person.id].release_times())
        for resource in task.resources:
            points.update(e for _, e, _ in occ.usage.get(resource, ()))
        points.update(precedence_range(problem, task, occ))
    return sorted(t for t in points if earliest <= t <= last)


def room_candidates(problem: CaseProblem, task: Task, start: int) -> list[Candidate]:
    end = start + task.duration
    if not problem.needs_room(task):
        return [Candidate(start, None, None)]
    found = []
    lookup = _Lookup.of(problem)
    for room in lookup.eligible(task):
        starts, openings = lookup.openings(room)
        if task.duration == 0:
            found.append(Candidate(start, room.id, openings[0] if openings else None))
            continue
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= openings[i].hard_end:
            found.append(Candidate(start, room.id, openings[i]))
    return found


def precedence_range(problem: CaseProblem, task: Task, occ: Occupancy) -> tuple[int, int]:
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
    """A free, on-duty team for ``[start, start + duration)``, or the codes of the roles
    short: ``role_max_minutes:<role>`` when enough holders are on duty and free but
    the case would take some past their ``max_minutes``, else ``role_short:<role>``."""
    end = start + task.duration
    chosen = list(task.staff)
    short: list[str] = []
    lookup = _Lookup.of(problem)

    def within_limit(name: str) -> bool:
        limit = lookup.max_minutes(name)
        return limit is None or occ.minutes[name] + task.duration <= limit

    def on_and_idle(name: str) -> bool:
        if task.duration == 0:
            return True
        return on_duty(problem, name, start, end) and occ.staff[name].clash(start, end) is None

    needs = sorted(task.team, key=lambda need: len(lookup.people(task, need.role)))
    for need in needs:
        idle = [
            p for p in lookup.people(task, need.role) if p.id not in chosen and on_and_idle(p.id)
        ]
        people = [p for p in idle if within_limit(p.id)]
        people.sort(key=lambda p: (len(p.roles), occ.minutes[p.id], p.id))
        if len(people) < need.count:
            kind = "role_max_minutes" if len(idle) >= need.count else "role_short"
            short.append(f"{kind}:{need.role}")
            continue
        chosen += [p.id for p in people[: need.count]]
    return (tuple(chosen), short) if not short else (None, short)


def blockers(
    problem: CaseProblem, task: Task, cand: Candidate, occ: Occupancy, prec: tuple[int, int]
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
    codes += short
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
    prec = precedence_range(problem, task, occ)
    pin = problem.pin_of(task.id)
    starts = candidate_starts(problem, task, max(task.release, prec[0]), latest, occ, grid=False)
    if pin is not None and pin.start is not None:
        starts = [pin.start] if pin.start in starts or pin.start >= task.release else []
    free = room_free_starts(problem, task, occ)
    static: dict[int, bool] = {}
    for overtime in (False, True) if regular_first else (None,):
        for start in starts:
            if free is not None and not _within(free, start):
                continue
            if start not in static:
                static[start] = static_ok(problem, task, start)
            if not static[start]:
                continue
            end = start + task.duration
            if task.duration and any(
                occ.staff[name].clash(start, end) is not None for name in task.staff
            ):
                continue
            for cand in room_candidates(problem, task, start):
                regular = cand.opening is None or start + task.duration <= cand.opening.end
                if overtime is not None and regular == overtime:
                    continue
                if pin is not None and pin.room is not None and cand.room != pin.room:
                    continue
                if not _quick_ok(problem, task, cand, occ):
                    continue
                codes, team = blockers(problem, task, cand, occ, prec)
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


def room_free_starts(
    problem: CaseProblem, task: Task, occ: Occupancy
) -> tuple[list[int], list[int]] | None:
    """Starts at which some eligible room is open long enough and free, as sorted
    disjoint ranges ``(firsts, lasts)``; None when no such test applies (no room, a
    zero duration, or a room timeline whose intervals overlap).

    A placement needs one (``room_candidates`` and ``_quick_ok`` ask the same, room by
    room), so ``find_slot`` skips every other start at the cost of one bisection:
    late in a greedy run most starts have every room busy.
    """
    if task.duration == 0 or not problem.needs_room(task):
        return None
    lookup = _Lookup.of(problem)
    ranges: list[tuple[int, int]] = []
    for room in lookup.eligible(task):
        busy = _busy_starts(problem, room, task.duration, occ)
        if busy is None:
            return None
        ranges += _minus(lookup.open_starts(room, task.duration), busy)
    ranges.sort()
    firsts: list[int] = []
    lasts: list[int] = []
    for first, last in ranges:
        if lasts and first <= lasts[-1] + 1:
            lasts[-1] = max(lasts[-1], last)
        else:
            firsts.append(first)
            lasts.append(last)
    return firsts, lasts


def _open_starts(lookup: _Lookup, room: Room, duration: int) -> list[tuple[int, int]]:
    """Start ranges ``room_candidates`` accepts in ``room``: from an opening's start to
    the next opening's (the latest opening begun is the one used) while the case ends
    by its hard end."""
    starts, openings = lookup.openings(room)
    ranges = []
    for i, opening in enumerate(openings):
        last = opening.hard_end - duration
        if i + 1 < len(starts):
            last = min(last, starts[i + 1] - 1)
        if starts[i] <= last:
            ranges.append((starts[i], last))
    return ranges


def _busy_starts(
    problem: CaseProblem, room: Room, duration: int, occ: Occupancy
) -> list[tuple[int, int]] | None:
    """Start ranges at which the room clashes with a placed case (its turnover after
    the new one included), sorted; None if the room's intervals overlap (``clash``
    then checks only the latest ones, so no exact range can stand in for it)."""
    timeline = occ.rooms.get(room.id)
    if timeline is None:
        return []
    reach = duration + problem.turnover_of(room)
    ranges = []
    previous_end = None
    for start, end in zip(timeline.starts, timeline.ends, strict=True):
        if previous_end is not None and start < previous_end:
            return None
        previous_end = end
        ranges.append((start - reach + 1, end - 1))  # [s, s + reach) meets [start, end)
    return ranges


def _minus(ranges: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The integers of sorted disjoint ``ranges`` outside the sorted ``cuts``."""
    left: list[tuple[int, int]] = []
    j = 0
    for first, last in ranges:
        while j < len(cuts) and cuts[j][1] < first:
            j += 1
        k = j
        while k < len(cuts) and cuts[k][0] <= last:
            if cuts[k][0] > first:
                left.append((first, cuts[k][0] - 1))
            first = max(first, cuts[k][1] + 1)
            k += 1
        if first <= last:
            left.append((first, last))
    return left


def _within(ranges: tuple[list[int], list[int]], value: int) -> bool:
    firsts, lasts = ranges
    i = bisect_right(firsts, value) - 1
    return i >= 0 and value <= lasts[i]


def _quick_ok(problem: CaseProblem, task: Task, cand: Candidate, occ: Occupancy) -> bool:
    """Cheap necessary tests (room and named people free) before picking a team."""
    if task.duration == 0:
        return True
    start, end = cand.start, cand.start + task.duration
    if cand.room is not None:
        turnover = problem.turnover_of(problem.room(cand.room))
        if occ.rooms[cand.room].clash(start, end + turnover) is not None:
            return False
    return all(occ.staff[name].clash(start, end) is None for name in task.staff)


def static_ok(problem: CaseProblem, task: Task, start: int) -> bool:
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
        cands = [c for c in room_candidates(problem, task, item.start) if c.room == item.room]
        if not cands:
            return False
        cand = cands[0]
    elif item.room is not None:
        return False
    else:
        cand = Candidate(item.start, None, None)
    if not _quick_ok(problem, task, cand, occ):
        return False
    prec = precedence_range(problem, task, occ)
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
            not on_duty(problem, name, item.start, item.end)
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
