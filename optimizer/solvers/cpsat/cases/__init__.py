"""CP-SAT backend for case scheduling: ``solve(problem, options) -> Result``.

Modules: ``variables`` (intervals per task, task × room, task × person),
``constraints`` (hard rules, one method each), ``objective`` (soft rules, stages),
``hint`` (warm start, a list-scheduling heuristic for pure RCPSP), ``incumbent``
(the warm starts compete; the best checked one comes back if CP-SAT finds nothing better).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ProgressPoint, Result, SolveStatus
from optimizer.solvers.cpsat.cases import lns
from optimizer.solvers.cpsat.cases.constraints import CaseConstraints
from optimizer.solvers.cpsat.cases.extract import Scored, checked, scored_solution
from optimizer.solvers.cpsat.cases.hint import add_hint, heuristic_schedule
from optimizer.solvers.cpsat.cases.incumbent import (
    GREEDY_MAX,
    ProgressStream,
    best_checked,
    warm_starts,
)
from optimizer.solvers.cpsat.cases.objective import add_objective, build_costs
from optimizer.solvers.cpsat.cases.variables import build_variables, cut_by_cost, time_bounds
from optimizer.solvers.cpsat.runner import (
    SECONDS_PER_VARIABLE,
    Clock,
    RunOutcome,
    reproducible,
    run,
)
from optimizer.solvers.messages import INFEASIBLE, nothing_found
from optimizer.solvers.options import SolveOptions

_DETERMINISTIC_TRIES = 50
"""Heuristic samples when a seeded one-worker run must be reproducible."""
CASE_WORK_INTERVALS = 50.0
"""Reproducible runs: CP-SAT deterministic time per second ~ this / the model's interval
variables (its variables when it has no interval)…"""
CASE_WORK_MAX = 0.35
"""…but at most this (small project models)."""
GREEDY_SHARE = 0.5
"""Share of the time limit the greedy start of a large problem may use; the LNS gets the
rest (a seeded one-worker run gives the greedy no deadline: it must not depend on speed)."""
CASE_SWITCHES: dict[str, Any] = {"case_lns": "auto"}
"""Our case model switches, passed like CP-SAT parameters, with their defaults."""
LNS_MIN_TASKS = 250
"""With ``case_lns="auto"``, room/staff problems above this many tasks use ``lns``."""


def solve(problem: CaseProblem, options: SolveOptions) -> Result:
    """Build and solve the CP-SAT case model under ``options``."""
    began = time.perf_counter()
    limit = options.time_limit
    use_lns, options = _lns_switch(problem, options)
    earliest, latest, impossible = time_bounds(problem)
    if impossible:
        return Result(
            status=SolveStatus.INFEASIBLE,
            backend="cpsat",
            seconds=time.perf_counter() - began,
            message="; ".join(impossible[:3]),
        )
    if use_lns:
        result = _solve_by_lns(problem, options, (earliest, latest, impossible), began)
        if result is not None:
            return result
    heuristic = _heuristic(problem, options, earliest, latest)
    greedy = bool(problem.rooms or problem.staff) and len(problem.tasks) <= GREEDY_MAX
    # No deadline for the greedy start: 0.16 s on the 120-case demo week.
    candidates = warm_starts(problem, options, heuristic, greedy, None)
    incumbent = best_checked(problem, options, candidates)
    # CP-SAT gets the best legal start, else the first candidate (the caller's hint).
    hint = incumbent.schedule if incumbent is not None else next(iter(candidates), None)
    stream = ProgressStream(options.on_solution, began)
    if incumbent is not None:
        stream.on_point(ProgressPoint(seconds=0.0, objective=incumbent.objective))
    options = replace(options, on_solution=stream.on_point)
    if incumbent is not None and _non_negative(options):
        # Any optimum costs no more than this checked schedule: shrink every window to
        # where a task can be in a schedule as good (see ``cut_by_cost``).
        latest = cut_by_cost(problem, latest, incumbent.objective, options.stage_weights)
    model = cp_model.CpModel()
    cv = build_variables(model, problem, (earliest, latest, impossible))
    no_lp = _no_lp_portfolio(problem, options)
    if no_lp:
        options = replace(options, params={**NO_LP_PORTFOLIO, **options.params})
    # The redundant cliques help the LP worker; without LP they slow the proofs.
    CaseConstraints(cv).add_constraints(disjunctive_cliques=not no_lp)
    costs = build_costs(cv)
    add_objective(cv, costs, options.stage_weights, options.stage_caps)
    if hint is not None:
        add_hint(cv, hint)
    asked = "cp_model_probing_level" in options.params
    probing_off = bool(problem.rooms or problem.staff) and not asked
    if probing_off:
        # Probing in presolve can take tens of seconds of wall time on room/staff
        # models (measured on the demo week) for little gain: off unless asked for.
        options = replace(options, params={**options.params, "cp_model_probing_level": 0})
    clock = _work_clock(model, options)  # its wall-clock cap stays 3 x the whole limit
    if limit is not None:
        # The limit holds from the call: CP-SAT gets what building the model left of it.
        used = _building_seconds(model, options, began)
        if used >= limit and incumbent is not None:
            seconds = time.perf_counter() - began
            return _warm_start_result(incumbent, seconds, stream.progress, _NO_TIME_LEFT)
        options = replace(options, time_limit=max(min(_LEAST_SECONDS, limit), limit - used))
    outcome = run(model, options, clock=clock)
    if probing_off and outcome.status is SolveStatus.INFEASIBLE:
        # CP-SAT 9.15 with probing off has wrongly reported feasible models (LNS
        # sub-models of the 500-case instance) infeasible: confirm with probing on.
        params = {k: v for k, v in options.params.items() if k != "cp_model_probing_level"}
        confirm = replace(options, params=params)
        if options.time_limit is not None:
            used = outcome.seconds if clock is None else clock.now() - clock.start
            confirm = replace(confirm, time_limit=max(0.1, options.time_limit - used))
        outcome = run(model, confirm, clock=clock)
    seconds = time.perf_counter() - began
    if not outcome.status.has_solution:
        if incumbent is not None:
            # Also when "infeasible": the checker has just accepted this schedule.
            return _warm_start_result(incumbent, seconds, stream.progress, _NOT_IN_TIME)
        message = (
            INFEASIBLE
            if outcome.status is SolveStatus.INFEASIBLE
            else nothing_found(
                "schedule",
                f"{len(problem.tasks)} tasks, {len(problem.staff)} staff, "
                f"{len(problem.rooms)} rooms",
                limit,
                seconds,
                work_clock=clock is not None,
            )
        )
        return Result(
            status=outcome.status,
            seconds=seconds,
            backend="cpsat",
            progress=stream.progress,
            message=message,
        )
    found = scored_solution(cv, outcome.solver, costs, options.stage_weights)
    return _best_result(found, outcome, incumbent, stream, seconds)


def _best_result(
    found: Scored,
    outcome: RunOutcome,
    incumbent: Scored | None,
    stream: ProgressStream,
    seconds: float,
) -> Result:
    """CP-SAT's schedule ``found``, or the checked ``incumbent`` if it costs less (CP-SAT,
    e.g. with several workers on a busy machine, need not get back to its hint)."""
    bound = found.objective if outcome.status is SolveStatus.OPTIMAL else outcome.bound
    if incumbent is not None and incumbent.objective < found.objective:
        stream.close(incumbent.objective, bound)
        message = _KEPT.format(found=found.objective, kept=incumbent.objective)
        return _warm_start_result(incumbent, seconds, stream.progress, message, bound)
    if bound is not None:
        bound = min(bound, found.objective)
    stream.close(found.objective, bound)
    return Result(
        status=outcome.status,
        objective=found.objective,
        bound=bound,
        seconds=seconds,
        backend="cpsat",
        schedule=found.schedule,
        progress=stream.progress,
        terms=found.terms,
    )


_LEAST_SECONDS = 0.1
"""CP-SAT's time when building the model took (nearly) all of the limit."""
_NOT_IN_TIME = "CP-SAT found no schedule in time; returning the warm start"
_NO_TIME_LEFT = "building the model took the whole time limit; returning the warm start"
_KEPT = (
    "CP-SAT's best schedule in time costs {found}, more than the checked warm start's "
    "{kept}; returning the warm start"
)


