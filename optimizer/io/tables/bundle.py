"""Bundle files: an XLSX workbook or a ZIP of ``<sheet>.csv`` files, read and written."""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.load import CSV_UTF8_HINT, decode_utf8
from optimizer.io.tables.cells import excel_error, short_text
from optimizer.io.tables.header import column_name, header_index, known_columns
from optimizer.io.tables.reader import DECIMAL_COMMA, from_file
from optimizer.io.tables.sheets import CASE_SHEETS, ROSTER_SHEETS, sheets_of
from optimizer.io.tables.shown import (
    check_hidden,
    check_totals_row,
    clock_styles,
    hidden_columns,
    hidden_rows,
    shown_value,
    totals_rows,
)
from optimizer.io.tables.to_problem import problem_from_tables, tables_kind
from optimizer.io.tables.workbook import format_workbook, sheet_titles
from optimizer.model import Problem

MAX_BUNDLE_BYTES = 50_000_000
"""Most bytes the sheets of one bundle may unpack to, in all: the CSV files of a ZIP, or
the XML parts of a workbook. The largest bundles we know (2,000 cases with 200 staff's
daily availability over four weeks; 500 staff over eight weeks) unpack to 0.3 MB (ZIP) and
2 MB (XLSX). Checked on the sizes the ZIP declares before anything is unpacked, and again
on the bytes unpacked (a declared size can lie)."""

MAX_BUNDLE_CELLS = 1_000_000
"""Most cells the sheets of one bundle may hold, in all: rows times used columns (a row
ends at its last value, so empty formatted cells cost nothing; a CSV line counts at least
one). Those largest bundles hold about 50,000; a million take some 150 MB and 5 s to read."""

MAX_PACK_RATIO = 100
"""A sheet over ``_RATIO_FROM`` bytes may unpack to at most this many times its packed
size. Real sheets pack 5 to 15 times; Apache POI refuses ZIP entries past 100 too."""

_RATIO_FROM = 1_000_000

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_HEADER_CHARS = 65_536
"""The separator is guessed from at most this much of the first line."""

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
    end = text.find("\n", 0, _HEADER_CHARS)
    header = text[: _HEADER_CHARS if end < 0 else end]
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


class ReadBudget:
    """What the sheets of one bundle may still cost, counted while they are read:
    unpacked bytes (``MAX_BUNDLE_BYTES``) and cells (``MAX_BUNDLE_CELLS``). Going over
    raises one ``InputError`` naming the file and the limit."""

    def __init__(self) -> None:
        self.bytes = 0
        self.cells = 0

    def take_bytes(self, count: int, where: str) -> None:
        self.bytes += count
        if self.bytes > MAX_BUNDLE_BYTES:
            raise InputError(_too_many_bytes(f"more than {MAX_BUNDLE_BYTES:,}"), file=where)

    def take_cells(self, count: int, where: str, line: int) -> None:
        self.cells += count
        if self.cells > MAX_BUNDLE_CELLS:
            raise InputError(
                f"the bundle's sheets hold more than {MAX_BUNDLE_CELLS:,} cells by this "
                "line (rows × used columns, all sheets counted); a bundle holds far fewer: "
                "delete the rows and columns it does not need",
                file=where,
                line=line,
            )


def _too_many_bytes(size: str) -> str:
    return (
        f"the sheets unpack to {size} bytes; a bundle's sheets may hold at most "
        f"{MAX_BUNDLE_BYTES:,} bytes ({MAX_BUNDLE_BYTES // 1_000_000} MB) in all"
    )


class CsvRows(list[Row]):
    """The rows of a CSV file, knowing its separator (``;``: a comma is a decimal mark)."""

    def __init__(self, rows: Iterable[Row] = (), delimiter: str = ",") -> None:
        super().__init__(rows)
        self.delimiter = delimiter


def csv_rows(data: bytes, where: str, budget: ReadBudget | None = None) -> CsvRows:
    """The rows of a CSV file (comma, semicolon or tab separated); errors name the line.

    With a ``budget`` (a bundle sheet), each line's cells up to its last value are
    counted against it as they are read and kept; lines without a value are left out.
    """
    text = decode_utf8(data, where, CSV_UTF8_HINT)
    skipped = 0
    if text[:4].lower() == "sep=" and text[4:5] not in ("", "\n") and text[5:6] in ("", "\n"):
        delimiter, text, skipped = text[4], text[6:], 1  # Excel's separator line
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = CsvRows(delimiter=delimiter)
    while True:
        line = reader.line_num + 1 + skipped  # where the next row starts
        try:
            cells = next(reader)
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
        if budget is None:
            rows.append((line, cells))
            continue
        used = len(cells)
        while used and not cells[used - 1]:  # empty cells after the last value
            used -= 1
        budget.take_cells(max(used, 1), where, line)
        if used and not all(_blank(c) for c in cells[:used]):
            rows.append((line, cells[:used] if used < len(cells) else cells))


