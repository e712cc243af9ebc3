"""CP-SAT variables of the case model: integer indices, optional intervals.

Per task: presence, start, end and its interval (optional iff the task may stay
out); per task × eligible room: a presence literal and an interval stretched by
the room's turnover; per task × room opening: which opening it runs in (only
when the room has several openings or overtime); per task × candidate person: a
presence literal and an interval; per task × person × role: which slot they fill.

Only openings and duty windows a task can reach (inside its earliest start and latest
end) get anything: they are found by bisection (``Spans``), so the model grows with the
cases × the windows they can reach, not with the length of the horizon.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from ortools.sat.python import cp_model

from optimizer.model.cases import CaseProblem, Opening, Task
from optimizer.model.result import ScheduledTask


@dataclass
class TaskVars:
    """The variables of one task (indices are into the problem's tuples)."""

    task: Task
    present: cp_model.IntVar
    mandatory: bool
    start: cp_model.IntVar
    end: cp_model.IntVar
    interval: cp_model.IntervalVar
    rooms: dict[int, cp_model.IntVar] = field(default_factory=dict)
    room_intervals: dict[int, cp_model.IntervalVar] = field(default_factory=dict)
    openings: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    staff: dict[int, cp_model.IntVar] = field(default_factory=dict)
    staff_intervals: dict[int, cp_model.IntervalVar] = field(default_factory=dict)
    slots: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)


@dataclass(frozen=True)
class Spans:
    """Spans ``[start, end)`` sorted by start, ready for bisection."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    reach: tuple[int, ...]
    """The largest end up to each span (the ends themselves when the spans are disjoint)."""

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int]]) -> Spans:
        ends = tuple(b for _, b in spans)
        return cls(tuple(a for a, _ in spans), ends, tuple(accumulate(ends, max)))

    def candidates(self, earliest: int, latest: int, duration: int) -> range:
        """Indices of the spans that may hold ``duration`` minutes inside
        ``[earliest, latest]``: every span that can is in the range (each still needs
        checking: it must also be long enough)."""
        first = bisect_left(self.reach, earliest + duration)
        return range(first, bisect_right(self.starts, latest - duration))


@dataclass(frozen=True)
class Frozen:
    """Tasks kept as they are (a neighbourhood search re-optimises the others).

    ``placed`` tasks keep their start, room and people (only those get variables);
    ``absent`` tasks stay unscheduled (presence is 0); ``windows`` narrow the
    (earliest start, latest end) of some free tasks.
    """

    placed: Mapping[int, ScheduledTask]
    absent: frozenset[int]
    windows: Mapping[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class CaseVariables:
    """Every decision variable, plus the model and problem they belong to."""

    model: cp_model.CpModel
    problem: CaseProblem
    tasks: list[TaskVars]
    earliest: list[int]
    latest_end: list[int]
    infeasible: list[str] = field(default_factory=list)
    frozen: Frozen | None = None
    makespan: cp_model.IntVar | None = None
    """Upper bound on every placed task's end; only when the makespan is weighted."""
    openings: list[tuple[Opening, ...]] = field(default_factory=list)
    """Per room index: ``problem.openings_of`` (sorted), worked out once."""
    opening_spans: list[Spans] = field(default_factory=list)
    """Per room index: its openings (overtime included) as ``Spans``."""
    work_spans: list[Spans] = field(default_factory=list)
    """Per staff index: where the person may work at all (merged work windows)."""

    def __post_init__(self) -> None:
        problem = self.problem
        self.openings = [tuple(problem.openings_of(room)) for room in problem.rooms]
        self.opening_spans = [Spans.of([(o.start, o.hard_end) for o in r]) for r in self.openings]
        self.work_spans = [
            Spans.of([(w.start, w.end) for w in problem.merged_work_windows_of(person)])
            for person in problem.staff
        ]

    @property
    def true(self) -> cp_model.IntVar:
        return self.model.new_constant(1)


