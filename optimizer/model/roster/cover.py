"""Cover demands: how many staff (of a skill) a shift needs on a day."""

from __future__ import annotations

from pydantic import Field

from optimizer.model.common import MAX_DAYS, MAX_PEOPLE, MAX_WEIGHT, Id, Int, Record


class CoverDemand(Record):
    """How many staff with ``skill`` (any staff if None) a shift needs on a day.

    Staff count towards every demand whose skill they hold. Missing staff cost
    ``under_weight`` each, extra staff ``over_weight`` each. ``min_required`` is a
    hard floor (default 0: cover is soft only).
    """

    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id
    skill: Id | None = None
    required: Int = Field(ge=0, le=MAX_PEOPLE)
    min_required: Int = Field(
        default=0,
        ge=0,
        le=MAX_PEOPLE,
        description="hard floor: fewer staff than this makes the roster infeasible",
    )
    under_weight: Int = Field(default=100, ge=0, le=MAX_WEIGHT)
    over_weight: Int = Field(default=0, ge=0, le=MAX_WEIGHT)
