"""A bundle sheet's rows made a table: the header found and checked, every cell checked
for what is not data (Excel errors, unsaved formulas, values without a column)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from optimizer.errors import InputError
from optimizer.io.tables.cells import excel_error, short_text
from optimizer.io.tables.header import column_name, header_index
from optimizer.io.tables.reader import from_file
from optimizer.io.tables.sheet_rows import Merged, Row, empty_cell
from optimizer.io.tables.shown import check_totals_row
from optimizer.io.tables.unsaved_formulas import UnsavedFormula


def sheet_frame(
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
    rows = [(line, cells) for line, cells in rows if not all(empty_cell(c) for c in cells)]
    if not rows:
        return pd.DataFrame(dtype=object)
    spread = merged or {}
    rows = rows[header_index(rows, known, spread) :]
    header_line, header = rows[0]
    names = ["" if empty_cell(c) else column_name(c, known) for c in header]
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
            if not empty_cell(value) and not column and (line, position) not in spread:
                raise InputError(
                    f"column {position} holds '{short_text(str(value).strip())}' but has no "
                    f"name in the header (line {header_line} must hold the column names)",
                    file=where,
                    line=line,
                )
        padded = list(cells) + [None] * (len(names) - len(cells))
        body.append(
            [None if empty_cell(v) else v for v, n in zip(padded, names, strict=False) if n]
        )
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
    first = next(str(c).strip() for c in header if not empty_cell(c))
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
