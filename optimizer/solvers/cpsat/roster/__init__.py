"""CP-SAT backend for rostering: ``solve(problem, options) -> Result``.

Modules: ``indexing`` (integer tables), ``variables``, ``constraints`` (hard rules,
one method each), ``sequences`` (redundant flow form of the sequence rules, for the
LP bound), ``objective`` (soft rules, stages), ``feasibility`` (a legal roster first),
``hint`` (warm start; a legal hint is kept against a worse search result),
``staffwise`` (one small model per person: a legal roster and best responses, used on
large models), ``heuristic`` and ``lns`` (optional: greedy hint, roster LNS).
Tuning switches (``roster_*``) pass through ``solve(**params)`` like CP-SAT
parameters; the measurements behind the defaults are in docs/benchmarks.md.
With a seed and one worker every budget (feasibility, staffwise, final solve) is read
on a work clock (``runner.Clock``: CP-SAT deterministic time), so a run is reproducible.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from optimizer.model.result import (
    Assignment,
    ProgressPoint,
    Result,
    RosterSolution,
    SolveStatus,
)
from optimizer.model.roster import RosterProblem
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat.roster.columns import ColumnPhase
from optimizer.solvers.cpsat.roster.constraints import RosterConstraints
from optimizer.solvers.cpsat.roster.feasibility import feasible_roster
from optimizer.solvers.cpsat.roster.heuristic import greedy_roster
from optimizer.solvers.cpsat.roster.hint import add_hint, legal_hint, roster_from_solution
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.lns import solve_with_lns
from optimizer.solvers.cpsat.roster.objective import (
    add_objective,
    add_stage_caps,
    build_costs,
    evaluate,
    weighted,
)
from optimizer.solvers.cpsat.roster.sequences import add_sequence_flow
from optimizer.solvers.cpsat.roster.staffwise import StaffwiseSearch, decomposable
from optimizer.solvers.cpsat.roster.variables import build_variables
from optimizer.solvers.cpsat.runner import SECONDS_PER_VARIABLE, Clock, run
from optimizer.solvers.messages import INFEASIBLE, nothing_found
from optimizer.solvers.options import SolveOptions

LARGE_STAFF_DAYS = 5000
"""Above this many staff-days (Curtois–Qu 20–24) the LP-heavy set-up costs more than
it gives: no sequence flow and CP-SAT's default portfolio (feasibility first)."""

STAFFWISE_STAFF_DAYS = 1000
"""From this many staff-days on (Curtois–Qu 9–24) 90 % of the time limit goes to the
staff-by-staff search (``staffwise``, with group moves); its roster is the fallback and
the hint of the full model, which gives the bound. 60 s, 2 workers (docs/benchmarks.md):
Instance17 48825 (full model) → 7080 (staffwise, half the time) → 6522 (with group
moves) → 6217 (90 %). Below it (the 840 staff-day demo ward: 236 → 944 in 30 s;
Curtois–Qu 1–8) the full model does better."""

COLUMNS_MIN_SECONDS = 600.0
"""The shortest time limit with the column phase by default (see below)."""

COLUMNS_MAX_STAFF_DAYS = 2000
"""From this time limit on (or with none), and up to this many staff-days, the staffwise
search has a column-generation phase (``columns.py``). 2 workers (docs/benchmarks.md):
at 600 s Instance9 444 → 439, Instance12 4140 → 4061, Instance16 3352 → 3225, Instances
10, 11 and 14 proven optimal, bounds such as 9 → 4040 (Instance12); worse rosters on the
3360 staff-day Instances 13 and 19; at 60 s worse rosters on 9 of 11 instances."""

