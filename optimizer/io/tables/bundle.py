"""Bundle files: an XLSX workbook or a ZIP of ``<sheet>.csv`` files, read and written."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.load import CSV_UTF8_HINT, decode_utf8
from optimizer.io.tables.cells import excel_error, short_text
from optimizer.io.tables.reader import from_file
from optimizer.io.tables.sheets import CASE_SHEETS, ROSTER_SHEETS, sheets_of
from optimizer.io.tables.to_problem import problem_from_tables, tables_kind
from optimizer.io.tables.workbook import format_workbook, sheet_titles
from optimizer.model import Problem

MAX_SHEET_BYTES = 50_000_000
"""Larger CSV members are refused (a bundle sheet is a few thousand rows at most)."""

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

Row = tuple[int, list[Any]]
"""A file line (or XLSX row) number and its cells."""

Merged = dict[tuple[int, int], str]
"""Cells given the value of a merged range they lie in: (row, column) -> range (``C4:C6``)."""

Sheet = tuple[str, str, list[Row], Merged]
"""A sheet's title, where it is (for messages), its rows and its filled merged cells."""

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


def _frame(rows: list[Row], where: str, merged: Merged | None = None) -> pd.DataFrame:
    """A table from its rows: the first is the header; blank rows and unnamed empty columns go.

    The table keeps each row's file line (``reader.from_file``) so errors can name it.
    ``merged`` (XLSX) names a header merged over several columns in its message; a merge
    reaching into a column without a name (a wide note) is dropped with that column.
    """
    rows = [(line, cells) for line, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        return pd.DataFrame(dtype=object)
    header_line, header = rows[0]
    spread = merged or {}
    names = ["" if _blank(c) else str(c).strip().lower() for c in header]
    seen: dict[str, int] = {}
    for position, column in enumerate(names, start=1):
        if column in seen:
            raise InputError(
                _repeated_column(
                    column, seen[column], position, spread.get((header_line, position))
                ),
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
            _check_header_merge(spread.get((line, position)), header_line, column, where)
            _check_cell(value, where, line, column or None)
            if not _blank(value) and not column and (line, position) not in spread:
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


def _repeated_column(column: str, first: int, again: int, merge: str | None) -> str:
    """The message for a column name given twice (a header cell merged over columns, say so)."""
    if merge:
        return (
            f"the header cell '{column}' is merged over several columns ({merge}); the header "
            "row needs one name per column: unmerge it (or delete the row if it is a title)"
        )
    return (
        f"the column '{column}' appears twice (columns {first} and {again}); give each column once"
    )


def _check_header_merge(merge: str | None, header_line: int, column: str, where: str) -> None:
    """Refuse a header cell merged down into the data rows (its name would be their value)."""
    from openpyxl.utils.cell import range_boundaries

    if merge is None:
        return
    _, first_row, _, last_row = range_boundaries(merge)
    if first_row is not None and last_row is not None and first_row <= header_line <= last_row:
        raise InputError(
            f"the header cell '{column}' is merged down into the rows below ({merge}); "
            "the header row needs cells of its own: unmerge it",
            file=where,
            line=header_line,
            field=column or None,
        )


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
    """(title, where, rows, merged) of each sheet of an XLSX workbook.

    Formulas give their saved values; a merged range gives its top-left value to each
    of its cells, as Excel shows it ("RN" merged over three cover rows is RN in each).
    """
    try:
        values = _xlsx_cells(data, data_only=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = {title: archive.read(part) for title, (part, _) in values.items()}
        formulas = _xlsx_cells(data, data_only=False) if _has_formulas(xml.values()) else {}
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise InputError(f"not a readable XLSX workbook ({exc})", file=name) from None
    sheets: list[Sheet] = []
    for title, (_, rows) in values.items():
        _mark_unsaved(rows, formulas.get(title, ("", []))[1], _empty_results(xml[title]))
        merged = _fill_merged(rows, _MERGE_REF.findall(xml[title]))
        sheets.append((title, f"{name} [{title}]", list(enumerate(rows, 1)), merged))
    return sheets


def _xlsx_cells(data: bytes, data_only: bool) -> dict[str, tuple[str, list[list[Any]]]]:
    """Each shown sheet's part in the ZIP (``xl/worksheets/sheet1.xml``) and rows of cell
    values (saved values, or formulas if not data_only).

    The sheet's own size record is not trusted (some tools write it wrong: rows lost).
    A hidden sheet is skipped unless it is named like a bundle sheet (its data is read).
    """
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        cells: dict[str, tuple[str, list[list[Any]]]] = {}
        for sheet in book.worksheets:
            title = str(sheet.title)
            if sheet.sheet_state != "visible" and title.strip().lower() not in _BUNDLE_SHEETS:
                continue
            sheet.reset_dimensions()
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            cells[title] = (str(sheet._worksheet_path), rows)  # read-only sheets keep their part
        return cells
    finally:
        book.close()


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")

_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"'
)
"""A merged range in a sheet's XML (openpyxl's read-only sheets do not report them)."""

_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)"
    rb"\s*<(?:\w+:)?v(?:\s[^>]*)?(?:/>|>\s*</(?:\w+:)?v>)"
)
"""A formula cell whose saved value is empty: ``<c r="C4" t="str"><f>..</f><v></v></c>``."""

