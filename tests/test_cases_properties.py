"""Property-based tests of the CP-SAT case backend on tiny random instances.

CP-SAT is the only case backend, so the cross-checks are internal: the redundant
parts of the model (no-overlap cliques, room-count cumulative, the makespan block
and energy bound, the pure-makespan horizon cut, the no-LP portfolio) never change
the proven optimum, every solution passes the independent checker, on the tiniest
instances (with or without staff) the optimum equals a brute-force enumeration
scored by the checker, and the large neighbourhood search never beats the optimum.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, product
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, reject, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from pydantic import ValidationError

import optimizer.solvers.cpsat.cases as cases_backend
from optimizer import solve
from optimizer.check import check
from optimizer.model import (
    CasePin,
    CaseProblem,
    CaseSchedule,
    CaseWeights,
    Opening,
    Precedence,
    Resource,
    Result,
    Room,
    ScheduledTask,
    SolveStatus,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.solvers.cpsat.cases import constraints, objective
from optimizer.solvers.cpsat.cases.variables import CaseVariables, build_variables
from tests.verify import verify_result

PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TIME_LIMIT = 10.0
BRUTE_FORCE_MAX = 3000
"""Most candidate schedules the brute-force oracle enumerates for one instance."""
ROLES = ("nurse", "surgeon")

Draw = st.DrawFn


# -- instances --------------------------------------------------------------------


def _openings(draw: Draw, horizon: int) -> tuple[Opening, ...]:
    """0–2 disjoint openings (overtime included) starting inside the horizon."""
    openings: list[Opening] = []
    cursor = 0
    for _ in range(draw(st.integers(0, 2))):
        start = cursor + draw(st.integers(0, 3))
        if start >= horizon:
            break
        end = start + draw(st.integers(max(1, horizon // 2), horizon))
        overtime = draw(st.integers(0, 3))
        openings.append(Opening(start=start, end=end, overtime=overtime))
        cursor = end + overtime
    return tuple(openings)


def _rooms(draw: Draw, horizon: int, most: int, least: int = 0) -> list[Room]:
    return [
        Room(
            id=f"room{k}",
            openings=_openings(draw, horizon),
            turnover=draw(st.none() | st.integers(0, 2)),
        )
        for k in range(draw(st.integers(least, most)))
    ]


def _windows(draw: Draw, horizon: int) -> tuple[Window, ...]:
    """1–2 on-duty windows inside the horizon (they may overlap or touch)."""
    windows = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(st.integers(0, horizon - 1))
        windows.append(Window(start=start, end=draw(st.integers(start + 1, horizon))))
    return tuple(windows)


def _staff(draw: Draw, horizon: int, count: tuple[int, int]) -> list[StaffMember]:
    """People with 0–2 roles, maybe on-duty windows (with 0–3 minutes of overtime),
    maybe a time off, maybe a cap on task minutes."""
    return [
        StaffMember(
            id=f"p{k}",
            roles=tuple(sorted(draw(st.sets(st.sampled_from(ROLES))))),
            available=None if draw(st.booleans()) else _windows(draw, horizon),
            max_minutes=draw(st.none() | st.integers(0, horizon)),
            overtime=draw(st.integers(0, 3)),
            unavailable=_windows(draw, horizon)[:1] if draw(st.booleans()) else (),
        )
        for k in range(draw(st.integers(*count)))
    ]


def _team(
    draw: Draw, staff: list[StaffMember]
) -> tuple[tuple[TeamRequirement, ...], tuple[str, ...]]:
    """A task's named people and team requirements by role (count 1–2, at most the
    number of other people holding the role)."""
    if not staff:
        return (), ()
    named = tuple(sorted(draw(st.sets(st.sampled_from([p.id for p in staff]), max_size=2))))
    team = []
    for role in ROLES:
        holders = sum(role in p.roles and p.id not in named for p in staff)
        count = draw(st.integers(0, min(2, holders)))
        if count:
            team.append(TeamRequirement(role=role, count=count))
    return tuple(team), named


def _pinned_staff(draw: Draw, task: Task, staff: list[StaffMember]) -> tuple[str, ...]:
    """Some of the people who could be on the task, at most its team size."""
    roles = {need.role for need in task.team}
    could = [p.id for p in staff if p.id in task.staff or roles & set(p.roles)]
    if not could or not task.team_size:
        return ()
    chosen = draw(st.sets(st.sampled_from(could), max_size=min(len(could), task.team_size)))
    return tuple(sorted(chosen))


def _task(
    draw: Draw,
    i: int,
    horizon: int,
    longest: int,
    resources: list[Resource],
    rooms: list[Room],
    project: bool,
    staff: list[StaffMember] | None = None,
) -> Task:
    duration = draw(st.integers(0, min(longest, horizon)))
    release = draw(st.integers(0, horizon - duration))
    deadline = draw(st.none() | st.integers(release + duration, horizon))
    uses = {r.id: draw(st.integers(0, r.capacity)) for r in resources}
    eligible = None
    if len(rooms) > 1 and draw(st.booleans()):
        eligible = tuple(draw(st.sets(st.sampled_from([r.id for r in rooms]), min_size=1)))
    team, named = _team(draw, staff or [])
    return Task(
        id=f"t{i}",
        duration=duration,
        release=release,
        deadline=deadline,
        due=None if project else draw(st.none() | st.integers(0, horizon)),
        priority=draw(st.integers(0, 3)),
        optional=False if project else draw(st.booleans()),
        unscheduled_penalty=draw(st.none() | st.integers(0, 30)),
        needs_room=draw(st.sampled_from([None, None, False])) if rooms else None,
        rooms=eligible,
        resources=uses,
        team=team,
        staff=named,
    )


def _precedences(draw: Draw, n: int, most_lag: int) -> list[Precedence]:
    """Acyclic (earlier task first), at most one per pair, lags possibly negative."""
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1]),
            max_size=n,
            unique=True,
        )
    )
    precedences = []
    for a, b in pairs:
        min_lag = draw(st.integers(-2, most_lag))
        max_lag = draw(st.none() | st.integers(min_lag, min_lag + 4))
        precedences.append(
            Precedence(before=f"t{a}", after=f"t{b}", min_lag=min_lag, max_lag=max_lag)
        )
    return precedences


@st.composite
def case_problems(
    draw: Draw,
    tasks: tuple[int, int] = (3, 6),
    horizon: tuple[int, int] = (8, 24),
    longest: int = 6,
    most_rooms: int = 2,
    most_resources: int = 2,
    staff: tuple[int, int] = (0, 0),
    least_rooms: int = 0,
) -> CaseProblem:
    """A small valid case problem: either a pure project (mandatory tasks, resources,
    precedences, makespan only) or a mixed one (rooms, optional tasks, dues, pins).

    ``staff`` (least, most) people; with some, tasks draw team requirements and
    named people, and a pin may fix part of a team. ``least_rooms`` > 0 asks for a
    mixed problem with at least that many rooms."""
    project = False if least_rooms else draw(st.booleans())
    end = draw(st.integers(*horizon))
    n = draw(st.integers(*tasks))
    resources = [
        Resource(id=f"res{k}", capacity=draw(st.integers(1, 3)))
        for k in range(draw(st.integers(1 if project else 0, most_resources)))
    ]
    rooms = [] if project else _rooms(draw, end, most_rooms, least_rooms)
    people = _staff(draw, end, staff) if staff[1] else []
    pins: list[CasePin] = []
    if project:
        weights = CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=1)
    else:
        weights = CaseWeights(
            unscheduled=draw(st.integers(0, 20)),
            tardiness=draw(st.integers(0, 3)),
            overtime=draw(st.integers(0, 3)),
            staff_overtime=draw(st.integers(0, 3)),
            idle=draw(st.integers(0, 2)),
            makespan=draw(st.integers(0, 2)),
        )
    drawn = [_task(draw, i, end, longest, resources, rooms, project, people) for i in range(n)]
    if not project and draw(st.booleans()):
        first = drawn[0]
        latest = end if first.deadline is None else first.deadline
        start = draw(st.integers(first.release, latest - first.duration))
        pins = [CasePin(task=first.id, start=start, staff=_pinned_staff(draw, first, people))]
    try:
        return CaseProblem(
            horizon=end,
            tasks=tuple(drawn),
            rooms=tuple(rooms),
            resources=tuple(resources),
            staff=tuple(people),
            precedences=tuple(_precedences(draw, n, 3)),
            turnover=draw(st.integers(0, 2)),
            weights=weights,
            pins=tuple(pins),
        )
    except ValidationError:
        reject()


# -- solving ----------------------------------------------------------------------


def _solve(problem: CaseProblem, **params: Any) -> Result:
    """One reproducible solve; a solution is always re-verified by the checker."""
    result = solve(problem, time_limit=TIME_LIMIT, workers=1, seed=0, **params)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE), (
        f"{result.status}: {result.message}"
    )
    if result.status.has_solution:
        verify_result(problem, result)
    return result


def _optimum(result: Result) -> int | None:
    """The proven optimum, or None when infeasible."""
    return result.objective if result.status is SolveStatus.OPTIMAL else None


def _makespan_without_energy_bound(cv: CaseVariables) -> Any:
    """``objective._makespan`` minus its redundant energy bound."""
    weight = cv.problem.weights.makespan
    return 0 if not weight or cv.makespan is None else weight * cv.makespan


def _solve_bare(problem: CaseProblem) -> Result:
    """Solve with every redundant part of the model switched off."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(constraints, "_MAX_CLIQUE_TASKS", 0)
        mp.setattr(constraints.CaseConstraints, "_redundant_room_capacity", lambda self: None)
        mp.setattr(
            constraints.CaseConstraints,
            "_with_makespan_block",
            lambda self, intervals, demands, capacity: (intervals, demands),
        )
        mp.setattr(objective, "_makespan", _makespan_without_energy_bound)
        # Not pure makespan: no horizon cut to the heuristic's makespan, no no-LP portfolio.
        mp.setattr(cases_backend, "_pure_makespan", lambda problem, options: False)
        return _solve(problem)


