"""What changing one person's day would cost: the independent checker's objective of
the full roster with that one change (a shift added, swapped or taken away), minus the
roster's own."""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.check.roster import check_roster
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import RosterProblem


@dataclass(frozen=True)
class Change:
    """The checker's verdict on one changed day of the full roster."""

    cost: int
    """The objective after minus before."""
    brought: list[Penalty]
    """Penalties the change brings (that the roster does not pay now)."""
    ended: list[Penalty]
    """Penalties the roster pays now that the change ends."""
    broken: list[Violation]
    """Hard rules the change breaks that the roster keeps (e.g. minimum cover)."""


class FullRosterCheck:
    """The full roster and its checked objective, kept once; ``change`` asks the checker
    about one changed day (as ``PersonCheck`` does on a one-person copy)."""

    def __init__(self, problem: RosterProblem, roster: RosterSolution, report: CheckReport) -> None:
        self.problem = problem
        self.roster = roster
        self.objective = report.objective
        self.penalties = report.penalties
        self.messages = {p.message for p in report.penalties}
        self.violations = {v.message for v in report.violations}

    def change(self, staff: str, day: int, shift: str | None) -> Change:
        """The full roster with ``staff`` on ``shift`` on ``day`` (None: off that day)
        instead of what they work now, against the roster as it is."""
        kept = tuple(a for a in self.roster.assignments if (a.staff, a.day) != (staff, day))
        if shift is not None:
            kept = (*kept, Assignment(staff=staff, day=day, shift=shift))
        after = check_roster(self.problem, RosterSolution(assignments=kept))
        now = {p.message for p in after.penalties}
        return Change(
            cost=after.objective - self.objective,
            brought=[p for p in after.penalties if p.message not in self.messages],
            ended=[p for p in self.penalties if p.message not in now],
            broken=[v for v in after.violations if v.message not in self.violations],
        )
