"""Reader for the Curtois–Qu shift-scheduling benchmark text format (Instance1–24).

The file has sections in a fixed order (``SECTION_HORIZON``, ``SECTION_SHIFTS``,
``SECTION_STAFF``, ``SECTION_DAYS_OFF``, ``SECTION_SHIFT_ON_REQUESTS``,
``SECTION_SHIFT_OFF_REQUESTS``, ``SECTION_COVER``) of comma-separated lines; ``#``
starts a comment. Day 0 is a Monday, so the horizon starts on Monday 2024-01-01.

Mapping onto :class:`RosterProblem` (rules H1–H9, S1–S3 of the benchmark):

* shifts → ``ShiftType(length_minutes, forbidden_next=CannotFollow)``;
* staff → ``Contract`` (``MaxShifts`` → ``max_shifts_per_type``, total minutes,
  consecutive work / off limits, ``max_weekends``);
* days off → one whole-day ``Unavailability`` per day;
* shift-on / shift-off requests → ``ShiftRequest(want=True / False)``;
* cover → ``CoverDemand(skill=None)`` with the file's under / over weights.

Any malformed line raises :class:`InputError` naming the file, the line and the rule.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.io.load import read_text
from optimizer.model.common import MAX_DAYS
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)

_T = TypeVar("_T")

START_DATE = dt.date(2024, 1, 1)
"""A Monday: the benchmark's day 0 is a Monday."""

SECTIONS = (
    "HORIZON",
    "SHIFTS",
    "STAFF",
    "DAYS_OFF",
    "SHIFT_ON_REQUESTS",
    "SHIFT_OFF_REQUESTS",
    "COVER",
)
_REQUIRED = ("HORIZON", "SHIFTS", "STAFF")
_INTEGER = re.compile(r"-?[0-9]+")
"""A number as the benchmark writes it: ASCII digits, optionally a leading minus."""
_FIELDS = {
    "HORIZON": (1, "a single integer: the number of days"),
    "SHIFTS": (3, "ShiftID, LengthInMinutes, CannotFollow"),
    "STAFF": (
        8,
        "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
        "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends",
    ),
    "SHIFT_ON_REQUESTS": (4, "EmployeeID, Day, ShiftID, Weight"),
    "SHIFT_OFF_REQUESTS": (4, "EmployeeID, Day, ShiftID, Weight"),
    "COVER": (5, "Day, ShiftID, Requirement, WeightForUnder, WeightForOver"),
}


@dataclass
class _Line:
    number: int
    fields: list[str]


@dataclass
class _Parsed:
    """Data lines grouped by section, in file order."""

    sections: dict[str, list[_Line]] = field(default_factory=dict)
    headers: dict[str, int] = field(default_factory=dict)
    """Line number of each section's header."""


