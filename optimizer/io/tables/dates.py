"""Day-first text dates (``07/12/2026``), as a UK or European Excel saves a CSV file's
``2026-12-07``: read when they cannot be misread, else left for the cell parsers to
refuse with ``cells.EXCEL_DATES_HINT``. Month-first (US) dates are never read.

A bundle's ``dd/mm/yyyy`` texts (also ``d/m/yyyy`` and ``dd.mm.yyyy``, maybe with a time)
are read day first when one of them has a first number above 12 and none a second number
above 12; when none could be read both ways (``14/12/2026``, ``07/07/2026``); or, in a
roster bundle, when only the day-first reading puts every cover, request and pin date
inside the plan (its ``start_date`` read the same way when written ``dd/mm/yyyy``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from optimizer.io.tables.cells import SLASH_DATE, parse_date, parse_int, parse_text
from optimizer.io.tables.sheets import settings_key

DATE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "cover": ("date",),
        "leave": ("first_date", "last_date"),
        "requests": ("date",),
        "pins": ("date",),
    },
    "cases": {
        "tasks": ("release", "due", "deadline"),
        "openings": ("start", "end"),
        "availability": ("start", "end"),
        "time_off": ("start", "end"),
    },
}
"""The columns of each bundle kind that may hold dates (or date-times)."""

DATE_SETTINGS = {"roster": "start_date", "cases": "start"}

IN_PLAN = ("cover", "requests", "pins")
"""Roster sheets whose dates must lie inside the plan (leave is clipped to it)."""


@dataclass(frozen=True)
class SlashDate:
    """One ``dd/mm/yyyy`` text: where it is (sheet, row and column position) and its parts."""

    sheet: str
    row: int
    column: int
    first: int
    second: int
    year: int
    rest: str

    def reading(self, day_first: bool) -> dt.date | None:
        """The date read day first or month first; None if that is no calendar date."""
        day, month = (self.first, self.second) if day_first else (self.second, self.first)
        try:
            return dt.date(self.year, month, day)
        except ValueError:
            return None

    def iso(self) -> str | None:
        """The text as ``YYYY-MM-DD`` (and its time), read day first."""
        date = self.reading(day_first=True)
        return None if date is None else date.isoformat() + self.rest


def read_day_first(tables: Mapping[str, pd.DataFrame], kind: str) -> dict[str, pd.DataFrame]:
    """``tables`` with their ``dd/mm/yyyy`` texts written ``YYYY-MM-DD`` when that reading
    cannot be wrong (see the module); else unchanged. Changed tables are copies that keep
    their file lines (``DataFrame.attrs``)."""
    found = list(_slash_dates(tables, kind))
    if not found or not _day_first(found, tables, kind):
        return dict(tables)
    out = dict(tables)
    for item in found:
        text = item.iso()
        if text is None:
            continue  # no calendar date day first: the cell parser refuses it
        if out[item.sheet] is tables[item.sheet]:
            out[item.sheet] = tables[item.sheet].copy()
        out[item.sheet].iat[item.row, item.column] = text
    return out


def _slash_dates(tables: Mapping[str, pd.DataFrame], kind: str) -> Iterator[SlashDate]:
    columns = dict(DATE_COLUMNS.get(kind, {}))
    columns["settings"] = ("value",)
    for sheet, names in columns.items():
        frame = tables.get(sheet)
        if frame is None:
            continue
        keys = _setting_rows(frame, DATE_SETTINGS.get(kind, "")) if sheet == "settings" else None
        for position, column in enumerate(frame.columns):
            if str(column).strip().lower() not in names:
                continue
            for row, value in enumerate(frame.iloc[:, position]):
                if keys is not None and row not in keys:
                    continue
                match = SLASH_DATE.match(value.strip()) if isinstance(value, str) else None
                if match:
                    first, second, year = int(match[1]), int(match[3]), int(match[4])
                    rest = value.strip()[match.end() :]
                    yield SlashDate(sheet, row, position, first, second, year, rest)


def _setting_rows(frame: pd.DataFrame, key: str) -> set[int]:
    """The positions of the settings rows whose key is ``key``."""
    if "key" not in frame.columns:
        return set()
    return {i for i, v in enumerate(frame["key"]) if settings_key(parse_text(v) or "") == key}


def _day_first(found: list[SlashDate], tables: Mapping[str, pd.DataFrame], kind: str) -> bool:
    """Whether the day-first reading of ``found`` cannot be wrong."""
    if any(d.first <= 12 < d.second for d in found):
        return False  # written month first somewhere: never guess
    if any(d.first > 12 for d in found):
        return True
    if all(d.first == d.second for d in found):
        return True
    return kind == "roster" and _only_day_first_fits(found, tables)


def _only_day_first_fits(found: list[SlashDate], tables: Mapping[str, pd.DataFrame]) -> bool:
    """Whether day first puts every in-plan date inside the plan and month first does not."""
    return _fits_plan(found, tables, day_first=True) and not _fits_plan(
        found, tables, day_first=False
    )


def _fits_plan(found: list[SlashDate], tables: Mapping[str, pd.DataFrame], day_first: bool) -> bool:
    start = _plan_start(found, tables, day_first)
    days = _num_days(tables)
    if start is None or days is None or days < 1:
        return False
    last = start + dt.timedelta(days=days - 1)
    readings = [item.reading(day_first) for item in found if item.sheet in IN_PLAN]
    dates = [*readings, *_written_dates(tables)]
    return all(date is not None and start <= date <= last for date in dates)


def _written_dates(tables: Mapping[str, pd.DataFrame]) -> Iterator[dt.date]:
    """The in-plan dates written in a way only one reading has (``2026-12-07``, date cells)."""
    for sheet in IN_PLAN:
        frame = tables.get(sheet)
        if frame is None or "date" not in frame.columns:
            continue
        for value in frame["date"]:
            if isinstance(value, str) and SLASH_DATE.match(value.strip()):
                continue
            try:
                date = parse_date(value)
            except ValueError:
                continue  # the cell parser names it
            if date is not None:
                yield date


def _plan_start(
    found: list[SlashDate], tables: Mapping[str, pd.DataFrame], day_first: bool
) -> dt.date | None:
    """The plan's start under a reading (its ``dd/mm/yyyy`` text, or as written)."""
    written = [item for item in found if item.sheet == "settings"]
    if written:
        return written[0].reading(day_first)
    frame = tables.get("settings")
    if frame is None or "value" not in frame.columns:
        return None
    rows = _setting_rows(frame, "start_date")
    try:
        return next((parse_date(frame["value"].iloc[i]) for i in sorted(rows)), None)
    except ValueError:
        return None


def _num_days(tables: Mapping[str, pd.DataFrame]) -> int | None:
    frame = tables.get("settings")
    if frame is None or "value" not in frame.columns:
        return None
    rows = _setting_rows(frame, "num_days")
    try:
        return next((parse_int(frame["value"].iloc[i]) for i in sorted(rows)), None)
    except ValueError:
        return None