def _heuristic(
    problem: CaseProblem, options: SolveOptions, earliest: list[int], latest: list[int]
) -> CaseSchedule | None:
    """The list-scheduling heuristic's schedule (pure RCPSP only), within a small budget."""
    budget = min(2.0, 0.02 * len(problem.tasks))
    if options.time_limit is not None:
        budget = min(budget, 0.05 * options.time_limit)
    tries = None
    if reproducible(options):
        budget, tries = float("inf"), _DETERMINISTIC_TRIES  # same hint on any machine
    return heuristic_schedule(problem, earliest, latest, budget, options.seed or 0, tries)


def _greedy_deadline(options: SolveOptions, began: float) -> float | None:
    """When the greedy start must stop: ``GREEDY_SHARE`` of the time limit, or never in a
    seeded one-worker run (its result must not depend on the machine's speed)."""
    if options.time_limit is None or reproducible(options):
        return None
    return began + GREEDY_SHARE * options.time_limit


def _building_seconds(model: cp_model.CpModel, options: SolveOptions, began: float) -> float:
    """Time spent before CP-SAT starts: the wall clock since ``began``, or in a
    reproducible run an estimate from the model's size (the same on any machine)."""
    if reproducible(options):
        return SECONDS_PER_VARIABLE * len(model.proto.variables)
    return time.perf_counter() - began


