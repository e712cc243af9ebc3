"""Pins on a roster: a person fixed to a shift on a day they are not away."""

from __future__ import annotations

from llm_intake.applying.roster_draft import RosterDraft
from llm_intake.applying.wording import day_text
from llm_intake.requests import PinShift
from optimizer.errors import InputError
from optimizer.model.roster import Pin


def add_pin(draft: RosterDraft, req: PinShift) -> None:
    """Fix ``req.staff`` to the shift (replacing their pin that day); refused when they
    are unavailable then."""
    day = draft.day(req.date)
    away = next(
        (u for u in draft.unavailability if u.staff == req.staff and u.covers(day, req.shift)),
        None,
    )
    if away is not None:
        raise InputError(
            f"cannot fix {draft.who(req.staff)} to the {draft.shift_name(req.shift)} shift on "
            f"{day_text(req.date)}: they are unavailable then ({away.reason})",
            field="pins",
        )
    draft.pins = [p for p in draft.pins if not (p.staff == req.staff and p.day == day)]
    draft.pins.append(Pin(staff=req.staff, day=day, shift=req.shift))
    draft.changes.append(
        f"{draft.who(req.staff)}: fixed to the {draft.shift_name(req.shift)} shift, {draft.on(day)}"
    )
