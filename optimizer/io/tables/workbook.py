"""XLSX styling and safe sheet titles shared by bundles and readable exports."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

MAX_TITLE = 31
"""Excel's limit on the length of a sheet title."""

_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
"""Characters Excel refuses in a sheet title."""


def sheet_titles(names: Iterable[str]) -> dict[str, str]:
    """Name -> a valid, distinct Excel sheet title, in the order of ``names``.

    ``: \\ / ? * [ ]`` become ``_``, apostrophes at either end go, a blank title is
    ``Sheet``, the title is cut to 31 characters and a clash
    (compared ignoring case, as Excel does) gets `` (2)``, `` (3)`` … at the end.
    """
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = _FORBIDDEN.sub("_", str(name)).strip("'") or "Sheet"
        if base.lower() == "history":  # reserved by Excel
            base += "_"
        title, number = base[:MAX_TITLE].rstrip("'"), 1
        while title.lower() in taken:
            number += 1
            suffix = f" ({number})"
            title = base[: MAX_TITLE - len(suffix)] + suffix
        taken.add(title.lower())
        titles[name] = title
    return titles


def _keep_text(cell: Any) -> None:
    """Store a text cell as text: openpyxl makes ``=…`` a formula and ``#N/A`` an error."""
    if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"


def format_workbook(book: Any) -> None:
    """Text kept as text; bold shaded headers, frozen header row, column widths, date formats."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for row in sheet.iter_rows():
            for cell in row:
                _keep_text(cell)
                value = cell.value
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    text = "2026-12-07 08:00"
                elif isinstance(value, dt.date):
                    cell.number_format = "ddd dd mmm yyyy"
                    text = "Mon 07 Dec 2026"
                else:
                    text = "" if value is None else str(value)
                widths[cell.column] = max(widths.get(cell.column, 0), len(text))
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(6, width + 2))
