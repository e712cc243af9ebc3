"""Days, spans and names as the change lines write them."""

from __future__ import annotations

import datetime as dt
from typing import Any


def day_text(date: dt.date) -> str:
    return f"{date:%a %d %b}"


def span_text(first: dt.date, last: dt.date) -> str:
    """ "Fri 11 Dec" or "Fri 11 Dec – Sun 13 Dec" (as the dashboard forms write it)."""
    return day_text(first) if first == last else f"{day_text(first)} – {day_text(last)}"


def cut_text(
    asked_first: dt.date, asked_last: dt.date, first: dt.date, last: dt.date, plan: str
) -> str:
    """ " (Mon 14 Dec is after the roster)" when the applied range is shorter than asked."""
    notes = []
    if asked_first < first:
        before = first - dt.timedelta(days=1)
        notes.append(f"{span_text(asked_first, before)} {_is(asked_first, before)} before")
    if asked_last > last:
        after = last + dt.timedelta(days=1)
        notes.append(f"{span_text(after, asked_last)} {_is(after, asked_last)} after")
    return f" ({' and '.join(notes)} the {plan})" if notes else ""


def _is(first: dt.date, last: dt.date) -> str:
    return "is" if first == last else "are"


def label(people: Any, person_id: str) -> str:
    """A person's (or room's) name for messages (the id if unknown)."""
    return next((p.label for p in people if p.id == person_id), person_id)
