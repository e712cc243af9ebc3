"""Hard rules of the case model, one private method per rule."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

from ortools.sat.python import cp_model

from optimizer.solvers.cpsat.cases.variables import CaseVariables


class CaseConstraints:
    """Adds every hard rule of ``optimizer.model.cases`` to the model."""

    def __init__(self, cv: CaseVariables) -> None:
        self.cv = cv
        self.model = cv.model
        self.problem = cv.problem

    def add_constraints(self, disjunctive_cliques: bool = True) -> None:
        """Every hard rule; ``disjunctive_cliques`` adds the redundant no-overlaps too."""
        self._impossible_tasks()
        self._mandatory_tasks()
        self._one_room()
        self._room_hours()
        self._room_no_overlap_with_turnover()
        self._team()
        self._staff_no_overlap_and_availability()
        self._staff_max_minutes()
        self._resource_capacity()
        self._makespan_after_every_end()
        self._precedences()
        self._pins()
        self._redundant_room_capacity()
        if disjunctive_cliques:
            self._redundant_disjunctive_cliques()

    def _impossible_tasks(self) -> None:
        """Tasks whose time window is empty cannot be placed."""
        for i, task in enumerate(self.problem.tasks):
            tv = self.cv.tasks[i]
            if self.cv.earliest[i] + task.duration > self.cv.latest_end[i]:
                self.model.add(tv.present == 0)

    def _mandatory_tasks(self) -> None:
        """Mandatory and pinned tasks are placed (their presence is the constant 1)."""
        for tv in self.cv.tasks:
            if tv.mandatory:
                self.model.add(tv.present == 1)

    def _one_room(self) -> None:
        """A placed task that needs a room gets exactly one eligible room."""
        for tv in self.cv.tasks:
            if self.problem.needs_room(tv.task):
                self.model.add(sum(tv.rooms.values()) == tv.present)
            for lit in tv.rooms.values():
                self.model.add_implication(lit, tv.present)

    def _room_hours(self) -> None:
        """A task runs wholly inside one opening (overtime included) of its room."""
        for tv in self.cv.tasks:
            per_room: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for (r, o), lit in tv.openings.items():
                opening = self.cv.openings[r][o]
                self.model.add(tv.start >= opening.start).only_enforce_if(lit)
                self.model.add(tv.end <= opening.hard_end).only_enforce_if(lit)
                per_room[r].append(lit)
            for r, lits in per_room.items():
                if len(lits) > 1 or lits[0] is not tv.rooms[r]:
                    self.model.add(sum(lits) == tv.rooms[r])

    def _room_no_overlap_with_turnover(self) -> None:
        """Room intervals (task + turnover) never overlap."""
        by_room: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        for tv in self.cv.tasks:
            for r, interval in tv.room_intervals.items():
                by_room[r].append(interval)
        for intervals in by_room.values():
            if len(intervals) > 1:
                self.model.add_no_overlap(intervals)

    def _team(self) -> None:
        """Named people attend; each role slot is filled by distinct holders."""
        for tv in self.cv.tasks:
            task = tv.task
            for name in task.staff:
                s = self.problem.staff_index[name]
                self.model.add(tv.staff[s] == tv.present)
            by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            by_role: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for (s, role), lit in tv.slots.items():
                by_person[s].append(lit)
                by_role[role].append(lit)
            for s, lits in by_person.items():
                if len(lits) > 1:
                    self.model.add(sum(lits) == tv.staff[s])
            for need in task.team:
                self.model.add(sum(by_role[need.role]) == need.count * tv.present)
            for lit in tv.staff.values():
                self.model.add_implication(lit, tv.present)

    def _staff_no_overlap_and_availability(self) -> None:
        """A person does one task at a time, only inside their on-duty windows (and overtime).

        Off-duty times that none of their tasks can reach need no interval."""
        by_person: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        reach: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i, tv in enumerate(self.cv.tasks):
            for s, interval in tv.staff_intervals.items():
                by_person[s].append(interval)
                reach[s].append((self.cv.earliest[i], self.cv.latest_end[i]))
        for s, intervals in by_person.items():
            fixed = [
                self.model.new_fixed_size_interval_var(a, b - a, f"off_{s}_{a}")
                for a, b in _reached(self._off_duty(s), reach[s])
            ]
            if len(intervals) + len(fixed) > 1:
                self.model.add_no_overlap(intervals + fixed)

    def _off_duty(self, s: int) -> list[tuple[int, int]]:
        """The gaps between person ``s``'s work windows (overtime included), to the horizon."""
        gaps = []
        cursor = 0
        for start, end in self.problem.work_windows_of(self.problem.staff[s]):
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < self.problem.horizon:
            gaps.append((cursor, self.problem.horizon))
        return gaps

    def _staff_max_minutes(self) -> None:
        """Total task minutes per person stay within ``max_minutes``."""
        load: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for tv in self.cv.tasks:
            for s, lit in tv.staff.items():
                load[s].append((tv.task.duration, lit))
        for s, terms in load.items():
            limit = self.problem.staff[s].max_minutes
            if limit is not None:
                self.model.add(sum(d * lit for d, lit in terms) <= limit)

    def _resource_capacity(self) -> None:
        """Units of each resource in use never exceed its capacity."""
        for resource in self.problem.resources:
            intervals, demands = [], []
            for tv in self.cv.tasks:
                units = tv.task.resources.get(resource.id, 0)
                if units and tv.task.duration > 0:
                    intervals.append(tv.interval)
                    demands.append(units)
            if intervals and sum(demands) > resource.capacity:
                intervals, demands = self._with_makespan_block(
                    intervals, demands, resource.capacity
                )
                self.model.add_cumulative(intervals, demands, resource.capacity)

    def _with_makespan_block(
        self, intervals: list[cp_model.IntervalVar], demands: list[int], capacity: int
    ) -> tuple[list[cp_model.IntervalVar], list[int]]:
        """Redundant: nothing runs in [makespan, horizon), so block it at full capacity.

        This lets the cumulative's energy reasoning push the makespan up.
        """
        makespan = self.cv.makespan
        if makespan is None:
            return intervals, demands
        horizon = max(self.cv.latest_end)
        if horizon <= makespan.proto.domain[0]:
            return intervals, demands
        block = self.model.new_interval_var(makespan, horizon - makespan, horizon, "after_end")
        return [*intervals, block], [*demands, capacity]

    def _makespan_after_every_end(self) -> None:
        """The makespan variable is at least every placed task's end."""
        if self.cv.makespan is None:
            return
        for tv in self.cv.tasks:
            bound = self.model.add(self.cv.makespan >= tv.end)
            if not tv.mandatory:
                bound.only_enforce_if(tv.present)

    def _precedences(self) -> None:
        """``end(before) + min_lag <= start(after) <= end(before) + max_lag`` if both placed."""
        for prec in self.problem.precedences:
            a = self.cv.tasks[self.problem.task_index[prec.before]]
            b = self.cv.tasks[self.problem.task_index[prec.after]]
            both = [tv.present for tv in (a, b) if not tv.mandatory]
            lower = self.model.add(b.start >= a.end + prec.min_lag)
            if both:
                lower.only_enforce_if(both)
            if prec.max_lag is not None:
                upper = self.model.add(b.start <= a.end + prec.max_lag)
                if both:
                    upper.only_enforce_if(both)

    def _pins(self) -> None:
        """Pinned start, room and people are fixed."""
        for pin in self.problem.pins:
            tv = self.cv.tasks[self.problem.task_index[pin.task]]
            if pin.start is not None:
                self.model.add(tv.start == pin.start)
            if pin.room is not None:
                r = self.problem.room_index[pin.room]
                if r in tv.rooms:
                    self.model.add(tv.rooms[r] == 1)
                else:
                    self.model.add_bool_or([])  # the pinned room cannot host the task
            for name in pin.staff:
                s = self.problem.staff_index[name]
                if s in tv.staff:
                    self.model.add(tv.staff[s] == 1)
                else:
                    self.model.add_bool_or([])  # the pinned person cannot do the task

    def _redundant_room_capacity(self) -> None:
        """Redundant: tasks needing a room never outnumber the rooms at any time."""
        rooms = len(self.problem.rooms)
        intervals = [
            tv.interval
            for tv in self.cv.tasks
            if tv.task.duration > 0 and self.problem.needs_room(tv.task)
        ]
        if rooms > 1 and len(intervals) > rooms:
            self.model.add_cumulative(intervals, [1] * len(intervals), rooms)

    def _redundant_disjunctive_cliques(self) -> None:
        """Redundant: tasks that can never overlap (their joint demand exceeds some
        capacity, or one precedes the other) form cliques; each clique of three or
        more is a no-overlap, which adds disjunctive (edge-finding) reasoning."""
        problem = self.problem
        if not problem.resources or len(problem.tasks) > _MAX_CLIQUE_TASKS:
            return
        active = [i for i, t in enumerate(problem.tasks) if t.duration > 0]
        apart = _never_overlap(self.cv, active)
        order = sorted(active, key=lambda i: (-len(apart[i]), i))
        seen: set[frozenset[int]] = set()
        for first in order:
            clique = [first]
            for other in order:
                if other != first and all(other in apart[member] for member in clique):
                    clique.append(other)
            key = frozenset(clique)
            if len(clique) >= 3 and key not in seen:
                seen.add(key)
                self.model.add_no_overlap([self.cv.tasks[i].interval for i in sorted(clique)])


