"""Where a case schedule puts rooms, people and equipment (busy intervals per resource)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask


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
