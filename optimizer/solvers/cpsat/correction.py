"""A roster that breaks as few hard-rule instances as it can: the fallback of the
diagnosis when no conflicting set is proven in time.

``find_correction`` makes the feasibility model of ``diagnose`` elastic: every rule
instance's literal may be false, and the most true ones win. It then tries each broken
instance back on, and breaks the rest as little as it can. The roster proves that
relaxing what it breaks gives a roster, though not that those rules conflict.

Time limits are read on ``runner.Clock.current()``: the wall clock, or the work clock of
a reproducible diagnosis (which runs this on one worker); the seed is 0 either way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import DAY_MINUTES, RosterProblem
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.diagnose import FeasibilityModel, RuleInstance
from optimizer.solvers.cpsat.runner import Clock

FEWEST_SHARE = 0.6
"""Share of ``find_correction``'s time for the search for the fewest broken instances."""

BACK_ON_SHARE = 0.2
"""Share for trying broken instances back on (one short check each); the rest goes to
breaking what stays broken as little as possible."""


@dataclass
class CorrectionResult:
    """Outcome of ``find_correction``: a roster and the rule instances it breaks.

    ``roster`` is None when none was found in time; ``broken`` is empty when it breaks
    nothing. ``at_least`` is proven: every roster breaks at least that many instances
    (of those ``find_correction`` may break).
    """

    roster: RosterSolution | None = None
    broken: list[RuleInstance] = field(default_factory=list)
    at_least: int = 0
    mildest: bool = False
    """True when no roster that breaks only ``broken`` breaks them less (proven)."""

    @property
    def fewest(self) -> bool:
        """True when no roster breaks fewer instances (proven)."""
        return self.roster is not None and len(self.broken) <= self.at_least

    @property
    def feasible(self) -> bool | None:
        """True if the roster breaks nothing, False if every roster must break some."""
        if self.roster is not None and not self.broken:
            return True
        return False if self.at_least > 0 else None


@dataclass(frozen=True)
class _Slack:
    """How far a roster breaks one rule instance: ``broken`` (0 or 1) whether it does at
    all, by ``amount`` steps of ``most``, and in how many places (``places``: a run too
    long or too short, one flag per place it could start)."""

    broken: cp_model.LinearExpr
    amount: cp_model.LinearExpr
    most: int
    places: list[cp_model.IntVar] = field(default_factory=list)


def _overlapping(problem: RosterProblem) -> list[tuple[int, int, int]]:
    """(shift, later shift, k days later) of shifts nobody can work both of: the later
    starts before the first ends."""
    triples = []
    for a, first in enumerate(problem.shifts):
        for b, second in enumerate(problem.shifts):
            k = 1
            while k * DAY_MINUTES + second.start < first.end:
                triples.append((a, b, k))
                k += 1
    return triples


