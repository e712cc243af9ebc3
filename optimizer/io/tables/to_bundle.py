"""Tables written as a bundle (an XLSX workbook, or a ZIP of ``<sheet>.csv`` files), with
text cells a spreadsheet would run as formulas guarded (``guard_cell``, ``unguard_cell``)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.io.tables.workbook import format_workbook, sheet_titles


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


def tables_to_csv_files(tables: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    """Tables as ``<sheet>.csv`` files for Excel and back: UTF-8 with a byte-order mark
    (else Excel reads it as Windows-1252), text cells guarded against formulas
    (``guard_cell``; reading a bundle undoes it)."""
    return {
        f"{sheet}.csv": frame.map(guard_cell)
        .to_csv(index=False, lineterminator="\n")
        .encode("utf-8-sig")
        for sheet, frame in tables.items()
    }


def tables_to_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as a ZIP of ``<sheet>.csv`` files (``tables_to_csv_files``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in tables_to_csv_files(tables).items():
            archive.writestr(name, data)
    return out.getvalue()
