"""Why each understaffed shift is short: every qualified person not on it, sorted into
the first group that explains it (away, pinned, another shift, a hard rule, free)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.check.roster import check_roster
from optimizer.explain.roster import costliest, roster_of
from optimizer.explain.shortfalls.day_change import FullRosterCheck
from optimizer.explain.shortfalls.one_person import PersonCheck
from optimizer.explain.shortfalls.records import Candidate, Shortfall
from optimizer.explain.shortfalls.words import free_reason, pinned_reason, sentence
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem, Staff, Unavailability


def why_short(
    problem: RosterProblem,
    solution: Result | RosterSolution,
    demands: Collection[tuple[int, str, str | None]] | None = None,
    most: int | None = None,
) -> list[Shortfall]:
    """One ``Shortfall`` per cover demand the roster leaves short (the checker's
    under-cover penalties), by day, shift and demand, each with every qualified person
    not counted towards it in exactly one group and a planner's sentence.

    ``solution``: a roster or a ``Result`` holding one; a ``Result`` without one
    (INFEASIBLE, UNKNOWN) raises ``InputError`` naming field ``solution``.
    ``demands``: only these (day, shift, skill) demands (skill None: any staff), e.g.
    the costliest few; None: all. ``most``: at most this many, the costliest (a large
    roster's every shortfall can take seconds).
    """
    roster = roster_of(problem, solution)
    report = check_roster(problem, roster)
    order = {(c.day, c.shift, c.skill): i for i, c in enumerate(problem.cover)}
    shorts = sorted(
        (
            p
            for p in report.penalties
            if p.rule == "under_cover" and (demands is None or (p.day, p.shift, p.skill) in demands)
        ),
        key=lambda p: (
            p.day or 0,
            problem.shift_index.get(p.shift or "", 0),
            order.get((p.day or 0, p.shift or "", p.skill), 0),
        ),
    )
    shorts = costliest(shorts, most)
    if not shorts:
        return []
    sorter = _Sorter(problem, roster, report)
    return [sorter.explain(penalty) for penalty in shorts]


class _Sorter:
    """The roster's lookups, and each person's one-person check and each added shift's
    cost, computed once however many demands share them."""

    def __init__(self, problem: RosterProblem, roster: RosterSolution, report: CheckReport):
        self.problem = problem
        self.roster = roster
        self.report = report
        self.shift_of = roster.by_staff_day()
        self.away: dict[str, list[Unavailability]] = defaultdict(list)
        for unav in problem.unavailability:
            self.away[unav.staff].append(unav)
        self.pins: dict[tuple[str, int], str | None] = {}
        for pin in problem.pins:
            self.pins.setdefault((pin.staff, pin.day), pin.shift)
        self.checks: dict[str, PersonCheck] = {}
        self.rules: dict[tuple[str, int, str], Violation | None] = {}
        self.costs: dict[tuple[str, int, str], Candidate] = {}
        self.full: FullRosterCheck | None = None

    def explain(self, penalty: Penalty) -> Shortfall:
        """The shortfall of one under-cover penalty, everybody qualified sorted."""
        day, shift, skill = penalty.day or 0, penalty.shift or "", penalty.skill
        groups: dict[str, list[Candidate]] = defaultdict(list)
        for person in self.problem.staff:
            if skill is not None and skill not in person.skills:
                continue
            worked = self.shift_of.get((person.id, day))
            if worked == shift:
                continue  # counted towards the demand
            group, candidate = self._sort(person, day, shift, worked)
            groups[group].append(candidate)
        groups["free"].sort(key=lambda c: c.cost_change or 0)
        found = Shortfall(
            day=day,
            shift=shift,
            skill=skill,
            short=penalty.amount,
            cost=penalty.cost,
            **{name: tuple(people) for name, people in groups.items()},
        )
        headline = penalty.message.removesuffix(f" ({penalty.cost})")
        return found.model_copy(update={"headline": headline, "why": sentence(found)})

    def _sort(
        self, person: Staff, day: int, shift: str, worked: str | None
    ) -> tuple[str, Candidate]:
        """The first group that explains why ``person`` is not on ``shift`` on ``day``."""
        problem = self.problem

        def said(reason: str, rule: str | None = None) -> Candidate:
            return Candidate(staff=person.id, name=person.label, reason=reason, rule=rule)

        away = next((u for u in self.away[person.id] if u.covers(day, shift)), None)
        if away is not None:
            return "away", said(away.reason)
        if (person.id, day) in self.pins and self.pins[(person.id, day)] != shift:
            pinned = self.pins[(person.id, day)]
            wanted = "a day off" if pinned is None else problem.shift(pinned).label
            return "pinned", said(pinned_reason(wanted))
        if worked is not None:
            label = problem.shift(worked).label if worked in problem.shift_index else worked
            return "other_shift", said(f"on {label}")
        broken = self._rule(person.id, day, shift)
        if broken is not None:
            return "blocked", said(broken.message, broken.rule)
        return "free", self._free(person, day, shift)

    def _rule(self, staff: str, day: int, shift: str) -> Violation | None:
        """The checker's first new violation of adding the shift to the person's row."""
        key = (staff, day, shift)
        if key not in self.rules:
            if staff not in self.checks:
                row = {d: s for (who, d), s in self.shift_of.items() if who == staff}
                self.checks[staff] = PersonCheck(self.problem, staff, row)
            self.rules[key] = self.checks[staff].first_new_violation(day, shift)
        return self.rules[key]

    def _free(self, person: Staff, day: int, shift: str) -> Candidate:
        """A free person, with what adding them would do to the full roster's objective."""
        key = (person.id, day, shift)
        if key not in self.costs:
            if self.full is None:
                self.full = FullRosterCheck(self.problem, self.roster, self.report)
            added = self.full.change(person.id, day, shift)
            change, costs = added.cost, [p for p in added.brought if p.rule != "under_cover"]
            reason = free_reason(change, costs, person.label)
            self.costs[key] = Candidate(
                staff=person.id, name=person.label, reason=reason, cost_change=change
            )
        return self.costs[key]
