"""Cell parsing and cell-located errors (sheet, 1-based row, column; file and line)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.load import MAX_INT_DIGITS, too_many_digits
from optimizer.model.common import APOSTROPHES


@dataclass(frozen=True)
class CellError:
    """One problem in a table, located by sheet, 1-based row (0: the sheet) and column.

    ``row`` is the table's own row number (the file line for a table read from a file);
    ``file`` and ``line`` say where the cell is in the uploaded file, when there is one.
    """

    sheet: str
    row: int
    field: str | None
    message: str
    file: str | None = None
    """The uploaded file (``ward.zip/staff.csv``) or sheet (``ward.xlsx [staff]``)."""
    line: int | None = None
    """The line in ``file`` (CSV) or the sheet row (XLSX), counted as a spreadsheet shows it."""

    def __str__(self) -> str:
        if self.file:
            where = self.file
            if self.line:
                word = "line" if self.file.lower().endswith(".csv") else "row"
                where += f", {word} {self.line}"
        else:
            where = f"sheet '{self.sheet}'"
            if self.row:
                where += f", row {self.row}"
        if self.field:
            where += f", column '{self.field}'"
        return f"{where}: {self.message}"

    def as_input_error(self, source: str | None = None) -> InputError:
        if self.file:
            return InputError(self.message, file=self.file, line=self.line, field=self.field)
        file = f"{source} [{self.sheet}]" if source else self.sheet
        return InputError(self.message, file=file, line=self.row + 1 or None, field=self.field)


class TableErrors(InputError):
    """Every problem found in a set of tables; ``str()`` is the first, counted."""

    def __init__(self, errors: list[CellError], source: str | None = None) -> None:
        self.errors = errors
        first = errors[0].as_input_error(source)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more, file=first.file, line=first.line, field=first.field)


class DateTimeCell(dt.datetime):
    """A workbook date cell whose number format shows a time (``dd/mm/yyyy hh:mm``):
    its midnight is written, where a plain date cell's is only implied."""

    @classmethod
    def from_datetime(cls, value: dt.datetime) -> DateTimeCell:
        return cls.combine(value.date(), value.timetz())


class BadCell(ValueError):
    """A bad cell value; the column is known by the caller."""


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""Spaces other than the plain one (no-break, narrow, thin, ideographic ...): pasted from
web pages and HR systems they look like a space, so they are read as one."""


def parse_text(value: object) -> str | None:
    """Text without surrounding spaces, in composed Unicode (NFC: an accent typed as a
    combining mark joins its letter); a no-break (or other odd) space becomes a plain one."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", _ODD_SPACES.sub(" ", str(value))).strip()


def parse_id(value: object) -> str | None:
    """An id cell as ``parse_text`` reads it, with typographic apostrophes as ``'`` (as the
    model stores ids): ``O’Brien`` on one sheet and ``O'Brien`` on another are one person."""
    text = parse_text(value)
    return None if text is None else text.translate(APOSTROPHES)


_INTEGRAL = re.compile(r"[+-]?\d+(?:\.0*)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
"""``2.000``: a European thousands separator, or three decimals? Refused as ambiguous."""

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
    | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)
"""The error values Excel shows (and writes to CSV) in place of a failed formula's result."""


def excel_error(value: object) -> str | None:
    """The Excel error a cell holds (``#N/A``, ``#DIV/0!``, ...), alone or in a list."""
    if not isinstance(value, str) or "#" not in value:
        return None
    parts = (part.strip().upper() for part in re.split(r"[;,]", value))
    return next((part for part in parts if part in EXCEL_ERRORS), None)