# -- brute force ------------------------------------------------------------------


def _teams(problem: CaseProblem, task: Task) -> list[tuple[str, ...]]:
    """Every candidate team: the named people plus any set of the right size of the
    others holding a needed role (the checker judges who fills which slot)."""
    others = [p.id for p in problem.candidates(task) if p.id not in task.staff]
    return [
        (*task.staff, *chosen) for chosen in combinations(others, task.team_size - len(task.staff))
    ]


def _placements(problem: CaseProblem, task: Task) -> list[ScheduledTask | None]:
    """Every integer start × room × team of the task (None: left out, if it may be)."""
    rooms: list[str | None] = [r.id for r in problem.eligible_rooms(task)]
    if not problem.needs_room(task):
        rooms = [None]
    options: list[ScheduledTask | None] = [
        ScheduledTask(task=task.id, start=start, end=start + task.duration, room=room, staff=team)
        for start in range(task.release, problem.latest_end(task) - task.duration + 1)
        for room in rooms
        for team in _teams(problem, task)
    ]
    if not problem.must_schedule(task):
        options.append(None)
    return options


def _all_schedules(problem: CaseProblem) -> Iterator[CaseSchedule]:
    choices = [_placements(problem, task) for task in problem.tasks]
    for combo in product(*choices):
        yield CaseSchedule(
            tasks=tuple(item for item in combo if item is not None),
            unscheduled=tuple(
                t.id for t, item in zip(problem.tasks, combo, strict=True) if item is None
            ),
        )


