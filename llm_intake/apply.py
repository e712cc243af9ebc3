"""Apply confirmed requests to a problem: a new, re-validated problem version.

Problems are immutable; ``apply_requests`` returns a new one. Given the previous
solution, it becomes the new version's baseline so that re-solving changes as
little as possible (penalty rules ``baseline_change`` / ``baseline_move``).

This module is the public import point (the CLI's ``carealloc intake --apply``, the
dashboard); the work is done in ``llm_intake.applying``, one module per concept, and
the names callers use are re-exported here: ``Applied``, ``apply_requests``,
``affects``, the change-line notes ``recorded_note`` and ``minimum_note``, the checks
``case_misfit`` and ``refuse_fixed_case``, and the added-case constants.
"""

from __future__ import annotations

from typing import Any

from llm_intake.applying.added_case import AFTERNOON_START, MORNING_END, PRIORITY_WEIGHTS
from llm_intake.applying.applied import Applied
from llm_intake.applying.case_absence import refuse_fixed_case
from llm_intake.applying.case_fit import case_misfit
from llm_intake.applying.cases import apply_cases
from llm_intake.applying.roster import apply_roster
from llm_intake.applying.roster_absence import minimum_note, recorded_note
from llm_intake.requests import AddCase, CancelCase, Request, Unavailable
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import RosterProblem

__all__ = [
    "AFTERNOON_START",
    "MORNING_END",
    "PRIORITY_WEIGHTS",
    "Applied",
    "affects",
    "apply_requests",
    "case_misfit",
    "minimum_note",
    "recorded_note",
    "refuse_fixed_case",
]


def apply_requests(
    problem: Any,
    requests: list[Request],
    previous: Result | RosterSolution | CaseSchedule | None = None,
) -> Applied:
    """A new version of ``problem`` with the requests of its family applied.

    ``previous`` (the last solution) becomes the baseline for minimal disruption.
    Raises ``InputError`` when a request cannot hold (date outside the plan, a pin
    on an unavailable day, an unknown id).
    """
    if isinstance(problem, RosterProblem):
        roster_prev = previous if isinstance(previous, Result | RosterSolution) else None
        return apply_roster(problem, requests, roster_prev)
    case_prev = previous if isinstance(previous, Result | CaseSchedule) else None
    return apply_cases(problem, requests, case_prev)


def affects(problem: Any, requests: list[Request]) -> bool:
    """Whether any request belongs to ``problem``: a new case to a case problem, a
    cancelled case to the case problem that has it, an absence to the problem the person
    is in, every other request to a roster."""
    roster = isinstance(problem, RosterProblem)
    staff = {p.id for p in problem.staff}
    cases = set() if roster else set(problem.task_index)

    def belongs(req: Request) -> bool:
        if isinstance(req, Unavailable):
            return req.staff in staff
        if isinstance(req, CancelCase):
            return req.case in cases
        return isinstance(req, AddCase) != roster

    return any(belongs(req) for req in requests)
