"""Soft-rule costs of the rostering MILP and the (stage) objective built from them.

Each rule in ``ROSTER_PENALTY_RULES`` becomes one linear expression. With
``stage_weights`` the objective is ``sum(stage_weights[rule] * cost[rule])``
(rules not listed count 0); otherwise every rule counts once.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulp

from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers.milp.roster.variables import RosterVariables

Grid = Mapping[tuple[int, int], int]
"""A solved roster inside the backend: (staff index, day) -> shift index; absent = off."""


def rule_costs(v: RosterVariables) -> dict[str, pulp.LpAffineExpression]:
    """One linear cost expression per soft rule."""
    problem = v.problem
    costs = {
        "under_cover": pulp.lpSum(
            demand.under_weight * v.under[c] for c, demand in enumerate(problem.cover)
        ),
        "over_cover": pulp.lpSum(
            demand.over_weight * v.over[c] for c, demand in enumerate(problem.cover)
        ),
        "shift_on_request": pulp.LpAffineExpression(),
        "shift_off_request": pulp.LpAffineExpression(),
        "baseline_change": pulp.LpAffineExpression(),
    }
    for request in problem.requests:
        p, d = problem.staff_index[request.staff], request.day
        if request.shift is None:
            assigned = v.works(p, d)
        else:
            assigned = pulp.LpAffineExpression(v.x[p, d, problem.shift_index[request.shift]])
        if request.want:
            costs["shift_on_request"] += request.weight * (1 - assigned)
        else:
            costs["shift_off_request"] += request.weight * assigned
    if problem.baseline is not None:
        weight = problem.baseline.change_weight
        planned = _baseline_grid(problem)
        for p in range(v.num_staff):
            for d in range(v.num_days):
                t = planned.get((p, d))
                changed = v.works(p, d) if t is None else 1 - v.x[p, d, t]
                costs["baseline_change"] += weight * changed
    return costs


def objective(
    costs: Mapping[str, pulp.LpAffineExpression], stage_weights: Mapping[str, int] | None
) -> pulp.LpAffineExpression:
    """The expression to minimise: all costs, or the stage's weighted selection."""
    if stage_weights is None:
        return pulp.lpSum(costs[rule] for rule in ROSTER_PENALTY_RULES)
    return pulp.lpSum(
        stage_weights[rule] * costs[rule]
        for rule in ROSTER_PENALTY_RULES
        if stage_weights.get(rule, 0)
    )


def _baseline_grid(problem: RosterProblem) -> dict[tuple[int, int], int]:
    if problem.baseline is None:
        return {}
    return {
        (problem.staff_index[b.staff], b.day): problem.shift_index[b.shift]
        for b in problem.baseline.assignments
    }


def evaluate(problem: RosterProblem, grid: Grid) -> dict[str, int]:
    """Plain cost per soft rule of a solved roster, computed from the assignments."""
    terms = dict.fromkeys(ROSTER_PENALTY_RULES, 0)
    counts: dict[tuple[int, int, str | None], int] = {}
    for (p, d), t in grid.items():
        # each person once per demand, as the model counts them
        for skill in dict.fromkeys((None, *problem.staff[p].skills)):
            counts[d, t, skill] = counts.get((d, t, skill), 0) + 1
    for demand in problem.cover:
        n = counts.get((demand.day, problem.shift_index[demand.shift], demand.skill), 0)
        terms["under_cover"] += demand.under_weight * max(0, demand.required - n)
        terms["over_cover"] += demand.over_weight * max(0, n - demand.required)
    for request in problem.requests:
        worked = grid.get((problem.staff_index[request.staff], request.day))
        if request.shift is None:
            assigned = worked is not None
        else:
            assigned = worked == problem.shift_index[request.shift]
        if request.want and not assigned:
            terms["shift_on_request"] += request.weight
        elif not request.want and assigned:
            terms["shift_off_request"] += request.weight
    if problem.baseline is not None:
        planned = _baseline_grid(problem)
        changes = sum(
            grid.get((p, d)) != planned.get((p, d))
            for p in range(len(problem.staff))
            for d in range(problem.num_days)
        )
        terms["baseline_change"] = problem.baseline.change_weight * changes
    return terms


def staged_value(terms: Mapping[str, int], stage_weights: Mapping[str, int] | None) -> int:
    """The optimised objective's value for these plain costs."""
    if stage_weights is None:
        return sum(terms.values())
    return sum(stage_weights.get(rule, 0) * cost for rule, cost in terms.items())
