"""Requests applied to a roster problem, each by the module of its kind."""

from __future__ import annotations

from llm_intake.applying.applied import Applied
from llm_intake.applying.roster_absence import add_absence
from llm_intake.applying.roster_cover import change_cover
from llm_intake.applying.roster_draft import RosterDraft
from llm_intake.applying.roster_pin import add_pin
from llm_intake.applying.roster_wish import add_wish
from llm_intake.requests import CoverChange, PinShift, Request, ShiftWish, Unavailable
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem


def apply_roster(
    problem: RosterProblem, requests: list[Request], previous: Result | RosterSolution | None
) -> Applied:
    """The roster with ``requests`` applied in order (cases are not its kind); the
    ``previous`` roster becomes its baseline."""
    draft = RosterDraft(problem)
    for req in requests:
        if isinstance(req, Unavailable):
            add_absence(draft, req)
        elif isinstance(req, ShiftWish):
            add_wish(draft, req)
        elif isinstance(req, CoverChange):
            change_cover(draft, req)
        elif isinstance(req, PinShift):
            add_pin(draft, req)
    baseline = previous.roster if isinstance(previous, Result) else previous
    return Applied(draft.build(baseline), draft.changes)
