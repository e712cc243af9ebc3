"""Bundles read: an XLSX workbook or a ZIP of ``<sheet>.csv`` files (``read_bundle_tables``,
``read_bundle``), a folder of them (``read_folder_tables``, ``read_folder``) or CSV files
given as bytes, an upload (``read_csv_files_tables``), as raw tables or a validated problem.

The sheets are read by ``xlsx_bundle``, and by ``csv_bundle`` for ``zip_bundle``,
``folder_bundle`` and uploads; ``sheet_frame`` makes them tables; ``to_bundle`` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.tables.csv_bundle import check_some_sheet, csv_sheets
from optimizer.io.tables.csv_text import CsvRows
from optimizer.io.tables.folder_bundle import folder_sheets
from optimizer.io.tables.header import known_columns
from optimizer.io.tables.members import bytes_member
from optimizer.io.tables.reader import DECIMAL_COMMA
from optimizer.io.tables.sheet_frame import sheet_frame
from optimizer.io.tables.sheet_rows import Sheet
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
    return _tables(name, raw)


def read_folder_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The raw tables of a folder of ``<sheet>.csv`` files, read as the same files in a
    ZIP are (``read_bundle_tables``); errors name ``<folder>/<file>``."""
    return _tables(str(folder), folder_sheets(folder))


UPLOAD_READ_AS = "CSV files uploaded together are read as one bundle, one file per sheet"


def read_csv_files_tables(name: str, files: Sequence[tuple[str, bytes]]) -> dict[str, pd.DataFrame]:
    """The raw tables of ``<sheet>.csv`` files given as (file name, bytes), read as the
    same files in a ZIP are; ``name`` stands for them all in messages, each file is
    named by its own name."""
    members = [bytes_member(file_name, data) for file_name, data in files]
    check_some_sheet(name, members, UPLOAD_READ_AS)
    return _tables(name, csv_sheets(members, "CSV"))


def _tables(name: str, raw: list[Sheet]) -> dict[str, pd.DataFrame]:
    """The sheets of the bundle ``name`` as tables, one per sheet, with the layout checked."""
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


def read_folder(folder: Path) -> Problem:
    """A validated problem from a folder of CSV files; ``TableErrors`` on bad cells."""
    return problem_from_tables(read_folder_tables(folder), str(folder))