def _brute_force_optimum(problem: CaseProblem) -> int | None:
    """The least checker objective over all checker-feasible schedules (None: none)."""
    best: int | None = None
    for schedule in _all_schedules(problem):
        report = check(problem, schedule)
        if report.feasible and (best is None or report.objective < best):
            best = report.objective
    return best


def _candidate_count(problem: CaseProblem) -> int:
    count = 1
    for task in problem.tasks:
        count *= len(_placements(problem, task))
    return count


# -- shrunk counterexamples found by these properties (kept as explicit examples) --

MAKESPAN = CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=1)
OVERFULL_PROJECT = CaseProblem(
    horizon=3,
    tasks=(
        Task(id="a", duration=2, resources={"r": 1}),
        Task(id="b", duration=2, resources={"r": 1}),
    ),
    resources=(Resource(id="r", capacity=1),),
    weights=MAKESPAN,
)
"""Infeasible (4 minutes of a 1-unit resource in 3): the answer is INFEASIBLE."""
ONLY_MILESTONES = CaseProblem(horizon=3, tasks=(Task(id="a", duration=0),), weights=MAKESPAN)
"""Optimum 0: the milestone ends at 0, so the makespan costs 0."""
PINNED_MILESTONE_BEFORE_OPENING = CaseProblem(
    horizon=3,
    tasks=(Task(id="a", duration=0),),
    rooms=(Room(id="room0", openings=(Opening(start=1, end=2),)),),
    weights=CaseWeights(unscheduled=0, tardiness=0, overtime=0),
    pins=(CasePin(task="a", start=0),),
)
"""Optimum 0: a milestone uses no room time, so it may sit outside the openings."""


