"""Read a schedule and its per-rule costs back from a solved case model, or from the checker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.cases import CASE_PENALTY_RULES, CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.solvers.cpsat.cases.objective import Expr
from optimizer.solvers.cpsat.cases.variables import CaseVariables
from optimizer.solvers.options import SolveOptions


@dataclass(frozen=True)
class Scored:
    """A schedule with its cost per penalty rule and its (stage) objective."""

    schedule: CaseSchedule
    terms: dict[str, int]
    objective: int


def schedule_of(cv: CaseVariables, solver: cp_model.CpSolver) -> CaseSchedule:
    """The schedule in the solver's current solution."""
    problem = cv.problem
    placed, unscheduled = [], []
    for tv in cv.tasks:
        if not solver.boolean_value(tv.present):
            unscheduled.append(tv.task.id)
            continue
        start = int(solver.value(tv.start))
        room = next(
            (problem.rooms[r].id for r, lit in tv.rooms.items() if solver.boolean_value(lit)),
            None,
        )
        staff = tuple(
            problem.staff[s].id for s, lit in sorted(tv.staff.items()) if solver.boolean_value(lit)
        )
        placed.append(
            ScheduledTask(
                task=tv.task.id,
                start=start,
                end=start + tv.task.duration,
                room=room,
                staff=staff,
                resources=tuple(tv.task.resources),
            )
        )
    placed.sort(key=lambda item: (item.start, item.task))
    return CaseSchedule(tasks=tuple(placed), unscheduled=tuple(unscheduled))


def scored_solution(
    cv: CaseVariables,
    solver: cp_model.CpSolver,
    costs: Mapping[str, Expr],
    stage_weights: Mapping[str, int] | None,
) -> Scored:
    """The solver's schedule, its per-rule costs and objective (makespan from the ends)."""
    schedule = schedule_of(cv, solver)
    terms = {rule: int(solver.value(cost)) for rule, cost in costs.items()}
    last_end = max((item.end for item in schedule.tasks), default=0)
    terms["makespan"] = cv.problem.weights.makespan * last_end  # the variable may overshoot
    return Scored(schedule, terms, stage_objective(terms, stage_weights))


def stage_objective(terms: Mapping[str, int], stage_weights: Mapping[str, int] | None) -> int:
    """Sum of the costs, or of the stage's weighted costs."""
    if stage_weights is None:
        return sum(terms.values())
    return sum(cost * stage_weights.get(rule, 0) for rule, cost in terms.items())


def checked(problem: CaseProblem, schedule: CaseSchedule, options: SolveOptions) -> Scored | None:
    """``schedule`` scored by the solver-free checker; None if it breaks a hard rule or cap.

    Tasks the schedule does not place are listed as unscheduled.
    """
    from optimizer.check.cases import check_cases

    placed = {item.task for item in schedule.tasks}
    schedule = CaseSchedule(
        tasks=schedule.tasks,
        unscheduled=tuple(t.id for t in problem.tasks if t.id not in placed),
    )
    report = check_cases(problem, schedule)
    if not report.feasible:
        return None
    by_rule = report.cost_by_rule()
    terms = {rule: by_rule.get(rule, 0) for rule in CASE_PENALTY_RULES}
    for weights, cap in options.stage_caps:
        if stage_objective(terms, weights) > cap:
            return None
    return Scored(schedule, terms, stage_objective(terms, options.stage_weights))
