"""Dates and date ranges in free text, relative to an explicit reference date.

Conventions (documented in docs/intake.md):

* a bare weekday ("Tuesday", "on Tue", "this Tuesday") is the first such day on or after today;
* "next Tuesday" and "Tuesday next week" are the Tuesday of the following Monday-based week,
  and so is every weekday listed with them ("next Thu and Fri", "Mon to Wed next week");
* "next week" is Monday–Sunday of the following week, "this week" today–Sunday;
* "the 14th" is the first 14th on or after today; a day and month without a year is the
  first occurrence on or after today − 31 days;
* numeric dates are day/month unless the numbers only fit month/day; "03/04" is ambiguous
  and reported, never guessed; a weekday that contradicts its date is reported too;
* phrases read reliably only one way are resolved ("w/c 14 Dec", "Friday week", "the day
  after Boxing Day"); ambiguous or past ones ("the weekend after next", "since Monday")
  are reported, never guessed.

``find_dates`` scans a sentence with fixed patterns; ``dateparser`` is only ever
used by ``parse_date_phrase`` on an isolated phrase, as a last resort.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "monday mon mondays",
        "tuesday tue tues tuesdays tusday teusday tuesdy tuseday",
        "wednesday wed weds wednesdays wednsday wendsday wensday wedensday wendesday",
        "thursday thu thur thurs thursdays thrusday thurday thursay",
        "friday fri fridays firday fryday",
        "saturday sat saturdays saterday satuday",
        "sunday sun sundays sundy",
    )
):
    for _n in _names.split():
        WEEKDAYS[_n] = _i

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "january jan",
        "february feb febuary",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept septmber",
        "october oct",
        "november nov novmber novemeber",
        "december dec decmber dicember",
    ),
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "nye": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "new year's": (1, 1),
    "new years": (1, 1),
}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
}

_WD = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)"
_DASH = r"(?:-|–|—|to|till|til|until|thru|through)"
_NUM = r"(?:\d+|" + "|".join(k.replace(" ", r"\s+") for k in NUMBER_WORDS) + ")"
_TOMORROW = r"(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmw)"

_ITEM = rf"\d{{1,2}}{_ORD}?(?:\s*{_DASH}\s*(?:the\s+)?\d{{1,2}}{_ORD}?)?"
"""One item of a day list: a day ("14th") or a run of days ("14-16")."""
_LIST_SEP = r"\s*(?:,\s*(?:and\b|&)?|and\b|&)\s*(?:the\s+)?"
_NOT_A_COUNT = (
    r"(?![\w:/]|\.\d)(?!\s*(?:am|pm|a\.m|p\.m|h|hrs?|hours?|mins?|minutes?|%|x|more|extra|"
    r"fewer|less|additional|other|rns?|hcas?|nurses?|staff|people|persons?|members?|of)\b)"
)
"""After a bare number: it is not a time, a duration or a head count."""

# (name, pattern): scanned in this order; earlier matches win over overlapping later ones.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
        (
            "day_list_month",
            rf"\b(?P<days>{_ITEM}(?:{_LIST_SEP}{_ITEM})+)\s+(?:of\s+)?"
            rf"(?P<mon>{_MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day_list",
            rf"\b(?P<mon>{_MON})\s+(?P<days>{_ITEM}(?:{_LIST_SEP}{_ITEM})+)"
            rf"(?:,?\s+(?P<y>\d{{4}}))?{_NOT_A_COUNT}",
        ),
        (
            "day_range_month",
            rf"\b(?:(?P<wd1>{_WD}),?\s+)?(?P<d1>\d{{1,2}}){_ORD}?\s*{_DASH}\s*"
            rf"(?:(?P<wd2>{_WD}),?\s+)?(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}?"
            rf"\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day_range",
            rf"\b(?P<mon>{_MON})\s+(?P<d1>\d{{1,2}}){_ORD}?\s*{_DASH}\s*(?P<d2>\d{{1,2}}){_ORD}?\b",
        ),
        (
            "day_month",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}?\s*(?:of\s+)?"
            rf"(?P<mon>{_MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\s+(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?\b",
        ),
        (
            "numeric",
            rf"\b(?:(?P<wd>{_WD}),?\s+(?:the\s+)?)?"
            r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>\d{2}|\d{4}))?\b"
            r"(?!\s*(?:h|hrs?|hours?|m|mins?|minutes?|%|x|kg|mg|ml|l)\b)",
        ),
        (
            "ordinal_range",
            rf"\b(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}\s*{_DASH}\s*(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\b",
        ),
        ("ordinal", rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}\b"),
        (
            "weekday_day",
            rf"\b(?P<wd>{_WD}),?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?![\w:/]|\.\d)"
            rf"(?=\s*(?:$|[,.;!?)]|{_DASH}|(?:and|or|&|for|on|off|at|please|as|but|so)\b))",
        ),
        (
            "holiday",
            r"\b(?P<hol>christmas\s+eve|christmas\s+day|xmas\s+eve|xmas\s+day|christmas|xmas|"
            r"boxing\s+day|new\s+year'?s\s+eve|nye|new\s+year'?s\s+day|new\s+year'?s)\b",
        ),
        (
            "week_on",
            rf"\b(?:(?P<wd>{_WD})\s+week\b|(?:today|tomorrow)\s+week\b|"
            rf"a\s+week\s+(?:on\s+|from\s+)?(?:(?P<wd2>{_WD})(?![a-z])|today\b|{_TOMORROW}\b))",
        ),
        ("after_next", rf"\b(?:the\s+)?(?P<what>weekend|week|{_WD})\s+after\s+next\b"),
        ("past_weekday", rf"\b(?:this\s+past\s+(?P<wd>{_WD})|(?P<wd2>{_WD})\s+just\s+gone)\b"),
        ("after_tomorrow", rf"\b(?:the\s+)?day\s+after\s+{_TOMORROW}\b"),
        ("tomorrow", rf"\b{_TOMORROW}\b"),
        ("today", r"\b(?:today|tonight|this\s+evening|this\s+morning)\b"),
        (
            "weekend",
            r"\b(?P<which>this|next|the|this\s+coming|coming)\s+weekend\b"
            r"(?!\s+(?:of|after|before)\b)",
        ),
        ("wd_next_week", rf"\b(?P<wd>{_WD})\s+(?:of\s+)?next\s+week\b"),
        ("next_week_wd", rf"\bnext\s+week(?:'s)?\s+(?:on\s+)?(?P<wd>{_WD})(?![a-z])"),
        ("week", r"\b(?P<which>this|next|the\s+whole\s+of\s+next|all\s+(?:of\s+)?next)\s+week\b"),
        ("in_days", rf"\bin\s+(?P<n>{_NUM})\s+days?\b"),
        ("weekday", rf"\b(?:(?P<which>this|next|coming|this\s+coming)\s+)?(?P<wd>{_WD})(?![a-z])"),
    )
]
_LISTS = ("day_list_month", "month_day_list")
"""Patterns that are lists of several days (each item becomes its own hit)."""

_FOR_SPAN = re.compile(
    rf"^\s*,?\s*(?:for\s+(?:the\s+)?(?:next\s+)?)(?P<n>{_NUM})\s+(?P<unit>days?|nights?|shifts?|weeks?)\b",
    re.IGNORECASE,
)
_STARTING = r"(?:from|starting|beginning|commencing|as\s+(?:of|from))"
_NEXT_DAYS = re.compile(
    rf"\b(?:for\s+)?the\s+next\s+(?P<n>{_NUM})\s+(?P<unit>days?|weeks?)\b"
    rf"(?!\s+{_STARTING}\b)",
    re.IGNORECASE,
)
_FOR_BEFORE = re.compile(
    rf"(?P<for>\bfor\s+)?\b(?:the\s+)?(?:next\s+)?(?P<n>{_NUM})\s+"
    rf"(?P<unit>days?|nights?|shifts?|weeks?)\s+{_STARTING}(?:\s+(?:from|on))?\s+$",
    re.IGNORECASE,
)
"""A length before its first day: "for 3 days from tomorrow", "for 5 days starting 21 Dec"."""
_END_OF = r"(?:\s+the)?\s+end\s+of(?:\s+the)?"
_CONNECT = re.compile(
    rf"^\s*(?:-|–|—|(?:to|till|til|until|thru|through)(?:{_END_OF})?|and)\s*$", re.IGNORECASE
)
_UNTIL = re.compile(rf"(?:until|till|til|up\s+to)(?:{_END_OF})?\s*$", re.IGNORECASE)
_END_OF_BEFORE = re.compile(r"(?:\bthe\s+)?\bend\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_UNTIL_WORD = re.compile(r"\b(?:until|till|til|up\s+to|to|thru|through)\s+$", re.IGNORECASE)
_LOOSE = re.compile(
    rf"(?:\b(?:the\s+)?(?:end|start|beginning|middle|rest)\s+of\s+)?"
    rf"(?:\b(?:the|this|that|a|following|other|previous)\s+)*"
    rf"(?:\b(?!(?:an?|one|1)\s){_NUM}\s+(?:days?|nights?|shifts?)\b|"
    rf"\b{_NUM}\s+(?:weeks?|fortnights?|months?)(?:['’]s?)?|"
    r"\b(?:weekends?|weeks?|fortnights?|months?)(?:['’]s?)?)"
    r"(?:\s+(?:after|before|following))?\b|"
    r"\b(?:and|or|&)\s+(?:the\s+)?(?:next|following|after)\b(?=\s*(?:$|[,.;!?)]))",
    re.IGNORECASE,
)
"""Periods no date pattern read ("3 days", "the weekend after", "this week and next"):
asked about, never dropped."""


@dataclass(frozen=True)
class DateHit:
    """A date or date range found in text (``error`` set when it must not be guessed)."""

    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    error: str | None = None
    tonight: bool = False

    @property
    def single(self) -> bool:
        return self.first is not None and self.first == self.last

    def days(self) -> list[dt.date]:
        if self.first is None or self.last is None:
            return []
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def number(text: str) -> int | None:
    """An integer from digits or a small number word ("two", "a couple of")."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


