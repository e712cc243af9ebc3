"""MILP rostering backend (PuLP; CBC by default, HiGHS when available or asked for).

An independent formulation of the rules in ``optimizer/model/roster.py``:
binary ``x[staff, day, shift]``, linear cover with under/over slacks, window
constraints for the consecutive-day rules and weekend indicators. It serves as
the cross-check of the CP-SAT backend and as the baseline a PuLP user would write.
"""

from __future__ import annotations

import time
from dataclasses import replace

# OR-Tools before PuLP (see optimizer/solvers/milp/runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import InputError
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers.messages import INFEASIBLE, nothing_found
from optimizer.solvers.milp import runner
from optimizer.solvers.milp.roster import start
from optimizer.solvers.milp.roster.constraints import RosterConstraints
from optimizer.solvers.milp.roster.objective import evaluate, objective, rule_costs, staged_value
from optimizer.solvers.milp.roster.variables import RosterVariables, make_variables
from optimizer.solvers.options import SolveOptions


def _check_stage_rules(options: SolveOptions) -> None:
    rules = list(options.stage_weights or {})
    for weights, _cap in options.stage_caps:
        rules.extend(weights)
    for rule in rules:
        if rule not in ROSTER_PENALTY_RULES:
            raise InputError(
                f"unknown penalty rule '{rule}' in a lexicographic stage; "
                f"known: {', '.join(ROSTER_PENALTY_RULES)}",
                field="stage_weights",
            )


def build(problem: RosterProblem, options: SolveOptions) -> tuple[pulp.LpProblem, RosterVariables]:
    """The PuLP model of ``problem`` under ``options`` (stage weights and caps)."""
    _check_stage_rules(options)
    lp = pulp.LpProblem("roster", pulp.LpMinimize)
    variables = make_variables(lp, problem)
    costs = rule_costs(variables)
    lp += objective(costs, options.stage_weights)
    RosterConstraints(lp, variables, costs, options.stage_caps).add_constraints()
    return lp, variables


def _apply_hint(variables: RosterVariables, options: SolveOptions) -> bool:
    hint = options.hint
    if not isinstance(hint, RosterSolution):
        return False
    problem = variables.problem
    worked = hint.by_staff_day()
    for (p, d, t), var in variables.x.items():
        shift = worked.get((problem.staff[p].id, d))
        var.setInitialValue(1 if shift == problem.shifts[t].id else 0)
    return True


def _read_grid(variables: RosterVariables) -> dict[tuple[int, int], int]:
    return {(p, d): t for (p, d, t), var in variables.x.items() if (var.value() or 0.0) > 0.5}


def _phase_one(problem: RosterProblem, options: SolveOptions) -> tuple[SolveOptions, str]:
    """Options for the main solve after a phase-one start (see ``start.py``)."""
    began = time.perf_counter()
    first = solve(start.relaxed_problem(problem), start.phase_one_options(options))
    infeasible, roster = start.first_roster(first.status, first.roster)
    if infeasible:
        return options, "infeasible"
    time_limit = options.time_limit
    if time_limit is not None:
        time_limit = max(0.5, time_limit - (time.perf_counter() - began))
    return replace(options, hint=roster, time_limit=time_limit), "phase one"


def solve(problem: RosterProblem, options: SolveOptions) -> Result:
    """Build and solve the MILP; the Result's terms are recomputed from the roster."""
    began = time.perf_counter()
    note = ""
    if start.applies(problem, options, runner.choose_solver(options)):
        options, note = _phase_one(problem, options)
        if note == "infeasible":
            return Result(
                status=SolveStatus.INFEASIBLE,
                seconds=round(time.perf_counter() - began, 3),
                backend="milp",
                message=f"{INFEASIBLE}; solver=cbc",
            )
    lp, variables = build(problem, options)
    warm = _apply_hint(variables, options)
    elapsed = time.perf_counter() - began
    run = runner.run(lp, options, warm_start=warm, seconds_offset=elapsed)
    result = Result(
        status=run.status,
        seconds=round(time.perf_counter() - began, 3),
        backend="milp",
        progress=run.progress,
        message=run.message,
    )
    if not run.status.has_solution:
        reason = (
            INFEASIBLE
            if run.status is SolveStatus.INFEASIBLE
            else nothing_found(
                "roster",
                f"{len(problem.staff)} staff x {problem.num_days} days",
                options.time_limit,
                time.perf_counter() - began,
            )
        )
        result.message = f"{reason}; {run.message}"
        result.bound = run.bound
        return result
    grid = _read_grid(variables)
    terms = evaluate(problem, grid)
    value = staged_value(terms, options.stage_weights)
    result.objective = value
    result.bound = None if run.bound is None else min(run.bound, value)
    result.terms = terms
    result.roster = RosterSolution(
        assignments=tuple(
            Assignment(staff=problem.staff[p].id, day=d, shift=problem.shifts[t].id)
            for (p, d), t in sorted(grid.items())
        )
    )
    return result
