"""An XLSX (or XLSM) bundle read into sheets of numbered rows, as Excel shows them:
saved formula values, merged ranges filled, hidden and totals rows dealt with."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection
from typing import Any

from optimizer.errors import InputError
from optimizer.io.tables.archive import TEXT_SUFFIXES, error_reason, open_zip
from optimizer.io.tables.members import read_member, zip_member
from optimizer.io.tables.merged_cells import fill_merged, merged_ranges
from optimizer.io.tables.read_budget import ReadBudget, check_declared_sizes
from optimizer.io.tables.sheet_rows import Row, Sheet
from optimizer.io.tables.sheets import BUNDLE_SHEETS
from optimizer.io.tables.shown import (
    check_hidden,
    clock_styles,
    hidden_columns,
    hidden_rows,
    shown_value,
    totals_rows,
)
from optimizer.io.tables.unsaved_formulas import empty_results, holds_formulas, mark_unsaved


def xlsx_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows, merged) of each sheet of an XLSX workbook.

    Formulas give their saved values; a merged range gives its top-left value to each
    of its cells, as Excel shows it ("RN" merged over three cover rows is RN in each).
    The XML is held to ``MAX_BUNDLE_BYTES`` before it is read, the cells to
    ``MAX_BUNDLE_CELLS`` while they are.
    """
    archive = _workbook_archive(name, data)
    budget = ReadBudget()
    try:
        with archive:
            values = _xlsx_cells(data, name, budget, data_only=True)
            xml = {
                title: read_member(
                    zip_member(archive, archive.getinfo(part), f"{name} [{title}]"), budget
                )
                for title, (part, _, _, _) in values.items()
            }
            totals = {
                title: totals_rows(part, lambda path: _part(archive, path, name, budget))
                for title, (part, _, _, _) in values.items()
            }
        with_formulas = {title for title, sheet in xml.items() if holds_formulas(sheet)}
        formulas = (
            _xlsx_cells(data, name, ReadBudget(), data_only=False, titles=with_formulas)
            if with_formulas
            else {}
        )
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise InputError(f"not a readable XLSX workbook ({error_reason(exc)})", file=name) from None
    sheets: list[Sheet] = []
    for title, (_, rows, width, (hidden, hidden_cols)) in values.items():
        where = f"{name} [{title}]"
        unsaved = formulas[title][1] if title in formulas else []
        rows = mark_unsaved(rows, unsaved, empty_results(xml[title]))
        rows = [(number, cells) for number, cells in rows if number not in totals[title]]
        if title.strip().lower() in BUNDLE_SHEETS:
            check_hidden(rows, hidden, hidden_cols, where)
        merged = fill_merged(rows, width, merged_ranges(xml[title]), budget, where)
        sheets.append((title, where, rows, merged))
    return sheets


def _part(archive: zipfile.ZipFile, path: str, name: str, budget: ReadBudget) -> bytes | None:
    """A workbook part's bytes (None if the workbook has no such part)."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    return read_member(zip_member(archive, info, f"{name}/{path}"), budget)


Hidden = tuple[set[int], set[int]]
"""The hidden rows and the hidden (1-based) columns of a worksheet."""

SheetCells = tuple[str, list[Row], int, Hidden]
"""A worksheet's part in the ZIP, its rows (``_sheet_rows``), its width and what it hides."""


def _xlsx_cells(
    data: bytes,
    name: str,
    budget: ReadBudget,
    data_only: bool,
    titles: Collection[str] | None = None,
) -> dict[str, SheetCells]:
    """Each shown sheet's part in the ZIP (``xl/worksheets/sheet1.xml``), rows and width
    (``_sheet_rows``) of cell values (saved values, or formulas if not data_only); only
    the sheets in ``titles`` when given.

    The sheet's own size record is not used (some tools write it wrong: rows lost).
    A hidden sheet is skipped unless it is named like a bundle sheet (its data is read).
    """
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        cells: dict[str, SheetCells] = {}
        for sheet in book.worksheets:
            title = str(sheet.title)
            if sheet.sheet_state != "visible" and title.strip().lower() not in BUNDLE_SHEETS:
                continue
            if titles is None or title in titles:
                part = str(sheet._worksheet_path)  # read-only sheets keep their part
                cells[title] = (part, *_sheet_rows(sheet, budget, f"{name} [{title}]"))
        return cells
    finally:
        book.close()


def _sheet_rows(sheet: Any, budget: ReadBudget, where: str) -> tuple[list[Row], int, Hidden]:
    """(row number, values) of each row of a read-only sheet that holds a value, cut
    after its last value; the sheet's width: the last column holding a cell, if only an
    empty formatted one; and its hidden rows and columns. The cells are counted against
    ``budget`` as they are read. A date cell formatted with a time is a ``DateTimeCell``.

    openpyxl's ``iter_rows`` pads every row up to its last cell, so one empty formatted
    cell in column XFD costs 16,384 values a row; its row parser (the one ``iter_rows``
    uses, with the same settings) gives the cells the file holds, and nothing else.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    rows: list[Row] = []
    last = width = 0
    clocks = clock_styles(book)
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number <= last:  # out of order: skipped, as iter_rows does
                continue
            last = number
            width = max(width, *(cell["column"] for cell in cells), 0)
            filled = [
                (cell["column"], shown_value(cell["value"], cell["style_id"], clocks))
                for cell in cells
                if cell["value"] is not None
            ]
            if not filled:
                continue
            used = max(column for column, _ in filled)
            budget.take_cells(used, where, number)
            values: list[Any] = [None] * used
            for column, value in filled:
                values[column - 1] = value
            rows.append((number, values))
        hidden = hidden_rows(parser.row_dimensions), hidden_columns(parser.column_dimensions)
    return rows, width, hidden


_WORKBOOK_PARTS = (".xml", ".rels", ".vml")
"""The parts of an XLSX file openpyxl may parse (pictures and macros it does not)."""


def _workbook_archive(name: str, data: bytes) -> zipfile.ZipFile:
    """An XLSX file's ZIP archive, its XML checked against ``MAX_BUNDLE_BYTES`` and
    ``MAX_PACK_RATIO`` by the sizes it declares, before any of it is unpacked."""
    archive = open_zip(name, data, "xlsx")
    members = archive.infolist()
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names and any(n.lower().endswith(TEXT_SUFFIXES) for n in names):
        archive.close()
        raise InputError(
            "not a readable XLSX workbook: this is a ZIP of CSV files; rename it to .zip",
            file=name,
        )
    parts = [info for info in members if info.filename.lower().endswith(_WORKBOOK_PARTS)]
    try:
        check_declared_sizes((f"{name}/{i.filename}", i.file_size, i.compress_size) for i in parts)
    except InputError:
        archive.close()
        raise
    return archive
