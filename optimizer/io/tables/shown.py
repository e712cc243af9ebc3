"""What Excel shows of a bundle sheet: hidden rows and columns, an Excel Table's totals
row, rows that look like totals, and date cells formatted with a time.

A workbook is read as Excel shows it, so rows a planner parked out of sight (a filter,
*Hide*) or a sum under the table are never read as data without a word.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from optimizer.errors import InputError
from optimizer.io.tables.cells import DateTimeCell, short_text

TOTALS_WORDS = frozenset({"total", "totals", "sum", "grand total", "subtotal", "sub-total"})
"""What a totals or sums row under a table starts with (compared ignoring case and a ``:``)."""


def looks_like_totals(value: object) -> bool:
    """Whether a cell reads ``Total``, ``TOTALS:``, ``Sum``, ``Grand total`` …"""
    if not isinstance(value, str):
        return False
    return value.strip().rstrip(":").strip().casefold() in TOTALS_WORDS


def check_totals_row(cells: list[Any], id_position: int | None, where: str, line: int) -> None:
    """Refuse a row whose first cell (or ``id`` cell, 1-based ``id_position``) says Total."""
    positions = [1] if id_position in (None, 1) else [1, id_position]
    for position in positions:
        value = cells[position - 1] if position <= len(cells) else None
        if looks_like_totals(value):
            raise InputError(
                f"'{short_text(str(value).strip())}' looks like a totals row; delete it "
                "(every row under the header is read as data)",
                file=where,
                line=line,
            )


def _is_on(flag: object) -> bool:
    return str(flag).strip().lower() in ("1", "true")


def hidden_rows(row_dimensions: Mapping[str, Mapping[str, Any]]) -> set[int]:
    """The rows a worksheet parser saw marked hidden (by a filter, *Hide* or a collapsed group)."""
    return {int(row) for row, attrs in row_dimensions.items() if _is_on(attrs.get("hidden"))}


def hidden_columns(column_dimensions: Mapping[str, Mapping[str, Any]]) -> set[int]:
    """The (1-based) columns a worksheet parser saw marked hidden."""
    hidden: set[int] = set()
    for attrs in column_dimensions.values():
        if _is_on(attrs.get("hidden")):
            first = int(attrs.get("min", 0))
            last = min(int(attrs.get("max", first)), 16_384)
            hidden.update(range(first, last + 1))
    return hidden


def check_hidden(
    rows: Iterable[tuple[int, list[Any]]],
    hidden_row_set: set[int],
    hidden_column_set: set[int],
    where: str,
) -> None:
    """Refuse hidden rows, then hidden columns, that hold a value: one message listing them."""
    rows = list(rows)
    held = [n for n, cells in rows if n in hidden_row_set and any(_filled(c) for c in cells)]
    if held:
        raise InputError(_hidden_message("row", [str(n) for n in held]), file=where, line=held[0])
    header = next((cells for _, cells in rows if any(_filled(c) for c in cells)), [])
    columns = sorted(
        c
        for c in hidden_column_set
        if any(c <= len(cells) and _filled(cells[c - 1]) for _, cells in rows)
    )
    if columns:
        names = [_column_name(c, header) for c in columns]
        raise InputError(_hidden_message("column", names), file=where)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _column_name(column: int, header: list[Any]) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    name = header[column - 1] if column <= len(header) else None
    return f"{letter} ('{short_text(str(name).strip())}')" if _filled(name) else letter


def _hidden_message(what: str, names: list[str]) -> str:
    shown = names if len(names) <= 10 else [*names[:10], "…"]
    why = "by a filter or Hide" if what == "row" else "by Hide"
    if len(names) == 1:
        return f"{what} {shown[0]} is hidden ({why}) but holds data; unhide or delete it"
    return f"{what}s {', '.join(shown)} are hidden ({why}) but hold data; unhide or delete them"


def clock_styles(book: Any) -> set[int]:
    """The style ids of a workbook whose number format shows a time of day with a date
    (``dd/mm/yyyy hh:mm``): their midnight is written, not just implied."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code, is_datetime

    styles: set[int] = set()
    for index in getattr(book, "_date_formats", ()):
        number_format = book._cell_styles[index].numFmtId
        if number_format >= BUILTIN_FORMATS_MAX_SIZE:
            code = book._number_formats[number_format - BUILTIN_FORMATS_MAX_SIZE]
        else:
            code = builtin_format_code(number_format)
        if is_datetime(code) == "datetime":
            styles.add(index)
    return styles


def shown_value(value: Any, style: int, clocks: set[int]) -> Any:
    """A date cell shown with a time as a ``DateTimeCell``; any other value unchanged."""
    if isinstance(value, dt.datetime) and style in clocks:
        return DateTimeCell.from_datetime(value)
    return value


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_TABLE_ROOT = re.compile(rb"<(?:\w+:)?table\s([^>]*)>")


def totals_rows(part: str, read: Callable[[str], bytes | None]) -> set[int]:
    """The sheet rows of the totals rows of the Excel Tables on the worksheet at ``part``
    (``xl/worksheets/sheet1.xml``); ``read`` gives a part's bytes, None if there is none."""
    from openpyxl.utils.cell import range_boundaries

    folder, base = posixpath.split(part)
    relations = read(posixpath.join(folder, "_rels", base + ".rels"))
    rows: set[int] = set()
    for match in _RELATIONSHIP.finditer(relations or b""):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        if not attributes.get(b"Type", b"").endswith(b"/table"):
            continue
        target = attributes.get(b"Target", b"").decode()
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        table = _TABLE_ROOT.search(read(posixpath.normpath(path)) or b"")
        if table is None:
            continue
        found = dict(_ATTRIBUTE.findall(table.group(1)))
        count = int(found.get(b"totalsRowCount", b"0") or 0)
        if count and b"ref" in found:
            _, _, _, last = range_boundaries(found[b"ref"].decode())
            if last is not None:
                rows.update(range(last - count + 1, last + 1))
    return rows
