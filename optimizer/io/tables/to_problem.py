"""Tables -> validated problem (roster or cases), with every cell error found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.io.tables.cells import CellError, TableErrors, is_blank, parse_text
from optimizer.io.tables.dates import read_day_first
from optimizer.io.tables.header import hours_hint
from optimizer.io.tables.reader import FILE, TableReader, in_files
from optimizer.io.tables.sheets import (
    BLANK_ALLOWED,
    REQUIRED_COLUMNS,
    SETTINGS_KEYS,
    settings_key,
    sheets_of,
)
from optimizer.io.tables.to_cases import case_from_tables, off_duty_row
from optimizer.io.tables.to_roster import roster_from_tables
from optimizer.model import Problem

KINDS = ("roster", "cases")


def tables_kind(tables: Mapping[str, pd.DataFrame]) -> str:
    """``"roster"`` or ``"cases"``: the ``kind`` setting, else guessed from the sheets."""
    kind = TableReader(tables).settings().get("kind", "").lower()
    if kind in KINDS:
        return kind
    return "cases" if "tasks" in tables else "roster"


def has_rows(frame: pd.DataFrame) -> bool:
    """True when some row of the table holds a value."""
    return any(not all(is_blank(v) for v in row) for row in frame.itertuples(index=False))


def layout_errors(tables: Mapping[str, pd.DataFrame], kind: str) -> list[CellError]:
    """Unknown sheets; blank, repeated, unknown or missing required columns (on the header
    line of a table read from a file)."""
    expected = sheets_of(kind)
    errors: list[CellError] = []
    for sheet, frame in tables.items():
        known = expected.get(sheet)
        if known is None:
            if len(frame.columns) or len(frame):
                names = ", ".join(expected)
                message = f"unknown sheet '{sheet}'; a {kind} bundle has the sheets {names}"
                errors.append(CellError(sheet, 0, None, message))
            continue
        columns = [str(c).strip().lower() for c in frame.columns]
        if "" in columns:
            position = columns.index("") + 1
            errors.append(CellError(sheet, 0, None, f"column {position} has no name"))
        for column, count in Counter(columns).items():
            if column and count > 1:
                message = f"the column '{column}' appears {count} times; give each column once"
                errors.append(CellError(sheet, 0, column, message))
        for column in dict.fromkeys(c for c in columns if c and c not in known):
            message = (
                f"unknown column '{column}'{hours_hint(column, known)}; "
                f"the {sheet} sheet has the columns {', '.join(known)}"
            )
            errors.append(CellError(sheet, 0, column, message))
        if has_rows(frame):
            for column in REQUIRED_COLUMNS[kind].get(sheet, ()):
                if column not in columns:
                    message = f"the required column '{column}' is missing"
                    errors.append(CellError(sheet, 0, column, message))
    return in_files(errors, tables)


def _blank_required_cells(reader: TableReader, kind: str) -> list[CellError]:
    errors = []
    for sheet, columns in REQUIRED_COLUMNS[kind].items():
        needed = [c for c in columns if (sheet, c) not in BLANK_ALLOWED]
        for row, values in reader.rows(sheet):
            off_duty = off_duty_row(sheet, values)  # its empty start and end say "not on duty"
            for column in needed:
                if is_blank(values.get(column)) and not (off_duty and column in ("start", "end")):
                    errors.append(CellError(sheet, row, column, "a value is required"))
    return errors


def _settings_errors(reader: TableReader, kind: str) -> list[CellError]:
    """Unknown, repeated or contradictory settings keys (they would be ignored otherwise)."""
    allowed = SETTINGS_KEYS[kind]
    errors = []
    seen: dict[str, int] = {}
    frame = reader.tables.get("settings")
    source = "" if frame is None else str(frame.attrs.get(FILE, ""))
    numbers = "lines" if source.lower().endswith(".csv") else "rows"  # as the file shows
    for row, values in reader.rows("settings"):
        key = settings_key(parse_text(values.get("key")) or "")
        if not key:
            continue
        if key not in allowed:
            message = f"unknown setting '{key}'; a {kind} bundle has {', '.join(allowed)}"
            errors.append(CellError("settings", row, "key", message))
        elif key in seen:
            message = f"the setting '{key}' is given twice ({numbers} {seen[key]} and {row})"
            errors.append(CellError("settings", row, "key", message))
        elif key == "kind" and (parse_text(values.get("value")) or "").lower() not in KINDS:
            message = f"the kind must be {' or '.join(KINDS)}"
            errors.append(CellError("settings", row, "value", message))
        seen.setdefault(key, row)
    return errors


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> tuple[Any, list[CellError]]:
    """(problem, []) when the tables are valid, else (None, every error found).

    Errors on tables read from a file also name the file and the line (``in_files``).
    """
    kind = tables_kind(tables)
    tables = read_day_first(tables, kind)  # 07/12/2026, when it cannot be misread
    reader = TableReader(tables)
    reader.errors.extend(layout_errors(tables, kind))
    if reader.errors:
        return None, reader.errors
    reader.errors.extend(_settings_errors(reader, kind))
    reader.errors.extend(_blank_required_cells(reader, kind))
    problem = roster_from_tables(reader) if kind == "roster" else case_from_tables(reader)
    if problem is None and not reader.errors:
        reader.errors.append(CellError("settings", 0, None, "the tables hold no valid problem"))
    return problem, in_files(reader.errors, tables)


def problem_from_tables(tables: Mapping[str, pd.DataFrame], source: str | None = None) -> Problem:
    """The problem the tables describe; raises ``TableErrors`` naming sheet, row and column."""
    problem, errors = validate_tables(tables)
    if errors:
        raise TableErrors(errors, source)
    return problem


NOT_IN_TABLES = {"roster": ("baseline",), "cases": ("pins", "baseline")}
"""Problem fields the tables have no sheet for (set through the API, JSON or re-planning)."""

TASK_FIELDS_NOT_IN_TABLES = ("unscheduled_penalty", "needs_room")


def keep_fields_not_in_tables(problem: Any, previous: Any) -> tuple[Any, str]:
    """``problem`` (read from edited tables) with what the tables cannot hold kept from
    ``previous``: the published baseline, case pins, and per-task penalty and room need.

    Pins of cases deleted from the tables are left out. Returns the problem and a note
    naming whatever was left out (empty when everything was kept).
    """
    from pydantic import ValidationError

    kind = "roster" if problem.kind == "roster" else "cases"
    if previous is None or previous.kind != problem.kind:
        return problem, ""
    update: dict[str, Any] = {
        name: getattr(previous, name) for name in NOT_IN_TABLES[kind] if getattr(previous, name)
    }
    notes: list[str] = []
    if kind == "cases":
        old = {task.id: task for task in previous.tasks}
        tasks = tuple(
            task.model_copy(
                update={name: getattr(old[task.id], name) for name in TASK_FIELDS_NOT_IN_TABLES}
            )
            if task.id in old
            else task
            for task in problem.tasks
        )
        if tasks != problem.tasks:
            update["tasks"] = tasks
        present = {task.id for task in problem.tasks}
        gone = [pin.task for pin in update.get("pins", ()) if pin.task not in present]
        if gone:
            update["pins"] = tuple(pin for pin in update["pins"] if pin.task in present)
            notes.append(f"the pins of deleted case(s) {', '.join(gone)} are left out")
    if not update:
        return problem, ""
    try:
        data = {name: getattr(problem, name) for name in type(problem).model_fields}
        kept = type(problem).model_validate({**data, **update})
    except ValidationError as exc:
        left = [name for name in update if name != "tasks"]
        if "tasks" in update:
            left.append("per-case " + " and ".join(TASK_FIELDS_NOT_IN_TABLES))
        reason = exc.errors(include_url=False)[0].get("msg", "invalid")
        return problem, (
            f"The previous problem's {', '.join(left)} no longer fit the edited tables "
            f"({reason}); applying the edits leaves them out."
        )
    return kept, ("Applying the edits: " + "; ".join(notes) + ".") if notes else ""
