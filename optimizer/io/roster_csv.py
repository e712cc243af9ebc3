"""Roster CSV in the ``staff,day,shift`` contract (one row per worked shift).

``day`` is the 0-based index from the horizon start.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.io.load import is_whole_number, read_bytes, too_many_digits
from optimizer.io.tables.cells import short_text
from optimizer.io.tables.csv_text import csv_rows
from optimizer.model.result import Assignment, RosterSolution

HEADER = ("staff", "day", "shift")


def roster_to_csv(solution: RosterSolution) -> str:
    """The roster as CSV text, sorted by staff then day."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for a in sorted(solution.assignments, key=lambda a: (a.staff, a.day)):
        writer.writerow((a.staff, a.day, a.shift))
    return out.getvalue()


def write_roster_csv(solution: RosterSolution, path: str | Path) -> None:
    """Write the roster CSV file."""
    Path(path).write_text(roster_to_csv(solution), encoding="utf-8")


def read_csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line, cells) of each row of a CSV file separated by commas, semicolons or tabs,
    with or without Excel's ``sep=`` first line (read as bundle CSVs are)."""
    return [
        (line, [str(cell) for cell in cells])
        for line, cells in csv_rows(read_bytes(path), str(path))
    ]


def read_roster_csv(path: str | Path) -> RosterSolution:
    """Read a ``staff,day,shift`` CSV; bad rows name the file and line."""
    path = Path(path)
    rows = read_csv_rows(path)
    if not rows or tuple(cell.strip().lower() for cell in rows[0][1]) != HEADER:
        line = rows[0][0] if rows else 1
        raise InputError(
            "the first line must be the header staff,day,shift", file=str(path), line=line
        )
    assignments = []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise InputError(
                f"expected 3 fields (staff,day,shift), found {len(row)}", file=str(path), line=line
            )
        staff, day, shift = (cell.strip() for cell in row)
        if not is_whole_number(day):
            raise InputError(
                f"day '{short_text(day)}' must be a whole number ≥ 0",
                file=str(path),
                line=line,
                field="day",
            )
        if too_long := too_many_digits(day):
            raise InputError(too_long, file=str(path), line=line, field="day")
        try:
            assignments.append(Assignment(staff=staff, day=int(day), shift=shift))
        except ValidationError as exc:
            detail = from_validation_error(exc)
            raise InputError(
                detail.message, file=str(path), line=line, field=detail.field
            ) from None
    return RosterSolution(assignments=tuple(assignments))