def _wd(text: str | None) -> int | None:
    if not text:
        return None
    return WEEKDAYS.get(text.lower().rstrip("."))


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def next_weekday(ref: dt.date, weekday: int) -> dt.date:
    """The first ``weekday`` on or after ``ref``."""
    return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)


def _monday(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def _year_for(month: int, day: int, today: dt.date) -> dt.date:
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


def _nth(day: int, ref: dt.date) -> dt.date:
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


def _explicit(year: str | None, month: int, day: int, today: dt.date) -> dt.date:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return dt.date(full, month, day)
    return _year_for(month, day, today)


def _check_wd(date: dt.date, wd: str | None) -> str | None:
    weekday = _wd(wd)
    if weekday is not None and date.weekday() != weekday:
        return f"'{wd}' does not fall on {date:%a %d %b %Y}; which date is meant?"
    return None


PAST = "dates in the past cannot be changed"

Window = tuple[dt.date, dt.date] | None
"""The plan's first and last date: decides a numeric date only one reading of which fits."""


def _resolve(name: str, m: re.Match[str], ref: dt.date, window: Window = None) -> DateHit:
    """One matched pattern → a DateHit relative to ``ref``."""
    g = m.groupdict()
    first: dt.date
    last: dt.date
    error: str | None = None
    tonight = False
    if name == "iso":
        first = last = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        error = _check_wd(first, g["wd"])
    elif name in ("day_range_month", "month_day_range"):
        month = _month(g["mon"])
        first = _explicit(g.get("y"), month, int(g["d1"]), ref)
        last = first.replace(day=int(g["d2"]))
        error = _check_wd(first, g.get("wd1")) or _check_wd(last, g.get("wd2"))
    elif name in ("day_month", "month_day"):
        first = last = _explicit(g.get("y"), _month(g["mon"]), int(g["d"]), ref)
        error = _check_wd(first, g.get("wd"))
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
        first = last = _explicit(g.get("y"), month, day, ref)
        error = _check_wd(first, g["wd"])
    elif name == "ordinal_range":
        first = _nth(int(g["d1"]), ref)
        last = _nth(int(g["d2"]), first)
    elif name in ("ordinal", "weekday_day"):
        first = last = _nth(int(g["d"]), ref)
        error = _check_wd(first, g.get("wd"))
    elif name in ("week_on", "after_next", "past_weekday"):
        return _relative_week(name, m, ref)
    elif name == "holiday":
        hol = re.sub(r"\s+", " ", g["hol"].lower()).replace("xmas", "christmas")
        if hol in _SEASONS and not _one_day(m):
            return _error(m.start(), m.end(), f"'{_season_phrase(m)}': which days?")
        month, day = HOLIDAYS[hol]
        first = last = _year_for(month, day, ref)
    elif name == "after_tomorrow":
        first = last = ref + dt.timedelta(days=2)
    elif name == "tomorrow":
        first = last = ref + dt.timedelta(days=1)
    elif name == "today":
        first = last = ref
        tonight = "night" in m.group(0).lower() or "evening" in m.group(0).lower()
    elif name == "weekend":
        saturday = next_weekday(_monday(ref), 5)
        if "next" in g["which"].lower():
            saturday += dt.timedelta(days=7)
        first, last = max(saturday, ref), saturday + dt.timedelta(days=1)
    elif name in ("wd_next_week", "next_week_wd"):
        first = last = _monday(ref) + dt.timedelta(days=7 + (_wd(g["wd"]) or 0))
    elif name == "week":
        if g["which"].lower() == "this":
            first, last = ref, _monday(ref) + dt.timedelta(days=6)
        else:
            first = _monday(ref) + dt.timedelta(days=7)
            last = first + dt.timedelta(days=6)
    elif name == "in_days":
        first = last = ref + dt.timedelta(days=number(g["n"]) or 0)
    else:  # weekday
        weekday = _wd(g["wd"]) or 0
        which = (g.get("which") or "").lower()
        if which == "next":
            first = _monday(ref) + dt.timedelta(days=7 + weekday)
        else:
            first = next_weekday(ref, weekday)
        last = first
    if last < first:
        return DateHit(m.start(), m.end(), None, None, f"'{m.group(0)}' ends before it starts")
    return DateHit(m.start(), m.end(), first, last, error, tonight)


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
        weekday = _wd(g["wd"] or g["wd2"])
        if weekday is not None:
            base = next_weekday(ref, weekday)
        else:
            base = ref + dt.timedelta(days=0 if "today" in phrase.lower() else 1)
        day = base + dt.timedelta(days=7)
        return DateHit(m.start(), m.end(), day, day)
    if name == "past_weekday":
        return _error(m.start(), m.end(), f"'{phrase}' is in the past; {PAST}")
    what = g["what"].lower()
    monday = _monday(ref)
    if what == "week":
        return DateHit(m.start(), m.end(), monday + _days(14), monday + _days(20))
    offset, length = (5, 1) if what == "weekend" else (_wd(what) or 0, 0)
    a, b = (monday + _days(7 * k + offset) for k in (1, 2))
    return _error(
        m.start(),
        m.end(),
        f"'{phrase}' could be {_fmt(a, a + _days(length))} or {_fmt(b, b + _days(length))}; "
        "please give the date",
    )


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _fmt(first: dt.date, last: dt.date) -> str:
    """ "Fri 18 Dec", "19–20 Dec" or "31 Jan–1 Feb"."""
    if first == last:
        return f"{first:%a} {first.day} {first:%b}"
    start = str(first.day) if first.month == last.month else f"{first.day} {first:%b}"
    return f"{start}–{last.day} {last:%b}"


def _error(start: int, end: int, message: str) -> DateHit:
    return DateHit(start, end, None, None, message)


def _scan(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if name == "weekday" and not _plausible_weekday(text, m):
                continue
            if name == "day_month" and m.group("mon").lower() == "may" and not m.group("d"):
                continue
            taken.append((m.start(), m.end()))
            if name in _LISTS:
                hits.extend(_day_list(m, today))
                continue
            try:
                hit = _resolve(name, m, today, window)
            except ValueError as exc:
                hit = DateHit(m.start(), m.end(), None, None, f"'{m.group(0)}': {exc}")
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


def _fitting(
    year: str | None, readings: list[tuple[int, int]], ref: dt.date, window: Window
) -> tuple[int, int] | None:
    """The one (day, month) reading that falls inside ``window``, if exactly one does."""
    if window is None:
        return None
    inside = []
    for day, month in readings:
        try:
            date = _explicit(year, month, day, ref)
        except ValueError:
            continue
        if window[0] <= date <= window[1]:
            inside.append((day, month))
    return inside[0] if len(inside) == 1 else None


def _day_list(m: re.Match[str], today: dt.date) -> list[DateHit]:
    """ "14, 15 and 16 Dec" or "Dec 14-16 and 18" → one hit per item (not one range)."""
    month = _month(m.group("mon"))
    item = re.compile(
        rf"(?P<d1>\d{{1,2}}){_ORD}?(?:\s*{_DASH}\s*(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}?)?", re.I
    )
    out = []
    offset = m.start("days")
    for part in item.finditer(m.group("days")):
        start, end = offset + part.start(), offset + part.end()
        try:
            first = _explicit(m.group("y"), month, int(part.group("d1")), today)
            last = first.replace(day=int(part.group("d2") or part.group("d1")))
        except ValueError as exc:
            out.append(_error(start, end, str(exc)))
            continue
        if last < first:
            out.append(_error(start, end, f"'{part.group(0)}' ends before it starts"))
        else:
            out.append(DateHit(start, end, first, last))
    return out


def _plausible_weekday(text: str, m: re.Match[str]) -> bool:
    word = m.group("wd").lower().rstrip(".")
    if word in {"sat", "sun"}:
        after = text[m.end() : m.end() + 12].lower()
        return not re.match(
            r"\s*(?:down|up|in\b|with|by|beside|next|there|around|outside|through|at\b|on\s+the|"
            r"shines|light|cream|block|is\b|was\b)",
            after,
        )
    return True


def _re_resolve_second(first: DateHit, second: DateHit, text: str, today: dt.date) -> DateHit:
    """Resolve a range's end relative to its start (for "Mon-Wed", "1st to the 7th")."""
    if first.first is None:
        return second
    fragment = text[second.start : second.end]
    for name, pattern in _PATTERNS:
        m = pattern.fullmatch(fragment)
        if m is None:
            continue
        if name in ("weekday", "ordinal", "weekday_day"):
            hit = _resolve(name, m, first.first)
            return DateHit(second.start, second.end, hit.first, hit.last, hit.error)
        break
    return second


# Words just before a single date that change which days it means.
_WEEK_OF = re.compile(
    r"(?:\bthe\s+)?(?:\bw\s*/\s*[cb]\.?|\bw\.[cb]\.?|\bw[cb]|\bweek\s+(?:of|commencing|"
    r"beginning|starting)(?:\s+on)?)\s*$",
    re.IGNORECASE,
)
_WEEKEND_OF = re.compile(r"(?:\bthe\s+)?\bweekend\s+of\s+$", re.IGNORECASE)
_DAY_REL = re.compile(r"(?:\bthe\s+)?\bday\s+(?P<rel>after|before)\s+$", re.IGNORECASE)
_WD_REL = re.compile(rf"(?:\bthe\s+)?\b(?P<wd>{_WD})\s+(?P<rel>after|before)\s+$", re.IGNORECASE)
_REL = re.compile(r"\b(?:after|before|following|preceding)\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:on\s+)?$", re.IGNORECASE)
_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_PAST_VERB = re.compile(
    r"\b(?:(?:was|were)\s+(?:(?:also|still|already|then|just)\s+)?(?:off|sick|ill|unwell|absent|"
    r"away|out|on|in|at|working|covering|there)|worked|covered|went)\b",
    re.IGNORECASE,
)
# "the day after" with no date after it: which day?
_DANGLING = re.compile(
    r"\b(?:the\s+)?(?:day|night)\s+(?:after|before)\b|\bthe\s+(?:following|previous|next)\s+"
    r"(?:day|night)\b",
    re.IGNORECASE,
)
# between two weekdays: a list ("Thu and Fri") or a range ("Mon to Wed")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or|&)?|and|or|&)\s*(?:on\s+)?", re.IGNORECASE)
_RANGE_GAP = re.compile(rf"\s*{_DASH}\s*", re.IGNORECASE)


def _kind(fragment: str) -> tuple[str, re.Match[str]] | None:
    """The pattern that reads all of ``fragment``, with its match."""
    for name, pattern in _PATTERNS:
        if m := pattern.fullmatch(fragment):
            return name, m
    return None


def _is_bare_weekday(fragment: str) -> bool:
    """ "Monday", "this Monday": a weekday counted forward from today."""
    kind = _kind(fragment)
    return (
        kind is not None
        and kind[0] == "weekday"
        and (kind[1].group("which") or "this").lower() in ("this", "coming", "this coming")
    )


def _relate(hits: list[DateHit], text: str) -> list[DateHit]:
    """Apply the words in front of each date: "w/c", "the weekend of", "the day after",
    "the Monday after"; "since", a bare "after" or "before" are asked about."""
    out: list[DateHit] = []
    for hit in hits:
        before = text[: hit.start]
        fragment = text[hit.start : hit.end]
        if hit.error or hit.first is None or hit.last is None:
            out.append(hit)
        elif m := _SINCE.search(before):
            out.append(_error(m.start(), hit.end, f"'{text[m.start() : hit.end]}': {PAST}"))
        elif fragment.lower().startswith("a week") and (m := _FOR.search(before)):
            phrase = text[m.start() : hit.end]
            out.append(_error(m.start(), hit.end, f"'{phrase}': give the first and last day"))
        elif (m := _END_OF_BEFORE.search(before)) and not _UNTIL_WORD.search(before[: m.start()]):
            phrase = text[m.start() : hit.end]
            out.append(_error(m.start(), hit.end, f"'{phrase}': which days?"))
        elif m := _WEEK_OF.search(before):
            out.append(_week_of(hit, m.start(), text[m.start() : hit.end]))
        elif m := _WEEKEND_OF.search(before):
            out.append(_weekend_of(hit, m.start(), text[m.start() : hit.end]))
        elif (m := _DAY_REL.search(before)) and hit.single:
            step = _days(1 if m.group("rel").lower() == "after" else -1)
            out.append(DateHit(m.start(), hit.end, hit.first + step, hit.first + step))
        elif (
            (m := _WD_REL.search(before))
            and hit.single
            and out
            and (out[-1].start, out[-1].end) == m.span("wd")
            and _is_bare_weekday(m.group("wd"))
        ):
            out.pop()
            day = _weekday_beside(hit.first, _wd(m.group("wd")) or 0, m.group("rel").lower())
            out.append(DateHit(m.start(), hit.end, day, day))
        elif m := _REL.search(before):
            phrase = text[m.start() : hit.end]
            out.append(_error(m.start(), hit.end, f"'{phrase}': which date is meant?"))
        else:
            out.append(hit)
    return out


def _week_of(hit: DateHit, start: int, phrase: str) -> DateHit:
    """ "w/c 14 Dec" → Monday 14 to Sunday 20 Dec; a start that is not a Monday is asked about."""
    if not hit.single or hit.first is None:
        return hit
    if hit.first.weekday() != 0:
        return _error(
            start, hit.end, f"'{phrase}': {hit.first:%a %d %b} is not a Monday; which days?"
        )
    return DateHit(start, hit.end, hit.first, hit.first + _days(6))


def _weekend_of(hit: DateHit, start: int, phrase: str) -> DateHit:
    """ "the weekend of the 19th" → that Saturday and Sunday; a weekday is asked about."""
    if not hit.single or hit.first is None:
        return hit
    if hit.first.weekday() < 5:
        return _error(
            start, hit.end, f"'{phrase}': {hit.first:%a %d %b} is not a weekend day; which days?"
        )
    saturday = hit.first - _days(hit.first.weekday() - 5)
    return DateHit(start, hit.end, saturday, saturday + _days(1))


def _weekday_beside(date: dt.date, weekday: int, rel: str) -> dt.date:
    """The first ``weekday`` strictly after (or before) ``date``."""
    if rel == "after":
        return date + _days((weekday - date.weekday() - 1) % 7 + 1)
    return date - _days((date.weekday() - weekday - 1) % 7 + 1)


def _dangling(hits: list[DateHit], text: str) -> list[DateHit]:
    """ "the day after" with no date of its own is asked about, not dropped."""
    extra = [
        _error(m.start(), m.end(), f"'{m.group(0)}': which date is meant?")
        for m in _DANGLING.finditer(text)
        if not any(m.start() < h.end and h.start < m.end() for h in hits)
    ]
    return sorted(hits + extra, key=lambda h: h.start)


def _past(hits: list[DateHit], text: str) -> list[DateHit]:
    """After "was off", "worked", a weekday or "the 7th" counted forward is refused, not
    guessed."""
    out = []
    for hit in hits:
        kind = _kind(text[hit.start : hit.end])
        forward = kind is not None and (
            kind[0] in ("ordinal", "ordinal_range", "weekday_day")
            or (kind[0] == "weekday" and _is_bare_weekday(kind[1].group(0)))
            or (kind[0] == "weekend" and kind[1].group("which").lower() != "next")
        )
        if forward and not hit.error and _PAST_VERB.search(text[: hit.start]):
            phrase = text[hit.start : hit.end]
            hit = _error(hit.start, hit.end, f"'{phrase}' reads as a past date; {PAST}")
        out.append(hit)
    return out


def _next_week_side(text: str, hit: DateHit) -> tuple[str, int] | None:
    """("next", weekday) for "next Thu"/"next week's Thu", ("week", weekday) for "Thu next
    week", ("bare", weekday) for a plain weekday; None otherwise."""
    kind = _kind(text[hit.start : hit.end])
    if kind is None or hit.error:
        return None
    name, m = kind
    weekday = _wd(m.groupdict().get("wd"))
    if weekday is None:
        return None
    if name == "next_week_wd" or (name == "weekday" and (m.group("which") or "").lower() == "next"):
        return "next", weekday
    if name == "wd_next_week":
        return "week", weekday
    if name == "weekday" and not m.group("which"):
        return "bare", weekday
    return None


def _carry_next_week(hits: list[DateHit], text: str, today: dt.date) -> list[DateHit]:
    """ "next Thu and Fri", "Thu and Fri next week", "Mon to Wed next week": every listed
    weekday is in next week; a listed weekday out of week order is asked about."""
    out = list(hits)
    sides = [_next_week_side(text, h) for h in out]
    pairs = [(i - 1, i, "next") for i in range(1, len(out))]  # forward: "next Thu and Fri"
    pairs += [(i + 1, i, "week") for i in range(len(out) - 2, -1, -1)]  # back: "... next week"
    for anchor, i, side in pairs:
        a, b = (anchor, i) if anchor < i else (i, anchor)
        gap = text[out[a].end : out[b].start]
        listed, ranged = _LIST_GAP.fullmatch(gap), _RANGE_GAP.fullmatch(gap)
        here, there = sides[i], sides[anchor]
        if not (listed or ranged) or here is None or there is None:
            continue
        if here[0] != "bare" or there[0] != side:
            continue
        in_order = here[1] >= there[1] if side == "next" else here[1] <= there[1]
        if in_order:
            day = _monday(today) + _days(7 + here[1])
            out[i] = DateHit(out[i].start, out[i].end, day, day)
            sides[i] = (side, here[1])
        elif listed:
            phrase = text[out[a].start : out[b].end]
            out[i] = _error(out[i].start, out[i].end, f"'{phrase}': which week is meant?")
    return out


def find_dates(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    """Every date or range in ``text`` (ranges joined: "1 to 3 Dec", "Mon-Wed", "for 3 days"),
    and every period no pattern reads ("3 days", "the weekend after") as a question.

    ``window`` (the plan's first and last date) settles a numeric date such as "11/12"
    when exactly one of its day/month readings falls inside it.
    """
    return _loose(_read_dates(text, today, window), text)


def _read_dates(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    """The dates and ranges the patterns read (see ``find_dates``)."""
    hits = _scan(text, today, window)
    for m in _NEXT_DAYS.finditer(text):
        if any(m.start() < h.end and h.start < m.end() for h in hits):
            continue
        n = number(m.group("n")) or 1
        span = n * (7 if m.group("unit").lower().startswith("week") else 1)
        hits.append(DateHit(m.start(), m.end(), today, today + dt.timedelta(days=span - 1)))
    hits.sort(key=lambda h: h.start)
    hits = _carry_next_week(_past(_dangling(_relate(hits, text), text), text), text, today)
    merged: list[DateHit] = []
    i = 0
    while i < len(hits):
        hit = hits[i]
        if i + 1 < len(hits) and _CONNECT.match(text[hit.end : hits[i + 1].start]):
            between_and = text[hit.end : hits[i + 1].start].strip().lower() == "and"
            if not between_and or re.search(r"between\s+$", text[: hit.start], re.IGNORECASE):
                nxt = _re_resolve_second(hit, hits[i + 1], text, today)
                error = hit.error or nxt.error
                if hit.first and nxt.last and nxt.last < hit.first and not error:
                    error = f"'{text[hit.start : nxt.end]}' ends before it starts"
                merged.append(DateHit(hit.start, nxt.end, hit.first, nxt.last, error))
                i += 2
                continue
        if (
            (not merged or merged[-1].end <= hit.start)
            and hit.first
            and _UNTIL.search(text[: hit.start])
        ):
            until = _UNTIL.search(text[: hit.start])
            assert until is not None
            preceding = [h for h in merged if h.end <= until.start()]
            if not preceding or text[preceding[-1].end : until.start()].strip(" ,"):
                start = today if today <= hit.first else hit.first
                hit = DateHit(until.start(), hit.end, start, hit.last, hit.error)
        merged.append(hit)
        i += 1
    result: list[DateHit] = []
    for hit in merged:
        extra = _FOR_SPAN.match(text[hit.end :])
        if lead := _FOR_BEFORE.search(text[: hit.start]):
            hit = _lasting_from(hit, lead, text)
        elif extra and hit.first is not None and hit.single:
            n = number(extra.group("n")) or 1
            span = n * (7 if extra.group("unit").lower().startswith("week") else 1)
            hit = DateHit(
                hit.start,
                hit.end + extra.end(),
                hit.first,
                hit.first + dt.timedelta(days=span - 1),
                hit.error,
            )
        result.append(hit)
    return result


def _lasting_from(hit: DateHit, lead: re.Match[str], text: str) -> DateHit:
    """ "for 3 days from tomorrow" → tomorrow and the two days after; a length in weeks, or
    without "for" ("3 days from Monday": Thursday?), is asked about."""
    phrase = text[lead.start() : hit.end]
    days = lead.group("unit").lower()[:1] in "dns"
    if hit.error or hit.first is None or not hit.single or not (lead.group("for") and days):
        return _error(
            lead.start(), hit.end, hit.error or f"'{phrase}': give the first and last day"
        )
    n = number(lead.group("n")) or 1
    return DateHit(lead.start(), hit.end, hit.first, hit.first + _days(n - 1))


def _loose(hits: list[DateHit], text: str) -> list[DateHit]:
    """Periods left unread ("3 days", "the weekend after", "and next") are asked about."""
    extra = [
        _error(m.start(), m.end(), f"'{m.group(0).strip()}': which dates are meant?")
        for m in _LOOSE.finditer(text)
        if not any(m.start() < h.end and h.start < m.end() for h in hits)
    ]
    return sorted(hits + extra, key=lambda h: h.start)


def parse_date_phrase(phrase: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """A date range from an isolated phrase ("next Tuesday", "14/12/2026", "Dec 3rd").

    Our own patterns first; ``dateparser`` only as a fallback on this phrase alone.
    """
    phrase = phrase.strip()
    hits = _read_dates(phrase, today)
    if len(hits) == 1 and hits[0].error is None and hits[0].first and hits[0].last:
        covered = phrase[: hits[0].start] + phrase[hits[0].end :]
        if not re.sub(r"\b(?:on|from|the|of)\b|[\s,.]", "", covered, flags=re.IGNORECASE):
            return hits[0].first, hits[0].last
    if hits:
        return None
    import dateparser

    when = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "STRICT_PARSING": True,
        },
    )
    if when is None:
        return None
    return when.date(), when.date()