_MAX_CLIQUE_TASKS = 400


def _reached(gaps: list[tuple[int, int]], windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ``gaps`` (sorted, disjoint) that overlap one of the ``windows``, in order."""
    starts = [a for a, _ in gaps]
    ends = [b for _, b in gaps]
    hit: set[int] = set()
    for lo, hi in windows:
        hit.update(range(bisect_right(ends, lo), bisect_left(starts, hi)))
    return [gaps[k] for k in sorted(hit)]


def _never_overlap(cv: CaseVariables, active: list[int]) -> dict[int, set[int]]:
    """For each task, the tasks it can never run beside (resources, or a chain of
    precedences through tasks that are always placed)."""
    problem = cv.problem
    apart: dict[int, set[int]] = {i: set() for i in active}
    capacity = {r.id: r.capacity for r in problem.resources}
    for x, i in enumerate(active):
        use_i = problem.tasks[i].resources
        for j in active[x + 1 :]:
            use_j = problem.tasks[j].resources
            if any(use_i[r] + use_j.get(r, 0) > capacity[r] for r in use_i):
                apart[i].add(j)
                apart[j].add(i)
    after: dict[int, list[int]] = defaultdict(list)
    for prec in problem.precedences:
        if prec.min_lag >= 0:
            after[problem.task_index[prec.before]].append(problem.task_index[prec.after])
    # A precedence binds only when both tasks are placed, so a chain reaches past a
    # task only if that task is always placed (the chain's ends may be optional: their
    # intervals are, and a no-overlap ignores an absent interval).
    placed = [problem.must_schedule(t) for t in problem.tasks]
    for i in active:
        stack, reached = list(after[i]), set()
        while stack:
            j = stack.pop()
            if j not in reached:
                reached.add(j)
                if placed[j]:
                    stack.extend(after[j])
        for j in reached:
            if j in apart and j != i:
                apart[i].add(j)
                apart[j].add(i)
    return apart
