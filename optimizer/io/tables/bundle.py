"""Bundle files: an XLSX workbook or a ZIP of ``<sheet>.csv`` files, read and written."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.tables.to_problem import problem_from_tables
from optimizer.io.tables.workbook import format_workbook


def _csv_frame(text: str, name: str) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError("the CSV file is empty", file=name, line=1)
    header = [cell.strip().lower() for cell in rows[0]]
    body = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(
                f"{len(row)} fields but the header has {len(header)}", file=name, line=line
            )
        body.append(
            [cell if cell.strip() else None for cell in row] + [None] * (len(header) - len(row))
        )
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def read_bundle_tables(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    """The raw tables of an XLSX workbook or a ZIP of ``<sheet>.csv`` files (unvalidated)."""
    lower = name.lower()
    tables: dict[str, pd.DataFrame] = {}
    if lower.endswith((".xlsx", ".xlsm")):
        try:
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object)
        except Exception as exc:  # openpyxl raises many types on a broken file
            raise InputError(f"not a readable XLSX workbook ({exc})", file=name) from None
        for sheet, frame in sheets.items():
            frame.columns = [str(c).strip().lower() for c in frame.columns]
            frame = frame.astype(object).where(frame.notna(), None)
            frame.index = pd.RangeIndex(1, len(frame) + 1)
            tables[str(sheet).strip().lower()] = frame
    elif lower.endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise InputError("not a valid ZIP file", file=name) from None
        with archive:
            for member in archive.namelist():
                if not member.lower().endswith(".csv") or member.startswith("__MACOSX"):
                    continue
                sheet = member.rsplit("/", 1)[-1][:-4].strip().lower()
                try:
                    text = archive.read(member).decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise InputError("not UTF-8 text", file=f"{name}/{member}") from None
                tables[sheet] = _csv_frame(text, f"{name}/{member}")
    else:
        raise InputError(
            "a bundle must be an .xlsx workbook or a .zip of CSV files (one per sheet)", file=name
        )
    if "settings" not in tables:
        raise InputError(
            "the bundle has no 'settings' sheet (see the template for the layout)", file=name
        )
    return tables


def read_bundle(name: str, data: bytes) -> Any:
    """A validated problem from an XLSX or CSV-ZIP bundle; ``TableErrors`` on bad cells."""
    return problem_from_tables(read_bundle_tables(name, data), name)


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as an XLSX workbook (one sheet each, formatted for reading)."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for sheet, frame in tables.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        format_workbook(writer.book)
    return out.getvalue()


def tables_to_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as a ZIP of ``<sheet>.csv`` files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, frame in tables.items():
            archive.writestr(f"{sheet}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return out.getvalue()
