"""The staff-rostering problem: who works which shift on which day.

Days are 0-based indices from ``start_date``; dates appear only at the edges
(``RosterProblem.date_of`` / ``day_of``). A staff member works at most one shift
a day. Coverage, requests and contracts follow the Curtois–Qu rules, so that
benchmark maps onto this model unchanged (see ``docs/formats.md``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from optimizer.model.common import (
    MAX_DAYS,
    MAX_MINUTES,
    MAX_PEOPLE,
    MAX_REST_HOURS,
    MAX_WEIGHT,
    Float,
    Id,
    Int,
    Record,
    check_count,
    format_date,
    near_miss,
    parse_clock,
)

DAY_MINUTES = 24 * 60

ROSTER_PENALTY_RULES = (
    "under_cover",
    "over_cover",
    "shift_on_request",
    "shift_off_request",
    "baseline_change",
)
"""Names of the soft rules; ``Result.terms`` and lexicographic stages use them."""


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


def prorated_minimum(full: int, credited_days: int, num_days: int) -> int:
    """``full`` minutes less a pro-rata share for ``credited_days`` of ``num_days`` away
    (the credit rounded down)."""
    return full - full * credited_days // num_days


def _breaks_rest(first: ShiftType, second: ShiftType, days_later: int) -> bool:
    """True if ``second``, ``days_later`` days after ``first``, starts before ``first``
    ends or within ``first``'s minimum rest."""
    rest = days_later * DAY_MINUTES + second.start - first.end
    if rest < 0:
        return True
    return first.min_rest_hours is not None and rest < first.min_rest_hours * 60


class Contract(Record):
    """Working-time rules for one staff member (all hard)."""

    min_minutes: Int = Field(default=0, ge=0, le=MAX_MINUTES)
    max_minutes: Int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    max_shifts: Int | None = Field(default=None, ge=0, le=MAX_DAYS, description="total shifts")
    max_shifts_per_type: dict[Id, Int] = Field(
        default_factory=dict, description="shift id -> most shifts of that type; 0 forbids it"
    )
    min_consecutive_work: Int = Field(default=1, ge=1, le=MAX_DAYS)
    max_consecutive_work: Int | None = Field(default=None, ge=1, le=MAX_DAYS)
    min_consecutive_off: Int = Field(default=1, ge=1, le=MAX_DAYS)
    max_weekends: Int | None = Field(default=None, ge=0, le=MAX_DAYS)

    @field_validator("max_shifts_per_type")
    @classmethod
    def _limits_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        for shift, limit in value.items():
            if not 0 <= limit <= MAX_DAYS:
                raise ValueError(
                    f"max shifts for '{shift}' must be between 0 and {MAX_DAYS}, got {limit}"
                )
        return value

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.max_minutes is not None and self.min_minutes > self.max_minutes:
            raise ValueError(
                f"min_minutes {self.min_minutes} exceeds max_minutes {self.max_minutes}"
            )
        if (
            self.max_consecutive_work is not None
            and self.min_consecutive_work > self.max_consecutive_work
        ):
            raise ValueError(
                f"min_consecutive_work {self.min_consecutive_work} exceeds "
                f"max_consecutive_work {self.max_consecutive_work}"
            )
        return self


class Staff(Record):
    """A person who can be rostered."""

    id: Id
    name: str = ""
    grade: str = ""
    skills: tuple[Id, ...] = ()
    contract: Contract = Field(default_factory=Contract)

    @field_validator("skills")
    @classmethod
    def _skills_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # a skill typed twice is held once: cover counts each person once per demand
        return tuple(dict.fromkeys(value))

    @property
    def label(self) -> str:
        return self.name or self.id


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


class Baseline(Record):
    """A published roster to stay close to when re-planning.

    Every staff-day whose shift (or day off) differs from the baseline costs
    ``change_weight`` (penalty rule ``change``).
    """

    assignments: tuple[BaselineShift, ...] = ()
    change_weight: Int = Field(default=10, ge=0, le=MAX_WEIGHT)


