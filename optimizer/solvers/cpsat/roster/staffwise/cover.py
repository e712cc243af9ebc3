"""The cover counts of a roster's rows, and what a change of rows does to the cover cost."""

from __future__ import annotations

from collections.abc import Mapping

from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.staffwise.person import Row


class Cover:
    """How many counted people each cover demand has, and the cover cost of changes.

    A person counts towards a demand when they work its day and shift and are
    qualified for its skill. The counts follow the rows they are told about (``add``).
    """

    def __init__(self, index: RosterIndex, weights: Mapping[str, int]) -> None:
        self.index = index
        self.problem = index.problem
        self.under = weights.get("under_cover", 0)
        self.over = weights.get("over_cover", 0)
        self.demands: dict[tuple[int, int], list[int]] = {}
        """Cover demands by (day, shift)."""
        for k, demand in enumerate(self.problem.cover):
            key = (demand.day, self.problem.shift_index[demand.shift])
            self.demands.setdefault(key, []).append(k)
        self.count = [0] * len(self.problem.cover)

    def covers(self, e: int, row: Row) -> list[int]:
        """The cover demands e's row counts towards (one entry per counted shift)."""
        cover = self.problem.cover
        return [
            k
            for d, s in row.items()
            for k in self.demands.get((d, s), ())
            if self.index.qualified(e, cover[k].skill)
        ]

    def add(self, e: int, row: Row, sign: int) -> None:
        """Add (+1) or remove (-1) a person's row from the counts."""
        for d, s in row.items():
            for k in self.demands.get((d, s), ()):
                if self.index.qualified(e, self.problem.cover[k].skill):
                    self.count[k] += sign

    def marginal(self, e: int, d: int, s: int, own: Row) -> int:
        """What ``e`` on shift ``s`` on day ``d`` adds to the cover cost, given the others.

        ``own`` is e's row as counted (it is taken out first).
        """
        cost = 0
        mine = own.get(d) == s
        for k in self.demands.get((d, s), ()):
            demand = self.problem.cover[k]
            if not self.index.qualified(e, demand.skill):
                continue
            others = self.count[k] - mine
            if others < demand.required:
                cost -= self.under * demand.under_weight
            else:
                cost += self.over * demand.over_weight
        return cost

    def demand_cost(self, k: int, n: int) -> int:
        """Cover demand ``k``'s cost with ``n`` people counted."""
        demand = self.problem.cover[k]
        under = self.under * demand.under_weight
        over = self.over * demand.over_weight
        return under * max(0, demand.required - n) + over * max(0, n - demand.required)

    def change_cost(self, change: Mapping[int, int]) -> int:
        """Cost change when each demand ``k``'s count changes by ``change[k]``."""
        delta = 0
        for k, diff in change.items():
            if diff:
                n = self.count[k]
                delta += self.demand_cost(k, n + diff) - self.demand_cost(k, n)
        return delta