TUNING_DEFAULTS: dict[str, Any] = {
    "roster_sequence_flow": "auto",  # True / False / "auto": only below LARGE_STAFF_DAYS
    "roster_feasibility_first": True,  # a legal roster first, returned if nothing better
    "roster_feasibility_hint": True,  # and hint the search with that roster
    "roster_greedy_hint": False,  # hint from the constructive heuristic (heuristic.py)
    "roster_lns": False,  # our row/column LNS on one worker (see lns.py)
    "roster_staffwise": "auto",  # True / False / "auto": from STAFFWISE_STAFF_DAYS on
    "roster_staffwise_share": 0.9,  # its share of the time limit; 1: no full model after
    "roster_groups": True,  # staffwise: group moves once single rows stop improving
    "roster_windows": False,  # staffwise: also window moves (measured mixed: benchmarks.md)
    "roster_columns": "auto",  # staffwise: column generation (a bound too); "auto": see
    # COLUMNS_MAX_STAFF_DAYS
}
"""Our own model switches, passed like solver parameters (``solve(..., roster_lns=True)``)."""

WARM_START_KEPT = (
    "CP-SAT found no roster cheaper than the warm start; "
    "this is the warm start (hint) roster, which breaks no hard rule"
)


def _split_params(
    options: SolveOptions, problem: RosterProblem
) -> tuple[dict[str, Any], SolveOptions]:
    """Separate our ``roster_*`` switches from the CP-SAT parameters; apply defaults."""
    tuning = dict(TUNING_DEFAULTS)
    solver_params = {}
    for name, value in options.params.items():
        if name in TUNING_DEFAULTS:
            tuning[name] = value
        else:
            solver_params[name] = value
    staff_days = len(problem.staff) * problem.num_days
    large = staff_days > LARGE_STAFF_DAYS
    if tuning["roster_sequence_flow"] == "auto":
        tuning["roster_sequence_flow"] = not large
    if tuning["roster_staffwise"] == "auto":
        tuning["roster_staffwise"] = staff_days >= STAFFWISE_STAFF_DAYS
    if tuning["roster_columns"] == "auto":
        limit = options.time_limit
        long_enough = limit is None or limit >= COLUMNS_MIN_SECONDS
        tuning["roster_columns"] = long_enough and staff_days <= COLUMNS_MAX_STAFF_DAYS
    for name, value in solver_defaults(options.num_workers, large).items():
        solver_params.setdefault(name, value)
    return tuning, replace(options, params=solver_params)


def solver_defaults(num_workers: int, large: bool = False) -> dict[str, Any]:
    """CP-SAT parameters that suit roster models (measured in docs/benchmarks.md).

    The bound comes from the LP relaxation with every constraint in it
    (``max_lp``, linearization level 2); the other workers run LNS. Large models
    keep CP-SAT's defaults.
    """
    if large:
        return {}
    if num_workers <= 1:
        return {"linearization_level": 2}
    return {"subsolvers": ["max_lp"]}


def solve(problem: RosterProblem, options: SolveOptions) -> Result:
    """Build and solve the CP-SAT roster model under ``options``.

    With a seed and one worker the time limit is spent on a work clock, not the wall
    clock: the same input gives the same roster on every run (``runner.Clock``).
    """
    return _solve(problem, options, Clock.of(options))


