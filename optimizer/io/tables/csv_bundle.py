"""A bundle of CSV files (one ``<sheet>.csv`` per sheet) read into sheets of numbered
rows, wherever its files are kept (``members``: a ZIP, a folder, an upload). The files
are sorted into sheets, files to refuse and extras to skip before any is parsed."""

from __future__ import annotations

import codecs
from collections.abc import Sequence

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.roster_csv import HEADER as ROSTER_HEADER
from optimizer.io.schedule_csv import HEADER as SCHEDULE_HEADER
from optimizer.io.tables.csv_text import CsvRows, csv_rows
from optimizer.io.tables.header import known_columns
from optimizer.io.tables.members import Member, is_blank, is_skipped, read_head, read_member
from optimizer.io.tables.read_budget import ReadBudget, check_declared_sizes
from optimizer.io.tables.sheet_frame import sheet_frame
from optimizer.io.tables.sheet_rows import Sheet
from optimizer.io.tables.sheets import BUNDLE_SHEETS, CASE_SHEETS, ROSTER_SHEETS, sheets_of
from optimizer.io.tables.to_bundle import unguard_cell
from optimizer.io.tables.to_problem import tables_kind


def csv_sheets(members: Sequence[Member], holder: str) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` member, with the
    formula guard of ``to_bundle.tables_to_zip`` undone (``unguard_cell``).

    Hidden files and Excel's owner files are skipped; a spreadsheet, or a file named like
    a sheet that is not text (``leave.xlsx``), is refused rather than ignored (``holder``,
    ``"ZIP"`` or ``"folder"``, says what holds it); any other file that is not text is
    skipped; a text file with a name no bundle sheet has is refused, unless it is empty.
    All this, and the sizes the sheets declare (``MAX_BUNDLE_BYTES``, ``MAX_PACK_RATIO``),
    is checked before any sheet is parsed; the bytes and the cells read are counted while
    they are.
    """
    texts = _text_members(members, holder)
    budget = ReadBudget()
    _check_unknown_members(texts, budget)
    sheets = [member for member in texts if member.sheet in BUNDLE_SHEETS]
    check_declared_sizes(
        (m.where, m.size, m.size if m.packed is None else m.packed) for m in sheets
    )
    read: list[Sheet] = []
    for member in sheets:
        raw = csv_rows(read_member(member, budget), member.where, budget)
        rows = CsvRows(
            ((line, [unguard_cell(c) for c in cells]) for line, cells in raw), raw.delimiter
        )
        read.append((member.stem, member.where, rows, {}))
    return read


SHEET_FILES = (
    f"{', '.join(f'{s}.csv' for s in list(ROSTER_SHEETS)[:4])}, … (a roster) or "
    f"{', '.join(f'{s}.csv' for s in list(CASE_SHEETS)[1:3])}, … (cases)"
)
"""Some file names of each kind of bundle, for a message."""


def check_some_sheet(name: str, members: Sequence[Member], read_as: str) -> None:
    """Refuse files of which none is named after a bundle sheet, whatever its extension
    (``read_as``: how such files are read, e.g. ``"a folder is read as …"``)."""
    if not any(m.sheet in BUNDLE_SHEETS for m in members if not is_skipped(m.base)):
        raise InputError(f"holds no table bundle: no {SHEET_FILES}; {read_as}", file=name)


def _text_members(members: Sequence[Member], holder: str) -> list[Member]:
    """The text members (sheets, or unknown files); a spreadsheet, or a file named like a
    sheet that cannot be read as one, is refused; other files are skipped."""
    texts: list[Member] = []
    for member in members:
        if is_skipped(member.base):
            continue
        if member.is_text:
            texts.append(member)
        else:
            _check_other_member(member, holder)
    return texts


def _check_unknown_members(members: list[Member], budget: ReadBudget) -> None:
    """Refuse a member no bundle sheet is named after, unless it holds nothing but
    separators and blank lines; read only as far as its first other byte, never parsed.

    The message lists the sheets of the bundle's kind (``_bundle_kind``).
    """
    for member in members:
        if member.sheet in BUNDLE_SHEETS or is_blank(member, budget):
            continue
        if is_solution_file(member, budget):
            continue  # a solve's own output kept beside its input (`--out ward/roster.csv`)
        kind = _bundle_kind(members, budget)
        raise InputError(
            f"unknown sheet '{member.sheet}'; a {kind} bundle has the sheets "
            f"{', '.join(sheets_of(kind))} (rename the sheet or move its rows to one of these)",
            file=member.where,
        )


def _bundle_kind(members: list[Member], budget: ReadBudget) -> str:
    """A bundle's kind (``tables_kind``) from its ``settings`` sheet and the names of its
    other sheets, which are not read."""
    tables: dict[str, pd.DataFrame] = {}
    for member in members:
        if member.sheet == "settings":
            rows = csv_rows(read_member(member, budget), member.where, budget)
            tables[member.sheet] = sheet_frame(rows, member.where, known=known_columns("settings"))
        elif member.sheet in BUNDLE_SHEETS:
            tables[member.sheet] = pd.DataFrame()
    return tables_kind(tables)


_SPREADSHEETS = ("xlsx", "xlsm", "xls", "xlsb", "ods", "numbers")


SOLUTION_HEADERS = frozenset({ROSTER_HEADER, SCHEDULE_HEADER})
"""The first lines of the solution CSVs (``staff,day,shift``; ``task,start,end,…``)."""


def is_solution_file(member: Member, budget: ReadBudget) -> bool:
    """Whether a text member is a solution CSV (its first line a ``SOLUTION_HEADERS``
    one): a bundle skips it, so a solve may write its roster beside its input."""
    line = read_head(member, budget).removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0]
    cells = line.decode("utf-8", errors="replace").strip().lower().split(",")
    return tuple(cell.strip() for cell in cells) in SOLUTION_HEADERS


def _check_other_member(member: Member, holder: str) -> None:
    """A member that is not a text sheet: refused if it looks like one, or if it is a
    spreadsheet in a ZIP (a folder may keep the workbooks beside its CSV files);
    otherwise ignored."""
    spreadsheet_in_zip = member.suffix in _SPREADSHEETS and holder != "folder"
    if member.sheet in BUNDLE_SHEETS or spreadsheet_in_zip:
        stem = member.stem
        raise InputError(
            f"a {holder} bundle holds one CSV file per sheet and this file cannot be read as "
            f"one; save {stem} as CSV ({stem}.csv), or use the workbook itself as .xlsx",
            file=member.where,
        )
