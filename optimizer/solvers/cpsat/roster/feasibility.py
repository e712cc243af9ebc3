"""Feasibility first: a quick roster that keeps every hard rule, ignoring costs.

Without an objective CP-SAT finds a legal roster in about a second even where
the full model (LP, objective) finds none in many seconds (the demo ward on one
worker). The roster is a fallback: a time limit never returns nothing when a roster exists.
(Used as a hint it made the 2-worker Curtois–Qu search worse, like the greedy
hint did, so it is not one.)
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.roster.objective import Roster
from optimizer.solvers.cpsat.roster.variables import RosterVars
from optimizer.solvers.cpsat.runner import Clock


def feasible_roster(
    rv: RosterVars,
    budget: float,
    seed: int | None,
    lean: bool = True,
    workers: int = 1,
    clock: Clock | None = None,
) -> tuple[dict[tuple[int, int], int] | None, float, bool]:
    """A legal roster (or None), the seconds used, and whether no roster can exist.

    Call it before the objective is set: it solves a copy. ``lean`` prefers days off
    (one worker only: a fixed search order); with several workers CP-SAT's portfolio
    (feasibility jump, local search) finds a roster far faster (Curtois–Qu Instance13:
    5 s on two workers, none in 30 s on one). ``budget`` and the seconds used are on
    ``clock`` (default: the wall clock).
    """
    clock = clock or Clock()
    start = clock.now()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.linearization_level = 0
    clock.limit(solver, max(0.05, budget))
    if seed is not None:
        solver.parameters.random_seed = seed
    copy = rv.model.clone()
    if lean:  # prefer days off: the roster then works no unneeded shifts
        copy.add_decision_strategy(
            [copy.get_bool_var_from_proto_index(v.index) for v in rv.x.values()],
            cp_model.CHOOSE_FIRST,
            cp_model.SELECT_MIN_VALUE,
        )
    code = stoppable.solve(solver, copy)
    clock.charge(solver, copy)
    seconds = clock.now() - start
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, seconds, code == cp_model.INFEASIBLE
    roster: Roster = {(e, d): s for (e, d, s), var in rv.x.items() if solver.value(var)}
    return dict(roster), seconds, False