class _Elastic(FeasibilityModel):
    """The feasibility model for rosters that may break rule instances: those ``keep``
    names always hold, and nobody works two shifts that overlap (no waiver allows it)."""

    def __init__(
        self, problem: RosterProblem, keep: Callable[[RuleInstance], bool] | None = None
    ) -> None:
        super().__init__(problem)
        self.solver = cp_model.CpSolver()
        self.optimal = False
        if keep is not None:
            self.hold(instance for instance in self.literals if keep(instance))
        for first, second, k in _overlapping(problem):
            for p in range(len(problem.staff)):
                for d in range(problem.num_days - k):
                    self.model.add_bool_or(
                        [self.x[p, d, first].negated(), self.x[p, d + k, second].negated()]
                    )

    def hold(self, instances: Iterable[RuleInstance]) -> None:
        """Enforce ``instances`` as written."""
        for instance in instances:
            self.model.add(self.literals[instance] == 1)

    def hint(self, roster: RosterSolution) -> None:
        """Start the search from ``roster``."""
        shift_of = roster.by_staff_day()
        for (p, d, t), var in self.x.items():
            worked = shift_of.get((self.problem.staff[p].id, d)) == self.problem.shifts[t].id
            self.model.add_hint(var, worked)

    def run(self, time_limit: float, workers: int) -> RosterSolution | None:
        """The best roster found within ``time_limit`` (on ``Clock.current()``, which is
        charged; fixed seed)."""
        clock = Clock.current()
        clock.limit(self.solver, max(0.05, time_limit))
        self.solver.parameters.num_workers = workers
        self.solver.parameters.random_seed = 0
        status = stoppable.solve(self.solver, self.model)
        clock.charge(self.solver, self.model)
        self.optimal = status == cp_model.OPTIMAL
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        problem = self.problem
        assignments = tuple(
            Assignment(staff=problem.staff[p].id, day=d, shift=problem.shifts[t].id)
            for (p, d, t), var in self.x.items()
            if self.solver.boolean_value(var)
        )
        return RosterSolution(assignments=assignments)

    def slack(self, instance: RuleInstance) -> _Slack:
        """Let ``instance`` be broken, by as little as the objective asks: a pin, a day of
        leave or a succession is broken or not; any other rule holds loosened by
        ``amount`` steps (0: as written)."""
        literal = self.literals[instance]
        if instance.rule in ("pin", "unavailable", "succession"):
            return _Slack(1 - literal, 1 - literal, 1)
        self.model.add(literal == 0)  # the loosened form below replaces it
        if instance.rule in ("max_consecutive_work", "min_consecutive_work", "min_consecutive_off"):
            steps, places = self._run_steps(instance)
            return _Slack(steps[0], cp_model.LinearExpr.sum(steps), len(steps), places)
        expr, limit, unit, most = self._linear(instance)
        amount = self.model.new_int_var(0, most, f"slack{len(self.literals)}")
        broken = self.model.new_bool_var(f"broken{len(self.literals)}")
        self.model.add(expr <= limit + unit * amount)
        self.model.add(amount <= most * broken)
        return _Slack(broken, amount, most)

    def _minutes(self, p: int) -> cp_model.LinearExprT:
        return sum(
            shift.length_minutes * self.x[p, d, t]
            for d in range(self.problem.num_days)
            for t, shift in enumerate(self.problem.shifts)
        )

    def _linear(self, instance: RuleInstance) -> tuple[cp_model.LinearExprT, int, int, int]:
        """(expression, limit, step, most steps): the rule reads ``expression <= limit``,
        loosened by ``k`` steps ``expression <= limit + k * step``."""
        problem = self.problem
        days = problem.num_days
        if instance.rule == "min_cover" and instance.ref is not None:
            demand = problem.cover[instance.ref]
            t = problem.shift_index[demand.shift]
            staffing = sum(
                self.x[p, demand.day, t]
                for p, person in enumerate(problem.staff)
                if demand.skill is None or demand.skill in person.skills
            )
            return -staffing, -demand.min_required, 1, demand.min_required
        assert instance.staff is not None
        p = problem.staff_index[instance.staff]
        contract = problem.staff[p].contract
        work = [self.work[p, d] for d in range(days)]
        unit = math.gcd(*(shift.length_minutes for shift in problem.shifts))
        if instance.rule == "max_shifts_per_type" and instance.shift is not None:
            t = problem.shift_index[instance.shift]
            limit = contract.max_shifts_per_type[instance.shift]
            return sum(self.x[p, d, t] for d in range(days)), limit, 1, max(0, days - limit)
        if instance.rule == "max_shifts" and contract.max_shifts is not None:
            return sum(work), contract.max_shifts, 1, max(0, days - contract.max_shifts)
        if instance.rule == "min_minutes":
            low = problem.minimum_minutes(p)
            return -self._minutes(p), -low, unit, -(-low // unit)
        if instance.rule == "max_minutes" and contract.max_minutes is not None:
            most = days * max(shift.length_minutes for shift in problem.shifts)
            high = contract.max_minutes
            return self._minutes(p), high, unit, max(0, -(-(most - high) // unit))
        assert instance.rule == "max_weekends" and contract.max_weekends is not None
        worked = []
        for k, group in enumerate(problem.weekends):
            flag = self.model.new_bool_var(f"we_{p}_{k}_slack")
            self.model.add_max_equality(flag, [work[d] for d in group])
            worked.append(flag)
        return sum(worked), contract.max_weekends, 1, len(worked) - contract.max_weekends

    def _run_steps(
        self, instance: RuleInstance
    ) -> tuple[list[cp_model.IntVar], list[cp_model.IntVar]]:
        """(steps, places): booleans, each step implying the one before, step ``j``
        allowing runs ``j`` days longer (max consecutive work) or shorter (min consecutive
        work or off); a place flag per day a run too long or too short may start on."""
        assert instance.staff is not None
        problem = self.problem
        days = problem.num_days
        p = problem.staff_index[instance.staff]
        contract = problem.staff[p].contract
        work = [self.work[p, d] for d in range(days)]
        if instance.rule == "max_consecutive_work":
            longest = contract.max_consecutive_work or 0
            steps = [self.model.new_bool_var(f"longer_{p}_{j}") for j in range(days - longest)]
            for j, allowed in enumerate(steps):  # no run of longest + 1 + j days unless allowed
                for first in range(days - longest - j):
                    window = work[first : first + longest + 1 + j]
                    self.model.add(sum(window) <= longest + j).only_enforce_if(allowed.negated())
            places = [self.model.new_bool_var(f"long_{p}_{d}") for d in range(days - longest)]
            for first, place in enumerate(places):
                window = work[first : first + longest + 1]
                self.model.add(sum(window) <= longest).only_enforce_if(place.negated())
        else:
            least = getattr(contract, instance.rule)
            steps = [self.model.new_bool_var(f"shorter_{p}_{k}") for k in range(1, least)]
            places = [self.model.new_bool_var(f"short_{p}_{d}") for d in range(1, days)]
            for d, place in enumerate(places, start=1):
                for j in range(1, min(least, days - d)):
                    # a run starting on d reaches d + j unless runs of j days are allowed
                    if instance.rule == "min_consecutive_work":
                        clause = [work[d - 1], work[d].negated(), work[d + j]]
                    else:
                        clause = [work[d - 1].negated(), work[d], work[d + j].negated()]
                    self.model.add_bool_or(clause).only_enforce_if(steps[least - j - 1].negated())
                    self.model.add_bool_or([*clause, place])
        for before, step in itertools.pairwise(steps):
            self.model.add_implication(step, before)
        return steps, places


def broken_instances(problem: RosterProblem, roster: RosterSolution) -> list[RuleInstance] | None:
    """The rule instances ``roster`` breaks (None if that could not be settled)."""
    model = FeasibilityModel(problem)
    shift_of = roster.by_staff_day()
    for (p, d, t), var in model.x.items():
        model.model.add(var == int(shift_of.get((problem.staff[p].id, d)) == problem.shifts[t].id))
    model.model.maximize(sum(model.literals.values()))
    clock = Clock.current()
    solver = cp_model.CpSolver()
    clock.limit(solver, 10.0)
    solver.parameters.num_workers = 1
    code = stoppable.solve(solver, model.model, check=True)  # the roster is fixed
    clock.charge(solver, model.model)
    if code != cp_model.OPTIMAL:
        return None
    return sorted(i for i, literal in model.literals.items() if not solver.boolean_value(literal))


def find_correction(
    problem: RosterProblem,
    time_limit: float = 10.0,
    *,
    keep: Callable[[RuleInstance], bool] | None = None,
    rank: Mapping[str, int] | None = None,
    workers: int = 2,
) -> CorrectionResult:
    """A roster that breaks few rule instances (never those ``keep`` names), and which.

    First the most instances that can hold at once (``FEWEST_SHARE`` of the time, on
    ``workers`` workers); then each broken instance, highest ``rank`` of its rule first,
    is tried back on (short checks on one worker); then what stays broken is broken as
    little as possible (a limit loosened the fewest steps). Times on ``Clock.current()``
    (the wall clock outside a reproducible diagnosis), fixed seed.
    """
    clock = Clock.current()
    deadline = clock.now() + time_limit
    elastic = _Elastic(problem, keep)
    elastic.model.maximize(sum(elastic.literals.values()))
    roster = elastic.run(FEWEST_SHARE * time_limit, workers)
    if roster is None:
        return CorrectionResult()
    held = math.floor(elastic.solver.best_objective_bound + 1e-6)
    at_least = max(0, len(elastic.literals) - held)
    broken = broken_instances(problem, roster)
    if broken is None:
        return CorrectionResult()
    found = CorrectionResult(roster, broken, at_least)
    if not found.fewest:
        end = min(deadline, clock.now() + BACK_ON_SHARE * time_limit)
        _back_on(problem, found, end, keep, rank or {})
    if not found.broken:
        found.mildest = True
    elif deadline > clock.now() and not interrupts.interrupted():
        _mildest(problem, found, deadline - clock.now(), keep, workers)
    return found


def _back_on(problem: RosterProblem, found: CorrectionResult, end: float,
             keep: Callable[[RuleInstance], bool] | None,
             rank: Mapping[str, int]) -> None:  # fmt: skip
    """Try each broken instance back on, the others still free to break, until ``end``
    on ``Clock.current()``; keep every roster that manages it."""
    clock = Clock.current()
    order = sorted(found.broken, key=lambda member: -rank.get(member.rule, 1))
    for tried, member in enumerate(order):
        left = end - clock.now()
        if left <= 0 or found.fewest or interrupts.interrupted():
            return
        if member not in found.broken:
            continue
        elastic = _Elastic(problem, keep)
        elastic.hold(i for i in elastic.literals if i not in found.broken or i == member)
        assert found.roster is not None
        elastic.hint(found.roster)
        roster = elastic.run(left / (len(order) - tried), 1)
        broken = None if roster is None else broken_instances(problem, roster)
        if roster is not None and broken is not None:
            found.roster, found.broken = roster, broken


def _mildest(problem: RosterProblem, found: CorrectionResult, time_limit: float,
             keep: Callable[[RuleInstance], bool] | None, workers: int) -> None:  # fmt: skip
    """Break the fewest of ``found.broken``, each as little as possible (the count
    first, then the steps, then the places), and keep that roster; ``found.mildest`` when
    that was proven."""
    assert found.roster is not None
    elastic = _Elastic(problem, keep)
    elastic.hold(i for i in elastic.literals if i not in found.broken)
    slacks = [elastic.slack(member) for member in found.broken]
    places = [place for slack in slacks for place in slack.places]
    per_step = 1 + len(places)
    per_rule = 1 + per_step * sum(slack.most for slack in slacks) + len(places)
    elastic.model.minimize(
        cp_model.LinearExpr.sum(
            [per_rule * slack.broken + per_step * slack.amount for slack in slacks] + places
        )
    )
    elastic.hint(found.roster)
    roster = elastic.run(time_limit, workers)
    broken = None if roster is None else broken_instances(problem, roster)
    if roster is not None and broken is not None:
        found.roster, found.broken, found.mildest = roster, broken, elastic.optimal