def _solve(problem: RosterProblem, options: SolveOptions, clock: Clock) -> Result:
    """``solve`` with every budget read on ``clock`` (shared with its group moves)."""
    started = time.perf_counter()
    begun = clock.now()
    tuning, options = _split_params(options, problem)
    index = RosterIndex.build(problem)
    # A hint means no staffwise and no feasibility phase: a legal hint is the fallback.
    fallback = legal_hint(index, options)
    warm_start = fallback is not None
    history: list[ProgressPoint] | None = None
    total_limit = options.time_limit
    staffwise = (
        options.hint is None
        and bool(tuning["roster_staffwise"])
        and decomposable(problem, bool(options.stage_caps))
    )
    column_bound: int | None = None
    if staffwise:
        fallback, infeasible, rest, history, column_bound = _staffwise_phase(
            index, options, tuning, started, clock, begun
        )
        if infeasible:
            return _no_roster(problem, SolveStatus.INFEASIBLE, total_limit, started, history)
        if interrupts.interrupted():
            return _interrupted(index, fallback, options, started, history, column_bound)
        if fallback is not None and rest is not None and not _full_model_fits(index, rest):
            return _roster_result(
                index, fallback, SolveStatus.FEASIBLE, column_bound, options, started, history
            )
        if fallback is None and rest is not None:
            # One legal row per person did not fit in most of the limit: building the
            # full model alone would overrun what is left (Instance23 at 10 s: 25 s).
            return _no_roster(
                problem,
                SolveStatus.UNKNOWN,
                total_limit,
                started,
                history,
                work_clock=clock.deterministic,
            )
    model = cp_model.CpModel()
    rv = build_variables(model, index)
    RosterConstraints(rv).add_constraints()
    terms = build_costs(rv)
    add_stage_caps(rv, terms, options.stage_caps)
    if fallback is None and options.hint is None and tuning["roster_feasibility_first"]:
        limit = options.time_limit
        budget = 60.0 if limit is None else 0.5 * limit  # it stops at the first roster
        workers = options.num_workers
        fallback, used, infeasible = feasible_roster(
            rv, budget, options.seed, lean=workers == 1, workers=workers, clock=clock
        )
        if infeasible:
            return _no_roster(problem, SolveStatus.INFEASIBLE, total_limit, started, [])
        if interrupts.interrupted():
            return _interrupted(index, fallback, options, started, None)
        if limit is not None:
            options = replace(options, time_limit=max(0.05, limit - used))
    if tuning["roster_sequence_flow"]:
        add_sequence_flow(rv)
    add_objective(rv, terms, options.stage_weights)
    if isinstance(options.hint, RosterSolution):
        add_hint(rv, terms, roster_from_solution(index, options.hint))
    elif fallback is not None and tuning["roster_feasibility_hint"]:
        add_hint(rv, terms, fallback)
    elif tuning["roster_greedy_hint"]:
        add_hint(rv, terms, greedy_roster(index))
    if staffwise and total_limit is not None:  # what is left after building the model
        left = total_limit - (clock.now() - begun)
        options = replace(options, time_limit=max(0.05, left))
    search = _Search(
        options,
        fallback,
        lambda r: weighted(evaluate(index, r), options.stage_weights),
        started,
        history,
        warm_start=warm_start,
    )
    options = replace(options, on_solution=search.on_point)
    if tuning["roster_lns"] and options.num_workers >= 2:
        lns = solve_with_lns(rv, options, seed=options.seed or 0)
        status, bound = lns.status, lns.bound
        chosen = [key for key, value in zip(rv.x, lns.values, strict=False) if value]
    else:
        outcome = run(model, options, clock=clock)
        status, bound = outcome.status, outcome.bound
        chosen = []
        if status.has_solution:
            solver = outcome.solver
            chosen = [key for key, var in rv.x.items() if solver.boolean_value(var)]
        elif status is SolveStatus.UNKNOWN:
            bound = _proven_bound(outcome.solver.best_objective_bound)
    if column_bound is not None:  # the Lagrangian bound of the column phase
        bound = column_bound if bound is None else max(bound, column_bound)
    roster: dict[tuple[int, int], int] | None = (
        {(e, d): s for e, d, s in chosen} if status.has_solution else None
    )
    roster, status = search.best_of(roster, status)
    if roster is None:
        return _no_roster(problem, status, total_limit, started, search.progress)
    search.close(roster, bound)
    message = WARM_START_KEPT if warm_start and roster is search.fallback else ""
    return _roster_result(index, roster, status, bound, options, started, search.progress, message)


def _interrupted(
    index: RosterIndex,
    roster: dict[tuple[int, int], int] | None,
    options: SolveOptions,
    started: float,
    progress: list[ProgressPoint] | None,
    bound: int | None = None,
) -> Result:
    """The Result when an interrupt came before the full model's search: ``roster``
    (legal, from a first phase) if there is one, with ``bound`` (the column phase's, if
    it ran); ``solve`` adds the interrupt note."""
    if roster is None:
        return _no_roster(index.problem, SolveStatus.UNKNOWN, None, started, progress or [])
    return _roster_result(index, roster, SolveStatus.FEASIBLE, bound, options, started, progress)