def parse_int(value: object) -> int | None:
    """A whole number, exactly (text is never rounded through a float)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"'{value}' must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise BadCell(f"'{value}' must be a whole number")
        return int(value)
    text = str(value).strip()
    if _GROUPED.fullmatch(text):
        if too_many_digits(text.replace(".", "")):
            raise BadCell(_too_large(text))
        raise BadCell(_ambiguous(text))
    try:
        number = Decimal(text.split(".")[0] if _INTEGRAL.fullmatch(text) else text)
    except InvalidOperation:
        hint = f"; write {text.replace(',', '')} (no thousands separator)"
        grouped = _COMMA_GROUPED.fullmatch(text)  # 2,400 (11,5 is no whole number either way)
        raise BadCell(
            f"'{short_text(text)}' must be a whole number{hint if grouped else ''}"
        ) from None
    if not number.is_finite():
        raise BadCell(f"'{short_text(text)}' must be a whole number")
    if number.adjusted() >= MAX_INT_DIGITS:
        raise BadCell(_too_large(text))
    if number != number.to_integral_value():
        raise BadCell(f"'{short_text(text)}' must be a whole number")
    return int(number)


def _too_large(text: str) -> str:
    return f"'{short_text(text)}' is far too large (more than {MAX_INT_DIGITS} digits)"


def _ambiguous(text: str) -> str:
    """The message for ``2.000``: thousands or decimals? Both readings, when whole;
    ``1.000.000`` can only be thousands."""
    grouped = int(text.replace(".", ""))
    if text.count(".") > 1:
        return f"'{text}' has points as thousands separators; write {grouped}"
    decimal = Decimal(text)
    other = f" (or {int(decimal)})" if decimal == decimal.to_integral_value() else ""
    return f"'{text}' is ambiguous: a thousands separator or decimals? write {grouped}{other}"


def short_text(text: str) -> str:
    """``text`` cut to 40 characters for a message."""
    return text if len(text) <= 40 else text[:40] + "…"


def parse_float(value: object) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"'{value}' must be a number")
    text = str(value).strip()
    return _float_text(text)


def parse_float_decimal_comma(value: object) -> float | None:
    """A number where a comma is the decimal mark (``11,5``), as in a ``;``-separated
    CSV file: there a comma cannot separate cells, and Excel writes ``11,5`` for 11.5
    in the locales that use ``;``. Thousands separators are still refused."""
    if isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
        value = value.strip().replace(",", ".")
    return parse_float(value)


def _float_text(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise BadCell(f"'{short_text(text)}' must be a number{_comma_hint(text)}") from None
    if not math.isfinite(number):
        raise BadCell(f"'{short_text(text)}' must be a finite number")
    return number


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_COMMA_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")
_EUROPEAN = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
"""``1.234,5``: points group thousands, the comma is the decimal point."""


def _comma_hint(text: str) -> str:
    """How to write a number typed with a comma: ``11,5`` (decimal) or ``1,000``."""
    plain, point = text.replace(",", ""), text.replace(",", ".")
    if text.count(",") > 1 and _COMMA_GROUPED.fullmatch(text):
        return f"; write {plain} (no thousands separator)"
    if _COMMA_GROUPED.fullmatch(text):
        return f"; write {plain} (no thousands separator) or {point} (a point for decimals)"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"; use a point: {point}"
    if _EUROPEAN.fullmatch(text):
        return (
            f"; use a point and no thousands separator: {text.replace('.', '').replace(',', '.')}"
        )
    return ""


_TRUE = {"true", "yes", "y", "1", "x", "✓", "wahr", "vrai", "waar", "verdadero"}
_FALSE = {"false", "no", "n", "0", "falsch", "faux", "onwaar", "falso"}
"""Yes and no as typed, and as a German, French, Dutch or Spanish Excel writes TRUE/FALSE."""


def parse_bool(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise BadCell(f"'{value}' must be yes or no")


def parse_list(value: object) -> list[str]:
    """Ids separated by ``;`` or ``,`` (read as ``parse_id`` reads one)."""
    text = parse_id(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def parse_map(value: object) -> dict[str, int]:
    """``scrub=2;anaesthetist=1`` as a dict; a key given twice is refused (never summed)."""
    result: dict[str, int] = {}
    for part in parse_list(value):
        key, sep, number = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadCell(f"'{part}' must look like id=number")
        parsed = parse_int(number)
        if parsed is None:
            raise BadCell(f"'{part}' has no number after '='")
        if key in result:
            raise BadCell(f"'{key}' is given twice; give each id once, with one number")
        result[key] = parsed
    return result


_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?")

SLASH_DATE = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?=$|[ T]\d)")
"""A date as a UK/EU Excel writes it (``07/12/2026``, ``7/12/2026``, ``07.12.2026``),
maybe followed by a time; groups: first number, separator, second number, year.
``dates.read_day_first`` turns them into ``YYYY-MM-DD`` when they cannot be misread."""

EXCEL_DATES_HINT = (
    "Excel rewrote the dates: format the column as yyyy-mm-dd before saving, "
    "or use the .xlsx bundle"
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def slash_date_problem(text: str) -> str | None:
    """Why a ``dd/mm/yyyy`` text left as it is (``read_day_first`` found it could be
    misread) is refused: both readings when there are two, and ``EXCEL_DATES_HINT``."""
    match = SLASH_DATE.match(text)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[3]), match[4]
    shown = f"'{short_text(text)}'"
    if first <= 12 and second <= 12 and first != second:
        both = f"{first} {_MONTHS[second - 1]} or {second} {_MONTHS[first - 1]} {year}"
        return f"{shown} could be {both}: {EXCEL_DATES_HINT}"
    return f"{shown} must be a date like 2026-12-07 (YYYY-MM-DD): {EXCEL_DATES_HINT}"


def parse_date(value: object) -> dt.date | None:
    """A date cell, or text ``YYYY-MM-DD`` (a midnight time, as Excel writes it, is fine)."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    try:
        if match:
            return dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise BadCell(f"'{short_text(text)}' is not a calendar date") from None
    raise BadCell(
        slash_date_problem(text)
        or f"'{short_text(text)}' must be a date like 2026-12-07 (YYYY-MM-DD)"
    )


