"""Merged XLSX ranges, read from the sheet XML: each cell given the range's top-left
value, as Excel shows it ("RN" merged over three cover rows is RN in each)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from optimizer.io.tables.read_budget import ReadBudget
from optimizer.io.tables.sheet_rows import Merged, Row, empty_cell

_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"'
)
"""A merged range in a sheet's XML (openpyxl's read-only sheets do not report them)."""


def merged_ranges(sheet_xml: bytes) -> list[bytes]:
    """The merged ranges of a sheet's XML (``C4:C6``), as written."""
    return _MERGE_REF.findall(sheet_xml)


def fill_merged(
    rows: list[Row], width: int, ranges: Iterable[bytes], budget: ReadBudget, where: str
) -> Merged:
    """Give each cell of a merged range its top-left value; the cells filled, by range.

    Only rows that hold something of their own are filled (a merge reaching into blank
    rows below the table adds no rows), and no row grows wider than the sheet's
    ``width``. The cells filled count against ``budget`` (ranges may overlap in a
    crafted file).
    """
    from openpyxl.utils.cell import range_boundaries

    width = max(width, *(len(cells) for _, cells in rows), 0)
    by_number = dict(rows)
    holding = [number for number, cells in rows if not all(empty_cell(cell) for cell in cells)]
    merged: Merged = {}
    for raw in ranges:
        ref = raw.decode().upper()
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        top = by_number.get(first_row, [])
        value = top[first_col - 1] if first_col <= len(top) else None
        if empty_cell(value):
            continue
        last_col = min(last_col, width)
        start, stop = bisect_left(holding, first_row), bisect_right(holding, last_row)
        for number in holding[start:stop]:
            budget.take_cells(max(last_col - first_col + 1, 0), where, number)
            row = by_number[number]
            row.extend([None] * (last_col - len(row)))
            for column in range(first_col, last_col + 1):
                if (number, column) != (first_row, first_col):
                    row[column - 1] = value
                    merged[(number, column)] = ref
    return merged
