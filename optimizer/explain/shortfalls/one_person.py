"""Whether a hard rule stops changing one person's day (a shift added, swapped or taken
away): the independent checker run on a one-person copy of the problem (that person,
their own absences, pins and requests; no cover, no baseline), so the rules and their
wording are the checker's own."""

from __future__ import annotations

from optimizer.check.report import Violation
from optimizer.check.roster import check_roster
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import RosterProblem


class PersonCheck:
    """One person's copy of the problem and row, built once; ``first_new_violation``
    asks the checker about one changed day."""

    def __init__(self, problem: RosterProblem, staff: str, row: dict[int, str]) -> None:
        self.problem = RosterProblem(
            name=problem.name,
            start_date=problem.start_date,
            num_days=problem.num_days,
            shifts=problem.shifts,
            staff=(problem.person(staff),),
            unavailability=tuple(u for u in problem.unavailability if u.staff == staff),
            requests=tuple(r for r in problem.requests if r.staff == staff),
            pins=tuple(p for p in problem.pins if p.staff == staff),
        )
        self.staff = staff
        self.row = dict(row)
        before = check_roster(self.problem, self._roster(self.row))
        self.before = {v.message for v in before.violations}

    def first_new_violation(self, day: int, shift: str | None) -> Violation | None:
        """The checker's first violation that putting this person on ``shift`` on
        ``day`` (None: a day off) creates, or None when no hard rule stops it."""
        row = {d: s for d, s in self.row.items() if d != day}
        if shift is not None:
            row[day] = shift
        report = check_roster(self.problem, self._roster(row))
        return next((v for v in report.violations if v.message not in self.before), None)

    def _roster(self, row: dict[int, str]) -> RosterSolution:
        return RosterSolution(
            assignments=tuple(
                Assignment(staff=self.staff, day=d, shift=s) for d, s in sorted(row.items())
            )
        )
