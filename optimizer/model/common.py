"""Building blocks shared by both problem families."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

# -- limits ----------------------------------------------------------------------
# Every number in a problem has an upper bound far beyond any real hospital, so that
# a typo (or 10**30) fails validation with a message naming the field instead of
# overflowing a solver's 64-bit integers. With these limits the worst-case objective
# stays below 2**63 ≈ 9.2e18 with MAX_ENTITIES tasks, staff or rooms over MAX_DAYS:
# a task's tardiness costs at most MAX_WEIGHT * MAX_PRIORITY * MAX_MINUTES ≈ 1.6e14,
# a cover line at most MAX_WEIGHT * MAX_PEOPLE = 1e10.

MAX_ENTITIES = 10_000
"""Most staff members (rosters and case problems), tasks or rooms in one problem."""
MAX_TEXT = 131_072
"""Longest id, in characters (and longest text in a project JSON, ``io.project``): the
longest cell a bundle's CSV reader takes (``csv.field_size_limit()``), so a JSON project
and a bundle accept the same."""

MAX_DAYS = 3 * 366
"""Longest roster horizon in days (three years)."""
MAX_MINUTES = MAX_DAYS * 24 * 60
"""Largest time in minutes (or abstract PSPLIB time units): three years, 1,581,120."""
MAX_PEOPLE = 10_000
"""Most people one cover line or team requirement may ask for."""
MAX_UNITS = 1_000_000
"""Largest resource capacity or per-task resource use."""
MAX_WEIGHT = 1_000_000
"""Largest weight of a soft rule (benchmarks and the demo use at most 1,000)."""
MAX_PRIORITY = 100
"""Largest task priority (a multiplier of tardiness and unscheduling weights)."""
MAX_REST_HOURS = 7 * 24
"""Longest minimum rest after a shift, in hours (a week)."""


def _reject_bool(value: object) -> object:
    # pydantic's lax int mode would read true/false as 1/0 (numpy's bool_ too).
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise ValueError(f"Input should be a whole number, not {str(value).lower()}")
    return value


Int = Annotated[int, BeforeValidator(_reject_bool)]
"""An integer that refuses booleans; give bounds with ``Field(ge=..., le=...)``."""

Float = Annotated[float, BeforeValidator(_reject_bool)]
"""A finite float (``Record`` forbids inf/NaN) that refuses booleans."""

_ID_PATTERN = re.compile(r"^[\w.\-+/#@' ]+$")  # \w: letters of any script (Müller)
ID_CHARACTERS = "letters, digits, spaces, apostrophes and _ . - + / # @"
"""The characters an id may hold, as the error messages and the format docs list them."""

APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc", "'"))
"""Typographic apostrophes (’ as Word and phones type it, ‘, ʼ) to ASCII ``'``: ``O’Neill``
typed in Word and ``O'Neill`` typed in Excel are one id."""


def canonical_id(text: str) -> str:
    """``text`` as ids are compared: stripped, composed Unicode (NFC), ASCII apostrophes."""
    return unicodedata.normalize("NFC", text.strip()).translate(APOSTROPHES)


def _check_id(value: str) -> str:
    """The id, stripped and in composed Unicode (NFC): ``José`` typed with a combining
    accent (as macOS and PDFs paste it) is the same id as with ``é``; a typographic
    apostrophe is stored as ``'`` (``O’Brien`` is ``O'Brien``)."""
    value = canonical_id(value)
    if not value:
        raise ValueError("an id must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"an id has {len(value):,} characters; at most {MAX_TEXT:,} are allowed")
    if not _ID_PATTERN.match(value):
        rule = f"may only contain {ID_CHARACTERS}"
        hidden = [c for c in value if not c.isprintable() or unicodedata.category(c) == "Cf"]
        if hidden:  # invisible on screen: the id would look valid
            name = unicodedata.name(hidden[0], "a control character")
            rule += f"; it holds an invisible character ({name}, U+{ord(hidden[0]):04X})"
        raise ValueError(f"id {value!r} {rule}")
    if value.startswith("'"):
        raise ValueError(
            f"id {value!r} must not start with an apostrophe: Excel takes a leading ' as "
            "its mark for text and drops it, so the id would not come back the same"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
"""A string identifier as used at the edges (files, CLI, dashboard)."""


class Record(BaseModel):
    """Base of every model record: immutable, strict about unknown fields."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False
    )


def check_count(value: object, what: str) -> object:
    """``value`` (a field's raw list) unless it holds more than ``MAX_ENTITIES`` items,
    checked before any item is validated: a million staff would take minutes and
    gigabytes first, then overflow the solver."""
    if isinstance(value, list | tuple) and len(value) > MAX_ENTITIES:
        raise ValueError(
            f"{len(value):,} {what} given; a problem may hold at most {MAX_ENTITIES:,}"
        )
    return value


def parse_clock(value: str | int) -> int:
    """Minutes after midnight from ``"HH:MM"`` or an int already in minutes."""
    if isinstance(value, int):
        minutes = value
    else:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
        if not match:
            raise ValueError(f"time '{value}' must look like HH:MM")
        hours, mins = int(match.group(1)), int(match.group(2))
        if hours > 23 or mins > 59:
            raise ValueError(f"time '{value}' is not a clock time")
        minutes = hours * 60 + mins
    if not 0 <= minutes < 24 * 60:
        raise ValueError(f"time {value!r} must be within one day (0–1439 minutes)")
    return minutes


def format_clock(minutes: int) -> str:
    """``"HH:MM"`` for minutes after midnight (wraps past 24h)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_date(date: dt.date) -> str:
    """A planner-friendly date such as ``"Tue 8 Dec"``."""
    return f"{date:%a} {date.day} {date:%b}"


def near_miss(
    unknown: str, ids: Iterable[str], names: Mapping[str, str | None] | None = None, what: str = ""
) -> str:
    """What an unknown id was probably meant to be, as a message suffix (else ``""``):
    `` (did you mean '007'? Excel drops leading zeros: format the column as Text)``,
    `` (did you mean 'N02'?)`` for another case, `` ('Early' is the name of shift 'E')`` for
    a name (``names``: id -> name) used as the id of a ``what`` (``shift``)."""
    known = list(ids)
    if unknown.isdigit():
        digits = unknown.lstrip("0")
        padded = [i for i in known if i.isdigit() and i != unknown and i.lstrip("0") == digits]
        if padded:
            return (
                f" (did you mean '{padded[0]}'? Excel drops leading zeros: "
                "format the column as Text)"
            )
    folded = unknown.casefold()
    same = [i for i in known if i.casefold() == folded]
    if same:
        return f" (did you mean '{same[0]}'?)"
    named = [i for i, name in (names or {}).items() if name and name.casefold() == folded]
    if named:
        return f" ('{unknown}' is the name of {what + ' ' if what else ''}'{named[0]}')"
    return ""
