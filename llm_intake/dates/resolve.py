"""One matched date pattern → a ``DateHit`` relative to the reference date."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import (
    PAST,
    DateHit,
    Window,
    check_weekday,
    days_delta,
    error_hit,
    explicit_date,
    fmt_span,
    monday_of,
    next_weekday,
    nth_day,
    year_for,
)
from llm_intake.dates.names import HOLIDAYS, month_number, number, weekday_number


def resolve(name: str, m: re.Match[str], ref: dt.date, window: Window = None) -> DateHit:
    """One matched pattern → a DateHit relative to ``ref``."""
    g = m.groupdict()
    first: dt.date
    last: dt.date
    error: str | None = None
    tonight = False
    if name == "iso":
        first = last = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        error = check_weekday(first, g["wd"])
    elif name in ("day_range_month", "month_day_range"):
        month = month_number(g["mon"])
        if name == "day_range_month":
            first, last = day_range(g.get("y"), month, int(g["d1"]), int(g["d2"]), ref)
        else:
            first = explicit_date(g.get("y"), month, int(g["d1"]), ref)
            last = first.replace(day=int(g["d2"]))
        error = check_weekday(first, g.get("wd1")) or check_weekday(last, g.get("wd2"))
    elif name in ("day_month", "month_day"):
        first = last = explicit_date(g.get("y"), month_number(g["mon"]), int(g["d"]), ref)
        error = check_weekday(first, g.get("wd"))
    elif name == "numeric":
        a, b = int(g["a"]), int(g["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b:
            day = month = a
        elif (fits := _fitting(g.get("y"), [(a, b), (b, a)], ref, window)) is not None:
            day, month = fits
        else:
            return DateHit(
                m.start(),
                m.end(),
                None,
                None,
                f"'{m.group(0)[m.start('a') - m.start() :]}' could be {a} "
                f"{dt.date(2000, b, 1):%B} or {b} {dt.date(2000, a, 1):%B}; "
                "please write the month as a word",
            )
        first = last = explicit_date(g.get("y"), month, day, ref)
        error = check_weekday(first, g["wd"])
    elif name == "ordinal_range":
        first = nth_day(int(g["d1"]), ref)
        last = nth_day(int(g["d2"]), first)
    elif name in ("ordinal", "weekday_day"):
        first = last = nth_day(int(g["d"]), ref)
        error = check_weekday(first, g.get("wd"))
    elif name in ("week_on", "after_next", "past_weekday"):
        return _relative_week(name, m, ref)
    elif name == "holiday":
        hol = re.sub(r"\s+", " ", g["hol"].lower()).replace("xmas", "christmas")
        if hol in _SEASONS and not _one_day(m):
            return error_hit(m.start(), m.end(), f"'{_season_phrase(m)}': which days?")
        month, day = HOLIDAYS[hol]
        first = last = year_for(month, day, ref)
    elif name == "after_tomorrow":
        first = last = ref + dt.timedelta(days=2)
    elif name == "tomorrow":
        first = last = ref + dt.timedelta(days=1)
    elif name == "today":
        first = last = ref
        tonight = "night" in m.group(0).lower() or "evening" in m.group(0).lower()
    elif name == "weekend":
        saturday = next_weekday(monday_of(ref), 5)
        if "next" in g["which"].lower():
            saturday += dt.timedelta(days=7)
        first, last = max(saturday, ref), saturday + dt.timedelta(days=1)
    elif name in ("wd_next_week", "next_week_wd"):
        first = last = monday_of(ref) + dt.timedelta(days=7 + (weekday_number(g["wd"]) or 0))
    elif name == "week":
        if g["which"].lower() == "this":
            first, last = ref, monday_of(ref) + dt.timedelta(days=6)
        else:
            first = monday_of(ref) + dt.timedelta(days=7)
            last = first + dt.timedelta(days=6)
    elif name == "in_days":
        first = last = ref + dt.timedelta(days=number(g["n"]) or 0)
    else:  # weekday
        weekday = weekday_number(g["wd"]) or 0
        which = (g.get("which") or "").lower()
        if which == "next":
            first = monday_of(ref) + dt.timedelta(days=7 + weekday)
        else:
            first = next_weekday(ref, weekday)
        last = first
    if last < first:
        return DateHit(m.start(), m.end(), None, None, f"'{m.group(0)}' ends before it starts")
    return DateHit(m.start(), m.end(), first, last, error, tonight)


def day_range(
    year: str | None, month: int, d1: int, d2: int, ref: dt.date
) -> tuple[dt.date, dt.date]:
    """ "1-3 Jan" → 1 to 3 Jan; "28th to 3 Jan" → 28 Dec to 3 Jan: only the last day has the
    month, so a first day with a greater number is in the month before (the year end)."""
    if d1 <= d2:
        first = explicit_date(year, month, d1, ref)
        return first, first.replace(day=d2)
    last = explicit_date(year, month, d2, ref)
    month_before = last.replace(day=1) - dt.timedelta(days=1)
    if d1 > month_before.day:
        raise ValueError(f"there is no {d1} {month_before:%B}")
    return month_before.replace(day=d1), last


_SEASONS = frozenset({"christmas", "new year's", "new years"})
"""Holidays that also name a season ("over Christmas", "the Christmas period")."""
_SEASON_BEFORE = re.compile(
    r"\b(?:over|during|around|across|throughout|through|at|for)\s+(?:the\s+)?$", re.IGNORECASE
)
_SEASON_AFTER = re.compile(
    r"\s+(?:period|holidays?|hols|break|season|time|week|fortnight|shutdown|closure)\b",
    re.IGNORECASE,
)


def _one_day(m: re.Match[str]) -> bool:
    """Whether a bare "Christmas" / "New Year's" means the day ("on Christmas", "wants
    Christmas off"), not the season ("over Christmas", "the Christmas period")."""
    return not (
        _SEASON_BEFORE.search(m.string[: m.start()]) or _SEASON_AFTER.match(m.string, m.end())
    )


def _season_phrase(m: re.Match[str]) -> str:
    """ "over Christmas", "the Christmas period": the words around a season, for messages."""
    start, end = m.start(), m.end()
    if before := _SEASON_BEFORE.search(m.string[:start]):
        start = before.start()
    if after := _SEASON_AFTER.match(m.string, end):
        end = after.end()
    return m.string[start:end]


def _relative_week(name: str, m: re.Match[str], ref: dt.date) -> DateHit:
    """ "Friday week", "a week today", "the week after next"; ambiguous or past ones as errors."""
    g = m.groupdict()
    phrase = m.group(0)
    if name == "week_on":
        weekday = weekday_number(g["wd"] or g["wd2"])
        if weekday is not None:
            base = next_weekday(ref, weekday)
        else:
            base = ref + dt.timedelta(days=0 if "today" in phrase.lower() else 1)
        day = base + dt.timedelta(days=7)
        return DateHit(m.start(), m.end(), day, day)
    if name == "past_weekday":
        return error_hit(m.start(), m.end(), f"'{phrase}' is in the past; {PAST}", past=True)
    what = g["what"].lower()
    monday = monday_of(ref)
    if what == "week":
        return DateHit(m.start(), m.end(), monday + days_delta(14), monday + days_delta(20))
    offset, length = (5, 1) if what == "weekend" else (weekday_number(what) or 0, 0)
    a, b = (monday + days_delta(7 * k + offset) for k in (1, 2))
    return error_hit(
        m.start(),
        m.end(),
        f"'{phrase}' could be {fmt_span(a, a + days_delta(length))} or "
        f"{fmt_span(b, b + days_delta(length))}; please give the date",
    )


def _fitting(
    year: str | None, readings: list[tuple[int, int]], ref: dt.date, window: Window
) -> tuple[int, int] | None:
    """The one (day, month) reading that falls inside ``window``, if exactly one does."""
    if window is None:
        return None
    inside = []
    for day, month in readings:
        try:
            date = explicit_date(year, month, day, ref)
        except ValueError:
            continue
        if window[0] <= date <= window[1]:
            inside.append((day, month))
    return inside[0] if len(inside) == 1 else None
