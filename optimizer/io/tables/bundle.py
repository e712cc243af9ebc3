"""Bundle files: an XLSX workbook or a ZIP of ``<sheet>.csv`` files, read and written."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.load import CSV_UTF8_HINT, decode_utf8
from optimizer.io.tables.cells import excel_error, short_text
from optimizer.io.tables.reader import from_file
from optimizer.io.tables.sheets import CASE_SHEETS, ROSTER_SHEETS, sheets_of
from optimizer.io.tables.to_problem import problem_from_tables, tables_kind
from optimizer.io.tables.workbook import format_workbook, sheet_titles

MAX_SHEET_BYTES = 50_000_000
"""Larger CSV members are refused (a bundle sheet is a few thousand rows at most)."""

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

Row = tuple[int, list[Any]]
"""A file line (or XLSX row) number and its cells."""

Sheet = tuple[str, str, list[Row]]
"""A sheet's title, where it is (for messages) and its rows."""

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
"""ZIP members read as sheets (Excel's "Text (Tab delimited)" export is ``.txt``)."""

_BUNDLE_SHEETS = frozenset(ROSTER_SHEETS) | frozenset(CASE_SHEETS)


class UnsavedFormula(str):
    """An XLSX formula cell without a saved (cached) value: its formula text."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _delimiter(text: str) -> str:
    """The separator of the header line: ``,`` unless ``;`` or a tab splits it into more."""
    header = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


def csv_rows(data: bytes, where: str) -> list[Row]:
    """The rows of a CSV file (comma, semicolon or tab separated); errors name the line."""
    text = decode_utf8(data, where, CSV_UTF8_HINT)
    first, _, rest = text.partition("\n")
    skipped = 0
    if len(first) == 5 and first.lower().startswith("sep="):  # Excel's separator line
        delimiter, text, skipped = first[4], rest, 1
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1 + skipped  # where the next row starts
        try:
            rows.append((line, next(reader)))
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise InputError(
                f"not a readable {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}-separated "
                "CSV file "
                f"({_csv_reason(str(exc))})",
                file=where,
                line=line,
            ) from None


def _csv_reason(reason: str) -> str:
    if "field larger than field limit" in reason:
        return f"a cell holds more than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in reason:
        return "a quoted cell is never closed: a '\"' is missing"
    if "expected after" in reason:
        return f"a quoted cell goes on after its closing quote: {reason}"
    return reason


def _frame(rows: list[Row], where: str) -> pd.DataFrame:
    """A table from its rows: the first is the header; blank rows and unnamed empty columns go.

    The table keeps each row's file line (``reader.from_file``) so errors can name it.
    """
    rows = [(line, cells) for line, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        return pd.DataFrame(dtype=object)
    header_line, header = rows[0]
    names = ["" if _blank(c) else str(c).strip().lower() for c in header]
    seen: dict[str, int] = {}
    for position, column in enumerate(names, start=1):
        if column in seen:
            raise InputError(
                f"the column '{column}' appears twice (columns {seen[column]} and {position}); "
                "give each column once",
                file=where,
                line=header_line,
                field=column,
            )
        if column:
            seen[column] = position
    body: list[list[Any]] = []
    lines: list[int] = []
    for line, cells in rows[1:]:
        for position, value in enumerate(cells, start=1):
            column = names[position - 1] if position <= len(names) else ""
            _check_cell(value, where, line, column or None)
            if not _blank(value) and not column:
                raise InputError(
                    f"column {position} holds '{short_text(str(value).strip())}' but has no "
                    f"name in the header (line {header_line} must hold the column names)",
                    file=where,
                    line=line,
                )
        padded = list(cells) + [None] * (len(names) - len(cells))
        body.append([None if _blank(v) else v for v, n in zip(padded, names, strict=False) if n])
        lines.append(line)
    frame = pd.DataFrame(body, columns=[n for n in names if n], dtype=object)
    from_file(frame, where, header_line, lines)
    return frame


def _check_cell(value: object, where: str, line: int, column: str | None) -> None:
    """Refuse an Excel error value or a formula Excel never calculated (not data)."""
    error = excel_error(value)
    if error:
        raise InputError(
            f"holds the Excel error {error} (a formula failed); fix it in Excel or type the value",
            file=where,
            line=line,
            field=column,
        )
    if isinstance(value, UnsavedFormula):
        raise InputError(
            f"the formula {short_text(value)} has no saved value; open the file in Excel "
            "and save it (or type the value)",
            file=where,
            line=line,
            field=column,
        )


def _xlsx_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of each sheet of an XLSX workbook (saved values of formulas)."""
    try:
        values = _xlsx_cells(data, data_only=True)
        formulas = _xlsx_cells(data, data_only=False) if _has_formulas(data) else {}
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise InputError(f"not a readable XLSX workbook ({exc})", file=name) from None
    sheets: list[Sheet] = []
    for title, rows in values.items():
        _mark_unsaved(rows, formulas.get(title, []))
        sheets.append((title, f"{name} [{title}]", list(enumerate(rows, 1))))
    return sheets