def time_bounds(problem: CaseProblem) -> tuple[list[int], list[int], list[str]]:
    """Earliest starts and latest ends, tightened along mandatory precedences."""
    n = len(problem.tasks)
    earliest = [t.release for t in problem.tasks]
    latest = [problem.latest_end(t) for t in problem.tasks]
    for i, task in enumerate(problem.tasks):
        pin = problem.pin_of(task.id)
        if pin is not None and pin.start is not None:
            earliest[i] = pin.start
            latest[i] = pin.start + task.duration
    must = [problem.must_schedule(t) for t in problem.tasks]
    arcs = [
        (problem.task_index[p.before], problem.task_index[p.after], p.min_lag)
        for p in problem.precedences
    ]
    arcs = [(a, b, lag) for a, b, lag in arcs if must[a] and must[b]]
    order = _topological(n, [(a, b) for a, b, _ in arcs])
    dur = [t.duration for t in problem.tasks]
    by_before: dict[int, list[tuple[int, int]]] = {}
    by_after: dict[int, list[tuple[int, int]]] = {}
    for a, b, lag in arcs:
        by_before.setdefault(a, []).append((b, lag))
        by_after.setdefault(b, []).append((a, lag))
    for a in order:
        for b, lag in by_before.get(a, []):
            earliest[b] = max(earliest[b], earliest[a] + dur[a] + lag)
    for b in reversed(order):
        for a, lag in by_after.get(b, []):
            latest[a] = min(latest[a], latest[b] - dur[b] - lag)
    problems = [
        f"task '{problem.tasks[i].id}' cannot fit: earliest start {earliest[i]}, latest end "
        f"{latest[i]}, duration {dur[i]} (release, deadlines, pins and precedences)"
        for i in range(n)
        if must[i] and earliest[i] + dur[i] > latest[i]
    ]
    return earliest, latest, problems


