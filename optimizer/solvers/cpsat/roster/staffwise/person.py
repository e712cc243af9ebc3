"""One person alone: their problem, their CP-SAT model and the static part of their cost.

Without cover floors or stage caps (``decomposable``) a person's row is legal on its
own, so each person gets a model of their own: the usual constraint code on the
problem restricted to them. Requests and baseline changes become coefficients on that
model's variables; the cover part of a row's cost depends on the others (``cover.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.roster import RosterProblem
from optimizer.solvers.cpsat.roster.constraints import RosterConstraints
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.variables import RosterVars, build_variables
from optimizer.solvers.cpsat.runner import Clock

Row = dict[int, int]
"""day -> shift of one person's worked days."""


def decomposable(problem: RosterProblem, has_stage_caps: bool) -> bool:
    """True when no hard rule links two people (no cover floor, no stage cap)."""
    return not has_stage_caps and all(d.min_required == 0 for d in problem.cover)


def person_problem(problem: RosterProblem, e: int) -> RosterProblem:
    """The problem restricted to staff member ``e`` (hard rules only, no cover)."""
    person = problem.staff[e]
    return RosterProblem.model_construct(
        kind="roster",
        name=problem.name,
        start_date=problem.start_date,
        num_days=problem.num_days,
        shifts=problem.shifts,
        staff=(person,),
        cover=(),
        unavailability=tuple(u for u in problem.unavailability if u.staff == person.id),
        requests=(),
        pins=tuple(p for p in problem.pins if p.staff == person.id),
        baseline=None,
    )


def people_who_must_work(index: RosterIndex) -> set[int]:
    """People some hard rule makes work: a minimum of minutes or a pinned shift.

    Nobody else has to: the other hard rules of a decomposable problem are upper
    limits, and the minimum runs of work and of days off bind only around a worked
    day, so every day off is a legal row for them.
    """
    pinned = {e for (e, _), s in index.pins.items() if s is not None}
    minimum = {e for e in range(index.num_staff) if index.problem.minimum_minutes(e) > 0}
    return pinned | minimum


@dataclass
class Person:
    """One person's model and the static part of their cost."""

    rv: RosterVars
    shift_cost: dict[tuple[int, int], int] = field(default_factory=dict)
    """(day, shift) -> cost of working it (requests, baseline)."""
    work_cost: dict[int, int] = field(default_factory=dict)
    """day -> cost of working that day at all."""
    constant: int = 0
    """Cost of the all-days-off row (every shift-on request missed, every published shift
    dropped)."""

    @classmethod
    def build(cls, problem: RosterProblem, e: int, weights: Mapping[str, int]) -> Person:
        """Staff member ``e``'s model (hard rules) and static costs under ``weights``."""
        sub = RosterIndex.build(person_problem(problem, e))
        rv = build_variables(cp_model.CpModel(), sub)
        RosterConstraints(rv).add_constraints()
        person = cls(rv)
        person._add_static_costs(problem, e, weights)
        return person

    def _add_static_costs(self, problem: RosterProblem, e: int, w: Mapping[str, int]) -> None:
        """Requests and baseline changes as coefficients on x and work."""
        on, off = w.get("shift_on_request", 0), w.get("shift_off_request", 0)
        staff_id = problem.staff[e].id
        for req in problem.requests:
            if req.staff != staff_id:
                continue
            weight = req.weight * (on if req.want else off)
            sign = -1 if req.want else 1
            if req.want:
                self.constant += weight
            if req.shift is None:
                self.work_cost[req.day] = self.work_cost.get(req.day, 0) + sign * weight
            else:
                key = (req.day, problem.shift_index[req.shift])
                self.shift_cost[key] = self.shift_cost.get(key, 0) + sign * weight
        baseline = problem.baseline
        change = w.get("baseline_change", 0) * (baseline.change_weight if baseline else 0)
        if baseline is None or not change:
            return
        published_days = {
            a.day: problem.shift_index[a.shift] for a in baseline.assignments if a.staff == staff_id
        }
        for d in range(problem.num_days):
            s = published_days.get(d)
            if s is None:
                self.work_cost[d] = self.work_cost.get(d, 0) + change
            else:
                self.constant += change
                self.shift_cost[(d, s)] = self.shift_cost.get((d, s), 0) - change

    def static_cost(self, row: Row) -> int:
        """The static part of ``row``'s cost, without the constant."""
        return sum(
            self.shift_cost.get((d, s), 0) + self.work_cost.get(d, 0) for d, s in row.items()
        )

    def any_row(self) -> None:
        """Set the model up for any legal row: no objective, no hints."""
        self.rv.model.clear_objective()
        self.rv.model.clear_hints()

    def best_response(self, cover: Mapping[tuple[int, int], int], own: Row) -> None:
        """Set the model up to minimise the static costs plus ``cover`` ((day, shift) ->
        what working it adds to the cover cost), hinted by ``own``, the current row."""
        rv, model = self.rv, self.rv.model
        variables: list[cp_model.IntVar] = []
        coefs: list[int] = []
        for (_, d, s), var in rv.x.items():
            coef = self.shift_cost.get((d, s), 0) + cover[(d, s)]
            if coef:
                variables.append(var)
                coefs.append(coef)
        for d, coef in self.work_cost.items():
            variables.append(rv.work[0][d])
            coefs.append(coef)
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefs))
        model.clear_hints()
        for (_, d, s), var in rv.x.items():
            model.add_hint(var, 1 if own.get(d) == s else 0)
        for d, var in enumerate(rv.work[0]):
            model.add_hint(var, 1 if d in own else 0)

    def row(self, solver: cp_model.CpSolver) -> Row:
        """The row of ``solver``'s solution."""
        return {d: s for (_, d, s), var in self.rv.x.items() if solver.boolean_value(var)}


def person_solver(clock: Clock, limit: float, seed: int, lp: bool) -> cp_model.CpSolver:
    """A one-worker solver for a one-person model, stopped after ``limit`` on ``clock``.

    ``lp``: with the full LP (to find good rows); without it, tuned for a first legal row.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    clock.limit(solver, max(0.05, limit))
    params.random_seed = seed
    if lp:  # the LP of the one-person model guides the search to good rows
        params.linearization_level = 2
    else:  # first legal row: restarts without LP or presolve are far faster
        params.linearization_level = 0  # (Instance22 person A: 0.1 s vs none in 20 s)
        params.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
        params.cp_model_presolve = False  # presolve was 1.9 s of 2.0 (Instance24)
    return solver