def _csv_reason(reason: str) -> str:
    if "field larger than field limit" in reason:
        return f"a cell holds more than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in reason:
        return "a quoted cell is never closed: a '\"' is missing"
    if "expected after" in reason:
        return f"a quoted cell goes on after its closing quote: {reason}"
    return reason


def _frame(
    rows: list[Row], where: str, merged: Merged | None = None, known: Collection[str] = ()
) -> pd.DataFrame:
    """A table from its rows: the header, then the data; blank rows and unnamed empty
    columns go. With the sheet's ``known`` column names, title and notes rows above the
    header are skipped (``header.header_index``) and header cells are read as
    ``header.column_name`` does (``Max Minutes`` is ``max_minutes``).

    The table keeps each row's file line (``reader.from_file``) so errors can name it.
    ``merged`` (XLSX) names a header merged over several columns in its message; a merge
    reaching into a column without a name (a wide note) is dropped with that column.
    """
    rows = [(line, cells) for line, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        return pd.DataFrame(dtype=object)
    spread = merged or {}
    rows = rows[header_index(rows, known, spread) :]
    header_line, header = rows[0]
    names = ["" if _blank(c) else column_name(c, known) for c in header]
    _check_header_names(names, known, where, header_line, header)
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
    id_position = names.index("id") + 1 if "id" in names else None
    for line, cells in rows[1:]:
        check_totals_row(cells, id_position, where, line)
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


def _check_header_names(
    names: list[str], known: Collection[str], where: str, line: int, header: list[Any]
) -> None:
    """Refuse a header row holding no column name of its sheet: a title or a note above
    the real header (one with more than one value, or the header holds an unknown name)."""
    if not known or any(name in known for name in names):
        return
    first = next(str(c).strip() for c in header if not _blank(c))
    word = "line" if where.lower().endswith(".csv") else "row"
    raise InputError(
        f"{word} {line} ('{short_text(first)}') is read as the header but holds none of "
        f"the sheet's column names ({', '.join(known)}); if it is a title or a note, "
        "delete the rows above the header",
        file=where,
        line=line,
    )


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
    The XML is held to ``MAX_BUNDLE_BYTES`` before it is read, the cells to
    ``MAX_BUNDLE_CELLS`` while they are.
    """
    archive = _workbook_archive(name, data)
    budget = ReadBudget()
    try:
        with archive:
            values = _xlsx_cells(data, name, budget, data_only=True)
            xml = {
                title: _unpack(archive, archive.getinfo(part), f"{name} [{title}]", budget)
                for title, (part, _, _, _) in values.items()
            }
            totals = {
                title: totals_rows(part, lambda path: _part(archive, path, name, budget))
                for title, (part, _, _, _) in values.items()
            }
        with_formulas = {title for title, sheet in xml.items() if _FORMULA_TAG.search(sheet)}
        formulas = (
            _xlsx_cells(data, name, ReadBudget(), data_only=False, titles=with_formulas)
            if with_formulas
            else {}
        )
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise InputError(f"not a readable XLSX workbook ({_reason(exc)})", file=name) from None
    sheets: list[Sheet] = []
    for title, (_, rows, width, (hidden, hidden_cols)) in values.items():
        where = f"{name} [{title}]"
        unsaved = formulas[title][1] if title in formulas else []
        rows = _mark_unsaved(rows, unsaved, _empty_results(xml[title]))
        rows = [(number, cells) for number, cells in rows if number not in totals[title]]
        if title.strip().lower() in _BUNDLE_SHEETS:
            check_hidden(rows, hidden, hidden_cols, where)
        merged = _fill_merged(rows, width, _MERGE_REF.findall(xml[title]), budget, where)
        sheets.append((title, where, rows, merged))
    return sheets


def _part(archive: zipfile.ZipFile, path: str, name: str, budget: ReadBudget) -> bytes | None:
    """A workbook part's bytes (None if the workbook has no such part)."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    return _unpack(archive, info, f"{name}/{path}", budget)


def _reason(exc: BaseException) -> str:
    """An exception's text for a message (a ``MemoryError`` has none)."""
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    return str(exc) or type(exc).__name__


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
            if sheet.sheet_state != "visible" and title.strip().lower() not in _BUNDLE_SHEETS:
                continue
            if titles is None or title in titles:
                part = str(sheet._worksheet_path)  # read-only sheets keep their part
                cells[title] = (part, *_sheet_rows(sheet, budget, f"{name} [{title}]"))
        return cells
    finally:
        book.close()


Hidden = tuple[set[int], set[int]]
"""The hidden rows and the hidden (1-based) columns of a worksheet."""

SheetCells = tuple[str, list[Row], int, Hidden]
"""A worksheet's part in the ZIP, its rows (``_sheet_rows``), its width and what it hides."""


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


def _mark_unsaved(rows: list[Row], formulas: list[Row], empty: set[tuple[int, int]]) -> list[Row]:
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


def _fill_merged(
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
    holding = [number for number, cells in rows if not all(_blank(cell) for cell in cells)]
    merged: Merged = {}
    for raw in ranges:
        ref = raw.decode().upper()
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        top = by_number.get(first_row, [])
        value = top[first_col - 1] if first_col <= len(top) else None
        if _blank(value):
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


_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
"""The start of an OLE compound file: an old ``.xls``, or any password-protected workbook."""

_CONTROL_BYTES = frozenset(range(9)) | frozenset(range(14, 32))


def _is_text(data: bytes) -> bool:
    """Whether a file starts like UTF-8 (or BOM-marked UTF-16) text: a CSV, say."""
    sample = data[:4096]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if not sample or any(byte in _CONTROL_BYTES for byte in sample):
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and len(data) > len(sample)  # a character cut
    return True


def _not_a_zip(name: str, data: bytes, what: str) -> InputError:
    """The error for a bundle that is no ZIP archive, saying what it is when it can
    (``what``: ``"xlsx"`` or ``"zip"``, the name's extension)."""
    lead = "not a readable XLSX workbook" if what == "xlsx" else "not a valid ZIP file"
    if data.startswith(_OLE_SIGNATURE):
        reason = (
            "it is password-protected or an old .xls workbook; save it as .xlsx without a password"
        )
    elif data.startswith(b"%PDF"):
        reason = "this is a PDF file"
    elif _is_text(data):
        reason = "this is a text/CSV file, " + (
            "not a workbook; open it in Excel and save it as .xlsx"
            if what == "xlsx"
            else "not a ZIP; put one CSV file per sheet in a ZIP (or upload a workbook)"
        )
    else:
        return InputError(lead + (" (File is not a zip file)" if what == "xlsx" else ""), file=name)
    return InputError(f"{lead}: {reason}", file=name)


def _open_zip(name: str, data: bytes, what: str) -> zipfile.ZipFile:
    """The ZIP archive ``data`` (``what``: ``"xlsx"`` or ``"zip"``, for the messages)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_zip(name, data, what) from None


_WORKBOOK_PARTS = (".xml", ".rels", ".vml")
"""The parts of an XLSX file openpyxl may parse (pictures and macros it does not)."""


def _workbook_archive(name: str, data: bytes) -> zipfile.ZipFile:
    """An XLSX file's ZIP archive, its XML checked against ``MAX_BUNDLE_BYTES`` and
    ``MAX_PACK_RATIO`` by the sizes it declares, before any of it is unpacked."""
    archive = _open_zip(name, data, "xlsx")
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
        _check_declared_sizes(parts, lambda info: f"{name}/{info.filename}")
    except InputError:
        archive.close()
        raise
    return archive


def _check_declared_sizes(
    members: Iterable[zipfile.ZipInfo], where: Callable[[zipfile.ZipInfo], str]
) -> None:
    """Refuse, before anything is unpacked, members that declare more than
    ``MAX_BUNDLE_BYTES`` in all, or that pack more than ``MAX_PACK_RATIO`` times."""
    total = 0
    for info in members:
        size, packed = info.file_size, info.compress_size
        if size > _RATIO_FROM and size > MAX_PACK_RATIO * max(packed, 1):
            raise InputError(
                f"unpacks to {size:,} bytes from {packed:,} ({size // max(packed, 1):,} times "
                f"as many); a sheet packs at most {MAX_PACK_RATIO} times smaller, so this "
                "file is refused (a ZIP bomb?)",
                file=where(info),
            )
        total += size
        if total > MAX_BUNDLE_BYTES:
            raise InputError(_too_many_bytes(f"at least {total:,}"), file=where(info))


def _unpack(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: ReadBudget
) -> bytes:
    """A member's bytes, counted against ``budget`` while they are unpacked."""
    chunks: list[bytes] = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                budget.take_bytes(len(chunk), where)
                chunks.append(chunk)
    except InputError:
        raise
    except Exception as exc:  # zipfile raises several types on a damaged member
        raise InputError(f"cannot be unpacked ({_reason(exc)})", file=where) from None
    return b"".join(chunks)


def _is_link(info: zipfile.ZipInfo) -> bool:
    """Whether a ZIP member is a symbolic link (made on Unix: the mode is in its attributes)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in a ZIP, with
    the formula guard of ``tables_to_zip`` undone (``unguard_cell``).

    Folders and macOS extras are skipped; a spreadsheet, or a file named like a sheet
    that is not text (``leave.xlsx``), is refused rather than ignored; so is a file with
    a name no bundle sheet has, unless it is empty. All this, and the sizes the sheets
    declare (``MAX_BUNDLE_BYTES``, ``MAX_PACK_RATIO``), is checked before any sheet is
    parsed; the bytes unpacked and the cells read are counted while they are.
    """
    with _open_zip(name, data, "zip") as archive:
        members = _sheet_members(name, archive)
        budget = ReadBudget()
        _check_unknown_members(archive, members, budget)
        members = [member for member in members if member[1].strip().lower() in _BUNDLE_SHEETS]
        _check_declared_sizes(
            [info for info, _, _ in members], lambda info: f"{name}/{info.filename}"
        )
        sheets: list[Sheet] = []
        for info, stem, where in members:
            raw = _unpack(archive, info, where, budget)
            read = csv_rows(raw, where, budget)
            rows = CsvRows(
                ((line, [unguard_cell(c) for c in cells]) for line, cells in read), read.delimiter
            )
            sheets.append((stem, where, rows, {}))
    return sheets


Member = tuple[zipfile.ZipInfo, str, str]
"""A ZIP member read as a sheet: its entry, its name without the suffix, where it is."""


def _sheet_members(name: str, archive: zipfile.ZipFile) -> list[Member]:
    """The text members of a ZIP bundle (sheets, or unknown files); a workbook renamed
    ``.zip``, a link or a spreadsheet among them is refused."""
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        raise InputError(
            "this is an Excel workbook, not a ZIP of CSV files: rename it to .xlsx", file=name
        )
    members: list[Member] = []
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or info.filename.startswith("__MACOSX") or base.startswith("."):
            continue
        where = f"{name}/{info.filename}"
        if _is_link(info):
            raise InputError(
                "is a symbolic link, not a file; put the file itself in the ZIP", file=where
            )
        stem, dot, suffix = base.rpartition(".")
        if not base.lower().endswith(TEXT_SUFFIXES):
            _check_other_member(stem if dot else base, suffix.lower() if dot else "", where)
            continue
        members.append((info, stem, where))
    return members


_BLANK_BYTES = b' \t\r\n,;"' + codecs.BOM_UTF8
"""Bytes of a CSV file with no value: separators, quotes, blank lines, a byte-order mark."""


def _check_unknown_members(
    archive: zipfile.ZipFile, members: list[Member], budget: ReadBudget
) -> None:
    """Refuse a member no bundle sheet is named after, unless it holds nothing but
    separators and blank lines; read only as far as its first other byte, never parsed.

    The message lists the sheets of the bundle's kind (``_zip_kind``).
    """
    for info, stem, where in members:
        sheet = stem.strip().lower()
        if sheet in _BUNDLE_SHEETS or _blank_member(archive, info, where, budget):
            continue
        kind = _zip_kind(archive, members, budget)
        expected = sheets_of(kind)
        raise InputError(
            f"unknown sheet '{sheet}'; a {kind} bundle has the sheets "
            f"{', '.join(expected)} (rename the sheet or move its rows to one of these)",
            file=where,
        )


def _blank_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: ReadBudget
) -> bool:
    """Whether a member holds no value (``_BLANK_BYTES`` only); read up to its first value."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                budget.take_bytes(len(chunk), where)
                if chunk.translate(None, _BLANK_BYTES):
                    return False
    except InputError:
        raise
    except Exception as exc:  # zipfile raises several types on a damaged member
        raise InputError(f"cannot be unpacked ({_reason(exc)})", file=where) from None
    return True


def _zip_kind(archive: zipfile.ZipFile, members: list[Member], budget: ReadBudget) -> str:
    """A ZIP bundle's kind (``tables_kind``) from its ``settings`` sheet and the names
    of its other sheets, which are not read."""
    tables: dict[str, pd.DataFrame] = {}
    for info, stem, where in members:
        sheet = stem.strip().lower()
        if sheet == "settings":
            rows = csv_rows(_unpack(archive, info, where, budget), where, budget)
            tables[sheet] = _frame(rows, where, known=known_columns(sheet))
        elif sheet in _BUNDLE_SHEETS:
            tables[sheet] = pd.DataFrame()
    return tables_kind(tables)


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
        tables[sheet], places[sheet] = _frame(rows, where, merged, known_columns(sheet)), where
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