def _no_roster(
    problem: RosterProblem,
    status: SolveStatus,
    limit: float | None,
    started: float,
    progress: list[ProgressPoint],
    work_clock: bool = False,
) -> Result:
    """A Result without roster: infeasible, or none found within ``limit`` (it says so;
    ``work_clock``: within the work budget of a reproducible run)."""
    seconds = time.perf_counter() - started
    size = f"{len(problem.staff)} staff x {problem.num_days} days"
    message = (
        INFEASIBLE
        if status is SolveStatus.INFEASIBLE
        else nothing_found("roster", size, limit, seconds, work_clock=work_clock)
    )
    return Result(
        status=status, seconds=seconds, backend="cpsat", progress=progress, message=message
    )


def _staffwise_phase(
    index: RosterIndex,
    options: SolveOptions,
    tuning: dict[str, Any],
    started: float,
    clock: Clock,
    begun: float,
) -> tuple[dict[tuple[int, int], int] | None, bool, float | None, list[ProgressPoint], int | None]:
    """Staff-by-staff roster: (roster, infeasible, seconds left for the full model, progress,
    the column phase's bound if it ran).

    Runs for ``roster_staffwise_share`` of the time limit from the solve's start
    (``begun`` on ``clock``; progress is timed from ``started`` on the wall clock);
    without a limit until its best responses stop improving.
    """
    limit = options.time_limit
    share = float(tuning["roster_staffwise_share"])
    if limit is not None and share < 1 and not _full_model_fits(index, (1 - share) * limit):
        share = 1.0  # the full model would not be built in its share: all to this search

    def solve_group(sub: RosterProblem, sub_options: SolveOptions) -> Result:
        return _solve(sub, sub_options, clock)  # group moves spend this solve's clock

    search = StaffwiseSearch(
        index,
        options.stage_weights,
        options.num_workers,
        options.seed,
        group_solver=solve_group if tuning["roster_groups"] else None,
        windows=bool(tuning["roster_windows"]),
        clock=clock,
    )
    columns = ColumnPhase(search) if tuning["roster_columns"] else None
    search.column_phase = columns
    progress: list[ProgressPoint] = []

    def on_roster(roster: dict[tuple[int, int], int], cost: int) -> None:
        point = ProgressPoint(seconds=round(time.perf_counter() - started, 3), objective=cost)
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)

    if limit is None:
        deadline = math.inf
    else:
        margin = min(2.0, 0.02 * limit)  # reading the rosters back, building the result
        deadline = begun + share * limit - (margin if share >= 1 else 0.0)
    outcome = search.run(deadline, on_roster=on_roster)
    rest = None if limit is None else begun + limit - clock.now()
    if share >= 1 and rest is not None:
        rest = 0.0
    bound = None if columns is None else columns.bound
    return outcome.roster, outcome.infeasible, rest, progress, bound


def _full_model_fits(index: RosterIndex, seconds: float) -> bool:
    """Whether ``seconds`` (after the staffwise search) are worth building the full
    model for: at least twice its estimated build time, ``SECONDS_PER_VARIABLE`` per
    staff x day x shift, so that it gets some time to search. Measured: 500 staff x 56
    days x 3 shifts (84,000) took 3.6 s to build and 0.5 s to load into CP-SAT at load
    2; with 1 s left of a 10 s limit the run ended at 13.4 s."""
    slots = index.num_staff * index.num_days * index.num_shifts
    return seconds >= 2 * SECONDS_PER_VARIABLE * slots


