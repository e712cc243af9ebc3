"""A bundle sheet's header as planners write it: ``Max Minutes`` and ``max_minutes (min)``
read as ``max_minutes``; title and notes rows above it skipped; hours named for what they
are (``Max hours``: the column counts minutes)."""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Sequence
from typing import Any

from optimizer.io.tables.sheets import CASE_SHEETS, ROSTER_SHEETS, spelled_as

MINUTE_COLUMNS = frozenset(
    {"length_minutes", "min_minutes", "max_minutes", "duration", "turnover", "overtime"}
    | {"min_lag", "max_lag"}
)
"""Columns that count minutes: a trailing ``(min)`` or ``(minutes)`` on them is dropped."""

_MINUTE_UNITS = frozenset({"min", "mins", "minute", "minutes"})
_HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})

_UNIT = re.compile(r"(.*?)\s*\(\s*([^()]*?)\s*\)")
"""A header with a unit in parentheses at its end: ``max_minutes (min)``."""


def known_columns(sheet: str) -> tuple[str, ...]:
    """The columns a sheet of either bundle kind may have (none for an unknown sheet)."""
    name = sheet.strip().lower()
    return tuple(dict.fromkeys((*ROSTER_SHEETS.get(name, ()), *CASE_SHEETS.get(name, ()))))


def column_name(cell: object, known: Collection[str]) -> str:
    """A header cell as a column name: lower case; ``Max Minutes`` as ``max_minutes`` and
    a unit matching the column dropped (``max_minutes (min)``, ``min_rest_hours (h)``),
    when the result is in ``known``. Anything else is kept as typed (lower case), so an
    unknown column is named as the planner wrote it."""
    text = str(cell).strip()
    unit = _UNIT.fullmatch(text)
    if unit is None:
        return spelled_as(text, known)
    name = spelled_as(unit[1], known)
    if name in known and _unit_fits(name, unit[2].lower()):
        return name
    return text.lower()


def _unit_fits(column: str, unit: str) -> bool:
    if unit in _MINUTE_UNITS:
        return column in MINUTE_COLUMNS
    return unit in _HOUR_UNITS and column.endswith("_hours")


def hours_hint(column: str, known: Container[str]) -> str:
    """`` (minutes: max_minutes = hours × 60)`` for a column named in hours (``Max hours``,
    ``max_minutes (h)``) whose sheet counts minutes in a column like it; else ``""``."""
    words = re.findall(r"[a-z]+", column.lower())
    if not any(word in _HOUR_UNITS for word in words):
        return ""
    stem = "_".join(w for w in words if w not in _HOUR_UNITS and w not in _MINUTE_UNITS)
    for candidate in (f"{stem}_minutes", stem):
        if candidate in known and candidate in MINUTE_COLUMNS:
            return f" (minutes: {candidate} = hours × 60)"
    return ""


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def header_index(
    rows: Sequence[tuple[int, list[Any]]],
    known: Collection[str],
    merged: Container[tuple[int, int]] = (),
) -> int:
    """Which of a sheet's (non-blank) rows is its header: the first whose values are all
    ``known`` column names, when each row above it holds at most one value of its own
    (a title or a note; a title merged across the columns counts once). Else 0."""
    if not known:
        return 0
    for index, (line, cells) in enumerate(rows):
        names = [column_name(c, known) for c in cells if _filled(c)]
        if names and all(name in known for name in names):
            return index
        own = [p for p, c in enumerate(cells, start=1) if _filled(c) and (line, p) not in merged]
        if len(own) > 1:
            return 0
    return 0
