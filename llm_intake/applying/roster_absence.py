"""Absences on a roster: the days not yet recorded, the pins they void, and the notes
on days already recorded and on a changed contract minimum."""

from __future__ import annotations

from collections.abc import Sequence

from llm_intake.applying.roster_draft import RosterDraft
from llm_intake.applying.wording import cut_text, span_text
from llm_intake.requests import Unavailable
from optimizer.model.roster import RosterProblem, Unavailability, day_runs, unrecorded_absences


def add_absence(draft: RosterDraft, req: Unavailable) -> None:
    """Store the days of ``req`` not already recorded (their credit toward hours only)."""
    first, last = draft.span(req.from_, req.to)
    shifts = tuple(req.shifts) if req.shifts is not None else None
    minimum_before = _minimum(draft, req.staff)
    added = unrecorded_absences(
        draft.unavailability, req.staff, first, last, shifts, req.reason or "absence"
    )
    draft.unavailability.extend(added)
    _drop_pins(draft, req.staff, added)
    shift_text = (
        ""
        if shifts is None
        else " for " + "/".join(draft.shift_name(s) for s in shifts) + " shifts"
    )
    p = draft.p
    span = span_text(p.date_of(first), p.date_of(last))
    notes = cut_text(req.from_, req.to, p.date_of(first), p.date_of(last), "roster")
    notes += recorded_note(p, first, last, added)
    notes += minimum_note(minimum_before, _minimum(draft, req.staff))
    draft.changes.append(f"{draft.who(req.staff)}: unavailable{shift_text}, {span}{notes}")


def recorded_note(
    problem: RosterProblem, first: int, last: int, added: Sequence[Unavailability]
) -> str:
    """ " (already recorded)" when ``added`` stores none of the days ``first``..``last``,
    " (Thu 24 Dec – Fri 25 Dec already recorded)" for the days of the span it leaves out."""
    if not added:
        return " (already recorded)"
    new_days = {d for u in added for d in range(u.first_day, u.last_day + 1)}
    known = [d for d in range(first, last + 1) if d not in new_days]
    if not known:
        return ""
    runs = day_runs(known)
    spans = ", ".join(span_text(problem.date_of(a), problem.date_of(b)) for a, b in runs)
    return f" ({spans} already recorded)"


def minimum_note(before: int | None, after: int | None) -> str:
    """ " (contract minimum 7200 → 6943 min)" when an absence changed it, else ""."""
    return "" if before == after else f" (contract minimum {before} → {after} min)"


def _minimum(draft: RosterDraft, staff: str) -> int | None:
    """The person's hard minimum of worked minutes with the absences so far (None for
    an unknown id, which validation names later)."""
    if staff not in draft.p.staff_index:
        return None
    current = draft.p.model_copy(update={"unavailability": tuple(draft.unavailability)})
    return current.minimum_minutes(staff)


def _drop_pins(draft: RosterDraft, staff: str, added: Sequence[Unavailability]) -> None:
    """Pins fixing ``staff`` on a shift the new absences cover go, each with a line."""
    kept = []
    for pin in draft.pins:
        shift = pin.shift if pin.staff == staff else None
        if shift is not None and any(u.covers(pin.day, shift) for u in added):
            draft.changes.append(
                f"{draft.who(pin.staff)}: no longer fixed to the "
                f"{draft.shift_name(pin.shift)} shift, {draft.on(pin.day)}"
            )
        else:
            kept.append(pin)
    draft.pins = kept
