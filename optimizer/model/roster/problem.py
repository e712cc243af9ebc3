"""The roster problem: its parts, lookups, day arithmetic and derived rules."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from optimizer.model.common import MAX_DAYS, Int, Record, check_count, format_date
from optimizer.model.roster.absences import Unavailability, prorated_minimum
from optimizer.model.roster.checks import cross_reference_errors
from optimizer.model.roster.costs import Baseline
from optimizer.model.roster.cover import CoverDemand
from optimizer.model.roster.requests import Pin, ShiftRequest
from optimizer.model.roster.shifts import DAY_MINUTES, ShiftType, breaks_rest
from optimizer.model.roster.staff import Staff


class RosterProblem(Record):
    """A complete, cross-validated rostering instance."""

    kind: Literal["roster"] = "roster"
    name: str = "roster"
    start_date: dt.date
    num_days: Int = Field(gt=0, le=MAX_DAYS)
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    cover: tuple[CoverDemand, ...] = ()
    unavailability: tuple[Unavailability, ...] = ()
    requests: tuple[ShiftRequest, ...] = ()
    pins: tuple[Pin, ...] = ()
    baseline: Baseline | None = None

    @field_validator("staff", mode="before")
    @classmethod
    def _not_too_many(cls, value: object) -> object:
        return check_count(value, "staff members")

    @field_validator("shifts", "staff")
    @classmethod
    def _not_empty(cls, value: tuple[object, ...], info: ValidationInfo) -> tuple[object, ...]:
        # Not Field(min_length=1): that also fires, confusingly, when an item is invalid.
        if not value:
            what = "shift" if info.field_name == "shifts" else "staff member"
            raise ValueError(f"at least one {what} is needed")
        return value

    # -- lookups -----------------------------------------------------------------

    @cached_property
    def shift_index(self) -> dict[str, int]:
        return {shift.id: i for i, shift in enumerate(self.shifts)}

    @cached_property
    def staff_index(self) -> dict[str, int]:
        return {person.id: i for i, person in enumerate(self.staff)}

    def shift(self, shift_id: str) -> ShiftType:
        return self.shifts[self.shift_index[shift_id]]

    def person(self, staff_id: str) -> Staff:
        return self.staff[self.staff_index[staff_id]]

    @property
    def skills(self) -> list[str]:
        """Every skill held by someone, in first-seen order."""
        return list(dict.fromkeys(s for person in self.staff for s in person.skills))

    def date_of(self, day: int) -> dt.date:
        return self.start_date + dt.timedelta(days=day)

    def day_label(self, day: int) -> str:
        """The day as a planner reads it, e.g. ``"Tue 8 Dec"``."""
        return format_date(self.date_of(day))

    def day_of(self, date: dt.date) -> int:
        return (date - self.start_date).days

    def is_weekend(self, day: int) -> bool:
        return self.date_of(day).weekday() >= 5

    @property
    def weekends(self) -> list[list[int]]:
        """Days of each weekend (Sat/Sun) touching the horizon, in order."""
        groups: dict[int, list[int]] = {}
        for day in range(self.num_days):
            date = self.date_of(day)
            if date.weekday() >= 5:
                saturday = date - dt.timedelta(days=date.weekday() - 5)
                groups.setdefault(saturday.toordinal(), []).append(day)
        return [groups[key] for key in sorted(groups)]

    def forbidden_successions(self) -> set[tuple[str, str]]:
        """(shift today, shift tomorrow) pairs that break a succession or rest rule.

        Shifts that overlap across midnight always form such a pair, rest rule or not.
        """
        pairs: set[tuple[str, str]] = set()
        for first in self.shifts:
            pairs.update((first.id, nxt) for nxt in first.forbidden_next)
            for second in self.shifts:
                if breaks_rest(first, second, 1):
                    pairs.add((first.id, second.id))
        return pairs

    def forbidden_later_successions(self) -> set[tuple[str, str, int]]:
        """(first shift, later shift, k) triples, k >= 2 days apart, that break a rest rule.

        Only a ``min_rest_hours`` above about a day yields any; the next-day pairs are
        :meth:`forbidden_successions`.
        """
        triples: set[tuple[str, str, int]] = set()
        for first in self.shifts:
            if first.min_rest_hours is None:
                continue
            k = 2
            while k * DAY_MINUTES - first.end < first.min_rest_hours * 60:
                for second in self.shifts:
                    if breaks_rest(first, second, k):
                        triples.add((first.id, second.id, k))
                k += 1
        return triples

    def unavailable(self, staff_id: str, day: int, shift_id: str) -> bool:
        return any(u.staff == staff_id and u.covers(day, shift_id) for u in self.unavailability)

    def credited_days(self, staff: int | str) -> int:
        """Distinct days of the horizon the person is away on absences that count
        toward hours (``Unavailability.counts_toward_hours``)."""
        staff_id = self.staff[staff].id if isinstance(staff, int) else staff
        days: set[int] = set()
        for unav in self.unavailability:
            if unav.staff == staff_id and unav.counts_toward_hours and unav.whole_day:
                days.update(range(unav.first_day, min(unav.last_day, self.num_days - 1) + 1))
        return len(days)

    def minimum_minutes(self, staff: int | str) -> int:
        """The person's hard minimum of worked minutes: the contract's ``min_minutes``
        less a pro-rata share for each credited day away (:func:`prorated_minimum`).

        Every solver, the checker and the explanations use this, never the raw field.
        """
        person = self.staff[staff] if isinstance(staff, int) else self.person(staff)
        credited = self.credited_days(person.id) if person.contract.min_minutes else 0
        return prorated_minimum(person.contract.min_minutes, credited, self.num_days)

    # -- validation --------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        errors = cross_reference_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self
