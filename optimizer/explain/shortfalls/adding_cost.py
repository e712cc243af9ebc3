"""What adding a free person to a short shift would cost: the independent checker's
objective of the full roster with the shift added, minus the roster's own."""

from __future__ import annotations

from optimizer.check.report import CheckReport, Penalty
from optimizer.check.roster import check_roster
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import RosterProblem


class AddingCost:
    """The roster and its checked objective, kept once for every candidate."""

    def __init__(self, problem: RosterProblem, roster: RosterSolution, report: CheckReport) -> None:
        self.problem = problem
        self.roster = roster
        self.objective = report.objective
        self.messages = {p.message for p in report.penalties}

    def of(self, staff: str, day: int, shift: str) -> tuple[int, list[Penalty]]:
        """The objective change of adding ``shift`` on ``day`` for ``staff`` (off that day),
        and the penalties that adding it brings (that the roster does not pay now)."""
        added = Assignment(staff=staff, day=day, shift=shift)
        after = check_roster(
            self.problem, RosterSolution(assignments=(*self.roster.assignments, added))
        )
        new = [p for p in after.penalties if p.message not in self.messages]
        return after.objective - self.objective, new