class _Reader:
    """Turns the grouped lines into model records, checking each field."""

    def __init__(self, path: str, parsed: _Parsed) -> None:
        self.path = path
        self.parsed = parsed
        self.num_days = 0
        self.shift_ids: set[str] = set()
        self.staff_ids: set[str] = set()

    # -- field helpers -------------------------------------------------------------

    def error(self, line: _Line, message: str) -> InputError:
        return InputError(message, file=self.path, line=line.number)

    def number(self, line: _Line, text: str, name: str) -> int:
        """``text`` as an integer written with ASCII digits (no '+', '_' or other digits)."""
        if not _INTEGER.fullmatch(text):
            raise self.error(
                line, f"{name} must be an integer written with the digits 0-9, got '{text}'"
            )
        return int(text)

    def integer(self, line: _Line, index: int, name: str, minimum: int = 0) -> int:
        value = self.number(line, line.fields[index], name)
        if value < minimum:
            raise self.error(line, f"{name} must be ≥ {minimum}, got {value}")
        return value

    def day(self, line: _Line, index: int) -> int:
        value = self.integer(line, index, "day index")
        if value >= self.num_days:
            raise self.error(
                line,
                f"day {value} is outside the horizon 0–{self.num_days - 1} (H={self.num_days})",
            )
        return value

    def shift(self, line: _Line, text: str) -> str:
        if text not in self.shift_ids:
            raise self.error(line, f"unknown shift id '{text}' (not in SECTION_SHIFTS)")
        return text

    def staff(self, line: _Line, text: str) -> str:
        if text not in self.staff_ids:
            raise self.error(line, f"unknown employee id '{text}' (not in SECTION_STAFF)")
        return text

    def lines(self, section: str) -> list[_Line]:
        return self.parsed.sections.get(section, [])

    # -- sections ------------------------------------------------------------------

    def horizon(self) -> int:
        lines = self.lines("HORIZON")
        if len(lines) != 1:
            where = lines[1] if len(lines) > 1 else None
            message = "SECTION_HORIZON must hold exactly one line (the number of days)"
            if where is None:
                raise InputError(message, file=self.path)
            raise self.error(where, message)
        num_days = self.integer(lines[0], 0, "horizon length", minimum=1)
        if num_days > MAX_DAYS:
            raise self.error(
                lines[0], f"horizon length must be at most {MAX_DAYS} days, got {num_days}"
            )
        self.num_days = num_days
        return num_days

    def require_entries(self, section: str, what: str) -> None:
        """A present section that must not be empty (its header line is named)."""
        if section in self.parsed.sections and not self.lines(section):
            raise InputError(
                f"SECTION_{section} lists no {what}",
                file=self.path,
                line=self.parsed.headers.get(section),
            )

    def shifts(self) -> list[ShiftType]:
        lines = self.lines("SHIFTS")
        for line in lines:
            shift_id = line.fields[0]
            if not shift_id:
                raise self.error(line, "empty shift id")
            if shift_id in self.shift_ids:
                raise self.error(line, f"shift id '{shift_id}' is defined twice")
            self.shift_ids.add(shift_id)
        result = []
        for line in lines:
            length = self.integer(line, 1, "shift length in minutes", minimum=1)
            cannot_follow = tuple(
                self.shift(line, s.strip()) for s in line.fields[2].split("|") if s.strip()
            )
            result.append(
                self.record(
                    line,
                    ShiftType,
                    id=line.fields[0],
                    length_minutes=length,
                    forbidden_next=cannot_follow,
                )
            )
        return result

    def max_shifts(self, line: _Line) -> dict[str, int]:
        limits: dict[str, int] = {}
        for item in line.fields[1].split("|"):
            item = item.strip()
            if not item:
                continue
            shift_id, sep, count = item.partition("=")
            if not sep:
                raise self.error(line, f"MaxShifts item '{item}' must look like ShiftID=k")
            shift_id = self.shift(line, shift_id.strip())
            limit = self.number(line, count.strip(), f"MaxShifts limit for '{shift_id}'")
            if shift_id in limits:
                raise self.error(
                    line,
                    f"MaxShifts gives shift '{shift_id}' twice ({limits[shift_id]} and {limit})",
                )
            limits[shift_id] = limit
        return limits

    def staff_members(self) -> list[Staff]:
        result = []
        for line in self.lines("STAFF"):
            staff_id = line.fields[0]
            if staff_id in self.staff_ids:
                raise self.error(line, f"employee id '{staff_id}' is defined twice")
            limits = self.max_shifts(line)
            numbers = [
                self.integer(line, i, name)
                for i, name in enumerate(
                    (
                        "MaxTotalMinutes",
                        "MinTotalMinutes",
                        "MaxConsecutiveShifts",
                        "MinConsecutiveShifts",
                        "MinConsecutiveDaysOff",
                        "MaxWeekends",
                    ),
                    start=2,
                )
            ]
            max_min, min_min, max_cons, min_cons, min_off, max_we = numbers
            contract = self.record(
                line,
                Contract,
                max_minutes=max_min,
                min_minutes=min_min,
                max_shifts_per_type=limits,
                max_consecutive_work=max(1, max_cons),
                min_consecutive_work=max(1, min_cons),
                min_consecutive_off=max(1, min_off),
                max_weekends=max_we,
            )
            result.append(self.record(line, Staff, id=staff_id, contract=contract))
            self.staff_ids.add(staff_id)
        return result

    def days_off(self) -> list[Unavailability]:
        result = []
        for line in self.lines("DAYS_OFF"):
            if len(line.fields) < 2:
                raise self.error(
                    line, "SECTION_DAYS_OFF lines need EmployeeID followed by ≥ 1 day index"
                )
            staff_id = self.staff(line, line.fields[0])
            for i in range(1, len(line.fields)):
                if not line.fields[i]:
                    continue
                day = self.day(line, i)
                result.append(
                    self.record(
                        line,
                        Unavailability,
                        staff=staff_id,
                        first_day=day,
                        last_day=day,
                        reason="day off",
                    )
                )
        return result

    def requests(self, section: str, want: bool) -> list[ShiftRequest]:
        result = []
        for line in self.lines(section):
            result.append(
                self.record(
                    line,
                    ShiftRequest,
                    staff=self.staff(line, line.fields[0]),
                    day=self.day(line, 1),
                    shift=self.shift(line, line.fields[2]),
                    want=want,
                    weight=self.integer(line, 3, "request weight"),
                )
            )
        return result

    def cover(self) -> list[CoverDemand]:
        result = []
        seen: set[tuple[int, str]] = set()
        for line in self.lines("COVER"):
            day = self.day(line, 0)
            shift = self.shift(line, line.fields[1])
            if (day, shift) in seen:
                raise self.error(line, f"cover for day {day}, shift '{shift}' is given twice")
            seen.add((day, shift))
            result.append(
                self.record(
                    line,
                    CoverDemand,
                    day=day,
                    shift=shift,
                    skill=None,
                    required=self.integer(line, 2, "cover requirement"),
                    under_weight=self.integer(line, 3, "WeightForUnder"),
                    over_weight=self.integer(line, 4, "WeightForOver"),
                )
            )
        return result

    def record(self, line: _Line, cls: type[_T], **values: object) -> _T:
        try:
            return cls(**values)
        except ValidationError as exc:
            error = from_validation_error(exc, file=self.path)
            raise InputError(
                error.message, file=self.path, line=line.number, field=error.field
            ) from None

    def problem(self, name: str) -> RosterProblem:
        self.horizon()
        self.require_entries("SHIFTS", "shifts")
        self.require_entries("STAFF", "employees")
        shifts = self.shifts()
        staff = self.staff_members()
        values = {
            "name": name,
            "start_date": START_DATE,
            "num_days": self.num_days,
            "shifts": tuple(shifts),
            "staff": tuple(staff),
            "unavailability": tuple(self.days_off()),
            "requests": tuple(
                self.requests("SHIFT_ON_REQUESTS", True)
                + self.requests("SHIFT_OFF_REQUESTS", False)
            ),
            "cover": tuple(self.cover()),
        }
        try:
            return RosterProblem.model_validate(values)
        except ValidationError as exc:
            raise from_validation_error(exc, file=self.path) from None