_STRING_TYPE = re.compile(rb'(?:^|\s)t="str"')
_CELL_REF = re.compile(rb'(?:^|\s)r="([A-Za-z]+)([0-9]+)"')


def _has_formulas(sheets_xml: Iterable[bytes]) -> bool:
    """True when a worksheet's XML holds a formula (read the workbook a second time then)."""
    return any(_FORMULA_TAG.search(xml) for xml in sheets_xml)


def _empty_results(sheet_xml: bytes) -> set[tuple[int, int]]:
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


def _mark_unsaved(
    rows: list[list[Any]], formulas: list[list[Any]], empty: set[tuple[int, int]]
) -> None:
    """Put ``UnsavedFormula`` where a cell is empty only because no value was saved.

    ``empty`` holds the (row, column) of formulas whose saved result is "": blank cells.
    """
    for number, (row, formula_row) in enumerate(zip(rows, formulas, strict=False), start=1):
        for position, formula in enumerate(formula_row[: len(row)]):
            if row[position] is None and formula is not None:
                text = str(getattr(formula, "text", formula))
                if text.startswith("=") and (number, position + 1) not in empty:
                    row[position] = UnsavedFormula(text)


def _fill_merged(rows: list[list[Any]], ranges: Iterable[bytes]) -> Merged:
    """Give each cell of a merged range its top-left value; the cells filled, by range.

    Only rows that hold something of their own are filled (a merge reaching into blank
    rows below the table adds no rows), and no row grows wider than the widest row.
    """
    from openpyxl.utils.cell import range_boundaries

    width = max((len(row) for row in rows), default=0)
    holds = [not all(_blank(cell) for cell in row) for row in rows]
    merged: Merged = {}
    for raw in ranges:
        ref = raw.decode().upper()
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        top = rows[first_row - 1] if first_row <= len(rows) else []
        value = top[first_col - 1] if first_col <= len(top) else None
        if _blank(value):
            continue
        last_col = min(last_col, width)
        for number in range(first_row, min(last_row, len(rows)) + 1):
            row = rows[number - 1]
            if not holds[number - 1]:
                continue
            row.extend([None] * (last_col - len(row)))
            for column in range(first_col, last_col + 1):
                if (number, column) != (first_row, first_col):
                    row[column - 1] = value
                    merged[(number, column)] = ref
    return merged


def _zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in a ZIP, with
    the formula guard of ``tables_to_zip`` undone (``unguard_cell``).

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
            rows = [
                (line, [unguard_cell(c) for c in cells]) for line, cells in csv_rows(raw, where)
            ]
            sheets.append((stem, where, rows, {}))
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
        tables[sheet], places[sheet] = _frame(rows, where, merged), where
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a CSV cell starting with one of these as a formula."""


def _formula_like(text: str) -> bool:
    """Whether ``text`` is ``'``s (maybe none) then a formula character (``FORMULA_STARTS``)."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def guard_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM(…)``,
    ``+44``) with a ``'`` put before it, which keeps it text; ``unguard_cell`` undoes it.
    Other values are returned unchanged."""
    return f"'{value}" if isinstance(value, str) and _formula_like(value) else value


def unguard_cell(value: Any) -> Any:
    """``guard_cell`` undone: the ``'`` before a formula character (or before ``'`` and
    one) dropped. Any other text, ``'t Hooft`` say, is returned unchanged."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]):
        return value[1:]
    return value


def tables_to_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as a ZIP of ``<sheet>.csv`` files for Excel and back: UTF-8 with a
    byte-order mark (else Excel reads it as Windows-1252), text cells guarded against
    formulas (``guard_cell``; ``read_bundle`` undoes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, frame in tables.items():
            text = frame.map(guard_cell).to_csv(index=False, lineterminator="\n")
            archive.writestr(f"{sheet}.csv", text.encode("utf-8-sig"))
    return out.getvalue()
