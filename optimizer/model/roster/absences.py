"""Absences (unavailability), which of them count toward hours, and recording new ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from pydantic import Field, model_validator

from optimizer.model.common import MAX_DAYS, Id, Int, Record


class Unavailability(Record):
    """Hard: the staff member works none of ``shifts`` (all if None) on these days.

    Covers leave, sickness, training and fixed days off.
    """

    staff: Id
    first_day: Int = Field(ge=0, lt=MAX_DAYS)
    last_day: Int = Field(ge=0, lt=MAX_DAYS)
    shifts: tuple[Id, ...] | None = None
    reason: str = "leave"
    counts_toward_hours: bool = Field(
        default=False,
        description="each day away is credited against the contract minimum, pro rata "
        "(paid leave, sickness); whole-day absences only",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last_day < self.first_day:
            raise ValueError(
                f"unavailability of '{self.staff}' ends (day {self.last_day}) "
                f"before it starts (day {self.first_day})"
            )
        if self.counts_toward_hours and self.shifts is not None:
            raise ValueError(
                f"unavailability of '{self.staff}' lists shifts and counts toward hours; "
                "only whole days away count toward hours (leave out the shifts, or the flag)"
            )
        return self

    def covers(self, day: int, shift: str) -> bool:
        in_days = self.first_day <= day <= self.last_day
        return in_days and (self.shifts is None or shift in self.shifts)

    @property
    def whole_day(self) -> bool:
        return self.shifts is None


def prorated_minimum(full: int, credited_days: int, num_days: int) -> int:
    """``full`` minutes less a pro-rata share for ``credited_days`` of ``num_days`` away
    (the credit rounded down)."""
    return full - full * credited_days // num_days


CREDITED_REASONS = frozenset({"sickness", "annual leave", "study leave", "training", "leave"})
"""Reasons whose whole days away count toward the contract minimum: sickness and paid
leave ("leave": maternity, parental, compassionate leave and the like). Any other reason
(a plain "absence", the dashboard's "other") keeps the full minimum."""


def credits_hours(reason: str, shifts: tuple[str, ...] | None) -> bool:
    """Whether an absence for ``reason`` from ``shifts`` (None: whole days) counts toward
    hours (``Unavailability.counts_toward_hours``): whole days of a credited reason only."""
    return shifts is None and reason in CREDITED_REASONS


def unrecorded_absences(
    recorded: Sequence[Unavailability],
    staff: str,
    first_day: int,
    last_day: int,
    shifts: tuple[str, ...] | None,
    reason: str,
) -> tuple[Unavailability, ...]:
    """The records that add ``staff`` away from ``shifts`` (all if None), ``first_day`` to
    ``last_day``, to ``recorded``: one per run of days not already recorded (whatever the
    earlier record's reason or credit), credited by :func:`credits_hours`. Empty when every
    day is recorded, so an absence is never stored or credited twice."""
    span = range(first_day, last_day + 1)
    new_days = [d for d in span if not _recorded(recorded, staff, d, shifts)]
    credited = credits_hours(reason, shifts)
    return tuple(
        Unavailability(
            staff=staff,
            first_day=first,
            last_day=last,
            shifts=shifts,
            reason=reason,
            counts_toward_hours=credited,
        )
        for first, last in day_runs(new_days)
    )


def _recorded(
    recorded: Sequence[Unavailability], staff: str, day: int, shifts: tuple[str, ...] | None
) -> bool:
    """Whether a record already keeps ``staff`` off ``shifts`` (all if None) on ``day``."""
    return any(
        u.staff == staff
        and u.first_day <= day <= u.last_day
        and (u.shifts is None or (shifts is not None and set(shifts) <= set(u.shifts)))
        for u in recorded
    )


def day_runs(days: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted days as runs of consecutive days: [3, 4, 5, 8] → [(3, 5), (8, 8)]."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
