"""A ZIP bundle (one ``<sheet>.csv`` per sheet) read into sheets of numbered rows: its
members sorted into sheets, files to refuse and extras to skip before any is parsed."""

from __future__ import annotations

import codecs
import stat
import zipfile

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.tables.archive import TEXT_SUFFIXES, error_reason, open_zip, unpack
from optimizer.io.tables.csv_text import CsvRows, csv_rows
from optimizer.io.tables.header import known_columns
from optimizer.io.tables.read_budget import ReadBudget, check_declared_sizes
from optimizer.io.tables.sheet_frame import sheet_frame
from optimizer.io.tables.sheet_rows import Sheet
from optimizer.io.tables.sheets import BUNDLE_SHEETS, sheets_of
from optimizer.io.tables.to_bundle import unguard_cell
from optimizer.io.tables.to_problem import tables_kind


def zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in a ZIP, with
    the formula guard of ``to_bundle.tables_to_zip`` undone (``unguard_cell``).

    Folders and macOS extras are skipped; a spreadsheet, or a file named like a sheet
    that is not text (``leave.xlsx``), is refused rather than ignored; so is a file with
    a name no bundle sheet has, unless it is empty. All this, and the sizes the sheets
    declare (``MAX_BUNDLE_BYTES``, ``MAX_PACK_RATIO``), is checked before any sheet is
    parsed; the bytes unpacked and the cells read are counted while they are.
    """
    with open_zip(name, data, "zip") as archive:
        members = _sheet_members(name, archive)
        budget = ReadBudget()
        _check_unknown_members(archive, members, budget)
        members = [member for member in members if member[1].strip().lower() in BUNDLE_SHEETS]
        check_declared_sizes(
            [info for info, _, _ in members], lambda info: f"{name}/{info.filename}"
        )
        sheets: list[Sheet] = []
        for info, stem, where in members:
            raw = unpack(archive, info, where, budget)
            read = csv_rows(raw, where, budget)
            rows = CsvRows(
                ((line, [unguard_cell(c) for c in cells]) for line, cells in read), read.delimiter
            )
            sheets.append((stem, where, rows, {}))
    return sheets


Member = tuple[zipfile.ZipInfo, str, str]
"""A ZIP member read as a sheet: its entry, its name without the suffix, where it is."""


def _is_link(info: zipfile.ZipInfo) -> bool:
    """Whether a ZIP member is a symbolic link (made on Unix: the mode is in its attributes)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


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
        if sheet in BUNDLE_SHEETS or _blank_member(archive, info, where, budget):
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
        raise InputError(f"cannot be unpacked ({error_reason(exc)})", file=where) from None
    return True


def _zip_kind(archive: zipfile.ZipFile, members: list[Member], budget: ReadBudget) -> str:
    """A ZIP bundle's kind (``tables_kind``) from its ``settings`` sheet and the names
    of its other sheets, which are not read."""
    tables: dict[str, pd.DataFrame] = {}
    for info, stem, where in members:
        sheet = stem.strip().lower()
        if sheet == "settings":
            rows = csv_rows(unpack(archive, info, where, budget), where, budget)
            tables[sheet] = sheet_frame(rows, where, known=known_columns(sheet))
        elif sheet in BUNDLE_SHEETS:
            tables[sheet] = pd.DataFrame()
    return tables_kind(tables)


_SPREADSHEETS = ("xlsx", "xlsm", "xls", "xlsb", "ods", "numbers")


def _check_other_member(stem: str, suffix: str, where: str) -> None:
    """A ZIP member that is not a text sheet: refused if it looks like one (else ignored)."""
    if stem.strip().lower() in BUNDLE_SHEETS or suffix in _SPREADSHEETS:
        raise InputError(
            "a ZIP bundle holds one CSV file per sheet and this file cannot be read as one; "
            f"save {stem} as CSV ({stem}.csv), or upload the workbook itself as .xlsx",
            file=where,
        )
