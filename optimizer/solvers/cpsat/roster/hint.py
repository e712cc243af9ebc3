"""Warm start: turn a roster into a complete CP-SAT hint; a legal hint to keep."""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer.check.roster import check_roster
from optimizer.model.result import RosterSolution
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.objective import CostTerms, Roster, evaluate, weighted
from optimizer.solvers.cpsat.roster.variables import RosterVars
from optimizer.solvers.options import SolveOptions


def roster_from_solution(
    index: RosterIndex, solution: RosterSolution
) -> dict[tuple[int, int], int]:
    """Index form of a roster; assignments to unknown staff or shifts are ignored."""
    problem = index.problem
    roster: dict[tuple[int, int], int] = {}
    for a in solution.assignments:
        e = problem.staff_index.get(a.staff)
        s = problem.shift_index.get(a.shift)
        if e is not None and s is not None and 0 <= a.day < index.num_days:
            roster[(e, a.day)] = s
    return roster


def legal_hint(index: RosterIndex, options: SolveOptions) -> dict[tuple[int, int], int] | None:
    """The caller's hint in index form if the independent checker finds it breaks no
    hard rule and it keeps every stage cap (the solve may then return it); else None."""
    hint = options.hint
    if not isinstance(hint, RosterSolution) or not check_roster(index.problem, hint).feasible:
        return None
    roster = roster_from_solution(index, hint)
    costs = evaluate(index, roster)
    if any(weighted(costs, weights) > cap for weights, cap in options.stage_caps):
        return None
    return roster


def add_hint(rv: RosterVars, terms: CostTerms, roster: Roster) -> None:
    """Hint every shift, work and cover-slack variable from ``roster``."""
    model = rv.model
    for (e, d, s), var in rv.x.items():
        model.add_hint(var, 1 if roster.get((e, d)) == s else 0)
    for e, row in enumerate(rv.work):
        for d, var in enumerate(row):
            model.add_hint(var, 1 if (e, d) in roster else 0)
    problem = rv.index.problem
    for k, day, s, under, over in terms.cover_slacks:
        demand = problem.cover[k]
        n = sum(
            1
            for e in range(rv.index.num_staff)
            if roster.get((e, day)) == s and rv.index.qualified(e, demand.skill)
        )
        if under is not None:
            model.add_hint(under, max(0, demand.required - n))
        if over is not None:
            model.add_hint(over, max(0, n - demand.required))


__all__ = ["add_hint", "cp_model", "legal_hint", "roster_from_solution"]
