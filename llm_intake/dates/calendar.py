"""``DateHit`` (a date or range found in text) and the calendar arithmetic behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from llm_intake.dates.names import weekday_number


@dataclass(frozen=True)
class DateHit:
    """A date or date range found in text (``error`` set when it must not be guessed;
    ``past`` when that is because it is in the past)."""

    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    error: str | None = None
    tonight: bool = False
    past: bool = False

    @property
    def single(self) -> bool:
        return self.first is not None and self.first == self.last

    def days(self) -> list[dt.date]:
        if self.first is None or self.last is None:
            return []
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def next_weekday(ref: dt.date, weekday: int) -> dt.date:
    """The first ``weekday`` on or after ``ref``."""
    return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)


def monday_of(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def year_for(month: int, day: int, today: dt.date) -> dt.date:
    """The first ``day`` of ``month`` on or after today − 31 days ("31 Dec" on 2 Jan: last year)."""
    floor = today - dt.timedelta(days=31)
    for year in (floor.year, floor.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= floor:
            return candidate
    raise ValueError(f"there is no day {day} in month {month}")


def nth_day(day: int, ref: dt.date) -> dt.date:
    year, month = ref.year, ref.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= ref:
            return candidate
        month += 1
        if month == 13:
            year, month = year + 1, 1
    raise ValueError(f"there is no day {day} in any coming month")


def explicit_date(year: str | None, month: int, day: int, today: dt.date) -> dt.date:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return dt.date(full, month, day)
    return year_for(month, day, today)


def check_weekday(date: dt.date, wd: str | None) -> str | None:
    weekday = weekday_number(wd)
    if weekday is not None and date.weekday() != weekday:
        return f"'{wd}' does not fall on {date:%a %d %b %Y}; which date is meant?"
    return None


PAST = "dates in the past cannot be changed"

Window = tuple[dt.date, dt.date] | None
"""The plan's first and last date: decides a numeric date only one reading of which fits."""


def days_delta(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def fmt_span(first: dt.date, last: dt.date) -> str:
    """ "Fri 18 Dec", "19–20 Dec" or "31 Jan–1 Feb"."""
    if first == last:
        return f"{first:%a} {first.day} {first:%b}"
    start = str(first.day) if first.month == last.month else f"{first.day} {first:%b}"
    return f"{start}–{last.day} {last:%b}"


def error_hit(start: int, end: int, message: str, past: bool = False) -> DateHit:
    return DateHit(start, end, None, None, message, past=past)
