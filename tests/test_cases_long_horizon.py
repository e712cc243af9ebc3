"""Long horizons with many duty windows and openings: the CP-SAT case model only gets
terms for openings and windows a case can reach, and keeps the time limit.

A case can run only inside [earliest start, latest end], and a schedule at least as
good as the warm start only where the case costs no more than that schedule
(``variables.cut_by_cost``): the model grows with those windows, not with the horizon.
Every solve is re-checked by the independent checker; the cut never changes an optimum.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from ortools.sat.python import cp_model

import optimizer.solvers.cpsat.cases as backend
from optimizer import solve
from optimizer.model import (
    CaseProblem,
    CaseWeights,
    Opening,
    Room,
    SolveStatus,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.solvers.cpsat.cases import constraints, objective
from optimizer.solvers.cpsat.cases.variables import Spans, build_variables, cut_by_cost
from tests.verify import verify_result

DAY = 1440

MAX_YEAR_VARIABLES = 10_000
"""Model variables of the one-year, 16-case problem below: 1,087 measured with the
reachable-window model (2026-11-24), 73,295 with the one before (every case × every
opening and duty window from its release to the horizon's end)."""


def _year(days: int = 365, cases: int = 16, **task: Any) -> CaseProblem:
    """Two theatres open every day, four surgeons on weekdays, cases spread over the
    year (each due three days after its release, unless ``task`` says otherwise)."""
    rooms = tuple(
        Room(
            id=f"OR{r}",
            openings=tuple(
                Opening(start=k * DAY + 480, end=k * DAY + 1020, overtime=60) for k in range(days)
            ),
        )
        for r in range(2)
    )
    staff = tuple(
        StaffMember(
            id=f"S{s}",
            roles=("surg",),
            available=tuple(
                Window(start=k * DAY + 450, end=k * DAY + 1050)
                for k in range(days)
                if (k + s) % 7 < 5
            ),
            overtime=30,
        )
        for s in range(4)
    )
    tasks = []
    for i in range(cases):
        release = (i * 37 % (days - 4)) * DAY
        fields: dict[str, Any] = {"due": release + 3 * DAY, **task}
        if "deadline" in fields:
            fields["deadline"] = release + fields["deadline"]
        tasks.append(
            Task(
                id=f"C{i}",
                duration=60 + 10 * (i % 5),
                release=release,
                priority=1 + i % 3,
                team=(TeamRequirement(role="surg"),),
                **fields,
            )
        )
    return CaseProblem(
        horizon=days * DAY,
        rooms=rooms,
        staff=staff,
        tasks=tuple(tasks),
        weights=CaseWeights(idle=1),
    )


class _Sizes:
    """Records the size of every model handed to CP-SAT (and its time limit)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.variables: list[int] = []
        self.intervals: list[int] = []
        self.limits: list[float | None] = []
        real = backend.run

        def run(model: cp_model.CpModel, options: Any, clock: Any = None) -> Any:
            self.variables.append(len(model.proto.variables))
            self.intervals.append(sum(1 for c in model.proto.constraints if c.has_interval()))
            self.limits.append(options.time_limit)
            return real(model, options, clock=clock)

        monkeypatch.setattr(backend, "run", run)


def test_a_year_of_daily_openings_builds_a_small_model_and_cp_sat_solves_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _year()
    sizes = _Sizes(monkeypatch)
    began = time.perf_counter()
    result = solve(problem, time_limit=2, workers=1)
    wall = time.perf_counter() - began
    verify_result(problem, result)
    assert "warm start" not in (result.message or "")  # CP-SAT's own schedule
    assert result.status is SolveStatus.OPTIMAL and result.objective == 0
    assert len(sizes.variables) == 1 and sizes.variables[0] < MAX_YEAR_VARIABLES
    assert wall < 4  # well within the limit (0.2 s measured), even on a busy machine


def test_without_the_cost_cut_the_same_year_is_many_times_larger() -> None:
    # The model before the cut: a case may run anywhere from its release to the end of
    # the year (no deadline), so it gets terms for every opening and duty window between.
    problem = _year()
    model = cp_model.CpModel()
    cv = build_variables(model, problem)  # latest ends from the time bounds alone
    constraints.CaseConstraints(cv).add_constraints()
    objective.build_costs(cv)
    assert len(model.proto.variables) > MAX_YEAR_VARIABLES


def test_off_duty_times_no_case_can_reach_get_no_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hard deadlines two days after release: each case reaches at most three days, so
    # the four surgeons' ~260 off-duty nights each (one interval per night before)
    # are mostly out of reach.
    problem = _year(cases=12, deadline=2 * DAY)
    sizes = _Sizes(monkeypatch)
    result = solve(problem, time_limit=2, workers=1)
    verify_result(problem, result)
    assert sizes.intervals and sizes.intervals[0] < 400  # 182 measured, 1,124 before


def test_model_building_is_charged_to_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = objective.build_costs

    def slow(cv: Any) -> Any:
        time.sleep(1.5)
        return real(cv)

    monkeypatch.setattr(backend, "build_costs", slow)
    sizes = _Sizes(monkeypatch)
    problem = _year(days=30, cases=4)
    result = solve(problem, time_limit=3.0, workers=1)
    verify_result(problem, result)
    assert sizes.limits and sizes.limits[0] is not None and sizes.limits[0] <= 1.5


def test_when_building_takes_the_whole_limit_the_warm_start_comes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A reproducible run charges an estimate per model variable (the same on any
    # machine); made huge here, it uses up the limit before CP-SAT starts.
    monkeypatch.setattr(backend, "SECONDS_PER_VARIABLE", 1.0)
    sizes = _Sizes(monkeypatch)
    problem = _year(days=30, cases=4)
    result = solve(problem, time_limit=1.0, workers=1, seed=0)
    verify_result(problem, result)
    assert result.status is SolveStatus.FEASIBLE
    assert "building the model took the whole time limit" in (result.message or "")
    assert sizes.variables == []


# -- exactness ----------------------------------------------------------------------


def test_spans_candidates_hold_every_span_that_fits() -> None:
    rng = random.Random(3)
    for _ in range(300):
        spans, cursor = [], 0
        for _ in range(rng.randint(0, 8)):
            start = cursor + rng.randint(0, 5)
            spans.append((start, start + rng.randint(1, 9)))
            cursor = spans[-1][1]
        lo = rng.randint(0, 60)
        hi = lo + rng.randint(0, 40)
        duration = rng.randint(0, 8)
        fits = {k for k, (a, b) in enumerate(spans) if min(b, hi) - max(a, lo) >= duration}
        scanned = Spans.of(spans).candidates(lo, hi, duration)
        assert fits <= set(scanned)
        # and no span that ends too early or starts too late is scanned
        for a, b in (spans[k] for k in scanned):
            assert b >= lo + duration and a <= hi - duration


def test_cut_by_cost_bounds_tardiness_and_makespan() -> None:
    problem = CaseProblem(
        horizon=1000,
        tasks=(
            Task(id="a", duration=10, due=100, priority=2),
            Task(id="b", duration=10),
        ),
        weights=CaseWeights(tardiness=3, makespan=1),
    )
    # a: 100 + 90 // (3 * 2) = 115, and the makespan caps both at 90 // 1 = 90
    assert cut_by_cost(problem, [1000, 1000], 90, None) == [90, 90]
    assert cut_by_cost(problem, [1000, 1000], 90, {"tardiness": 1}) == [115, 1000]
    assert cut_by_cost(problem, [1000, 1000], 90, {"idle": 1}) == [1000, 1000]


def _small(rng: random.Random) -> CaseProblem:
    """A few cases over three short days: openings, duty windows with overtime, due
    dates, priorities, optional cases and a makespan weight."""
    days, day = 3, 100
    rooms = tuple(
        Room(
            id=f"R{r}",
            openings=tuple(
                Opening(start=k * day + 10, end=k * day + 60, overtime=rng.randint(0, 10))
                for k in range(days)
            ),
        )
        for r in range(rng.randint(1, 2))
    )
    staff = tuple(
        StaffMember(
            id=f"P{s}",
            roles=("surg",),
            available=tuple(
                Window(start=k * day + 5, end=k * day + 55)
                for k in range(days)
                if rng.random() < 0.8
            )
            or (Window(start=5, end=55),),
            overtime=rng.randint(0, 15),
        )
        for s in range(rng.randint(1, 2))
    )
    tasks = tuple(
        Task(
            id=f"T{i}",
            duration=rng.randint(5, 40),
            release=rng.randint(0, 150),
            due=rng.choice([None, rng.randint(20, 200)]),
            priority=rng.randint(0, 3),
            optional=rng.random() < 0.3,
            team=(TeamRequirement(role="surg"),) if rng.random() < 0.7 else (),
        )
        for i in range(rng.randint(2, 4))
    )
    weights = CaseWeights(
        tardiness=rng.randint(0, 3),
        makespan=rng.choice([0, 0, 1]),
        idle=rng.randint(0, 1),
        unscheduled=rng.choice([50, 1000]),
    )
    return CaseProblem(horizon=days * day, rooms=rooms, staff=staff, tasks=tasks, weights=weights)


def test_the_cost_cut_never_changes_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    cut = solved = 0
    for _ in range(25):
        try:
            problem = _small(rng)
        except ValueError:  # an instance the model refuses (e.g. a case that never fits)
            continue
        with_cut = solve(problem, time_limit=10, workers=1, seed=0)
        with monkeypatch.context() as patch:
            patch.setattr(backend, "cut_by_cost", lambda problem, latest, ceiling, weights: latest)
            without = solve(problem, time_limit=10, workers=1, seed=0)
        assert with_cut.status is without.status
        if without.status is SolveStatus.INFEASIBLE:
            continue
        assert without.status is SolveStatus.OPTIMAL
        verify_result(problem, with_cut)
        verify_result(problem, without)
        assert with_cut.objective == without.objective
        solved += 1
        latest = [problem.latest_end(t) for t in problem.tasks]
        cut += cut_by_cost(problem, latest, without.objective or 0, None) != latest
    assert solved >= 15
    assert cut >= 5  # with the optimum as the ceiling, the cut binds on a fair share


def test_a_case_the_cut_rules_out_is_left_out_not_infeasible() -> None:
    # T1 can never run (R0 closes at 60, T1 ends at 80 at the earliest): it is left out
    # at 40, and T0 runs 20-50 with P1 at no cost, so the optimum is 40. The warm start
    # costs 40 too, which cuts T1's latest end to due + 40 = 70 < 80; its tardiness term
    # then made the model infeasible (CP-SAT said so; the warm start came back).
    problem = CaseProblem.model_validate(
        {
            "horizon": 100,
            "tasks": [
                {
                    "id": "T0",
                    "duration": 30,
                    "release": 20,
                    "due": 70,
                    "optional": True,
                    "staff": ["P1"],
                },
                {
                    "id": "T1",
                    "duration": 40,
                    "release": 40,
                    "due": 30,
                    "optional": True,
                    "team": [{"role": "x"}],
                },
            ],
            "rooms": [{"id": "R0", "openings": [{"start": 0, "end": 60}]}],
            "staff": [
                {
                    "id": "P0",
                    "roles": ["x"],
                    "overtime": 30,
                    "available": [{"start": 10, "end": 30}, {"start": 60, "end": 80}],
                },
                {
                    "id": "P1",
                    "roles": ["x"],
                    "overtime": 10,
                    "available": [{"start": 20, "end": 50}, {"start": 80, "end": 100}],
                },
            ],
            "weights": {"unscheduled": 40, "staff_overtime": 5},
        }
    )
    result = solve(problem, time_limit=10, workers=1, seed=0)
    verify_result(problem, result)
    assert result.status is SolveStatus.OPTIMAL and result.objective == 40


def test_staff_overtime_terms_are_those_of_a_full_scan() -> None:
    # Bisection finds the same windows as scanning them all: a staff overtime term for
    # exactly the windows whose overtime some case can reach.
    problem = _year(days=60, cases=5, deadline=2 * DAY)
    model = cp_model.CpModel()
    cv = build_variables(model, problem)
    objective.build_costs(cv)
    names = [v.name for v in model.proto.variables if v.name.startswith("staff_ot_")]
    reachable = set()
    for i in range(len(problem.tasks)):
        for person in problem.staff:
            for w, (_, work_end) in zip(
                problem.windows_of(person), problem.work_windows_of(person), strict=True
            ):
                if cv.latest_end[i] > w.end and cv.earliest[i] < work_end and work_end > w.end:
                    s = problem.staff_index[person.id]
                    if s in cv.tasks[i].staff_intervals:
                        reachable.add(f"staff_ot_{s}_{w.start}")
    assert names and set(names) == reachable
