"""A person's days as asked for: soft shift requests and hard pins."""

from __future__ import annotations

from pydantic import Field

from optimizer.model.common import MAX_DAYS, MAX_WEIGHT, Id, Int, Record


class ShiftRequest(Record):
    """Soft: a wish to work (``want``) or not work a shift (any shift if None)."""

    staff: Id
    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id | None = None
    want: bool
    weight: Int = Field(default=1, ge=0, le=MAX_WEIGHT)


class Pin(Record):
    """Hard: fix a staff member's day to a shift (or to a day off if ``shift`` is None)."""

    staff: Id
    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id | None
