"""Shift wishes on a roster: a person would like (or would rather not work) a shift or
a day; a new wish replaces the same person's wish for the same day and shift."""

from __future__ import annotations

from llm_intake.applying.roster_draft import RosterDraft
from llm_intake.proposal import article
from llm_intake.requests import ShiftWish
from optimizer.model.roster import ShiftRequest


def add_wish(draft: RosterDraft, req: ShiftWish) -> None:
    """Store ``req`` as a shift request with the roster's usual weight."""
    day = draft.day(req.date)
    draft.requests = [
        r
        for r in draft.requests
        if not (r.staff == req.staff and r.day == day and r.shift == req.shift)
    ]
    draft.requests.append(
        ShiftRequest(
            staff=req.staff, day=day, shift=req.shift, want=req.want, weight=draft.request_weight
        )
    )
    if req.shift is None:
        wish = "would like to work" if req.want else "would like a day off"
    else:
        verb = "would like" if req.want else "would rather not work"
        shift = draft.shift_name(req.shift)
        wish = f"{verb} {article(shift)} {shift} shift"
    draft.changes.append(f"{draft.who(req.staff)}: {wish}, {draft.on(day)}")
