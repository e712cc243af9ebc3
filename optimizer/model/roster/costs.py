"""The rostering soft rules' names, and a published roster to stay close to."""

from __future__ import annotations

from pydantic import Field

from optimizer.model.common import MAX_DAYS, MAX_WEIGHT, Id, Int, Record

ROSTER_PENALTY_RULES = (
    "under_cover",
    "over_cover",
    "shift_on_request",
    "shift_off_request",
    "baseline_change",
)
"""Names of the soft rules; ``Result.terms`` and lexicographic stages use them."""


class Baseline(Record):
    """A published roster to stay close to when re-planning.

    Every staff-day whose shift (or day off) differs from the baseline costs
    ``change_weight`` (penalty rule ``baseline_change``).
    """

    assignments: tuple[BaselineShift, ...] = ()
    change_weight: Int = Field(default=10, ge=0, le=MAX_WEIGHT)


class BaselineShift(Record):
    """One shift of the published roster."""

    staff: Id
    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id
