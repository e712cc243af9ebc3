"""Staff by staff: a legal roster from one small CP-SAT model per person, then best responses.

Without hard cover floors (and without stage caps) no hard rule links two people:
a roster is legal exactly when every person's row is. Each person gets a model of
their own (the usual constraint code on a one-person problem). The first pass
builds the rows one at a time, each minimising that person's exact marginal cost
given the rows so far (cover: minus the under weight where the shift is still
short, plus the over weight where it is full; requests; baseline). Later passes
re-solve each person against everybody else (a best response), so the roster's
cost never rises. One-person models solve in a fraction of a second with the
full LP (linearization level 2) where the whole model finds no roster at all
(Curtois–Qu Instances 21 and 22: nothing in 600 s).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.roster.constraints import RosterConstraints
from optimizer.solvers.cpsat.roster.groups import GroupSolver, solve_group, solve_window
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.objective import Roster, evaluate
from optimizer.solvers.cpsat.roster.variables import RosterVars, build_variables
from optimizer.solvers.cpsat.runner import Clock
from optimizer.solvers.options import SolveOptions

MIN_STEP, MAX_STEP = 0.5, 8.0
"""Seconds (on the search's clock) per one-person improving solve (adapted between these)."""

MIN_GROUP, MAX_GROUP = 2, 8
"""People per group move (``groups.py``; grows while groups are solved to optimality)."""

GROUP_STEP = 4.0
"""Seconds per group solve."""

RANDOM_GROUPS = 0.2
"""With reduced costs known (``StaffwiseSearch.excess``), the share of groups still
picked at random; the others start from a person whose row costs more than it must."""

MATE_EXCESS = 4
"""A colleague's chance to join a guided group: 1 + this x their row's excess (in the
units of one cost point)."""

MIN_WINDOW, FIRST_WINDOW, MAX_WINDOW = 2, 4, 14
"""Days per window move (everybody re-solved on those days; adapts like the group size)."""

WINDOW_STEP = 6.0
"""Seconds per window move (one solve on all workers)."""

MOVE_MEMORY = 0.8
"""Weight of a kind's earlier rounds when its gain per second is updated."""

MIN_SHARE = 0.2
"""Each kind of move (group rounds, window moves) gets at least this share of rounds."""

GROUP_ROUND = 4
"""Group moves per worker between two progress reports."""

IDLE_GROUP_PASSES = 3
"""The search ends after this many times as many group moves as there are people in a
row without a gain."""

Row = dict[int, int]
"""day -> shift of one person's worked days."""


def decomposable(problem: RosterProblem, has_stage_caps: bool) -> bool:
    """True when no hard rule links two people (no cover floor, no stage cap)."""
    return not has_stage_caps and all(d.min_required == 0 for d in problem.cover)


def _person_problem(problem: RosterProblem, e: int) -> RosterProblem:
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


@dataclass
class _Person:
    """One person's model and the static part of their cost."""

    rv: RosterVars
    shift_cost: dict[tuple[int, int], int] = field(default_factory=dict)
    work_cost: dict[int, int] = field(default_factory=dict)
    constant: int = 0


@dataclass
class _MoveRecord:
    """What one kind of move has gained lately, to choose between kinds.

    Older rounds count less (``MOVE_MEMORY`` per round), so a kind that paid off early
    but has stopped paying off loses its share.
    """

    gain: float = 0.0
    seconds: float = 0.0

    def record(self, gain: int, seconds: float) -> None:
        self.gain = MOVE_MEMORY * self.gain + max(0, gain)
        self.seconds = MOVE_MEMORY * self.seconds + seconds

    def rate(self) -> float:
        """Cost saved per second (optimistic before the first try)."""
        return (self.gain + 1) / (self.seconds + 1)


@dataclass
class StaffwiseOutcome:
    """The best roster (None if some row was not found), its cost, and infeasibility."""

    roster: dict[tuple[int, int], int] | None
    cost: int | None
    infeasible: bool
    passes: int


class StaffwiseSearch:
    """Construct a legal roster person by person, then improve it by best responses.

    Deadlines and seconds are read on ``clock`` (default: the wall clock; in a
    reproducible run a work clock, ``runner.Clock``, so every pass is the same).
    """

    def __init__(
        self,
        index: RosterIndex,
        weights: Mapping[str, int] | None = None,
        workers: int = 1,
        seed: int | None = None,
        group_solver: GroupSolver | None = None,
        windows: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.index = index
        self.clock = clock or Clock()
        self.problem = index.problem
        plain = dict.fromkeys(ROSTER_PENALTY_RULES, 1)
        self.weights = dict(weights) if weights is not None else plain
        self.weights_given = dict(weights) if weights is not None else None
        self.workers = workers
        self.rng = random.Random(seed or 0)
        self.people: list[_Person | None] = [None] * index.num_staff
        self.rows: list[Row | None] = [None] * index.num_staff
        problem = self.problem
        # Cover demands each person counts towards, by (day, shift).
        self.demands: dict[tuple[int, int], list[int]] = {}
        for k, demand in enumerate(problem.cover):
            key = (demand.day, problem.shift_index[demand.shift])
            self.demands.setdefault(key, []).append(k)
        self.count = [0] * len(problem.cover)
        self.lock = threading.Lock()
        self.step = 1.0
        self.group_solver = group_solver
        self.group_size = MIN_GROUP
        self.windows = windows
        self.window_days = FIRST_WINDOW
        self.moves = {"groups": _MoveRecord(), "window": _MoveRecord()}
        self.column_phase: Callable[[float], None] | None = None
        """Run once at the first local optimum of the best responses (``columns.py``)."""
        self.excess: Callable[[int, Row], float] | None = None
        """How much more a person's row costs, in reduced cost, than their cheapest row
        (set by the column phase). A roster's cost exceeds the Lagrangian bound (before
        rounding up) by at least the sum: group moves start where it is."""

    # -- per-person models ---------------------------------------------------------

    def _person(self, e: int) -> _Person:
        person = self.people[e]
        if person is None:
            sub = RosterIndex.build(_person_problem(self.problem, e))
            rv = build_variables(cp_model.CpModel(), sub)
            RosterConstraints(rv).add_constraints()
            person = _Person(rv)
            self._static_costs(e, person)
            self.people[e] = person
        return person

    def _static_costs(self, e: int, person: _Person) -> None:
        """Requests and baseline changes as coefficients on x and work."""
        problem, w = self.problem, self.weights
        on, off = w.get("shift_on_request", 0), w.get("shift_off_request", 0)
        staff_id = problem.staff[e].id
        for req in problem.requests:
            if req.staff != staff_id:
                continue
            weight = req.weight * (on if req.want else off)
            sign = -1 if req.want else 1
            if req.want:
                person.constant += weight
            if req.shift is None:
                person.work_cost[req.day] = person.work_cost.get(req.day, 0) + sign * weight
            else:
                key = (req.day, problem.shift_index[req.shift])
                person.shift_cost[key] = person.shift_cost.get(key, 0) + sign * weight
        baseline = problem.baseline
        change = w.get("baseline_change", 0) * (baseline.change_weight if baseline else 0)
        if baseline is None or not change:
            return
        published_days = {
            a.day: problem.shift_index[a.shift] for a in baseline.assignments if a.staff == staff_id
        }
        for d in range(self.index.num_days):
            s = published_days.get(d)
            if s is None:
                person.work_cost[d] = person.work_cost.get(d, 0) + change
            else:
                person.constant += change
                person.shift_cost[(d, s)] = person.shift_cost.get((d, s), 0) - change

    def _cover_cost(self, e: int, d: int, s: int, own: Row) -> int:
        """What ``e`` on shift ``s`` on day ``d`` adds to the cover cost, given the others.

        ``own`` is e's row as counted in ``self.count`` (it is taken out first).
        """
        cost = 0
        under, over = self.weights.get("under_cover", 0), self.weights.get("over_cover", 0)
        mine = own.get(d) == s
        for k in self.demands.get((d, s), ()):
            demand = self.problem.cover[k]
            if not self.index.qualified(e, demand.skill):
                continue
            others = self.count[k] - mine
            if others < demand.required:
                cost -= under * demand.under_weight
            else:
                cost += over * demand.over_weight
        return cost

    def _count(self, e: int, row: Row, sign: int) -> None:
        """Add (+1) or remove (-1) a person's row from the cover counts."""
        for d, s in row.items():
            for k in self.demands.get((d, s), ()):
                if self.index.qualified(e, self.problem.cover[k].skill):
                    self.count[k] += sign

    def _row_cost(self, e: int, row: Row, own: Row) -> int:
        """Cost of ``row`` for ``e`` against the others (static part and cover)."""
        person = self._person(e)
        return sum(
            person.shift_cost.get((d, s), 0)
            + person.work_cost.get(d, 0)
            + self._cover_cost(e, d, s, own)
            for d, s in row.items()
        )

    def _left(self, deadline: float) -> float:
        """Seconds to ``deadline`` on the search's clock; none after an interrupt."""
        return 0.0 if interrupts.interrupted() else deadline - self.clock.now()

    def _solver(self, limit: float, lp: bool) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = 1
        self.clock.limit(solver, max(0.05, limit))
        with self.lock:
            params.random_seed = self.rng.randrange(1 << 30)
        if lp:  # the LP of the one-person model guides the search to good rows
            params.linearization_level = 2
        else:  # first legal row: restarts without LP or presolve are far faster
            params.linearization_level = 0  # (Instance22 person A: 0.1 s vs none in 20 s)
            params.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
            params.cp_model_presolve = False  # presolve was 1.9 s of 2.0 (Instance24)
        return solver

    def _feasible_row(self, e: int, limit: float) -> tuple[Row | None, bool]:
        """Any legal row for ``e`` (or None), and whether none exists."""
        rv = self._person(e).rv
        rv.model.clear_objective()
        rv.model.clear_hints()
        solver = self._solver(limit, lp=False)
        code = stoppable.solve(solver, rv.model)
        self.clock.charge(solver, rv.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, code == cp_model.INFEASIBLE
        return {d: s for (_, d, s), var in rv.x.items() if solver.boolean_value(var)}, False

    def _better_row(self, e: int, limit: float) -> Row | None:
        """The best row found for ``e`` against the others' current rows (hinted by its own)."""
        person = self._person(e)
        rv, model = person.rv, person.rv.model
        with self.lock:
            own = dict(self.rows[e] or {})
            variables: list[cp_model.IntVar] = []
            coefs: list[int] = []
            for (_, d, s), var in rv.x.items():
                coef = person.shift_cost.get((d, s), 0) + self._cover_cost(e, d, s, own)
                if coef:
                    variables.append(var)
                    coefs.append(coef)
        for d, coef in person.work_cost.items():
            variables.append(rv.work[0][d])
            coefs.append(coef)
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefs))
        model.clear_hints()
        for (_, d, s), var in rv.x.items():
            model.add_hint(var, 1 if own.get(d) == s else 0)
        for d, var in enumerate(rv.work[0]):
            model.add_hint(var, 1 if d in own else 0)
        solver = self._solver(min(limit, self.step), lp=True)
        code = stoppable.solve(solver, model)
        self.clock.charge(solver, model)
        with self.lock:  # adapt the effort: long enough to find rows, no longer
            if code == cp_model.OPTIMAL:
                self.step = max(MIN_STEP, 0.9 * self.step)
            elif code != cp_model.FEASIBLE:
                self.step = min(MAX_STEP, 1.5 * self.step)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {d: s for (_, d, s), var in rv.x.items() if solver.boolean_value(var)}

    def _commit(self, e: int, row: Row) -> bool:
        """Replace e's row if strictly cheaper against the others' rows as they are now."""
        with self.lock:
            own = self.rows[e] or {}
            if self._row_cost(e, row, own) >= self._row_cost(e, own, own):
                return False
            self._count(e, own, -1)
            self._count(e, row, +1)
            self.rows[e] = row
            return True

    # -- group moves (groups.py) --------------------------------------------------------

    def _pick_group(self) -> list[int]:
        """A person and colleagues sharing one of their skills (anybody if none).

        Random, unless reduced costs are known (``excess``): then most groups start
        from a person drawn by their row's excess, and colleagues with an excess are
        likelier to join (the roster's gap to the bound is in those rows).
        """
        staff = self.problem.staff
        people = range(len(staff))
        excess = self._excesses()
        if excess is not None and (sum(excess) <= 0 or self.rng.random() < RANDOM_GROUPS):
            excess = None  # this group at random
        if excess is None:
            e = self.rng.randrange(len(staff))
        else:
            e = self.rng.choices(people, weights=excess)[0]
        skills = set(staff[e].skills)
        mates = [f for f in people if f != e and skills & set(staff[f].skills)]
        if len(mates) < self.group_size - 1:
            mates = [f for f in people if f != e]
        size = min(len(mates), self.group_size - 1)
        if excess is None:
            return [e, *self.rng.sample(mates, size)]
        weights = [1 + MATE_EXCESS * excess[f] for f in mates]
        group = [e]
        for _ in range(size):
            i = self.rng.choices(range(len(mates)), weights=weights)[0]
            group.append(mates.pop(i))
            weights.pop(i)
        return group

    def _excesses(self) -> list[float] | None:
        """Each person's ``excess`` on their current row (None if not known)."""
        if self.excess is None:
            return None
        return [self.excess(e, row or {}) for e, row in enumerate(self.rows)]

    def _covers(self, e: int, row: Row) -> list[int]:
        """The cover demands e's row counts towards (one entry per counted shift)."""
        cover = self.problem.cover
        return [
            k
            for d, s in row.items()
            for k in self.demands.get((d, s), ())
            if self.index.qualified(e, cover[k].skill)
        ]

    def _demand_cost(self, k: int, n: int) -> int:
        demand = self.problem.cover[k]
        under = self.weights.get("under_cover", 0) * demand.under_weight
        over = self.weights.get("over_cover", 0) * demand.over_weight
        return under * max(0, demand.required - n) + over * max(0, n - demand.required)

    def _group_delta(self, group: list[int], old: list[Row], new: list[Row]) -> int:
        """Cost change when the group's rows go from ``old`` to ``new`` (others fixed)."""
        delta = 0
        change: dict[int, int] = {}
        for e, before, after in zip(group, old, new, strict=True):
            person = self._person(e)
            for row, sign in ((before, -1), (after, +1)):
                delta += sign * sum(
                    person.shift_cost.get((d, s), 0) + person.work_cost.get(d, 0)
                    for d, s in row.items()
                )
                for k in self._covers(e, row):
                    change[k] = change.get(k, 0) + sign
        for k, diff in change.items():
            if diff:
                n = self.count[k]
                delta += self._demand_cost(k, n + diff) - self._demand_cost(k, n)
        return delta

    def _group_move(self, deadline: float) -> bool:
        """Re-solve one group against everybody else; True if the roster got cheaper."""
        assert self.group_solver is not None
        left = self._left(deadline)
        if left <= 0.5:
            return False
        with self.lock:
            group = self._pick_group()
            rows = [dict(self.rows[e] or {}) for e in group]
            others = list(self.count)
            for e, row in zip(group, rows, strict=True):
                for k in self._covers(e, row):
                    others[k] -= 1
            seed = self.rng.randrange(1 << 30)
        options = SolveOptions(
            time_limit=min(left, GROUP_STEP),
            seed=seed,
            stage_weights=self.weights_given,
        )
        new, proven = solve_group(self.problem, group, rows, others, self.group_solver, options)
        with self.lock:
            if proven:
                self.group_size = min(MAX_GROUP, self.group_size + 1)
            else:
                self.group_size = max(MIN_GROUP, self.group_size - 1)
            if new is None:
                return False
            current = [self.rows[e] or {} for e in group]
            if self._group_delta(group, current, new) >= 0:
                return False
            self._replace_rows(group, current, new)
            return True

    def window_move(self, deadline: float) -> bool:
        """Re-solve everybody on a window of days (the rest fixed); True if cheaper.

        Runs alone (on all workers), so the rows cannot change while it solves.
        """
        assert self.group_solver is not None
        left = self._left(deadline)
        if left <= 0.5:
            return False
        days = min(self.window_days, self.index.num_days)
        first = self.rng.randrange(self.index.num_days - days + 1)
        rows = [dict(row or {}) for row in self.rows]
        options = SolveOptions(
            time_limit=min(left, WINDOW_STEP),
            workers=self.workers,
            seed=self.rng.randrange(1 << 30),
            stage_weights=self.weights_given,
        )
        new, proven = solve_window(self.problem, rows, first, days, self.group_solver, options)
        if proven:
            self.window_days = min(MAX_WINDOW, self.window_days + 1)
        else:
            self.window_days = max(MIN_WINDOW, self.window_days - 1)
        everybody = list(range(self.index.num_staff))
        if new is None or self._group_delta(everybody, rows, new) >= 0:
            return False
        self._replace_rows(everybody, rows, new)
        return True

    def _replace_rows(self, people: list[int], old: list[Row], new: list[Row]) -> None:
        """Swap ``people``'s rows from ``old`` to ``new`` in the rows and cover counts."""
        for e, before, after in zip(people, old, new, strict=True):
            self._count(e, before, -1)
            self._count(e, after, +1)
            self.rows[e] = after

    def _next_move(self) -> str:
        """Group moves or a window move, in proportion to what each has gained per second."""
        if not self.windows:
            return "groups"
        groups, window = self.moves["groups"].rate(), self.moves["window"].rate()
        share = min(1 - MIN_SHARE, max(MIN_SHARE, window / (groups + window)))
        return "window" if self.rng.random() < share else "groups"

    def improve_groups(self, deadline: float, moves: int) -> int:
        """``moves`` group moves; how many lowered the cost."""

        def one(_: int) -> bool:
            return self._group_move(deadline)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return sum(pool.map(one, range(moves)))

    # -- the search ------------------------------------------------------------------

    def roster(self) -> dict[tuple[int, int], int]:
        with self.lock:
            return {(e, d): s for e, row in enumerate(self.rows) if row for d, s in row.items()}

    def cost(self, roster: Roster) -> int:
        costs = evaluate(self.index, roster)
        return sum(self.weights.get(rule, 0) * value for rule, value in costs.items())

    def construct(self, deadline: float) -> tuple[bool, bool]:
        """A legal row for everybody; (all found, some person has no legal row).

        Rows are solved until ``deadline`` (on the search's clock). After it, a person
        no hard rule makes work (``_must_work``) gets the all-days-off row unsolved,
        which is legal. Anybody else gets no row, so the roster is incomplete (not all
        found) and the search has no roster to return; except that in a reproducible
        run (a work clock) their rows are still solved until the clock's wall-clock
        cap (``_overtime``).
        """
        infeasible = False
        must_work = self._must_work()

        def one(e: int) -> bool:
            nonlocal infeasible
            if infeasible:
                return False
            left = self._left(deadline)
            row: Row | None = {}
            if left > 0 or (e in must_work and self._overtime()):
                row, none = self._feasible_row(e, left)
                infeasible = infeasible or none
            elif e in must_work:
                return False
            if row is None:
                return False
            with self.lock:
                self.rows[e] = row
                self._count(e, row, +1)
            return True

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            found = list(pool.map(one, range(self.index.num_staff)))
        return all(found), infeasible

    def _overtime(self) -> bool:
        """Whether rows that must be worked are still solved past the deadline: only
        on a work clock, until its wall-clock cap (``runner.WALL_CAP`` x the limit).

        The work clock charges a one-person solve about twice its wall time (500 staff
        x 56 days: 9.9 work seconds for 4.5 s), so stopping the first roster there
        would give up well within the limit (UNKNOWN after 4.4 s of a 10 s limit). The
        run stays reproducible unless the cap is reached.
        """
        if interrupts.interrupted():
            return False
        return self.clock.deterministic and time.perf_counter() < self.clock.cap

    def _must_work(self) -> set[int]:
        """People some hard rule makes work: a minimum of minutes or a pinned shift.

        Nobody else has to: the other hard rules of a decomposable problem are upper
        limits, and the minimum runs of work and of days off bind only around a worked
        day, so every day off is a legal row for them.
        """
        pinned = {e for (e, _), s in self.index.pins.items() if s is not None}
        minimum = {e for e in range(self.index.num_staff) if self.problem.minimum_minutes(e) > 0}
        return pinned | minimum

    def improve_pass(self, deadline: float) -> int:
        """One best-response pass over everybody in random order; rows changed."""
        order = list(range(self.index.num_staff))
        self.rng.shuffle(order)

        def one(e: int) -> bool:
            left = self._left(deadline)
            if left <= 0.05:
                return False
            row = self._better_row(e, left)
            return row is not None and self._commit(e, row)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return sum(pool.map(one, order))

    def run(
        self,
        deadline: float,
        first_only: bool = False,
        on_roster: Callable[[dict[tuple[int, int], int], int], None] | None = None,
    ) -> StaffwiseOutcome:
        """Legal rows first, then improving passes until ``deadline`` or no gain.

        Best responses (one person at a time) until a pass changes nothing; then, with
        a ``group_solver``, rounds of group moves or window moves (chosen by what each
        has gained per second lately) until ``IDLE_GROUP_PASSES`` x staff moves in a
        row change nothing; without one, best responses at rising effort.
        """
        complete, infeasible = self.construct(deadline)
        if not complete:
            return StaffwiseOutcome(None, None, infeasible, 0)
        roster = self.roster()
        cost = self.cost(roster)
        if on_roster is not None:
            on_roster(roster, cost)
        passes = idle_moves = 0
        groups = False
        columns = self.column_phase
        round_moves = GROUP_ROUND * self.workers
        # Every commit lowers the cost, so the current rows are always the best roster
        # (also when the deadline cuts a pass short).
        while not first_only and self._left(deadline) > 0.05:
            if groups:
                kind, began = self._next_move(), self.clock.now()
                if kind == "window":
                    changed = int(self.window_move(deadline))
                else:
                    changed = self.improve_groups(deadline, round_moves)
            else:
                changed = self.improve_pass(deadline)
            passes += 1
            new = self.roster()
            new_cost = self.cost(new)
            if groups:
                self.moves[kind].record(cost - new_cost, self.clock.now() - began)
            if new_cost < cost:
                roster, cost = new, new_cost
                if on_roster is not None:
                    on_roster(roster, cost)
            if groups:
                idle_moves = 0 if changed else idle_moves + round_moves
                if idle_moves >= IDLE_GROUP_PASSES * self.index.num_staff:
                    break
            elif not changed:  # a local optimum for single rows at this effort
                if columns is not None:  # its roster, if cheaper, gets best responses again
                    columns(deadline)
                    columns = None
                    new = self.roster()
                    new_cost = self.cost(new)
                    if new_cost < cost:
                        roster, cost = new, new_cost
                        if on_roster is not None:
                            on_roster(roster, cost)
                    continue
                if self.group_solver is not None:
                    groups = True
                elif self.step >= MAX_STEP:
                    break
                else:
                    self.step = min(MAX_STEP, 2 * self.step)
        return StaffwiseOutcome(roster, cost, False, passes)
