"""XLSX formulas without a saved value (a workbook written by a library, never opened
in Excel): found in the sheet XML and put in the rows as ``UnsavedFormula`` cells."""

from __future__ import annotations

import re

from optimizer.io.tables.sheet_rows import Row


class UnsavedFormula(str):
    """An XLSX formula cell without a saved (cached) value: its formula text."""


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")

_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)"
    rb"\s*<(?:\w+:)?v(?:\s[^>]*)?(?:/>|>\s*</(?:\w+:)?v>)"
)
"""A formula cell whose saved value is empty: ``<c r="C4" t="str"><f>..</f><v></v></c>``."""

_STRING_TYPE = re.compile(rb'(?:^|\s)t="str"')
_CELL_REF = re.compile(rb'(?:^|\s)r="([A-Za-z]+)([0-9]+)"')


def holds_formulas(sheet_xml: bytes) -> bool:
    """Whether a sheet's XML holds a formula (so its formulas need reading too)."""
    return _FORMULA_TAG.search(sheet_xml) is not None


def empty_results(sheet_xml: bytes) -> set[tuple[int, int]]:
    """(row, column) of each formula whose saved result is the empty string.

    Excel and LibreOffice save ``=IF(A4="","",B4)`` as a string (``t="str"``) with an
    empty value, which openpyxl reads as ``None``; a formula never calculated (written
    by a library) has no such type, and stays refused.
    """
    from openpyxl.utils.cell import column_index_from_string

    found: set[tuple[int, int]] = set()
    for match in _FORMULA_CELL.finditer(sheet_xml):
        attributes = match.group(1)
        where = _CELL_REF.search(attributes)
        if where and _STRING_TYPE.search(attributes):
            found.add((int(where[2]), column_index_from_string(where[1].decode().upper())))
    return found


def mark_unsaved(rows: list[Row], formulas: list[Row], empty: set[tuple[int, int]]) -> list[Row]:
    """``rows`` with ``UnsavedFormula`` put where a cell is empty only because no value
    was saved (a row holding nothing but such formulas is added).

    ``empty`` holds the (row, column) of formulas whose saved result is "": blank cells.
    """
    by_number = dict(rows)
    for number, formula_row in formulas:
        for position, formula in enumerate(formula_row):
            if formula is None:
                continue
            text = str(getattr(formula, "text", formula))
            if not text.startswith("=") or (number, position + 1) in empty:
                continue
            row = by_number.setdefault(number, [])
            row.extend([None] * (position + 1 - len(row)))
            if row[position] is None:
                row[position] = UnsavedFormula(text)
    return sorted(by_number.items(), key=lambda item: item[0])
