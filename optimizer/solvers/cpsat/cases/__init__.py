"""CP-SAT backend for case scheduling: ``solve(problem, options) -> Result``.

Modules: ``variables`` (intervals per task, task × room, task × person),
``constraints`` (hard rules, one method each), ``objective`` (soft rules, stages),
``hint`` (warm start, a list-scheduling heuristic for pure RCPSP).
"""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from optimizer.model.cases import CASE_PENALTY_RULES, CaseProblem
from optimizer.model.result import (
    CaseSchedule,
    ProgressPoint,
    Result,
    ScheduledTask,
    SolveStatus,
)
from optimizer.solvers.cpsat.cases.constraints import CaseConstraints
from optimizer.solvers.cpsat.cases.hint import add_hint, heuristic_schedule
from optimizer.solvers.cpsat.cases.objective import add_objective, build_costs
from optimizer.solvers.cpsat.cases.variables import CaseVariables, build_variables, time_bounds
from optimizer.solvers.cpsat.runner import run
from optimizer.solvers.options import SolveOptions

_GREEDY_MAX = 600
"""Largest room/staff problem that gets the greedy list-insertion warm start."""
_DETERMINISTIC_TRIES = 50
"""Heuristic samples when a seeded one-worker run must be reproducible."""


def solve(problem: CaseProblem, options: SolveOptions) -> Result:
    """Build and solve the CP-SAT case model under ``options``."""
    began = time.perf_counter()
    model = cp_model.CpModel()
    earliest, latest, impossible = time_bounds(problem)
    budget = min(2.0, 0.02 * len(problem.tasks))
    if options.time_limit is not None:
        budget = min(budget, 0.05 * options.time_limit)
    tries = None
    if options.seed is not None and options.num_workers == 1:
        budget, tries = float("inf"), _DETERMINISTIC_TRIES  # same hint on any machine
    heuristic = (
        None
        if impossible
        else heuristic_schedule(problem, earliest, latest, budget, options.seed or 0, tries)
    )
    if heuristic is not None and _pure_makespan(problem, options):
        # Any optimum ends no later than the heuristic schedule: shrink every window.
        last_end = max(item.end for item in heuristic.tasks)
        latest = [min(end, last_end) for end in latest]
    cv = build_variables(model, problem, (earliest, latest, impossible))
    if cv.infeasible:
        return Result(
            status=SolveStatus.INFEASIBLE,
            backend="cpsat",
            seconds=time.perf_counter() - began,
            message="; ".join(cv.infeasible[:3]),
        )
    CaseConstraints(cv).add_constraints()
    costs = build_costs(cv)
    add_objective(cv, costs, options.stage_weights, options.stage_caps)
    hint = options.hint if isinstance(options.hint, CaseSchedule) else None
    if hint is None and problem.baseline is not None:
        hint = problem.baseline.schedule
    if hint is None:
        hint = heuristic
    if hint is None and (problem.rooms or problem.staff) and len(problem.tasks) <= _GREEDY_MAX:
        from optimizer.construct.greedy_cases import greedy_schedule

        hint = greedy_schedule(problem)  # list insertion: a near-complete warm start
    if hint is not None:
        add_hint(cv, hint)
    if (problem.rooms or problem.staff) and "cp_model_probing_level" not in options.params:
        # Probing in presolve can take tens of seconds of wall time on room/staff
        # models (measured on the demo week) for little gain: off unless asked for.
        options = replace(options, params={**options.params, "cp_model_probing_level": 0})
    if options.time_limit is not None:
        left = max(0.1, options.time_limit - (time.perf_counter() - began))
        options = replace(options, time_limit=left)
    outcome = run(model, options)
    seconds = time.perf_counter() - began
    if not outcome.status.has_solution:
        if outcome.status is SolveStatus.UNKNOWN and hint is not None:
            fallback = _warm_start_result(problem, hint, options, seconds, outcome.progress)
            if fallback is not None:
                return fallback
        message = (
            "the hard rules cannot all hold (infeasible)"
            if outcome.status is SolveStatus.INFEASIBLE
            else "no schedule found within the time limit"
        )
        return Result(
            status=outcome.status,
            seconds=seconds,
            backend="cpsat",
            progress=outcome.progress,
            message=message,
        )
    solver = outcome.solver
    schedule = _schedule(cv, solver)
    terms = {rule: int(solver.value(cost)) for rule, cost in costs.items()}
    last_end = max((item.end for item in schedule.tasks), default=0)
    terms["makespan"] = problem.weights.makespan * last_end  # the variable may overshoot
    stage = options.stage_weights
    objective = sum(
        cost * (1 if stage is None else stage.get(rule, 0)) for rule, cost in terms.items()
    )
    bound = objective if outcome.status is SolveStatus.OPTIMAL else outcome.bound
    if bound is not None:
        bound = min(bound, objective)
    return Result(
        status=outcome.status,
        objective=objective,
        bound=bound,
        seconds=seconds,
        backend="cpsat",
        schedule=schedule,
        progress=outcome.progress,
        terms=terms,
    )


def _schedule(cv: CaseVariables, solver: cp_model.CpSolver) -> CaseSchedule:
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


def _pure_makespan(problem: CaseProblem, options: SolveOptions) -> bool:
    """Whether the objective is the makespan alone (all tasks mandatory)."""
    if options.stage_caps or problem.baseline is not None or not problem.weights.makespan:
        return False
    if options.stage_weights is not None and any(
        w for rule, w in options.stage_weights.items() if rule != "makespan"
    ):
        return False
    weights = problem.weights
    if weights.tardiness and any(t.due is not None and t.priority for t in problem.tasks):
        return False
    if weights.overtime and any(o.overtime for r in problem.rooms for o in r.openings):
        return False
    return all(problem.must_schedule(t) for t in problem.tasks)


def _warm_start_result(
    problem: CaseProblem,
    hint: CaseSchedule,
    options: SolveOptions,
    seconds: float,
    progress: list[ProgressPoint],
) -> Result | None:
    """The warm start as a FEASIBLE result when CP-SAT found nothing in time.

    Only if it breaks no hard rule (re-verified by the solver-free checker) and no
    stage cap; its costs are the checker's.
    """
    from optimizer.check.cases import check_cases

    placed = {item.task for item in hint.tasks}
    hint = CaseSchedule(
        tasks=hint.tasks, unscheduled=tuple(t.id for t in problem.tasks if t.id not in placed)
    )
    report = check_cases(problem, hint)
    if not report.feasible:
        return None
    by_rule = report.cost_by_rule()
    terms = {rule: by_rule.get(rule, 0) for rule in CASE_PENALTY_RULES}
    for weights, cap in options.stage_caps:
        if sum(weights.get(rule, 0) * cost for rule, cost in terms.items()) > cap:
            return None
    stage = options.stage_weights
    objective = sum(
        cost * (1 if stage is None else stage.get(rule, 0)) for rule, cost in terms.items()
    )
    return Result(
        status=SolveStatus.FEASIBLE,
        objective=objective,
        bound=None,
        seconds=seconds,
        backend="cpsat",
        schedule=hint,
        progress=progress,
        terms=terms,
        message="CP-SAT found no schedule in time; returning the warm start",
    )
