"""Why a roster cannot be made: a feasibility-only CP-SAT model with one assumption
literal per hard-rule instance, and an irreducible conflicting subset of them.

Every rule instance (one person's contract limit, one pin, one day of one leave
record, one hard cover minimum, one person's succession or rest rule between two
days, the next or a later one) is enforced only when its literal is assumed. CP-SAT
returns a set of assumptions sufficient for infeasibility; a deletion filter then
removes every member whose removal leaves the rest infeasible, so the result is
irreducible (when every check finished within the time limit). "One shift a day" is
structural and always holds.

When not even that first proof finishes in time, ``correction.find_correction`` makes
the same model elastic instead.

Time limits are read on ``runner.Clock.current()``: the wall clock, or the work clock of
a reproducible diagnosis (one worker and seed 0 here either way).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.roster import RosterProblem
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.runner import Clock

CONTRACT_RULES = (
    "max_shifts_per_type",
    "max_shifts",
    "min_minutes",
    "max_minutes",
    "max_consecutive_work",
    "min_consecutive_work",
    "min_consecutive_off",
    "max_weekends",
)


@dataclass(frozen=True, order=True)
class RuleInstance:
    """One enforceable piece of a hard rule, named in the model's terms.

    ``ref`` is the index of the record in ``problem.pins`` / ``unavailability`` /
    ``cover`` for rules that come from such a record.
    """

    rule: str
    staff: str | None = None
    days: tuple[int, ...] = ()
    shift: str | None = None
    ref: int | None = None


@dataclass
class CoreResult:
    """Outcome of a diagnosis search.

    ``feasible`` is True/False when proven, None when the time ran out first.
    ``minimal`` says whether every deletion check finished (core irreducible).
    """

    feasible: bool | None
    core: list[RuleInstance] = field(default_factory=list)
    minimal: bool = False


class FeasibilityModel:
    """The hard rules of ``problem`` with one enforcement literal per rule instance."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.literals: dict[RuleInstance, cp_model.IntVar] = {}
        num_staff, days, num_shifts = len(problem.staff), problem.num_days, len(problem.shifts)
        self.x = {
            (p, d, t): self.model.new_bool_var(f"x_{p}_{d}_{t}")
            for p in range(num_staff)
            for d in range(days)
            for t in range(num_shifts)
        }
        self.work = {}
        for p in range(num_staff):
            for d in range(days):
                works = self.model.new_bool_var(f"w_{p}_{d}")
                self.model.add(sum(self.x[p, d, t] for t in range(num_shifts)) == works)
                self.work[p, d] = works
        self._leave()
        self._pins()
        self._successions()
        self._contracts()
        self._min_cover()

    def _literal(self, instance: RuleInstance) -> cp_model.IntVar:
        literal = self.literals.get(instance)
        if literal is None:
            literal = self.model.new_bool_var(f"a{len(self.literals)}")
            self.literals[instance] = literal
        return literal

    def _leave(self) -> None:
        index = self.problem.staff_index
        for u, unav in enumerate(self.problem.unavailability):
            p = index[unav.staff]
            for d in range(unav.first_day, unav.last_day + 1):
                literal = self._literal(RuleInstance("unavailable", unav.staff, (d,), None, u))
                for t, shift in enumerate(self.problem.shifts):
                    if unav.covers(d, shift.id):
                        self.model.add_implication(literal, self.x[p, d, t].negated())

    def _pins(self) -> None:
        for i, pin in enumerate(self.problem.pins):
            p = self.problem.staff_index[pin.staff]
            literal = self._literal(RuleInstance("pin", pin.staff, (pin.day,), pin.shift, i))
            if pin.shift is None:
                self.model.add_implication(literal, self.work[p, pin.day].negated())
            else:
                t = self.problem.shift_index[pin.shift]
                self.model.add_implication(literal, self.x[p, pin.day, t])

    def _successions(self) -> None:
        """One instance per person and pair of days a succession or rest rule links:
        (d, d + 1) for next-day pairs, (d, d + k) for rests reaching k >= 2 days ahead."""
        index = self.problem.shift_index
        by_gap: dict[int, list[tuple[str, str]]] = {}
        if pairs := self.problem.forbidden_successions():
            by_gap[1] = sorted(pairs)
        for first, second, k in sorted(self.problem.forbidden_later_successions()):
            by_gap.setdefault(k, []).append((first, second))
        for p, person in enumerate(self.problem.staff):
            for d in range(self.problem.num_days - 1):
                for k, gap_pairs in sorted(by_gap.items()):
                    if d + k >= self.problem.num_days:
                        break
                    literal = self._literal(RuleInstance("succession", person.id, (d, d + k)))
                    for first, second in gap_pairs:
                        self.model.add_bool_or(
                            [
                                self.x[p, d, index[first]].negated(),
                                self.x[p, d + k, index[second]].negated(),
                            ]
                        ).only_enforce_if(literal)

    def _contracts(self) -> None:
        problem = self.problem
        days = problem.num_days
        for p, person in enumerate(problem.staff):
            contract = person.contract
            work = [self.work[p, d] for d in range(days)]

            def lit(rule: str, shift: str | None = None, who: str = person.id) -> cp_model.IntVar:
                return self._literal(RuleInstance(rule, who, (), shift))

            for shift_id, limit in contract.max_shifts_per_type.items():
                t = problem.shift_index[shift_id]
                total = sum(self.x[p, d, t] for d in range(days))
                self.model.add(total <= limit).only_enforce_if(lit("max_shifts_per_type", shift_id))
            if contract.max_shifts is not None:
                self.model.add(sum(work) <= contract.max_shifts).only_enforce_if(lit("max_shifts"))
            minutes = sum(
                shift.length_minutes * self.x[p, d, t]
                for d in range(days)
                for t, shift in enumerate(problem.shifts)
            )
            minimum = problem.minimum_minutes(p)
            if minimum > 0:
                self.model.add(minutes >= minimum).only_enforce_if(lit("min_minutes"))
            if contract.max_minutes is not None:
                self.model.add(minutes <= contract.max_minutes).only_enforce_if(lit("max_minutes"))
            longest = contract.max_consecutive_work
            if longest is not None and longest < days:
                enforce = lit("max_consecutive_work")
                for first in range(days - longest):
                    window = work[first : first + longest + 1]
                    self.model.add(sum(window) <= longest).only_enforce_if(enforce)
            if contract.min_consecutive_work > 1:
                enforce = lit("min_consecutive_work")
                for d in range(1, days):
                    for j in range(1, min(contract.min_consecutive_work, days - d)):
                        # a run starting on d (not touching day 0) reaches d + j
                        self.model.add_bool_or(
                            [work[d - 1], work[d].negated(), work[d + j]]
                        ).only_enforce_if(enforce)
            if contract.min_consecutive_off > 1:
                enforce = lit("min_consecutive_off")
                for d in range(1, days):
                    for j in range(1, min(contract.min_consecutive_off, days - d)):
                        self.model.add_bool_or(
                            [work[d - 1].negated(), work[d], work[d + j].negated()]
                        ).only_enforce_if(enforce)
            if contract.max_weekends is not None:
                worked = []
                for k, group in enumerate(problem.weekends):
                    flag = self.model.new_bool_var(f"we_{p}_{k}")
                    self.model.add_max_equality(flag, [work[d] for d in group])
                    worked.append(flag)
                enforce = lit("max_weekends")
                self.model.add(sum(worked) <= contract.max_weekends).only_enforce_if(enforce)

    def _min_cover(self) -> None:
        problem = self.problem
        for c, demand in enumerate(problem.cover):
            if demand.min_required <= 0:
                continue
            t = problem.shift_index[demand.shift]
            staffing = sum(
                self.x[p, demand.day, t]
                for p, person in enumerate(problem.staff)
                if demand.skill is None or demand.skill in person.skills
            )
            instance = RuleInstance("min_cover", None, (demand.day,), demand.shift, c)
            self.model.add(staffing >= demand.min_required).only_enforce_if(self._literal(instance))

    def solve(
        self, assumed: Iterable[RuleInstance], time_limit: float
    ) -> tuple[bool | None, list[RuleInstance]]:
        """(feasible?, a sufficient subset of ``assumed`` when infeasible); ``time_limit``
        on ``Clock.current()``, which is charged."""
        assumed = [a for a in assumed if a in self.literals]
        self.model.clear_assumptions()
        self.model.add_assumptions([self.literals[a] for a in assumed])
        clock = Clock.current()
        solver = cp_model.CpSolver()
        clock.limit(solver, max(0.05, time_limit))
        solver.parameters.num_workers = 1  # cores from assumptions need one worker
        solver.parameters.random_seed = 0
        status = stoppable.solve(solver, self.model)
        clock.charge(solver, self.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, []
        if status == cp_model.INFEASIBLE:
            by_index = {self.literals[a].index: a for a in assumed}
            core = [
                by_index[i]
                for i in solver.sufficient_assumptions_for_infeasibility()
                if i in by_index
            ]
            return False, core or assumed
        return None, []


def rule_instances(problem: RosterProblem) -> list[RuleInstance]:
    """Every enforceable hard-rule instance of ``problem``."""
    return sorted(FeasibilityModel(problem).literals)


def is_feasible(
    problem: RosterProblem,
    disabled: Collection[RuleInstance] = (),
    only: Collection[RuleInstance] | None = None,
    time_limit: float = 10.0,
) -> bool | None:
    """Whether the hard rules (all, or ``only`` these, minus ``disabled``) can hold."""
    model = FeasibilityModel(problem)
    assumed = [a for a in model.literals if (only is None or a in only) and a not in disabled]
    feasible, _core = model.solve(assumed, time_limit)
    return feasible


def find_core(problem: RosterProblem, time_limit: float = 20.0) -> CoreResult:
    """An irreducible set of rule instances that cannot all hold (empty if feasible);
    ``time_limit`` on ``Clock.current()``."""
    clock = Clock.current()
    deadline = clock.now() + time_limit
    model = FeasibilityModel(problem)
    feasible, core = model.solve(sorted(model.literals), time_limit)
    if feasible is not False:
        return CoreResult(feasible=feasible)
    minimal = True
    # deletion filter: drop each member the others are infeasible without
    for member in list(core):
        if member not in core:
            continue
        remaining = deadline - clock.now()
        if remaining <= 0 or interrupts.interrupted():
            minimal = False
            break
        trial = [a for a in core if a != member]
        still, smaller = model.solve(trial, remaining)
        if still is False:
            core = [a for a in trial if a in set(smaller)] or trial
        elif still is None:
            minimal = False
    return CoreResult(feasible=False, core=sorted(core), minimal=minimal)