# -- properties -------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(problem=case_problems())
@example(problem=OVERFULL_PROJECT)
@example(problem=ONLY_MILESTONES)
def test_redundant_constraints_keep_the_optimum(problem: CaseProblem) -> None:
    """Default model, the default with cliques forced on (``subsolvers=[]`` leaves the
    no-LP portfolio), and the bare model all prove the same optimum (or infeasibility)."""
    default = _optimum(_solve(problem))
    with_cliques = _optimum(_solve(problem, subsolvers=[]))
    bare = _optimum(_solve_bare(problem))
    assert default == bare, f"default optimum {default} != bare model optimum {bare}"
    assert with_cliques == bare, f"optimum with cliques {with_cliques} != bare {bare}"


@PROPERTY_SETTINGS
@given(
    problem=case_problems(tasks=(2, 4), horizon=(3, 8), longest=3, most_rooms=1, most_resources=1)
)
@example(problem=PINNED_MILESTONE_BEFORE_OPENING)
def test_optimum_matches_brute_force(problem: CaseProblem) -> None:
    """On the tiniest instances CP-SAT's proven optimum is the least checker objective
    over every integer start, room and leave-out choice."""
    assume(_candidate_count(problem) <= BRUTE_FORCE_MAX)
    expected = _brute_force_optimum(problem)
    found = _optimum(_solve(problem))
    assert found == expected, f"CP-SAT optimum {found} != brute-force optimum {expected}"


@PROPERTY_SETTINGS
@given(
    problem=case_problems(
        tasks=(2, 3), horizon=(3, 8), longest=3, most_rooms=1, most_resources=1, staff=(1, 3)
    )
)
def test_optimum_with_staff_matches_brute_force(problem: CaseProblem) -> None:
    """With people too, CP-SAT's proven optimum is the least checker objective over
    every start, room, team and leave-out choice."""
    assume(_candidate_count(problem) <= BRUTE_FORCE_MAX)
    expected = _brute_force_optimum(problem)
    found = _optimum(_solve(problem))
    assert found == expected, f"CP-SAT optimum {found} != brute-force optimum {expected}"


def _solve_lns(problem: CaseProblem, hint: CaseSchedule | None = None) -> Result:
    """The large-neighbourhood-search path (from ``hint`` if given); a solution is
    re-verified by the checker, and the checker confirms the search's last improvement."""
    result = solve(problem, time_limit=TIME_LIMIT, workers=1, seed=0, case_lns=True, hint=hint)
    if result.status.has_solution:
        verify_result(problem, result)
        last = result.progress[-1].objective if result.progress else result.objective
        assert result.objective == last, (
            f"returned objective {result.objective} != last improvement {last}"
        )
    return result


def _mandatory_part(problem: CaseProblem, schedule: CaseSchedule) -> CaseSchedule:
    """``schedule`` with its optional tasks left out: still feasible, maybe worse."""
    kept = tuple(item for item in schedule.tasks if problem.must_schedule(problem.task(item.task)))
    placed = {item.task for item in kept}
    return CaseSchedule(
        tasks=kept, unscheduled=tuple(t.id for t in problem.tasks if t.id not in placed)
    )


