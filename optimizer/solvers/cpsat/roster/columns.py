"""Column generation for decomposable rosters: a Lagrangian bound and a price-and-branch roster.

Without cover floors or stage caps a roster is one legal row per person plus the cover
cost of the rows together (``staffwise``). The set-partitioning master has one column
per known legal row of a person (its cost: requests and baseline), one convexity row per
person, and per cover demand ``count + under - over = required`` with the under and
over weights on the slacks; its LP is solved by GLOP. A person's pricing problem is
their one-person CP-SAT model (``staffwise.person``: the usual constraint code)
with the demands' duals in the objective; every improving solution CP-SAT reports with
a negative reduced cost becomes a column. People are priced in parallel threads.

Bound: for cover duals ``y`` within ``[-over weight, under weight]`` (so the slacks
cost nothing more), ``sum_k required_k * y_k + sum_e min_row (cost(row) - y . cover(row))``
is a lower bound of every roster's cost (Lagrangian relaxation of the cover rows). The
duals are rounded to ``1 / SCALE`` so that pricing objectives are integers, and each
person's minimum is CP-SAT's proven bound of their pricing solve (exact when it is
optimal), so the bound is valid after every round, converged or not.

Roster: the restricted master as an integer program (CP-SAT, one Boolean per column,
exactly one per person, cover slacks as in the full model), hinted by the current rows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.roster.staffwise import Row, StaffwiseSearch

SCALE = 1000
"""Duals are rounded to multiples of 1 / SCALE in the (integer) pricing objective."""

PRICE_STEP = 2.0
"""Seconds (on the search's clock) per pricing solve at most."""

ROWS_PER_PRICE = 8
"""Columns kept per pricing solve at most (CP-SAT's improving solutions, best last)."""

COLUMN_SHARE = 0.5
"""Share of the staffwise search's remaining time the column phase gets, when it starts
(the first local optimum of the best responses)."""

LP_SHARE = 0.6
"""Column generation stops at this share of the phase if it has not converged; a dive
(``ColumnGeneration.dive``) and the restricted master IP get the rest."""

IP_SHARE = 0.1
"""Share of the column phase kept for the restricted master integer program."""

MIN_IP_SECONDS = 1.0
"""The restricted master integer program gets at least this much of the phase."""

NO_LIMIT_IP_SECONDS = 60.0
"""The restricted master integer program's limit in a solve without a time limit."""

DIVE_ROUNDS = 2
"""Pricing rounds between two fixings of a dive."""

DIVE_INTEGRAL = 0.1
"""A column within this of 1 in the LP counts as integral (its person is fixed to it)."""

EPSILON = 1e-6
"""Reduced costs above ``-EPSILON`` do not add a column."""


@dataclass
class _Column:
    person: int
    row: Row
    cost: int
    covers: list[int]
    var: pywraplp.Variable


@dataclass
class _Priced:
    """One pricing solve: rows with a negative reduced cost, and the proven minimum of
    the scaled pricing objective (None if CP-SAT proved nothing)."""

    rows: list[Row] = field(default_factory=list)
    bound: int | None = None


class _RowCollector(cp_model.CpSolverSolutionCallback):
    """Keeps the rows of CP-SAT's improving solutions (the last ``ROWS_PER_PRICE``)."""

    def __init__(self, x: Sequence[tuple[int, int, cp_model.IntVar]]) -> None:
        super().__init__()
        self.x = x
        self.found: list[Row] = []

    def on_solution_callback(self) -> None:
        self.found.append({d: s for d, s, var in self.x if self.boolean_value(var)})
        del self.found[:-ROWS_PER_PRICE]


class ColumnGeneration:
    """The column pool, the master LP, pricing, the bound and the restricted master IP.

    Works on a ``StaffwiseSearch``: its one-person models, static costs, demands,
    weights, clock and current rows (the pool starts with those rows).
    """

    def __init__(self, search: StaffwiseSearch) -> None:
        self.search = search
        self.problem = search.problem
        cover = self.problem.cover
        under, over = search.weights.get("under_cover", 0), search.weights.get("over_cover", 0)
        self.under = [under * demand.under_weight for demand in cover]
        self.over = [over * demand.over_weight for demand in cover]
        self.columns: list[_Column] = []
        self.keys: set[tuple[int, frozenset[tuple[int, int]]]] = set()
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        infinity = self.lp.infinity()
        self.cover_rows = [self.lp.Constraint(demand.required, demand.required) for demand in cover]
        objective = self.lp.Objective()
        for k, row in enumerate(self.cover_rows):
            short = self.lp.NumVar(0, infinity, "")
            extra = self.lp.NumVar(0, infinity, "")
            row.SetCoefficient(short, 1)
            row.SetCoefficient(extra, -1)
            objective.SetCoefficient(short, self.under[k])
            objective.SetCoefficient(extra, self.over[k])
        self.person_rows = [self.lp.Constraint(1, 1) for _ in range(search.index.num_staff)]
        objective.SetMinimization()
        self.bound: int | None = None
        self.lp_value: float | None = None
        self.rounds = 0
        self.bound_duals: list[int] = []
        """The scaled cover duals of the round that gave ``bound``."""
        self.bound_minima: list[int] = []
        """Each person's proven scaled minimum in that round."""

    # -- the pool and the master LP ----------------------------------------------------

    def add(self, e: int, row: Row) -> bool:
        """Add e's ``row`` as a column unless it is in the pool already."""
        key = (e, frozenset(row.items()))
        if key in self.keys:
            return False
        self.keys.add(key)
        person = self.search._person(e)
        cost = person.constant + person.static_cost(row)
        covers = self.search.cover.covers(e, row)
        column = self.lp.NumVar(0, self.lp.infinity(), "")
        self.lp.Objective().SetCoefficient(column, cost)
        self.person_rows[e].SetCoefficient(column, 1)
        for k in covers:
            self.cover_rows[k].SetCoefficient(column, 1)
        self.columns.append(_Column(e, dict(row), cost, covers, column))
        return True

    def add_current_rows(self) -> None:
        """The search's current rows as columns."""
        for e, row in enumerate(self.search.rows):
            if row is not None:
                self.add(e, row)

    def solve_lp(self) -> tuple[list[float], list[float]] | None:
        """Solve the master LP; (cover duals, person duals), or None if GLOP failed."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.lp_value = self.lp.Objective().Value()
        return (
            [row.dual_value() for row in self.cover_rows],
            [row.dual_value() for row in self.person_rows],
        )

    # -- pricing and the bound ---------------------------------------------------------

    def scaled_duals(self, duals: Sequence[float]) -> list[int]:
        """Cover duals x ``SCALE``, rounded and kept in ``[-over, under]`` (where the
        slacks cost nothing more, so the Lagrangian bound holds)."""
        return [
            max(-SCALE * self.over[k], min(SCALE * self.under[k], round(SCALE * y)))
            for k, y in enumerate(duals)
        ]

    def price(self, e: int, duals: Sequence[int], person_dual: float, limit: float) -> _Priced:
        """Rows of ``e`` with a negative reduced cost under the scaled ``duals``, and the
        proven minimum of ``SCALE`` x (row cost without the constant - duals . cover)."""
        search = self.search
        person = search._person(e)
        rv, model = person.rv, person.rv.model
        variables: list[cp_model.IntVar] = []
        coefs: list[int] = []
        xs: list[tuple[int, int, cp_model.IntVar]] = []
        for (_, d, s), var in rv.x.items():
            xs.append((d, s, var))
            coef = SCALE * person.shift_cost.get((d, s), 0)
            coef -= sum(
                duals[k] for k in search.cover.demands.get((d, s), ()) if self._counts(e, k)
            )
            if coef:
                variables.append(var)
                coefs.append(coef)
        for d, work_cost in person.work_cost.items():
            if work_cost:
                variables.append(rv.work[0][d])
                coefs.append(SCALE * work_cost)
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefs))
        model.clear_hints()
        own = search.rows[e] or {}
        for d, s, var in xs:
            model.add_hint(var, 1 if own.get(d) == s else 0)
        solver = search._solver(limit, lp=True)
        collector = _RowCollector(xs)
        code = stoppable.solve(solver, model, collector)
        search.clock.charge(solver, model)
        priced = _Priced()
        if code == cp_model.OPTIMAL:
            priced.bound = round(solver.objective_value)
        elif code == cp_model.FEASIBLE and math.isfinite(solver.best_objective_bound):
            priced.bound = math.ceil(solver.best_objective_bound - 1e-6)
        elif code not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            return priced
        threshold = SCALE * (person_dual - person.constant - EPSILON)
        for row in collector.found:
            scaled = sum(self._scaled_terms(e, row, duals))
            if scaled < threshold:
                priced.rows.append(row)
        return priced

    def _counts(self, e: int, k: int) -> bool:
        return self.search.index.qualified(e, self.problem.cover[k].skill)

    def _scaled_terms(self, e: int, row: Row, duals: Sequence[int]) -> list[int]:
        """The scaled pricing objective of ``row``, term by term."""
        person = self.search._person(e)
        terms = [
            SCALE * (person.shift_cost.get((d, s), 0) + person.work_cost.get(d, 0))
            for d, s in row.items()
        ]
        terms += [-duals[k] for k in self.search.cover.covers(e, row)]
        return terms

    def lagrangian_bound(self, duals: Sequence[int], minima: Sequence[int]) -> int:
        """The bound from scaled cover ``duals`` and each person's proven scaled minimum."""
        constants = sum(
            SCALE * self.search._person(e).constant for e in range(self.search.index.num_staff)
        )
        required = sum(d.required * y for d, y in zip(self.problem.cover, duals, strict=True))
        total = required + constants + sum(minima)
        return -((-total) // SCALE)  # ceil: every roster's cost is an integer

    def round(self, deadline: float, people: Sequence[int] | None = None) -> bool:
        """One round: LP, pricing of ``people`` (None: everybody, and then the bound), new
        columns. True if a column was added (False: the LP is optimal over all rows, or
        time ran out)."""
        solved = self.solve_lp()
        if solved is None:
            return False
        cover_duals, person_duals = solved
        duals = self.scaled_duals(cover_duals)
        search = self.search

        def one(e: int) -> _Priced:
            left = search._left(deadline)
            if left <= 0.05:
                return _Priced()
            return self.price(e, duals, person_duals[e], min(PRICE_STEP, left))

        everybody = people is None
        people = range(search.index.num_staff) if people is None else people
        with ThreadPoolExecutor(max_workers=search.workers) as pool:
            priced = list(pool.map(one, people))
        self.rounds += 1
        minima = [p.bound for p in priced]
        if everybody and all(m is not None for m in minima):
            proven = [m for m in minima if m is not None]
            bound = self.lagrangian_bound(duals, proven)
            if self.bound is None or bound > self.bound:
                self.bound, self.bound_duals, self.bound_minima = bound, duals, proven
        added = False
        for e, p in zip(people, priced, strict=True):
            for row in p.rows:
                added = self.add(e, row) or added
        return added and not (everybody and self.converged())

    def excess(self, e: int, row: Row) -> float:
        """How much more ``row`` costs ``e`` in reduced cost than e's cheapest row, under
        the duals of the best bound (0 before one). Over a roster the sum is at most its
        cost minus that bound (before rounding up)."""
        if not self.bound_minima:
            return 0.0
        scaled = sum(self._scaled_terms(e, row, self.bound_duals)) - self.bound_minima[e]
        return max(0, scaled) / SCALE

    def converged(self) -> bool:
        """Whether the bound has reached the LP value rounded up (more rounds cannot
        raise it: the LP may be degenerate and keep taking columns at the same value)."""
        if self.bound is None or self.lp_value is None:
            return False
        return self.bound >= math.ceil(self.lp_value - 1e-6)

    def values(self) -> list[float]:
        """Each column's value in the last LP solution."""
        return [column.var.solution_value() for column in self.columns]

    # -- price and dive ------------------------------------------------------------------

    def dive(self, deadline: float) -> list[Row] | None:
        """A roster by diving: fix every person whose LP column is (nearly) 1, or else the
        person with the largest column value; price the others for at most
        ``DIVE_ROUNDS`` rounds; until everybody is fixed. The fixings are undone after."""
        search = self.search
        free = set(range(search.index.num_staff))
        fixed: list[_Column] = []
        try:
            while free and search._left(deadline) > 0.05:
                for _ in range(DIVE_ROUNDS):
                    if not self.round(deadline, sorted(free)):
                        break
                if self.solve_lp() is None:
                    return None
                values = self.values()
                best: dict[int, int] = {}
                for j, column in enumerate(self.columns):
                    e = column.person
                    if e in free and (e not in best or values[j] > values[best[e]]):
                        best[e] = j
                chosen = [j for j in best.values() if values[j] >= 1 - DIVE_INTEGRAL]
                if not chosen:
                    chosen = [max(best.values(), key=lambda j: values[j])]
                for j in chosen:
                    self.columns[j].var.SetLb(1)
                    fixed.append(self.columns[j])
                    free.discard(self.columns[j].person)
        finally:
            for column in fixed:
                column.var.SetLb(0)
        if free:
            return None
        rows: list[Row] = [{} for _ in range(search.index.num_staff)]
        for column in fixed:
            rows[column.person] = dict(column.row)
        return rows

    # -- the restricted master as an integer program ------------------------------------

    def _hint(self, rows: Sequence[Row]) -> list[int]:
        """Per column 1 if it is its person's row in ``rows``, else 0."""
        keys = {(e, frozenset(row.items())) for e, row in enumerate(rows)}
        return [int((c.person, frozenset(c.row.items())) in keys) for c in self.columns]

    def best_rows(self, limit: float, hint: Sequence[Row] | None = None) -> list[Row] | None:
        """The cheapest roster made of pool columns found within ``limit`` seconds
        (hinted by ``hint``, by default the search's current rows), or None."""
        search = self.search
        model = cp_model.CpModel()
        picks = [model.new_bool_var("") for _ in self.columns]
        by_person: list[list[int]] = [[] for _ in range(search.index.num_staff)]
        by_demand: list[list[int]] = [[] for _ in self.problem.cover]
        for j, column in enumerate(self.columns):
            by_person[column.person].append(j)
            for k in column.covers:
                by_demand[k].append(j)
        for js in by_person:
            model.add_exactly_one(picks[j] for j in js)
        variables = list(picks)
        coefs = [column.cost for column in self.columns]
        for k, demand in enumerate(self.problem.cover):
            count = cp_model.LinearExpr.sum([picks[j] for j in by_demand[k]])
            if self.under[k] and demand.required > 0:
                short = model.new_int_var(0, demand.required, "")
                model.add(short >= demand.required - count)
                variables.append(short)
                coefs.append(self.under[k])
            if self.over[k] and len(by_demand[k]) > 0:
                extra = model.new_int_var(0, search.index.num_staff, "")
                model.add(extra >= count - demand.required)
                variables.append(extra)
                coefs.append(self.over[k])
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefs))
        if hint is None:
            hint = [row or {} for row in search.rows]
        for j, on in enumerate(self._hint(hint)):
            model.add_hint(picks[j], on)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = search.workers
        if search.workers >= 2:  # the LP bound on one worker, LNS on the others
            solver.parameters.subsolvers.append("max_lp")
        else:
            solver.parameters.linearization_level = 2
        solver.parameters.random_seed = search.rng.randrange(1 << 30)
        search.clock.limit(solver, max(0.05, limit))
        code = stoppable.solve(solver, model)
        search.clock.charge(solver, model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        rows: list[Row] = [{} for _ in by_person]
        for j, column in enumerate(self.columns):
            if solver.boolean_value(picks[j]):
                rows[column.person] = dict(column.row)
        return rows


def _roster(rows: Sequence[Row]) -> dict[tuple[int, int], int]:
    return {(e, d): s for e, row in enumerate(rows) for d, s in row.items()}


class ColumnPhase:
    """The column phase of a staffwise search (``StaffwiseSearch.column_phase``).

    Called once, at the first local optimum of the best responses, with ``COLUMN_SHARE``
    of the time left: column generation (until converged, at most ``LP_SHARE`` of it),
    a dive, then the restricted master IP hinted by the dive's roster (``IP_SHARE``);
    each roster replaces the search's rows when cheaper. ``bound`` is the best
    Lagrangian bound found (None if no round finished); its duals guide the search's
    group moves after the phase (``StaffwiseSearch.excess``).
    """

    def __init__(self, search: StaffwiseSearch, share: float = COLUMN_SHARE) -> None:
        self.search = search
        self.share = share
        self.generation: ColumnGeneration | None = None
        self.seconds = 0.0
        self.installed = False
        self.found: dict[str, int] = {}
        """The cost of the roster each step found: ``"dive"``, ``"master"`` (the IP)."""

    @property
    def bound(self) -> int | None:
        return None if self.generation is None else self.generation.bound

    def __call__(self, deadline: float) -> None:
        search = self.search
        began, wall = search.clock.now(), time.perf_counter()
        if math.isfinite(deadline):
            budget = self.share * (deadline - began)
            if budget <= 2 * MIN_IP_SECONDS:
                return
            end = began + budget
            ip_seconds = max(MIN_IP_SECONDS, IP_SHARE * budget)
            stop, dive_end = began + LP_SHARE * budget, end - ip_seconds
        else:  # no time limit: generation until converged, a whole dive, a bounded IP
            end = stop = dive_end = math.inf
            ip_seconds = NO_LIMIT_IP_SECONDS
        generation = self.generation = ColumnGeneration(search)
        generation.add_current_rows()
        while search._left(stop) > 0.05 and generation.round(stop):
            pass
        if generation.bound is not None:  # group moves start where the roster's gap is
            search.excess = generation.excess
        rows = generation.dive(dive_end)
        if rows is not None:
            self.found["dive"] = search.cost(_roster(rows))
            self.installed = self._install(rows)
        best = generation.best_rows(min(ip_seconds, search._left(end)), rows)
        if best is not None:
            self.found["master"] = search.cost(_roster(best))
            self.installed = self._install(best) or self.installed
        self.seconds = time.perf_counter() - wall

    def _install(self, rows: list[Row]) -> bool:
        """Make ``rows`` the search's rows if they cost less."""
        search = self.search
        everybody = list(range(search.index.num_staff))
        with search.lock:
            current = [row or {} for row in search.rows]
            if search._group_delta(everybody, current, rows) >= 0:
                return False
            search._replace_rows(everybody, current, rows)
        return True
