"""XLSX styling shared by bundles and readable exports."""

from __future__ import annotations

import datetime as dt
from typing import Any


def format_workbook(book: Any) -> None:
    """Bold shaded headers, frozen header row, column widths, date formats."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for row in sheet.iter_rows():
            for cell in row:
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