def _roster_result(
    index: RosterIndex,
    roster: dict[tuple[int, int], int],
    status: SolveStatus,
    bound: int | None,
    options: SolveOptions,
    started: float,
    progress: list[ProgressPoint] | None = None,
    message: str = "",
) -> Result:
    """The Result of a roster: recomputed costs, assignments in day order; OPTIMAL when
    the bound reaches its objective."""
    problem = index.problem
    costs = evaluate(index, roster)
    objective = weighted(costs, options.stage_weights)
    if progress is None:
        progress = [
            ProgressPoint(seconds=round(time.perf_counter() - started, 3), objective=objective)
        ]
    if bound is not None:
        bound = min(bound, objective)
        if bound == objective:
            status = SolveStatus.OPTIMAL
    if status is SolveStatus.OPTIMAL:
        bound = objective
    assignments = tuple(
        Assignment(staff=problem.staff[e].id, day=d, shift=problem.shifts[s].id)
        for (e, d), s in sorted(roster.items(), key=lambda item: (item[0][1], item[0][0]))
    )
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        seconds=time.perf_counter() - started,
        backend="cpsat",
        roster=RosterSolution(assignments=assignments),
        progress=progress,
        terms=costs,
        message=message,
    )


def _proven_bound(value: float) -> int | None:
    """CP-SAT's lower bound as an int (None if it proved nothing)."""
    if not math.isfinite(value):
        return None
    return math.ceil(value - 1e-6)


class _Search:
    """Streams strictly improving points, counting the fallback roster.

    Points are timed from the solve's start (``started``). ``history`` holds the points
    already streamed for the fallback (the staffwise phase); without it the fallback's
    cost is streamed as the first point. A ``warm_start`` fallback (the caller's legal
    hint) is kept only if strictly cheaper than the search's roster. CP-SAT's points
    carry its own objective, which can be above the roster's cost (``cost``) before
    optimality: a cover slack only has to be at least the shortfall (``under >=
    required - n``). ``best_of`` therefore compares rosters by their cost, and ``close``
    ends the trace at the returned one's.
    """

    def __init__(
        self,
        options: SolveOptions,
        fallback: dict[tuple[int, int], int] | None,
        cost: Callable[[dict[tuple[int, int], int]], int],
        started: float,
        history: list[ProgressPoint] | None = None,
        warm_start: bool = False,
    ) -> None:
        self.user = options.on_solution
        self.warm_start = warm_start
        self.started = started
        self.cost = cost
        self.progress: list[ProgressPoint] = list(history or [])
        self.fallback = fallback
        self.fallback_cost = None if fallback is None else cost(fallback)
        self.best: int | None = self.progress[-1].objective if self.progress else None
        if self.fallback_cost is not None and not self.progress:
            self.on_point(ProgressPoint(seconds=0.0, objective=self.fallback_cost))

    def on_point(self, point: ProgressPoint) -> None:
        if self.best is not None and point.objective >= self.best:
            return
        self.best = point.objective
        seconds = round(time.perf_counter() - self.started, 3)
        point = point.model_copy(update={"seconds": seconds})
        self.progress.append(point)
        if self.user is not None:
            self.user(point)

    def best_of(
        self, roster: dict[tuple[int, int], int] | None, status: SolveStatus
    ) -> tuple[dict[tuple[int, int], int] | None, SolveStatus]:
        """The search's roster unless the fallback costs no more (a warm start: less);
        the fallback comes back FEASIBLE."""
        if self.fallback is None or status is SolveStatus.OPTIMAL:
            return roster, status
        if roster is None or self.fallback_cost is None:
            return self.fallback, SolveStatus.FEASIBLE
        cost = self.cost(roster)
        if cost < self.fallback_cost or (self.warm_start and cost == self.fallback_cost):
            return roster, status
        return self.fallback, SolveStatus.FEASIBLE

    def close(self, roster: dict[tuple[int, int], int], bound: int | None) -> None:
        """Stream the returned ``roster``'s cost as a last point if it is below the last
        one, so that the trace ends at the Result's objective."""
        cost = self.cost(roster)
        if self.best is None or cost < self.best:
            bound = None if bound is None else min(bound, cost)
            self.on_point(ProgressPoint(seconds=0.0, objective=cost, bound=bound))