def _assert_not_below(found: Result, optimum: int) -> None:
    assert found.objective is not None
    assert found.objective >= optimum, f"LNS objective {found.objective} < optimum {optimum}"
    if found.bound is not None:
        assert found.bound <= optimum, f"LNS bound {found.bound} > optimum {optimum}"
    if found.status is SolveStatus.OPTIMAL:
        assert found.objective == optimum, f"LNS 'optimal' {found.objective} != {optimum}"


@PROPERTY_SETTINGS
@given(problem=case_problems(tasks=(4, 8), horizon=(8, 24), staff=(0, 3)))
def test_lns_never_beats_the_optimum(problem: CaseProblem) -> None:
    """LNS (from greedy, and from the optimum with its optional tasks left out) finds
    a schedule iff one exists, never a better one than the proven optimum, never a
    worse one than its start; its bound (if any) is at most the optimum, and a
    claimed optimum is the optimum."""
    exact = _solve(problem)
    found = _solve_lns(problem)
    assert found.status.has_solution == exact.status.has_solution, (
        f"LNS {found.status} ({found.message}) but exact {exact.status}"
    )
    optimum = _optimum(exact)
    if optimum is None or exact.schedule is None:
        return
    _assert_not_below(found, optimum)
    start = _mandatory_part(problem, exact.schedule)
    report = check(problem, start)
    assert report.feasible, f"optimum without its optional tasks: {report.violations[:3]}"
    from_start = _solve_lns(problem, start)
    _assert_not_below(from_start, optimum)
    assert from_start.objective is not None
    assert from_start.objective <= report.objective, (
        f"LNS from a start of {report.objective} returned {from_start.objective}"
    )


FIXED_SCHEDULES = 20
"""Feasible schedules per instance whose model costs are compared with the checker's."""


def _model_costs(problem: CaseProblem, schedule: CaseSchedule) -> dict[str, int] | None:
    """Each rule's cost expression in the CP-SAT model with every decision of
    ``schedule`` fixed (None if the model refuses the schedule)."""
    model = cp_model.CpModel()
    cv = build_variables(model, problem)
    constraints.CaseConstraints(cv).add_constraints()
    costs = objective.build_costs(cv)
    placed = {item.task: item for item in schedule.tasks}
    for tv in cv.tasks:
        item = placed.get(tv.task.id)
        model.add(tv.present == int(item is not None))
        if item is None:
            continue
        model.add(tv.start == item.start)
        for r, lit in tv.rooms.items():
            model.add(lit == int(problem.rooms[r].id == item.room))
        for s, lit in tv.staff.items():
            model.add(lit == int(problem.staff[s].id in item.staff))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = TIME_LIMIT
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {rule: int(solver.value(cost)) for rule, cost in costs.items()}


@PROPERTY_SETTINGS
@given(
    problem=case_problems(
        tasks=(2, 3),
        horizon=(4, 9),
        longest=3,
        most_rooms=1,
        most_resources=1,
        staff=(0, 2),
        least_rooms=1,
    )
)
def test_model_costs_equal_the_checkers(problem: CaseProblem) -> None:
    """On schedules the checker accepts (spread over all of them), the model accepts
    the schedule too and each rule's cost expression equals the checker's cost —
    idle gaps and staff overtime included (the makespan variable is only a bound)."""
    assume(_candidate_count(problem) <= BRUTE_FORCE_MAX)
    feasible = [(s, check(problem, s)) for s in _all_schedules(problem)]
    feasible = [(s, report) for s, report in feasible if report.feasible]
    step = max(1, len(feasible) // FIXED_SCHEDULES)
    for schedule, report in feasible[::step]:
        found = _model_costs(problem, schedule)
        assert found is not None, f"the model refuses a schedule the checker accepts: {schedule}"
        expected = report.cost_by_rule()
        for rule, cost in found.items():
            if rule != "makespan":
                assert cost == expected.get(rule, 0), (
                    f"{rule}: model {cost} != checker {expected.get(rule, 0)} for {schedule}"
                )