def parse_moment(
    value: object, start: dt.datetime | None, before_start: bool = False
) -> int | None:
    """Minutes from the horizon start: a whole number, or a date-time when start is set.

    A time-zone offset is converted to the start's; naive times are in the start's offset.
    Seconds are refused (never cut): a time must fall on a whole minute. A date-time before
    the start is refused unless ``before_start`` (then it is a negative minute).
    """
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text) or _GROUPED.fullmatch(text):
        return parse_int(text)
    if start is None:
        raise BadCell(f"'{text}' must be minutes (the project has no start date-time)")
    when: dt.datetime
    if isinstance(value, dt.datetime):
        when = value
    else:
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise BadCell(
                slash_date_problem(text)
                or f"'{text}' must be minutes or a date-time like 2026-12-07 08:00"
            ) from None
    if when.tzinfo is not None and start.tzinfo is None:
        raise BadCell(
            f"'{text}' has a time-zone offset but the setting 'start' has none; "
            "remove the offset or give 'start' one too (like 2026-12-07 00:00+01:00)"
        )
    if when.tzinfo is None:
        when = when.replace(tzinfo=start.tzinfo)
    seconds = round((when - start).total_seconds())
    if seconds % 60:
        raise BadCell(f"'{text}' must be a whole minute (no seconds; they are not rounded)")
    if seconds < 0 and not before_start:
        shown = start.isoformat(sep=" ", timespec="minutes")
        raise BadCell(f"'{text}' is before the plan's start ({shown}, the setting 'start')")
    return seconds // 60


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s*m\.?)?", re.IGNORECASE)
_CLOCK_HELP = "must be a time like 07:00 (HH:MM; 7:00, 07:00:00 and 7:00 PM also work)"


def parse_clock(value: object) -> int | None:
    """Minutes after midnight from a time cell or clock text (a bare number is refused)."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.time):
        seconds = (
            value.hour * 3600 + value.minute * 60 + round(value.second + value.microsecond / 1e6)
        )
        return _whole_minutes(seconds, str(value))
    if isinstance(value, dt.timedelta):
        return _whole_minutes(round(value.total_seconds()), str(value))
    text = parse_text(value) or ""
    match = _CLOCK.fullmatch(text)
    if not match:
        raise BadCell(f"'{short_text(text)}' {_CLOCK_HELP}")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hours <= 12:
            raise BadCell(f"'{text}': with AM/PM the hour must be 1 to 12")
        hours = hours % 12 + (12 if match[4].lower() == "p" else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise BadCell(f"'{text}' is not a clock time")
    return _whole_minutes(hours * 3600 + minutes * 60 + seconds, text)


def _whole_minutes(seconds: int, shown: str) -> int:
    if seconds % 60:
        raise BadCell(f"'{shown}' must be a whole minute (no seconds)")
    if not 0 <= seconds < 24 * 3600:
        raise BadCell(f"'{shown}' must be a time within one day")
    return seconds // 60