def cut_by_cost(
    problem: CaseProblem,
    latest: list[int],
    ceiling: int,
    stage_weights: Mapping[str, int] | None,
) -> list[int]:
    """Latest ends that no schedule of objective ``ceiling`` or less exceeds.

    For an objective summing non-negative costs only (the caller makes sure): a task
    ending at ``t`` costs at least ``w · priority · (t − due)`` in tardiness and
    ``w · t`` in makespan (``w`` the rule's weight times its stage weight), so an
    optimum ends it by ``due + ceiling // (w · priority)`` and by ``ceiling // w``.
    With the objective of a known schedule as ``ceiling``, the windows shrink to where
    a task can be in a schedule at least as good, and nothing else changes.
    """

    def weight(rule: str) -> int:
        return 1 if stage_weights is None else stage_weights.get(rule, 0)

    tardy = weight("tardiness") * problem.weights.tardiness
    span = weight("makespan") * problem.weights.makespan
    cut = list(latest)
    for i, task in enumerate(problem.tasks):
        if span > 0:
            cut[i] = min(cut[i], ceiling // span)
        if tardy > 0 and task.due is not None and task.priority > 0:
            cut[i] = min(cut[i], task.due + ceiling // (tardy * task.priority))
    return cut


def _topological(n: int, arcs: list[tuple[int, int]]) -> list[int]:
    indegree = [0] * n
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in arcs:
        succ[a].append(b)
        indegree[b] += 1
    queue = [i for i in range(n) if indegree[i] == 0]
    order: list[int] = []
    while queue:
        node = queue.pop()
        order.append(node)
        for nxt in succ[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order


def _fits(opening: Opening, earliest: int, latest: int, duration: int) -> bool:
    return min(opening.hard_end, latest) - max(opening.start, earliest) >= duration


def build_variables(
    model: cp_model.CpModel,
    problem: CaseProblem,
    bounds: tuple[list[int], list[int], list[str]] | None = None,
    frozen: Frozen | None = None,
) -> CaseVariables:
    """Create every variable; impossible tasks are listed in ``infeasible``.

    ``bounds`` = (earliest starts, latest ends, problems) from ``time_bounds``,
    possibly tightened by the caller; computed here if None. ``frozen`` tasks
    keep their placement (see ``Frozen``).
    """
    earliest, latest, infeasible = bounds if bounds is not None else time_bounds(problem)
    if frozen is not None:
        earliest, latest = list(earliest), list(latest)
        for i, item in frozen.placed.items():
            earliest[i], latest[i] = item.start, item.end
        for i, (lo, hi) in frozen.windows.items():
            earliest[i], latest[i] = max(earliest[i], lo), min(latest[i], hi)
    cv = CaseVariables(model, problem, [], earliest, latest, infeasible, frozen)
    for i, task in enumerate(problem.tasks):
        cv.tasks.append(_task_vars(cv, i, task))
    if problem.weights.makespan:
        lower = max(
            (
                earliest[i] + t.duration
                for i, t in enumerate(problem.tasks)
                if cv.tasks[i].mandatory
            ),
            default=0,
        )
        upper = max([lower, *latest])
        cv.makespan = model.new_int_var(lower, upper, "makespan")
    return cv


def _task_vars(cv: CaseVariables, i: int, task: Task) -> TaskVars:
    model, problem = cv.model, cv.problem
    mandatory = problem.must_schedule(task)
    if cv.frozen is not None and i in cv.frozen.absent:
        present = model.new_bool_var(f"present_{i}")  # its own variable: hints stay unique
        model.add(present == 0)
        at = cv.earliest[i]
        start = model.new_int_var(at, at, f"start_{i}")
        end = model.new_int_var(at + task.duration, at + task.duration, f"end_{i}")
        interval = model.new_optional_interval_var(start, task.duration, end, present, f"task_{i}")
        tv = TaskVars(task, present, False, start, end, interval)
        for name in task.staff:  # named people keep a (false) literal for the team rule
            tv.staff[problem.staff_index[name]] = model.new_constant(0)
        return tv
    if cv.frozen is not None and i in cv.frozen.placed:
        mandatory = True
    lo = cv.earliest[i]
    hi = max(lo, cv.latest_end[i] - task.duration)
    start = model.new_int_var(lo, hi, f"start_{i}")
    end = model.new_int_var(lo + task.duration, hi + task.duration, f"end_{i}")
    if mandatory:
        present = cv.true
        interval = model.new_interval_var(start, task.duration, end, f"task_{i}")
    else:
        present = model.new_bool_var(f"present_{i}")
        interval = model.new_optional_interval_var(start, task.duration, end, present, f"task_{i}")
    tv = TaskVars(task, present, mandatory, start, end, interval)
    _room_vars(cv, i, tv)
    _staff_vars(cv, i, tv)
    return tv


def _room_vars(cv: CaseVariables, i: int, tv: TaskVars) -> None:
    model, problem, task = cv.model, cv.problem, tv.task
    rooms = problem.eligible_rooms(task)
    kept = cv.frozen.placed.get(i) if cv.frozen is not None else None
    if kept is not None:
        rooms = [room for room in rooms if room.id == kept.room]
    lo, hi = cv.earliest[i], cv.latest_end[i]
    for room in rooms:
        r = problem.room_index[room.id]
        openings = [
            o
            for o in cv.opening_spans[r].candidates(lo, hi, task.duration)
            if _fits(cv.openings[r][o], lo, hi, task.duration)
        ]
        if not openings and task.duration > 0:  # a milestone takes no room time
            continue
        tv.rooms[r] = model.new_bool_var(f"room_{i}_{r}")
        span = task.duration + problem.turnover_of(room)
        if task.duration > 0:
            tv.room_intervals[r] = model.new_optional_interval_var(
                tv.start, span, tv.start + span, tv.rooms[r], f"room_iv_{i}_{r}"
            )
        if room.openings and task.duration > 0:
            for o in openings:
                tv.openings[r, o] = (
                    tv.rooms[r] if len(openings) == 1 else model.new_bool_var(f"open_{i}_{r}_{o}")
                )


def _staff_vars(cv: CaseVariables, i: int, tv: TaskVars) -> None:
    model, problem, task = cv.model, cv.problem, tv.task
    roles = [need.role for need in task.team]
    people = problem.candidates(task)
    kept = cv.frozen.placed.get(i) if cv.frozen is not None else None
    if kept is not None:
        people = [problem.person(name) for name in kept.staff]
    for person in people:
        s = problem.staff_index[person.id]
        if kept is None and person.id not in task.staff and not _can_work(cv, i, person.id):
            continue
        tv.staff[s] = model.new_bool_var(f"staff_{i}_{s}")
        if task.duration > 0:
            tv.staff_intervals[s] = model.new_optional_interval_var(
                tv.start, task.duration, tv.end, tv.staff[s], f"staff_iv_{i}_{s}"
            )
        if person.id in task.staff:
            continue
        held = [role for role in roles if role in person.roles]
        if len(held) == 1:
            tv.slots[s, held[0]] = tv.staff[s]
        else:
            for role in held:
                tv.slots[s, role] = model.new_bool_var(f"slot_{i}_{s}_{role}")


def _can_work(cv: CaseVariables, i: int, staff_id: str) -> bool:
    problem = cv.problem
    task = problem.tasks[i]
    person = problem.person(staff_id)
    if person.max_minutes is not None and task.duration > person.max_minutes:
        return False
    if task.duration == 0:
        return True
    spans = cv.work_spans[problem.staff_index[staff_id]]
    lo, hi = cv.earliest[i], cv.latest_end[i]
    return any(
        min(spans.ends[k], hi) - max(spans.starts[k], lo) >= task.duration
        for k in spans.candidates(lo, hi, task.duration)
    )
