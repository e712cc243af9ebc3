"""Hard rules of the roster model, one private method per rule (see RULES in the model)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer.solvers.cpsat.roster.variables import RosterVars


class RosterConstraints:
    """Adds every hard rule of a :class:`RosterProblem` to the CP-SAT model."""

    def __init__(self, rv: RosterVars) -> None:
        self.rv = rv
        self.model = rv.model
        self.index = rv.index
        self.problem = rv.index.problem

    def add_constraints(self) -> None:
        self._one_shift_per_day()
        self._unavailability()
        self._pins()
        self._forbidden_successions()
        self._max_shifts_per_type()
        self._max_shifts()
        self._total_minutes()
        self._max_consecutive_work()
        self._min_consecutive_work()
        self._min_consecutive_off()
        self._max_weekends()
        self._min_cover()

    # -- rules -----------------------------------------------------------------------

    def _one_shift_per_day(self) -> None:
        """``work[e][d]`` (a 0/1 variable) is the sum of the day's shift variables."""
        for e in range(self.index.num_staff):
            for d in range(self.index.num_days):
                pairs = self.rv.by_staff_day[e][d]
                work = self.rv.work[e][d]
                if pairs:
                    self.model.add(work == cp_model.LinearExpr.sum([v for _, v in pairs]))
                else:
                    self.model.add(work == 0)

    def _unavailability(self) -> None:
        """No shift the person is unavailable for (such triples mostly have no variable)."""
        for key in self.index.blocked:
            var = self.rv.x.get(key)
            if var is not None:
                self.model.add(var == 0)

    def _pins(self) -> None:
        """A pinned day is fixed to its shift, or to a day off."""
        for (e, d), s in self.index.pins.items():
            if s is None:
                self.model.add(self.rv.work[e][d] == 0)
                continue
            var = self.rv.x.get((e, d, s))
            if var is None:  # the pin contradicts a contract limit of 0: infeasible
                self.model.add_bool_or([])
            else:
                self.model.add(var == 1)

    def _forbidden_successions(self) -> None:
        """x[d, a] + sum_{b forbidden after a} x[d+k, b] <= 1 (valid: one shift a day).

        ``k`` is 1 for successions and next-day rest, 2 or more for long rests. Shifts
        with the same forbidden set share one 0/1 sum of the later day's shifts, which
        keeps this rule small when many shifts forbid the same ones.
        """
        self._forbid_pairs(self.index.successions, 1)
        for k, pairs in self.index.later_successions.items():
            self._forbid_pairs(pairs, k)

    def _forbid_pairs(self, pairs: list[tuple[int, int]], k: int) -> None:
        """No shift ``a`` on day d followed by ``b`` on day d+k, for each (a, b)."""
        after: dict[int, list[int]] = {}
        for a, b in pairs:
            after.setdefault(a, []).append(b)
        groups: dict[tuple[int, ...], list[int]] = {}
        for a, blocked in after.items():
            groups.setdefault(tuple(sorted(blocked)), []).append(a)
        model = self.model
        for e in range(self.index.num_staff):
            rows = self.rv.by_staff_day[e]
            for d in range(self.index.num_days - k):
                today = dict(rows[d])
                later = dict(rows[d + k])
                for forbidden, firsts in groups.items():
                    present = [today[a] for a in firsts if a in today]
                    nxt = [later[b] for b in forbidden if b in later]
                    if not present or not nxt:
                        continue
                    if len(present) == 1 or len(nxt) == 1:
                        for first in present:
                            model.add(cp_model.LinearExpr.sum([first, *nxt]) <= 1)
                        continue
                    follows = model.new_bool_var("")
                    model.add(follows == cp_model.LinearExpr.sum(nxt))
                    for first in present:
                        model.add_implication(first, follows.negated())

    def _max_shifts_per_type(self) -> None:
        for e, person in enumerate(self.problem.staff):
            for shift_id, limit in person.contract.max_shifts_per_type.items():
                s = self.problem.shift_index[shift_id]
                days = [
                    v
                    for d in range(self.index.num_days)
                    if (v := self.rv.x.get((e, d, s))) is not None
                ]
                if limit < len(days):
                    self.model.add(cp_model.LinearExpr.sum(days) <= limit)

    def _max_shifts(self) -> None:
        for e, person in enumerate(self.problem.staff):
            limit = person.contract.max_shifts
            if limit is not None and limit < self.index.num_days:
                self.model.add(cp_model.LinearExpr.sum(self.rv.work[e]) <= limit)

    def _total_minutes(self) -> None:
        """minimum minutes (less credited leave) <= worked shift lengths <= max_minutes."""
        lengths = self.index.lengths
        for e, person in enumerate(self.problem.staff):
            contract = person.contract
            items = self._staff_items(e)
            minutes = cp_model.LinearExpr.weighted_sum(
                [v for _, v in items], [lengths[s] for (_, _, s), _ in items]
            )
            minimum = self.problem.minimum_minutes(e)
            if minimum > 0:
                self.model.add(minutes >= minimum)
            if contract.max_minutes is not None:
                self.model.add(minutes <= contract.max_minutes)

    def _max_consecutive_work(self) -> None:
        """Every window of max+1 days holds at least one day off."""
        for e, person in enumerate(self.problem.staff):
            limit = person.contract.max_consecutive_work
            if limit is None or limit >= self.index.num_days:
                continue
            work = self.rv.work[e]
            for start in range(self.index.num_days - limit):
                window = work[start : start + limit + 1]
                self.model.add(cp_model.LinearExpr.sum(window) <= limit)

    def _min_consecutive_work(self) -> None:
        """A run starting on day d >= 1 lasts >= min days unless it reaches the last day."""
        num_days = self.index.num_days
        for e, person in enumerate(self.problem.staff):
            need = person.contract.min_consecutive_work
            work = self.rv.work[e]
            for d in range(1, num_days):
                for j in range(1, need):
                    if d + j > num_days - 1:
                        break
                    # off on d-1 and on on d  =>  on on d+j
                    self.model.add_bool_or([work[d - 1], work[d].negated(), work[d + j]])

    def _min_consecutive_off(self) -> None:
        """A run of days off starting on d >= 1 lasts >= min days unless it reaches the end."""
        num_days = self.index.num_days
        for e, person in enumerate(self.problem.staff):
            need = person.contract.min_consecutive_off
            work = self.rv.work[e]
            for d in range(1, num_days):
                for j in range(1, need):
                    if d + j > num_days - 1:
                        break
                    # on on d-1 and off on d  =>  off on d+j
                    self.model.add_bool_or([work[d - 1].negated(), work[d], work[d + j].negated()])

    def _max_weekends(self) -> None:
        """A weekend counts as worked if any of its days is; at most max_weekends."""
        weekends = self.problem.weekends
        for e, person in enumerate(self.problem.staff):
            limit = person.contract.max_weekends
            if limit is None or limit >= len(weekends):
                continue
            flags = []
            for w, days in enumerate(weekends):
                flag = self.model.new_bool_var(f"we_{e}_{w}")
                for d in days:
                    self.model.add_implication(self.rv.work[e][d], flag)
                flags.append(flag)
            self.model.add(cp_model.LinearExpr.sum(flags) <= limit)

    def _min_cover(self) -> None:
        """Hard floor: at least min_required qualified staff on (day, shift)."""
        shift_of = self.problem.shift_index
        for demand in self.problem.cover:
            if demand.min_required > 0:
                staff = self.rv.staff_on(demand.day, shift_of[demand.shift], demand.skill)
                self.model.add(cp_model.LinearExpr.sum(staff) >= demand.min_required)

    # -- helpers ---------------------------------------------------------------------

    def _staff_items(self, e: int) -> list[tuple[tuple[int, int, int], cp_model.IntVar]]:
        return [
            ((e, d, s), v)
            for d in range(self.index.num_days)
            for s, v in self.rv.by_staff_day[e][d]
        ]