class BaselineShift(Record):
    """One shift of the published roster."""

    staff: Id
    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id


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
                if _breaks_rest(first, second, 1):
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
                    if _breaks_rest(first, second, k):
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
        errors: list[str] = []
        shift_ids = [s.id for s in self.shifts]
        staff_ids = [p.id for p in self.staff]
        for kind, ids in (("shift", shift_ids), ("staff", staff_ids)):
            for dup, count in Counter(ids).items():
                if count > 1:
                    errors.append(f"{kind} id '{dup}' is used {count} times")
        known_shifts, known_staff = set(shift_ids), set(staff_ids)
        skills = {s for p in self.staff for s in p.skills}
        names = {p.id: p.name for p in self.staff if p.name}
        labels = {s.id: s.label for s in self.shifts}

        def who(staff: str) -> str:
            """``Jo Park ('n1')``, or ``'n1'`` for a person without a name."""
            return f"{names[staff]} ('{staff}')" if staff in names else f"'{staff}'"

        def on(day: int) -> str:
            """The day as the planner reads it (``Tue 15 Dec``)."""
            try:
                return self.day_label(day)
            except OverflowError:  # past year 9999: day_ok says what is wrong
                return f"day {day}"

        def shift_name(shift: str | None) -> str:
            return "a day off" if shift is None else labels.get(shift, f"'{shift}'")

        def day_ok(day: int, where: str) -> None:
            if day >= self.num_days:
                last = self.num_days - 1
                try:
                    dates = f" ({self.date_of(day)}) is outside the horizon 0–{last} "
                    dates += f"({self.start_date} to {self.date_of(last)})"
                except OverflowError:  # past year 9999: the days alone say it
                    dates = f" is outside the horizon 0–{last}"
                errors.append(f"{where}: day {day}{dates}")

        shift_names = {s.id: s.name for s in self.shifts}

        def shift_ok(shift: str | None, where: str) -> None:
            if shift is not None and shift not in known_shifts:
                hint = near_miss(shift, shift_ids, shift_names, "shift")
                errors.append(f"{where}: unknown shift '{shift}'{hint}")

        def staff_ok(staff: str, where: str) -> None:
            if staff not in known_staff:
                hint = near_miss(staff, staff_ids, names, "staff")
                errors.append(f"{where}: unknown staff '{staff}'{hint}")

        for shift in self.shifts:
            for nxt in shift.forbidden_next:
                shift_ok(nxt, f"shift '{shift.id}' forbidden_next")
        for person in self.staff:
            for shift_id in person.contract.max_shifts_per_type:
                shift_ok(shift_id, f"staff '{person.id}' contract max_shifts_per_type")
        seen_cover: set[tuple[int, str, str | None]] = set()
        for i, demand in enumerate(self.cover):
            where = f"cover[{i}] ({shift_name(demand.shift)} on {on(demand.day)})"
            day_ok(demand.day, where)
            shift_ok(demand.shift, where)
            if demand.skill is not None and demand.skill not in skills:
                errors.append(f"{where}: demand for skill '{demand.skill}' that nobody has")
            key = (demand.day, demand.shift, demand.skill)
            if key in seen_cover:
                skill = "any skill" if demand.skill is None else f"skill '{demand.skill}'"
                errors.append(f"{where}: duplicate demand for {skill}")
            seen_cover.add(key)
        for i, unav in enumerate(self.unavailability):
            where = f"unavailability[{i}] of {who(unav.staff)}"
            staff_ok(unav.staff, where)
            day_ok(unav.last_day, where)
            for shift_id in unav.shifts or ():
                shift_ok(shift_id, where)
        for i, req in enumerate(self.requests):
            where = f"requests[{i}] of {who(req.staff)} ({on(req.day)})"
            staff_ok(req.staff, where)
            day_ok(req.day, where)
            shift_ok(req.shift, where)
        pinned: dict[tuple[str, int], str | None] = {}
        for i, pin in enumerate(self.pins):
            where = f"pins[{i}] of {who(pin.staff)} ({on(pin.day)})"
            staff_ok(pin.staff, where)
            day_ok(pin.day, where)
            shift_ok(pin.shift, where)
            if (pin.staff, pin.day) in pinned:
                first, second = shift_name(pinned[(pin.staff, pin.day)]), shift_name(pin.shift)
                both = f"{first} both times" if first == second else f"{first} and {second}"
                errors.append(f"{where}: the day is pinned twice ({both})")
            pinned.setdefault((pin.staff, pin.day), pin.shift)
            if pin.shift is not None and pin.staff in known_staff and pin.shift in known_shifts:
                for unav in self.unavailability:
                    if unav.staff == pin.staff and unav.covers(pin.day, pin.shift):
                        errors.append(
                            f"{where}: pinned to {shift_name(pin.shift)} on a day "
                            f"{names.get(pin.staff, 'the person')} is unavailable ({unav.reason})"
                        )
                        break
        if self.baseline is not None:
            published: dict[tuple[str, int], str] = {}
            for i, worked in enumerate(self.baseline.assignments):
                where = f"baseline[{i}] of {who(worked.staff)} ({on(worked.day)})"
                staff_ok(worked.staff, where)
                day_ok(worked.day, where)
                shift_ok(worked.shift, where)
                earlier = published.get((worked.staff, worked.day))
                if earlier is not None:
                    errors.append(
                        f"{where}: the day is in the baseline twice "
                        f"({shift_name(earlier)} and {shift_name(worked.shift)})"
                    )
                published.setdefault((worked.staff, worked.day), worked.shift)
        if errors:
            raise ValueError("; ".join(errors))
        return self
