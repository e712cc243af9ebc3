"""Large neighbourhood search for big case models (optimizer/solvers/cpsat/cases/lns.py)."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.demo.surgery import generate_surgical_week, surgical_days
from optimizer.model.result import SolveStatus
from optimizer.solvers.cpsat.cases import lns
from optimizer.solvers.cpsat.cases.constraints import CaseConstraints
from optimizer.solvers.cpsat.cases.extract import checked, scored_solution
from optimizer.solvers.cpsat.cases.objective import add_objective, build_costs
from optimizer.solvers.cpsat.cases.variables import Frozen, build_variables, time_bounds
from optimizer.solvers.options import SolveOptions
from tests.verify import solve_verified


def test_a_fully_frozen_model_returns_the_frozen_schedule() -> None:
    problem = surgical_days(0, 2, max_cases=20)
    start = checked(problem, greedy_schedule(problem), SolveOptions())
    assert start is not None
    placed = start.schedule.by_task()
    frozen = Frozen(
        placed={i: placed[t.id] for i, t in enumerate(problem.tasks) if t.id in placed},
        absent=frozenset(i for i, t in enumerate(problem.tasks) if t.id not in placed),
    )
    model = cp_model.CpModel()
    cv = build_variables(model, problem, time_bounds(problem), frozen)
    CaseConstraints(cv).add_constraints()
    costs = build_costs(cv)
    add_objective(cv, costs, None, ())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    found = scored_solution(cv, solver, costs, None)
    assert found.objective == start.objective == check(problem, found.schedule).objective
    assert {(t.task, t.start, t.room) for t in found.schedule.tasks} == {
        (t.task, t.start, t.room) for t in start.schedule.tasks
    }
    assert set(found.schedule.unscheduled) == set(start.schedule.unscheduled)


def test_neighbourhood_windows_keep_placed_cases_where_they_can_stay() -> None:
    week = generate_surgical_week()
    start = checked(week, greedy_schedule(week), SolveOptions())
    assert start is not None and start.schedule.unscheduled
    placed = start.schedule.by_task()
    rng = random.Random(3)
    for _ in range(20):
        free = lns.neighbourhood(week, start, rng, 0.3)
        assert free
        for i, (lo, hi) in free.items():
            task = week.tasks[i]
            item = placed.get(task.id)
            if item is not None:
                assert lo <= item.start and item.end <= hi
            else:
                assert min(hi, week.latest_end(task)) - max(lo, task.release) >= task.duration


def test_lns_improves_the_greedy_week_reproducibly() -> None:
    week = generate_surgical_week()
    greedy = check(week, greedy_schedule(week))
    first, _ = solve_verified(week, time_limit=6, case_lns=True)
    again, _ = solve_verified(week, time_limit=6, case_lns=True)
    assert "neighbourhood" in first.message
    assert first.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert first.objective is not None and first.objective < greedy.objective
    assert first.bound == 0 and first.progress[0].objective == greedy.objective
    assert first.schedule == again.schedule  # seed 0, one worker: reproducible
