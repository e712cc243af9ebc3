"""Tables -> validated problem (roster or cases), with every cell error found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.io.tables.cells import CellError, TableErrors
from optimizer.io.tables.reader import TableReader
from optimizer.io.tables.sheets import CASE_SHEETS, ROSTER_SHEETS
from optimizer.io.tables.to_cases import case_from_tables
from optimizer.io.tables.to_roster import roster_from_tables


def tables_kind(tables: Mapping[str, pd.DataFrame]) -> str:
    """``"roster"`` or ``"cases"``: the ``kind`` setting, else guessed from the sheets."""
    kind = TableReader(tables).settings().get("kind", "").lower()
    if kind in ("roster", "cases"):
        return kind
    return "cases" if "tasks" in tables else "roster"


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> tuple[Any, list[CellError]]:
    """(problem, []) when the tables are valid, else (None, every error found)."""
    reader = TableReader(tables)
    kind = tables_kind(tables)
    expected = ROSTER_SHEETS if kind == "roster" else CASE_SHEETS
    for sheet, frame in tables.items():
        known = expected.get(sheet)
        if known is None:
            continue
        unknown = [str(c) for c in frame.columns if str(c).strip().lower() not in known]
        for column in unknown:
            reader.errors.append(CellError(sheet, 0, column, f"unknown column '{column}'"))
    if reader.errors:
        return None, reader.errors
    problem = roster_from_tables(reader) if kind == "roster" else case_from_tables(reader)
    if problem is None and not reader.errors:
        reader.errors.append(CellError("settings", 0, None, "the tables hold no valid problem"))
    return problem, reader.errors


def problem_from_tables(tables: Mapping[str, pd.DataFrame], source: str | None = None) -> Any:
    """The problem the tables describe; raises ``TableErrors`` naming sheet, row and column."""
    problem, errors = validate_tables(tables)
    if errors:
        raise TableErrors(errors, source)
    return problem
