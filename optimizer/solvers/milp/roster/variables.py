"""Decision variables of the rostering MILP.

``x[p, d, t]`` = 1 when staff ``p`` works shift ``t`` on day ``d`` (integer indices
in ``problem.staff`` / day / ``problem.shifts`` order). Cover gets one
under- and one over-staffing slack per demand; a weekend indicator per staff
member and weekend exists only for contracts with ``max_weekends``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from optimizer.model.roster import RosterProblem


@dataclass
class RosterVariables:
    """All variables of one model plus the expressions built from them."""

    problem: RosterProblem
    x: dict[tuple[int, int, int], pulp.LpVariable]
    under: dict[int, pulp.LpVariable] = field(default_factory=dict)
    over: dict[int, pulp.LpVariable] = field(default_factory=dict)
    weekend: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)

    @property
    def num_staff(self) -> int:
        return len(self.problem.staff)

    @property
    def num_days(self) -> int:
        return self.problem.num_days

    @property
    def num_shifts(self) -> int:
        return len(self.problem.shifts)

    def works(self, p: int, d: int) -> pulp.LpAffineExpression:
        """1 if staff ``p`` works any shift on day ``d`` (at most one shift a day)."""
        return pulp.lpSum(self.x[p, d, t] for t in range(self.num_shifts))

    def qualified(self, skill: str | None) -> list[int]:
        """Staff indices counting towards a demand for ``skill`` (None: everybody)."""
        return [
            p
            for p, person in enumerate(self.problem.staff)
            if skill is None or skill in person.skills
        ]

    def staffing(self, demand_index: int) -> pulp.LpAffineExpression:
        """Number of qualified staff on the demand's day and shift."""
        demand = self.problem.cover[demand_index]
        t = self.problem.shift_index[demand.shift]
        return pulp.lpSum(self.x[p, demand.day, t] for p in self.qualified(demand.skill))


def new_variable(
    lp: pulp.LpProblem,
    name: str,
    low: float | None = 0,
    up: float | None = None,
    cat: str = pulp.LpContinuous,
) -> pulp.LpVariable:
    """A variable owned by ``lp`` (PuLP ≥ 3.3 style; plain ``LpVariable`` before)."""
    if hasattr(lp, "add_variable"):
        return lp.add_variable(name, low, up, cat=cat)
    return pulp.LpVariable(name, low, up, cat=cat)


def make_variables(lp: pulp.LpProblem, problem: RosterProblem) -> RosterVariables:
    """Create the binary assignment grid, cover slacks and weekend indicators."""
    x = {
        (p, d, t): new_variable(lp, f"x_{p}_{d}_{t}", 0, 1, pulp.LpBinary)
        for p in range(len(problem.staff))
        for d in range(problem.num_days)
        for t in range(len(problem.shifts))
    }
    variables = RosterVariables(problem, x)
    for c in range(len(problem.cover)):
        variables.under[c] = new_variable(lp, f"under_{c}")
        variables.over[c] = new_variable(lp, f"over_{c}")
    weekends = problem.weekends
    for p, person in enumerate(problem.staff):
        if person.contract.max_weekends is None:
            continue
        for k in range(len(weekends)):
            # continuous is enough: forced up to 1 by any worked weekend day
            variables.weekend[p, k] = new_variable(lp, f"weekend_{p}_{k}", 0, 1)
    return variables