def _xlsx_cells(data: bytes, data_only: bool) -> dict[str, list[list[Any]]]:
    """Each shown sheet's rows of cell values (saved values, or formulas if not data_only).

    The sheet's own size record is not trusted (some tools write it wrong: rows lost).
    A hidden sheet is skipped unless it is named like a bundle sheet (its data is read).
    """
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        cells: dict[str, list[list[Any]]] = {}
        for sheet in book.worksheets:
            title = str(sheet.title)
            if sheet.sheet_state != "visible" and title.strip().lower() not in _BUNDLE_SHEETS:
                continue
            sheet.reset_dimensions()
            cells[title] = [list(row) for row in sheet.iter_rows(values_only=True)]
        return cells
    finally:
        book.close()


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _has_formulas(data: bytes) -> bool:
    """True when some worksheet of the XLSX holds a formula (read it a second time then)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(member))
            for member in archive.namelist()
            if member.startswith("xl/worksheets/") and member.endswith(".xml")
        )


def _mark_unsaved(rows: list[list[Any]], formulas: list[list[Any]]) -> None:
    """Put ``UnsavedFormula`` where a cell is empty only because no value was saved."""
    for row, formula_row in zip(rows, formulas, strict=False):
        for position, formula in enumerate(formula_row[: len(row)]):
            if row[position] is None and formula is not None:
                text = str(getattr(formula, "text", formula))
                if text.startswith("="):
                    row[position] = UnsavedFormula(text)


def _zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in a ZIP.

    Folders and macOS extras are skipped; a spreadsheet, or a file named like a sheet
    that is not text (``leave.xlsx``), is refused rather than ignored.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not a valid ZIP file", file=name) from None
    sheets: list[Sheet] = []
    with archive:
        for member in archive.infolist():
            base = member.filename.rsplit("/", 1)[-1]
            if member.is_dir() or member.filename.startswith("__MACOSX") or base.startswith("."):
                continue
            where = f"{name}/{member.filename}"
            stem, dot, suffix = base.rpartition(".")
            if not base.lower().endswith(TEXT_SUFFIXES):
                _check_other_member(stem if dot else base, suffix.lower() if dot else "", where)
                continue
            if member.file_size > MAX_SHEET_BYTES:
                raise InputError(
                    f"the file is too large ({member.file_size:,} bytes; "
                    f"at most {MAX_SHEET_BYTES:,})",
                    file=where,
                )
            try:
                raw = archive.read(member)
            except Exception as exc:  # zipfile raises several types on a damaged member
                raise InputError(f"cannot be unpacked ({exc})", file=where) from None
            sheets.append((stem, where, csv_rows(raw, where)))
    return sheets


_SPREADSHEETS = ("xlsx", "xlsm", "xls", "xlsb", "ods", "numbers")


def _check_other_member(stem: str, suffix: str, where: str) -> None:
    """A ZIP member that is not a text sheet: refused if it looks like one (else ignored)."""
    if stem.strip().lower() in _BUNDLE_SHEETS or suffix in _SPREADSHEETS:
        raise InputError(
            "a ZIP bundle holds one CSV file per sheet and this file cannot be read as one; "
            f"save {stem} as CSV ({stem}.csv), or upload the workbook itself as .xlsx",
            file=where,
        )


def read_bundle_tables(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    """The raw tables of an XLSX workbook or a ZIP of ``<sheet>.csv`` files.

    Cells are not validated here, but the layout is: unreadable files, a cell or
    header the CSV reader cannot take, a blank or repeated column name and an
    unknown sheet each raise one ``InputError`` naming the file (sheet) and line.
    """
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raw = _xlsx_sheets(name, data)
    elif lower.endswith(".zip"):
        raw = _zip_sheets(name, data)
    else:
        raise InputError(
            "a bundle must be an .xlsx workbook or a .zip of CSV files (one per sheet)", file=name
        )
    tables: dict[str, pd.DataFrame] = {}
    places: dict[str, str] = {}
    for title, where, rows in raw:
        sheet = title.strip().lower()
        if sheet in tables:
            raise InputError(
                f"two sheets are named '{sheet}' ({places[sheet]} and {where}); keep one",
                file=name,
            )
        tables[sheet], places[sheet] = _frame(rows, where), where
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


def read_bundle(name: str, data: bytes) -> Any:
    """A validated problem from an XLSX or CSV-ZIP bundle; ``TableErrors`` on bad cells."""
    return problem_from_tables(read_bundle_tables(name, data), name)


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as an XLSX workbook (one sheet each, formatted for reading).

    Text is stored as text, never as a formula. Sheet titles are made valid for
    Excel and kept distinct (``workbook.sheet_titles``).
    """
    out = io.BytesIO()
    titles = sheet_titles(tables)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for sheet, frame in tables.items():
            frame.to_excel(writer, sheet_name=titles[sheet], index=False)
        format_workbook(writer.book)
    return out.getvalue()


def tables_to_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as a ZIP of ``<sheet>.csv`` files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, frame in tables.items():
            archive.writestr(f"{sheet}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return out.getvalue()
