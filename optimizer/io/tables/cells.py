"""Cell parsing and cell-located errors (sheet, 1-based row, column)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd

from optimizer.errors import InputError


@dataclass(frozen=True)
class CellError:
    """One problem in a table, located by sheet, 1-based row (0: the sheet) and column."""

    sheet: str
    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row:
            where += f", row {self.row}"
        if self.field:
            where += f", column '{self.field}'"
        return f"{where}: {self.message}"

    def as_input_error(self, source: str | None = None) -> InputError:
        file = f"{source} [{self.sheet}]" if source else self.sheet
        return InputError(self.message, file=file, line=self.row + 1 or None, field=self.field)


class TableErrors(InputError):
    """Every problem found in a set of tables; ``str()`` is the first, counted."""

    def __init__(self, errors: list[CellError], source: str | None = None) -> None:
        self.errors = errors
        first = errors[0].as_input_error(source)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more, file=first.file, line=first.line, field=first.field)


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


def parse_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_int(value: object) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"'{value}' must be a whole number")
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        raise BadCell(f"'{value}' must be a whole number") from None
    if not number.is_integer():
        raise BadCell(f"'{value}' must be a whole number")
    return int(number)


def parse_float(value: object) -> float | None:
    if is_blank(value):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        raise BadCell(f"'{value}' must be a number") from None


_TRUE = {"true", "yes", "y", "1", "x", "✓"}
_FALSE = {"false", "no", "n", "0"}


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
    text = parse_text(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def parse_map(value: object) -> dict[str, int]:
    result: dict[str, int] = {}
    for part in parse_list(value):
        key, sep, number = part.partition("=")
        if not sep or not key.strip():
            raise BadCell(f"'{part}' must look like id=number")
        parsed = parse_int(number)
        if parsed is None:
            raise BadCell(f"'{part}' has no number after '='")
        result[key.strip()] = parsed
    return result


def parse_date(value: object) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise BadCell(f"'{text}' must be a date like 2026-12-07") from None


def parse_moment(value: object, start: dt.datetime | None) -> int | None:
    """Minutes from the horizon start: a whole number, or a date-time when start is set."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
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
                f"'{text}' must be minutes or a date-time like 2026-12-07 08:00"
            ) from None
    return int((when.replace(tzinfo=None) - start).total_seconds() // 60)


def parse_clock(value: object) -> str | int | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_int(value)
    return str(value).strip()[:5]