def _work_clock(model: cp_model.CpModel, options: SolveOptions) -> Clock | None:
    """A work clock for a reproducible run (seed, one worker), else None (wall clock).

    CP-SAT's deterministic time per second falls with the number of interval variables
    of these models (optional room and staff intervals): measured 2026-11-24 at 0.008–0.011
    per CPU second on the demo week (4,473 intervals), 0.04–0.08 on a 186-case model with
    1,067, 0.04–0.05 on a demo day with 1,226, 0.2–0.6 on PSPLIB projects (see
    docs/benchmarks.md); the variable count does not tell the first two apart.
    """
    if not reproducible(options):
        return None
    proto = model.proto
    intervals = sum(1 for c in proto.constraints if c.has_interval())
    size = max(1, intervals or len(proto.variables))
    rate = min(CASE_WORK_MAX, CASE_WORK_INTERVALS / size)
    return Clock(True, options.time_limit, work_per_second=rate)


def _lns_switch(problem: CaseProblem, options: SolveOptions) -> tuple[bool, SolveOptions]:
    """Read (and remove) our ``case_lns`` switch: True, False or "auto" (the default)."""
    params = dict(options.params)
    switch = params.pop("case_lns", CASE_SWITCHES["case_lns"])
    if switch == "auto":
        switch = bool(problem.rooms or problem.staff) and len(problem.tasks) > LNS_MIN_TASKS
    return bool(switch), replace(options, params=params)


def _solve_by_lns(
    problem: CaseProblem,
    options: SolveOptions,
    bounds: tuple[list[int], list[int], list[str]],
    began: float,
) -> Result | None:
    """The best legal one of the hint, the baseline and a greedy schedule, then
    ``lns.improve``; None if no start is legal."""
    candidates = warm_starts(problem, options, None, True, _greedy_deadline(options, began))
    start = best_checked(problem, options, candidates)
    if start is None:
        return None
    progress: list[ProgressPoint] = []

    def report(scored: Scored) -> None:
        point = lns.progress_point(began, scored)
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)

    report(start)
    limit = options.time_limit if options.time_limit is not None else 60.0
    best = lns.improve(problem, bounds, start, options, began + limit, report)
    # The solver-free checker has the last word (the start was checked already).
    best = checked(problem, best.schedule, options) or start
    floor = 0 if _non_negative(options) else None
    return Result(
        status=SolveStatus.OPTIMAL if best.objective == floor else SolveStatus.FEASIBLE,
        objective=best.objective,
        bound=floor,
        seconds=time.perf_counter() - began,
        backend="cpsat",
        schedule=best.schedule,
        progress=progress,
        terms=best.terms,
        message="large neighbourhood search from a greedy schedule (bound: costs are ≥ 0)",
    )


def _non_negative(options: SolveOptions) -> bool:
    """Whether the objective is a non-negative sum (every penalty cost is ≥ 0)."""
    return options.stage_weights is None or all(w >= 0 for w in options.stage_weights.values())


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


NO_LP_PORTFOLIO: dict[str, Any] = {
    "linearization_level": 0,
    "subsolvers": ["no_lp", "quick_restart_no_lp"],
}
"""CP-SAT parameters for makespan-only projects (tasks, precedences, resources).

The LP relaxation of a cumulative schedule is weak and slows the proof: on PSPLIB j30
the full worker without LP (``no_lp``, the first name; later names only run with more
full workers) proves the hard instances about twice as fast as ``default_lp``."""


def _no_lp_portfolio(problem: CaseProblem, options: SolveOptions) -> bool:
    """Whether :data:`NO_LP_PORTFOLIO` applies: pure project scheduling with the
    makespan as the objective, and the caller chose neither the LP level nor the
    subsolvers."""
    if problem.rooms or problem.staff or not _pure_makespan(problem, options):
        return False
    return not any(name in options.params for name in NO_LP_PORTFOLIO)


def _warm_start_result(
    start: Scored,
    seconds: float,
    progress: list[ProgressPoint],
    message: str,
    bound: int | None = None,
) -> Result:
    """The checked warm start as a result when CP-SAT found nothing in time or nothing
    cheaper (it breaks no hard rule and no stage cap; its costs are the checker's):
    FEASIBLE, unless CP-SAT's proven ``bound`` reaches its cost."""
    if bound is not None:
        bound = min(bound, start.objective)
    optimal = bound == start.objective
    return Result(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        objective=start.objective,
        bound=bound,
        seconds=seconds,
        backend="cpsat",
        schedule=start.schedule,
        progress=progress,
        terms=start.terms,
        message=message,
    )