def _data_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _squeeze(text: str) -> str:
    """Upper case letters and digits only, for comparing header spellings."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _header_like(text: str) -> str | None:
    """The known ``SECTION_`` header ``text`` seems to be a misspelling of, if any.

    Either a bare section name in any case (``cover``), or something starting
    like ``SECTION`` and close to a full header (``Section_Cover``, ``SECTON_COVER``).
    """
    squeezed = _squeeze(text)
    bare = {_squeeze(s): f"SECTION_{s}" for s in SECTIONS}
    if squeezed in bare:
        return bare[squeezed]
    if difflib.SequenceMatcher(None, squeezed[:7], "SECTION").ratio() < 0.7:
        return None
    full = {_squeeze(f"SECTION_{s}"): f"SECTION_{s}" for s in SECTIONS}
    match = difflib.get_close_matches(squeezed, list(full), n=1, cutoff=0.85)
    return full[match[0]] if match else None


def _misspelt_header(line: str, number: int, path: str) -> InputError | None:
    """An error for a one-field data line that looks like a section header."""
    if "," in line or _INTEGER.fullmatch(line):
        return None
    header = _header_like(line)
    if header is None:
        return None
    if line.upper() == header:
        rule = f"section names are upper case: {header}"
    else:
        rule = f"did you mean {header}?"
    return InputError(f"'{line}' looks like a section header; {rule}", file=path, line=number)


def _unknown_section(line: str, number: int, path: str) -> InputError:
    header = _header_like(line)
    hint = f"did you mean {header}? " if header else ""
    return InputError(
        f"unknown section '{line}'; {hint}expected one of "
        + ", ".join(f"SECTION_{s}" for s in SECTIONS),
        file=path,
        line=number,
    )


def _group(path: str, text: str) -> _Parsed:
    """Split the file into sections, checking order, names and field counts."""
    parsed = _Parsed()
    current: str | None = None
    for number, line in _data_lines(text):
        if line.startswith("SECTION_"):
            name = line.removeprefix("SECTION_")
            if name not in SECTIONS:
                raise _unknown_section(line, number, path)
            position = SECTIONS.index(name)
            previous = -1 if current is None else SECTIONS.index(current)
            if position <= previous:
                raise InputError(
                    f"section '{line}' is out of order or repeated: sections must appear "
                    f"in the order {', '.join(SECTIONS)}",
                    file=path,
                    line=number,
                )
            current = name
            parsed.sections[name] = []
            parsed.headers[name] = number
            continue
        misspelt = _misspelt_header(line, number, path)
        if misspelt is not None:
            raise misspelt
        if current is None:
            raise InputError(
                "data before the first section header (expected SECTION_HORIZON)",
                file=path,
                line=number,
            )
        fields = [f.strip() for f in line.split(",")]
        expected = _FIELDS.get(current)
        if expected is not None and len(fields) != expected[0]:
            raise InputError(
                f"SECTION_{current} lines need {expected[0]} comma-separated field(s) "
                f"({expected[1]}), got {len(fields)}",
                file=path,
                line=number,
            )
        parsed.sections[current].append(_Line(number, fields))
    for name in _REQUIRED:
        if name not in parsed.sections:
            raise InputError(f"missing section 'SECTION_{name}'", file=path)
    return parsed


def read_curtois(path: str | Path) -> RosterProblem:
    """Read a Curtois–Qu ``InstanceN.txt`` into a :class:`RosterProblem`.

    Raises:
        InputError: the file is missing or malformed (names file, line and rule).
    """
    path = Path(path)
    parsed = _group(str(path), read_text(path))
    return _Reader(str(path), parsed).problem(path.stem)
