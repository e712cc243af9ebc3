"""Hard rules of the rostering MILP, one private method per rule.

Written from the model semantics in ``optimizer/model/roster/`` (Curtois–Qu
H1–H9). With ``w[p, d] = sum_t x[p, d, t]`` (1 if ``p`` works on ``d``):

* max consecutive work ``M``: every window of ``M + 1`` days inside the horizon
  holds at most ``M`` worked days (days outside the horizon are off);
* min consecutive work ``k``: a run starting on ``d >= 1`` (``w[d-1] = 0``,
  ``w[d] = 1``) continues for ``k - 1`` more days, as far as the horizon goes:
  ``w[d] - w[d-1] <= w[d+j]``; runs touching day 0 or the last day are exempt;
* min consecutive off ``k``: symmetric, ``w[d-1] - w[d] <= 1 - w[d+j]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulp

from optimizer.model.roster import RosterProblem
from optimizer.solvers.milp import clock
from optimizer.solvers.milp.roster.variables import RosterVariables, new_variable


class RosterConstraints:
    """Adds every hard rule (and the stage caps) to a PuLP model.

    With a ``deadline`` (``clock.py``), raises ``clock.OutOfTime`` between rules once
    it has passed: building a large model takes seconds of the time limit.
    """

    def __init__(
        self,
        lp: pulp.LpProblem,
        variables: RosterVariables,
        costs: Mapping[str, pulp.LpAffineExpression],
        stage_caps: Sequence[tuple[Mapping[str, int], int]] = (),
        deadline: float | None = None,
    ) -> None:
        self.lp = lp
        self.v = variables
        self.problem: RosterProblem = variables.problem
        self.costs = costs
        self.stage_caps = stage_caps
        self.deadline = deadline

    def add_constraints(self) -> None:
        """Every rule, in the order of the model's documentation."""
        rules = (
            self._one_shift_per_day,
            self._unavailability,
            self._pins,
            self._forbidden_successions,
            self._max_shifts_per_type,
            self._max_shifts,
            self._total_minutes,
            self._max_consecutive_work,
            self._min_consecutive_work,
            self._min_consecutive_off,
            self._max_weekends,
            self._min_required_cover,
            self._cover_balance,
            self._stage_caps,
        )
        for rule in rules:
            clock.check(self.deadline)
            rule()

    # -- helpers ----------------------------------------------------------------------

    def _add(self, constraint: pulp.LpConstraint, name: str) -> None:
        self.lp += constraint, name

    def _staff_days(self) -> list[tuple[int, int]]:
        return [(p, d) for p in range(self.v.num_staff) for d in range(self.v.num_days)]

    # -- rules ------------------------------------------------------------------------

    def _one_shift_per_day(self) -> None:
        for p, d in self._staff_days():
            self._add(self.v.works(p, d) <= 1, f"one_shift_{p}_{d}")

    def _unavailability(self) -> None:
        index = self.problem.staff_index
        for u, unav in enumerate(self.problem.unavailability):
            p = index[unav.staff]
            for d in range(unav.first_day, unav.last_day + 1):
                for t, shift in enumerate(self.problem.shifts):
                    if unav.covers(d, shift.id):
                        self._add(self.v.x[p, d, t] == 0, f"unavailable_{u}_{d}_{t}")

    def _pins(self) -> None:
        for i, pin in enumerate(self.problem.pins):
            p = self.problem.staff_index[pin.staff]
            if pin.shift is None:
                self._add(self.v.works(p, pin.day) == 0, f"pin_off_{i}")
            else:
                t = self.problem.shift_index[pin.shift]
                self._add(self.v.x[p, pin.day, t] == 1, f"pin_{i}")

    def _forbidden_successions(self) -> None:
        """x[p, d, t] + sum of the forbidden followers on day d+k <= 1.

        ``k`` is 1 for successions and next-day rest, 2 or more for long rests.
        """
        index = self.problem.shift_index
        followers: dict[tuple[int, int], list[int]] = {}
        for first, second in self.problem.forbidden_successions():
            followers.setdefault((1, index[first]), []).append(index[second])
        for first, second, k in self.problem.forbidden_later_successions():
            followers.setdefault((k, index[first]), []).append(index[second])
        x = self.v.x
        for p, d in self._staff_days():
            for (k, t), nexts in sorted(followers.items()):
                if d + k >= self.v.num_days:
                    continue
                later = pulp.lpSum(x[p, d + k, u] for u in nexts)
                name = f"succession_{p}_{d}_{t}" if k == 1 else f"rest_{p}_{d}_{t}_{k}"
                self._add(x[p, d, t] + later <= 1, name)

    def _max_shifts_per_type(self) -> None:
        for p, person in enumerate(self.problem.staff):
            for shift_id, limit in person.contract.max_shifts_per_type.items():
                t = self.problem.shift_index[shift_id]
                total = pulp.lpSum(self.v.x[p, d, t] for d in range(self.v.num_days))
                self._add(total <= limit, f"max_type_{p}_{t}")

    def _max_shifts(self) -> None:
        for p, person in enumerate(self.problem.staff):
            if person.contract.max_shifts is None:
                continue
            total = pulp.lpSum(self.v.works(p, d) for d in range(self.v.num_days))
            self._add(total <= person.contract.max_shifts, f"max_shifts_{p}")

    def _total_minutes(self) -> None:
        for p, person in enumerate(self.problem.staff):
            minutes = pulp.lpSum(
                shift.length_minutes * self.v.x[p, d, t]
                for d in range(self.v.num_days)
                for t, shift in enumerate(self.problem.shifts)
            )
            contract = person.contract
            minimum = self.problem.minimum_minutes(p)
            if minimum > 0:
                self._add(minutes >= minimum, f"min_minutes_{p}")
            if contract.max_minutes is not None:
                self._add(minutes <= contract.max_minutes, f"max_minutes_{p}")

    def _max_consecutive_work(self) -> None:
        days = self.v.num_days
        for p, person in enumerate(self.problem.staff):
            limit = person.contract.max_consecutive_work
            if limit is None or limit >= days:
                continue
            for first in range(days - limit):
                window = pulp.lpSum(self.v.works(p, d) for d in range(first, first + limit + 1))
                self._add(window <= limit, f"max_consecutive_{p}_{first}")

    def _min_consecutive_work(self) -> None:
        days = self.v.num_days
        for p, person in enumerate(self.problem.staff):
            need = person.contract.min_consecutive_work
            for d in range(1, days):
                starts = self.v.works(p, d) - self.v.works(p, d - 1)
                for j in range(1, min(need, days - d)):
                    self._add(starts <= self.v.works(p, d + j), f"min_consecutive_{p}_{d}_{j}")

    def _min_consecutive_off(self) -> None:
        days = self.v.num_days
        for p, person in enumerate(self.problem.staff):
            need = person.contract.min_consecutive_off
            for d in range(1, days):
                rests = self.v.works(p, d - 1) - self.v.works(p, d)
                for j in range(1, min(need, days - d)):
                    self._add(rests <= 1 - self.v.works(p, d + j), f"min_off_{p}_{d}_{j}")

    def _max_weekends(self) -> None:
        weekends = self.problem.weekends
        for p, person in enumerate(self.problem.staff):
            limit = person.contract.max_weekends
            if limit is None:
                continue
            for k, group in enumerate(weekends):
                for d in group:
                    self._add(self.v.weekend[p, k] >= self.v.works(p, d), f"weekend_{p}_{k}_{d}")
            total = pulp.lpSum(self.v.weekend[p, k] for k in range(len(weekends)))
            self._add(total <= limit, f"max_weekends_{p}")

    def _min_required_cover(self) -> None:
        for c, demand in enumerate(self.problem.cover):
            if demand.min_required > 0:
                self._add(self.v.staffing(c) >= demand.min_required, f"min_required_{c}")

    def _cover_balance(self) -> None:
        """Soft cover: slacks at least the shortfall and the excess."""
        for c, demand in enumerate(self.problem.cover):
            staffing = self.v.staffing(c)
            self._add(self.v.under[c] >= demand.required - staffing, f"under_{c}")
            self._add(self.v.over[c] >= staffing - demand.required, f"over_{c}")

    def _stage_caps(self) -> None:
        """Earlier lexicographic stages: their weighted cost may not exceed the cap."""
        for i, (weights, cap) in enumerate(self.stage_caps):
            total = pulp.lpSum(
                multiplier * self.costs[rule] for rule, multiplier in weights.items() if multiplier
            )
            if len(total) == 0:  # no variables: a constant cost
                if total.constant <= cap:
                    continue
                impossible = new_variable(self.lp, f"stage_cap_broken_{i}", 0, 0)
                total = pulp.LpAffineExpression(impossible) + cap + 1
            self._add(total <= cap, f"stage_cap_{i}")
