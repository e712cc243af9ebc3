"""Soft rules of the roster model: cost expressions per rule, the objective, stage caps.

Cover uses one aggregated count per demand with slack variables
``under >= required - n`` and ``over >= n - required``: the convex piecewise
penalty is then exact in the linear relaxation. Rule costs reported in
``Result.terms`` are recomputed from the solver's roster (``evaluate``), so they
never depend on slack values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.roster import ROSTER_PENALTY_RULES
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.variables import RosterVars

Roster = Mapping[tuple[int, int], int]
"""(staff, day) -> shift index of a worked shift; absent means off."""


@dataclass
class CostTerms:
    """Per rule: variables, coefficients and a constant (cost = sum coef*var + const)."""

    vars: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    coefs: dict[str, list[int]] = field(default_factory=dict)
    const: dict[str, int] = field(default_factory=dict)
    cover_slacks: list[tuple[int, int, int, cp_model.IntVar | None, cp_model.IntVar | None]] = (
        field(default_factory=list)
    )
    """Per cover demand: (demand number, day, shift, under var, over var)."""

    def add(self, rule: str, var: cp_model.IntVar, coef: int) -> None:
        if coef:
            self.vars.setdefault(rule, []).append(var)
            self.coefs.setdefault(rule, []).append(coef)

    def add_const(self, rule: str, value: int) -> None:
        self.const[rule] = self.const.get(rule, 0) + value

    def expr(self, weights: Mapping[str, int]) -> cp_model.LinearExprT:
        """sum over rules of weights[rule] * cost(rule)."""
        variables: list[cp_model.IntVar] = []
        coefs: list[int] = []
        constant = 0
        for rule in ROSTER_PENALTY_RULES:
            weight = weights.get(rule, 0)
            if not weight:
                continue
            variables += self.vars.get(rule, [])
            coefs += [weight * c for c in self.coefs.get(rule, [])]
            constant += weight * self.const.get(rule, 0)
        return cp_model.LinearExpr.weighted_sum(variables, coefs) + constant


def build_costs(rv: RosterVars) -> CostTerms:
    """Cost expressions of every soft rule."""
    terms = CostTerms()
    _cover(rv, terms)
    _requests(rv, terms)
    _baseline(rv, terms)
    return terms


def _cover(rv: RosterVars, terms: CostTerms) -> None:
    model, problem = rv.model, rv.index.problem
    for k, demand in enumerate(problem.cover):
        s = problem.shift_index[demand.shift]
        staff = rv.staff_on(demand.day, s, demand.skill)
        count = cp_model.LinearExpr.sum(staff)
        under = over = None
        if demand.under_weight and demand.required > 0:
            under = model.new_int_var(0, demand.required, f"under_{k}")
            model.add(under >= demand.required - count)
            terms.add("under_cover", under, demand.under_weight)
        if demand.over_weight and len(staff) > demand.required:
            over = model.new_int_var(0, len(staff) - demand.required, f"over_{k}")
            model.add(over >= count - demand.required)
            terms.add("over_cover", over, demand.over_weight)
        terms.cover_slacks.append((k, demand.day, s, under, over))


def _requests(rv: RosterVars, terms: CostTerms) -> None:
    problem = rv.index.problem
    for req in problem.requests:
        e = problem.staff_index[req.staff]
        if req.shift is None:
            var: cp_model.IntVar | None = rv.work[e][req.day]
        else:
            var = rv.x.get((e, req.day, problem.shift_index[req.shift]))
        if req.want:  # weight * (1 - var)
            terms.add_const("shift_on_request", req.weight)
            if var is not None:
                terms.add("shift_on_request", var, -req.weight)
        elif var is not None:  # weight * var
            terms.add("shift_off_request", var, req.weight)


def _baseline(rv: RosterVars, terms: CostTerms) -> None:
    problem = rv.index.problem
    if problem.baseline is None or not problem.baseline.change_weight:
        return
    weight = problem.baseline.change_weight
    published = _baseline_roster(rv.index)
    for e in range(rv.index.num_staff):
        for d in range(rv.index.num_days):
            s = published.get((e, d))
            if s is None:  # was off: cost if working
                terms.add("baseline_change", rv.work[e][d], weight)
                continue
            terms.add_const("baseline_change", weight)  # cost unless x[e, d, s] = 1
            var = rv.x.get((e, d, s))
            if var is not None:
                terms.add("baseline_change", var, -weight)


def _baseline_roster(index: RosterIndex) -> dict[tuple[int, int], int]:
    problem = index.problem
    if problem.baseline is None:
        return {}
    return {
        (problem.staff_index[a.staff], a.day): problem.shift_index[a.shift]
        for a in problem.baseline.assignments
    }


def add_stage_caps(
    rv: RosterVars, terms: CostTerms, stage_caps: tuple[tuple[dict[str, int], int], ...]
) -> None:
    """Earlier lexicographic stages become hard caps on their weighted cost."""
    for weights, cap in stage_caps:
        rv.model.add(terms.expr(weights) <= cap)


def add_objective(
    rv: RosterVars, terms: CostTerms, stage_weights: Mapping[str, int] | None
) -> None:
    """Minimise the plain (every rule weight 1) or the stage objective."""
    plain = dict.fromkeys(ROSTER_PENALTY_RULES, 1)
    rv.model.minimize(terms.expr(stage_weights if stage_weights is not None else plain))


def evaluate(index: RosterIndex, roster: Roster) -> dict[str, int]:
    """Plain cost per soft rule of a roster (the values ``Result.terms`` reports)."""
    problem = index.problem
    costs = dict.fromkeys(ROSTER_PENALTY_RULES, 0)
    counts: dict[tuple[int, int, str | None], int] = {}
    skills_needed = {(c.day, c.shift, c.skill) for c in problem.cover}
    for (e, d), s in roster.items():
        shift_id = problem.shifts[s].id
        for skill in (None, *index.skills[e]):
            if (d, shift_id, skill) in skills_needed:
                counts[(d, s, skill)] = counts.get((d, s, skill), 0) + 1
    for demand in problem.cover:
        n = counts.get((demand.day, problem.shift_index[demand.shift], demand.skill), 0)
        costs["under_cover"] += demand.under_weight * max(0, demand.required - n)
        costs["over_cover"] += demand.over_weight * max(0, n - demand.required)
    for req in problem.requests:
        worked = roster.get((problem.staff_index[req.staff], req.day))
        hit = worked is not None and (req.shift is None or worked == problem.shift_index[req.shift])
        if req.want and not hit:
            costs["shift_on_request"] += req.weight
        elif not req.want and hit:
            costs["shift_off_request"] += req.weight
    if problem.baseline is not None:
        published = _baseline_roster(index)
        for e in range(index.num_staff):
            for d in range(index.num_days):
                if roster.get((e, d)) != published.get((e, d)):
                    costs["baseline_change"] += problem.baseline.change_weight
    return costs


def weighted(costs: Mapping[str, int], weights: Mapping[str, int] | None) -> int:
    """The objective value of ``costs`` under stage weights (None: plain sum)."""
    if weights is None:
        return sum(costs.values())
    return sum(weights.get(rule, 0) * cost for rule, cost in costs.items())
