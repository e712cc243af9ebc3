"""MILP rostering backend (PuLP; CBC by default, HiGHS when available or asked for).

An independent formulation of the rules in ``optimizer/model/roster/``:
binary ``x[staff, day, shift]``, linear cover with under/over slacks, window
constraints for the consecutive-day rules and weekend indicators. It serves as
the cross-check of the CP-SAT backend and as the baseline a PuLP user would write.

``options.time_limit`` bounds the whole solve: model building, phase one and the
solver share one deadline (``clock.py``). When the solver gives no roster of its own,
a hint or phase-one roster that the checker accepts is returned (``fallback.py``); so is
one strictly cheaper than the solver's own (HiGHS ignores a MIP start).
"""

from __future__ import annotations

import time
from dataclasses import replace

# OR-Tools before PuLP (see optimizer/solvers/milp/runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import InputError
from optimizer.model.result import (
    Assignment,
    ProgressPoint,
    Result,
    RosterSolution,
    SolveStatus,
)
from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers import interrupts
from optimizer.solvers.messages import INFEASIBLE, nothing_found
from optimizer.solvers.milp import clock, runner, solver_choice
from optimizer.solvers.milp.roster import fallback, start
from optimizer.solvers.milp.roster.constraints import RosterConstraints
from optimizer.solvers.milp.roster.objective import (
    Grid,
    evaluate,
    objective,
    rule_costs,
    staged_value,
)
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


def build(
    problem: RosterProblem, options: SolveOptions, deadline: float | None = None
) -> tuple[pulp.LpProblem, RosterVariables]:
    """The PuLP model of ``problem`` under ``options`` (stage weights and caps);
    raises ``clock.OutOfTime`` once ``deadline`` passes."""
    _check_stage_rules(options)
    lp = pulp.LpProblem("roster", pulp.LpMinimize)
    variables = make_variables(lp, problem)
    clock.check(deadline)
    costs = rule_costs(variables)
    lp += objective(costs, options.stage_weights)
    RosterConstraints(lp, variables, costs, options.stage_caps, deadline).add_constraints()
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
    """Options for the main solve after a phase-one start (see ``start.py``); the phase
    one solve has its own share of the time limit."""
    first = solve(start.relaxed_problem(problem), start.phase_one_options(options))
    infeasible, roster = start.first_roster(first.status, first.roster)
    if infeasible:
        return options, "infeasible"
    return replace(options, hint=roster), "phase one"


def _main_run(
    problem: RosterProblem, options: SolveOptions, deadline: float | None, began: float
) -> tuple[runner.MilpRun, RosterVariables | None]:
    """Build and solve before ``deadline``; no variables when the build ran out of time
    or an interrupt came first."""
    if interrupts.interrupted():
        return _not_run(options, "interrupted before the solver started"), None
    try:
        lp, variables = build(problem, options, deadline)
    except clock.OutOfTime:
        return _not_run(options, "the time limit ended while the model was being built"), None
    warm = _apply_hint(variables, options)
    run = runner.run(
        lp,
        options,
        deadline=deadline,
        warm_start=warm,
        seconds_offset=time.perf_counter() - began,
    )
    return run, variables


def _not_run(options: SolveOptions, note: str) -> runner.MilpRun:
    """The run of a solver that was not started, and why (``note``)."""
    solver = solver_choice.choose_solver(options)
    return runner.MilpRun(
        status=SolveStatus.UNKNOWN,
        solver=solver,
        seconds=0.0,
        bound=None,
        message=f"solver={solver}",
        note=note,
    )


def solve(problem: RosterProblem, options: SolveOptions) -> Result:
    """Build and solve the MILP; the Result's terms are recomputed from the roster."""
    began = time.perf_counter()
    deadline = clock.deadline_after(options.time_limit, began)
    time_limit = options.time_limit
    source = "hint"
    if start.applies(problem, options, solver_choice.choose_solver(options)):
        options, note = _phase_one(problem, options)
        if note == "infeasible":
            return Result(
                status=SolveStatus.INFEASIBLE,
                seconds=round(time.perf_counter() - began, 3),
                backend="milp",
                message=f"{INFEASIBLE}; solver=cbc",
            )
        source = "phase-one start"
    run, variables = _main_run(problem, options, deadline, began)
    grid = fallback.checked_hint(problem, options)
    if run.status.has_solution:
        assert variables is not None
        found = _read_grid(variables)
        if grid is None or not fallback.cheaper(problem, options, grid, found):
            return _result(problem, options, found, run, run.message, began)
        kept = replace(run, status=SolveStatus.FEASIBLE)
        return _result(problem, options, grid, kept, fallback.kept_message(run, source), began)
    if grid is None:
        return _no_roster(problem, run, time_limit, began)
    return _result(problem, options, grid, run, fallback.message(run, source), began)


def _result(
    problem: RosterProblem,
    options: SolveOptions,
    grid: Grid,
    run: runner.MilpRun,
    message: str,
    began: float,
) -> Result:
    """The Result of a roster: terms and objective recomputed from it; OPTIMAL when the
    solver's bound reaches that objective; progress ends on it."""
    terms = evaluate(problem, grid)
    value = staged_value(terms, options.stage_weights)
    bound = None if run.bound is None else min(run.bound, value)
    status = SolveStatus.OPTIMAL if bound == value else run.status
    if not status.has_solution:
        status = SolveStatus.FEASIBLE
    progress = list(run.progress)
    seconds = round(time.perf_counter() - began, 3)
    if not progress or progress[-1].objective != value:
        point = ProgressPoint(seconds=seconds, objective=value, bound=bound)
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)
    return Result(
        status=status,
        objective=value,
        bound=bound,
        seconds=seconds,
        backend="milp",
        roster=RosterSolution(
            assignments=tuple(
                Assignment(staff=problem.staff[p].id, day=d, shift=problem.shifts[t].id)
                for (p, d), t in sorted(grid.items())
            )
        ),
        progress=progress,
        terms=terms,
        message=message,
    )


def _no_roster(
    problem: RosterProblem, run: runner.MilpRun, time_limit: float | None, began: float
) -> Result:
    """INFEASIBLE (proven) or UNKNOWN, with a message quoting the caller's time limit."""
    seconds = time.perf_counter() - began
    size = f"{len(problem.staff)} staff x {problem.num_days} days"
    detail = run.message
    if run.status is SolveStatus.INFEASIBLE:
        reason = INFEASIBLE
    elif run.failed:
        reason = (
            f"{run.note}, before any roster was found ({seconds:.1f} s spent on {size}); "
            f"run it again, or use {_other_solver(run.solver)}the cpsat backend"
        )
    else:
        shown = None if time_limit is None else round(time_limit, 2) or time_limit
        reason = nothing_found("roster", size, shown, seconds)
        if run.note:
            detail = f"{detail}: {run.note}"
    return Result(
        status=run.status,
        seconds=round(seconds, 3),
        backend="milp",
        bound=run.bound,
        progress=run.progress,
        message=f"{reason}; {detail}",
    )


def _other_solver(solver: str) -> str:
    """``"solver=NAME or "`` for the other MILP solver when it is installed; else ""."""
    if solver == "cbc" and not solver_choice.highs_available():
        return ""
    return f"solver={'highs' if solver == 'cbc' else 'cbc'} or "
