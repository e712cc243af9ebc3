"""The staff-by-staff search: the rows and their cover counts, best responses, group and
window moves, and the run loop that chooses between them."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.roster import ROSTER_PENALTY_RULES
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.roster.groups import GroupSolver, solve_group, solve_window
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.objective import Roster, evaluate
from optimizer.solvers.cpsat.roster.staffwise.cover import Cover
from optimizer.solvers.cpsat.roster.staffwise.group_pick import pick_group
from optimizer.solvers.cpsat.roster.staffwise.move_choice import MoveChoice
from optimizer.solvers.cpsat.roster.staffwise.person import (
    Person,
    Row,
    people_who_must_work,
    person_solver,
)
from optimizer.solvers.cpsat.runner import Clock
from optimizer.solvers.options import SolveOptions

MIN_STEP, MAX_STEP = 0.5, 8.0
"""Seconds (on the search's clock) per one-person improving solve (adapted between these)."""

MIN_GROUP, MAX_GROUP = 2, 8
"""People per group move (``groups.py``; grows while groups are solved to optimality)."""

GROUP_STEP = 4.0
"""Seconds per group solve."""

MIN_WINDOW, FIRST_WINDOW, MAX_WINDOW = 2, 4, 14
"""Days per window move (everybody re-solved on those days; adapts like the group size)."""

WINDOW_STEP = 6.0
"""Seconds per window move (one solve on all workers)."""

GROUP_ROUND = 4
"""Group moves per worker between two progress reports."""

IDLE_GROUP_PASSES = 3
"""The search ends after this many times as many group moves as there are people in a
row without a gain."""


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
        self.people: list[Person | None] = [None] * index.num_staff
        self.rows: list[Row | None] = [None] * index.num_staff
        self.cover = Cover(index, self.weights)
        """The cover demands and the rows' counts towards them."""
        self.lock = threading.Lock()
        self.step = 1.0
        self.group_solver = group_solver
        self.group_size = MIN_GROUP
        self.windows = windows
        self.window_days = FIRST_WINDOW
        self.moves = MoveChoice()
        self.column_phase: Callable[[float], None] | None = None
        """Run once at the first local optimum of the best responses (``columns.py``)."""
        self.excess: Callable[[int, Row], float] | None = None
        """How much more a person's row costs, in reduced cost, than their cheapest row
        (set by the column phase). A roster's cost exceeds the Lagrangian bound (before
        rounding up) by at least the sum: group moves start where it is."""

    # -- one person at a time ----------------------------------------------------------

    def _person(self, e: int) -> Person:
        """``e``'s one-person model and static costs (built on first use)."""
        person = self.people[e]
        if person is None:
            person = Person.build(self.problem, e, self.weights)
            self.people[e] = person
        return person

    def _row_cost(self, e: int, row: Row, own: Row) -> int:
        """Cost of ``row`` for ``e`` against the others (static part and cover).

        ``own`` is e's row as counted in the cover counts.
        """
        marginal = self.cover.marginal
        return self._person(e).static_cost(row) + sum(
            marginal(e, d, s, own) for d, s in row.items()
        )

    def _left(self, deadline: float) -> float:
        """Seconds to ``deadline`` on the search's clock; none after an interrupt."""
        return 0.0 if interrupts.interrupted() else deadline - self.clock.now()

    def _solver(self, limit: float, lp: bool) -> cp_model.CpSolver:
        """A solver for a one-person model (``person_solver``) seeded from the search."""
        with self.lock:
            seed = self.rng.randrange(1 << 30)
        return person_solver(self.clock, limit, seed, lp)

    def _feasible_row(self, e: int, limit: float) -> tuple[Row | None, bool]:
        """Any legal row for ``e`` (or None), and whether none exists."""
        person = self._person(e)
        person.any_row()
        solver = self._solver(limit, lp=False)
        code = stoppable.solve(solver, person.rv.model)
        self.clock.charge(solver, person.rv.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, code == cp_model.INFEASIBLE
        return person.row(solver), False

    def _better_row(self, e: int, limit: float) -> Row | None:
        """The best row found for ``e`` against the others' current rows (hinted by its own)."""
        person = self._person(e)
        with self.lock:
            own = dict(self.rows[e] or {})
            cover = {(d, s): self.cover.marginal(e, d, s, own) for _, d, s in person.rv.x}
        person.best_response(cover, own)
        model = person.rv.model
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
        return person.row(solver)

    def _commit(self, e: int, row: Row) -> bool:
        """Replace e's row if strictly cheaper against the others' rows as they are now."""
        with self.lock:
            own = self.rows[e] or {}
            if self._row_cost(e, row, own) >= self._row_cost(e, own, own):
                return False
            self.cover.add(e, own, -1)
            self.cover.add(e, row, +1)
            self.rows[e] = row
            return True

    # -- group and window moves (groups.py) ----------------------------------------------

    def _pick_group(self) -> list[int]:
        """The people of the next group move (``pick_group``), guided by ``excess`` if set."""
        return pick_group(self.problem.staff, self.group_size, self._excesses(), self.rng)

    def _excesses(self) -> list[float] | None:
        """Each person's ``excess`` on their current row (None if not known)."""
        if self.excess is None:
            return None
        return [self.excess(e, row or {}) for e, row in enumerate(self.rows)]

    def _group_delta(self, group: list[int], old: list[Row], new: list[Row]) -> int:
        """Cost change when the group's rows go from ``old`` to ``new`` (others fixed)."""
        delta = 0
        change: dict[int, int] = {}
        for e, before, after in zip(group, old, new, strict=True):
            person = self._person(e)
            for row, sign in ((before, -1), (after, +1)):
                delta += sign * person.static_cost(row)
                for k in self.cover.covers(e, row):
                    change[k] = change.get(k, 0) + sign
        return delta + self.cover.change_cost(change)

    def _group_move(self, deadline: float) -> bool:
        """Re-solve one group against everybody else; True if the roster got cheaper."""
        assert self.group_solver is not None
        left = self._left(deadline)
        if left <= 0.5:
            return False
        with self.lock:
            group = self._pick_group()
            rows = [dict(self.rows[e] or {}) for e in group]
            others = list(self.cover.count)
            for e, row in zip(group, rows, strict=True):
                for k in self.cover.covers(e, row):
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
            self.cover.add(e, before, -1)
            self.cover.add(e, after, +1)
            self.rows[e] = after

    def _next_move(self) -> str:
        """Group moves, or with ``windows`` on a window move (``MoveChoice.next``)."""
        if not self.windows:
            return "groups"
        return self.moves.next(self.rng)

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
        no hard rule makes work (``people_who_must_work``) gets the all-days-off row
        unsolved, which is legal. Anybody else gets no row, so the roster is incomplete
        (not all found) and the search has no roster to return; except that in a
        reproducible run (a work clock) their rows are still solved until the clock's
        wall-clock cap (``_overtime``).
        """
        infeasible = False
        must_work = people_who_must_work(self.index)

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
                self.cover.add(e, row, +1)
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
                self.moves.record(kind, cost - new_cost, self.clock.now() - began)
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
