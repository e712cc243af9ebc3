"""Shift types and the rest rule between two shifts."""

from __future__ import annotations

from pydantic import Field, field_validator

from optimizer.model.common import (
    MAX_REST_HOURS,
    Float,
    Id,
    Int,
    Record,
    parse_clock,
)

DAY_MINUTES = 24 * 60


class ShiftType(Record):
    """A kind of shift (early, late, night, ...)."""

    id: Id
    name: str = ""
    start: Int = Field(default=0, ge=0, lt=DAY_MINUTES, description="start, minutes after midnight")
    length_minutes: Int = Field(gt=0, le=DAY_MINUTES)
    forbidden_next: tuple[Id, ...] = Field(
        default=(), description="shift ids that may not be worked the day after this one"
    )
    min_rest_hours: Float | None = Field(
        default=None,
        ge=0,
        le=MAX_REST_HOURS,
        description="minimum rest after this shift before the next day's shift starts",
    )
    night: bool | None = Field(
        default=None, description="counts as a night shift; derived from the times if unset"
    )

    @field_validator("start", mode="before")
    @classmethod
    def _parse_start(cls, value: object) -> object:
        if isinstance(value, str | int) and not isinstance(value, bool):
            return parse_clock(value)
        return value

    @field_validator("min_rest_hours", mode="before")
    @classmethod
    def _rest_not_bool(cls, value: object) -> object:
        # the shared refusal says "whole number"; rest is hours and may be decimal
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            raise ValueError(
                f"Input should be a number of hours (decimals allowed, e.g. 11 or 10.5), "
                f"not {str(value).lower()}"
            )
        return value

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def end(self) -> int:
        """End in minutes after the start day's midnight (may exceed 1440)."""
        return self.start + self.length_minutes

    @property
    def is_night(self) -> bool:
        if self.night is not None:
            return self.night
        return self.end > DAY_MINUTES + 60 or self.start >= 20 * 60


def breaks_rest(first: ShiftType, second: ShiftType, days_later: int) -> bool:
    """True if ``second``, ``days_later`` days after ``first``, starts before ``first``
    ends or within ``first``'s minimum rest."""
    rest = days_later * DAY_MINUTES + second.start - first.end
    if rest < 0:
        return True
    return first.min_rest_hours is not None and rest < first.min_rest_hours * 60
