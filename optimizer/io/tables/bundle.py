"""Bundle files read: an XLSX workbook or a ZIP of ``<sheet>.csv`` files, as raw tables
(``read_bundle_tables``) or a validated problem (``read_bundle``).

The sheets are read by ``xlsx_bundle`` and ``zip_bundle``, made tables by
``sheet_frame``; ``to_bundle`` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.tables.csv_text import CsvRows
from optimizer.io.tables.header import known_columns
from optimizer.io.tables.reader import DECIMAL_COMMA
from optimizer.io.tables.sheet_frame import sheet_frame
from optimizer.io.tables.sheets import sheets_of
from optimizer.io.tables.to_problem import problem_from_tables, tables_kind
from optimizer.io.tables.xlsx_bundle import xlsx_sheets
from optimizer.io.tables.zip_bundle import zip_sheets
from optimizer.model import Problem


def read_bundle_tables(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    """The raw tables of an XLSX workbook or a ZIP of ``<sheet>.csv`` files.

    Cells are not validated here, but the layout is: unreadable files, a cell or
    header the CSV reader cannot take, a blank or repeated column name and an
    unknown sheet each raise one ``InputError`` naming the file (sheet) and line.
    """
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raw = xlsx_sheets(name, data)
    elif lower.endswith(".zip"):
        raw = zip_sheets(name, data)
    else:
        raise InputError(
            "a bundle must be an .xlsx or .xlsm workbook or a .zip of CSV files (one per sheet)",
            file=name,
        )
    tables: dict[str, pd.DataFrame] = {}
    places: dict[str, str] = {}
    for title, where, rows, merged in raw:
        sheet = title.strip().lower()
        if sheet in tables:
            raise InputError(
                f"two sheets are named '{sheet}' ({places[sheet]} and {where}); keep one",
                file=name,
            )
        tables[sheet], places[sheet] = sheet_frame(rows, where, merged, known_columns(sheet)), where
        if isinstance(rows, CsvRows) and rows.delimiter == ";":
            tables[sheet].attrs[DECIMAL_COMMA] = True
    if "settings" not in tables:
        raise InputError(
            "the bundle has no 'settings' sheet (see the template for the layout)", file=name
        )
    _check_sheet_names(tables, places)
    return {
        sheet: frame for sheet, frame in tables.items() if sheet in sheets_of(tables_kind(tables))
    }


def _check_sheet_names(tables: Mapping[str, pd.DataFrame], places: Mapping[str, str]) -> None:
    """An unknown sheet with anything in it would be ignored: refuse it instead."""
    kind = tables_kind(tables)
    expected = sheets_of(kind)
    for sheet, frame in tables.items():
        if sheet not in expected and (len(frame.columns) or len(frame)):
            raise InputError(
                f"unknown sheet '{sheet}'; a {kind} bundle has the sheets "
                f"{', '.join(expected)} (rename the sheet or move its rows to one of these)",
                file=places[sheet],
            )


def read_bundle(name: str, data: bytes) -> Problem:
    """A validated problem from an XLSX or CSV-ZIP bundle; ``TableErrors`` on bad cells."""
    return problem_from_tables(read_bundle_tables(name, data), name)
