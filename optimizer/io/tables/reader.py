"""Row-by-row table reading that collects cell errors instead of stopping at the first.

Rows are numbered as the planner sees them: a table read from a file (``from_file``)
keeps each row's line (CSV) or sheet row (XLSX) in its index, so errors name that;
any other table (the dashboard editor, ``from_problem``) counts its rows from 1.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from optimizer.io.tables.cells import BadCell, CellError, is_blank, parse_id, parse_text
from optimizer.io.tables.sheets import settings_key

FILE = "carealloc_file"
"""``DataFrame.attrs`` key: where a table read from a file came from (for messages)."""

HEADER_LINE = "carealloc_header_line"
"""``DataFrame.attrs`` key: the line (or sheet row) of a file table's header."""

DECIMAL_COMMA = "carealloc_decimal_comma"
"""``DataFrame.attrs`` key: the table is a ``;``-separated CSV file, where a comma in a
number is the decimal mark (``11,5``)."""


def from_file(frame: pd.DataFrame, where: str, header_line: int, lines: Sequence[int]) -> None:
    """Mark ``frame`` as read from ``where``: its rows are at ``lines``, its header at
    ``header_line`` (CSV lines or XLSX rows, counted from 1 as a spreadsheet shows them)."""
    frame.index = pd.Index(list(lines), dtype="int64")
    frame.attrs[FILE] = where
    frame.attrs[HEADER_LINE] = header_line


def row_numbers(frame: pd.DataFrame) -> list[int]:
    """Each row's number in messages: its file line (see ``from_file``), else 1, 2, ..."""
    if frame.attrs.get(FILE) and pd.api.types.is_integer_dtype(frame.index):
        return [int(label) for label in frame.index]
    return list(range(1, len(frame) + 1))


def editor_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` numbered 1, 2, ... as an editor shows it (file lines dropped)."""
    copy = frame.copy()
    copy.index = pd.RangeIndex(1, len(copy) + 1)
    copy.attrs.pop(FILE, None)
    copy.attrs.pop(HEADER_LINE, None)
    return copy


def in_files(errors: Iterable[CellError], tables: Mapping[str, pd.DataFrame]) -> list[CellError]:
    """``errors`` with the file and line of each one on a table read from a file.

    A row error is on its row's line; a sheet error (row 0) on the header line, or for
    a setting on the line of its key.
    """
    placed = []
    for error in errors:
        frame = tables.get(error.sheet)
        where = None if frame is None else frame.attrs.get(FILE)
        if error.file or not where or frame is None:
            placed.append(error)
            continue
        line = error.row or _setting_line(frame, error) or frame.attrs.get(HEADER_LINE)
        placed.append(dataclasses.replace(error, file=str(where), line=line))
    return placed


def _setting_line(frame: pd.DataFrame, error: CellError) -> int | None:
    """The line of the setting an error of the settings sheet is about (by its key)."""
    if error.sheet != "settings" or not error.field or "key" not in frame.columns:
        return None
    keys = [settings_key(parse_text(v) or "") for v in frame["key"]]
    if error.field not in keys:
        return None
    return row_numbers(frame)[keys.index(error.field)]


class TableReader:
    """Collects cell errors while turning table rows into model dictionaries."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.errors: list[CellError] = []
        self._record_rows: dict[str, list[int]] = {}
        self._id_rows: dict[str, dict[str, list[int]]] = {}

    def rows(self, sheet: str) -> Iterable[tuple[int, dict[str, Any]]]:
        """(number, values) of each non-blank row; see ``row_numbers`` for the number."""
        frame = self.tables.get(sheet)
        if frame is None:
            return
        for number, (_, row) in zip(row_numbers(frame), frame.iterrows(), strict=True):
            values = {str(k).strip().lower(): v for k, v in row.items()}
            if all(is_blank(v) for v in values.values()):
                continue
            yield number, values

    def decimal_comma(self, sheet: str) -> bool:
        """Whether a comma in the sheet's numbers is the decimal mark (``DECIMAL_COMMA``)."""
        frame = self.tables.get(sheet)
        return frame is not None and bool(frame.attrs.get(DECIMAL_COMMA))

    def row_of_record(self, sheet: str, position: int) -> int:
        """The number of the row that made the ``position``-th record (0-based) of a sheet.

        The numbers are found once per sheet: a file with many bad rows stays fast.
        """
        numbers = self._record_rows.get(sheet)
        if numbers is None:
            numbers = self._record_rows[sheet] = [number for number, _ in self.rows(sheet)]
        return numbers[position] if 0 <= position < len(numbers) else 0

    def row_of_id(self, sheet: str, ident: str) -> int:
        """The number of the first row whose ``id`` is ``ident`` (0: none)."""
        rows = self.rows_of_id(sheet, ident)
        return rows[0] if rows else 0

    def rows_of_id(self, sheet: str, ident: str) -> list[int]:
        """The numbers of every row whose ``id`` is ``ident``, in order."""
        rows = self._id_rows.get(sheet)
        if rows is None:
            frame = self.tables.get(sheet)
            rows = {}
            if frame is not None and "id" in frame.columns:
                for number, value in zip(row_numbers(frame), frame["id"], strict=True):
                    rows.setdefault(parse_id(value) or "", []).append(number)
            self._id_rows[sheet] = rows
        return rows.get(ident, [])

    def row_where(self, sheet: str, values: Mapping[str, str]) -> int:
        """The number of the first row whose cells read ``values`` (column -> text; 0: none)."""
        for number, row in self.rows(sheet):
            if all(parse_id(row.get(column)) == text for column, text in values.items()):
                return number
        return 0

    def cell(
        self,
        sheet: str,
        row: int,
        values: dict[str, Any],
        column: str,
        parse: Callable[[object], Any],
    ) -> Any:
        try:
            return parse(values.get(column))
        except BadCell as exc:
            self.errors.append(CellError(sheet, row, column, str(exc)))
            return None

    def record(
        self,
        sheet: str,
        row: int,
        model: type[BaseModel],
        data: dict[str, Any],
        fields: Mapping[str, str],
        empty_means_none: Collection[str] = (),
    ) -> BaseModel | None:
        """Validate one row's record; pydantic errors point at the row's column.

        An empty cell (None) takes the field's default, except in ``empty_means_none``:
        there it is passed as None (a pin's empty shift is a day off, not "missing").
        """
        clean = {k: v for k, v in data.items() if v is not None or k in empty_means_none}
        try:
            return model.model_validate(clean)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = [str(part) for part in err.get("loc", ())]
                column = next((fields.get(p, p) for p in loc if fields.get(p, p)), None)
                message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
                if any((e.sheet, e.row, e.field) == (sheet, row, column) for e in self.errors):
                    continue  # the cell's own parse error already says it
                self.errors.append(CellError(sheet, row, column, message))
            return None

    def settings(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for _, values in self.rows("settings"):
            key = parse_text(values.get("key"))
            if key:
                out[settings_key(key)] = parse_text(values.get("value")) or ""
        return out


def missing_setting(reader: TableReader, settings: dict[str, str], key: str) -> None:
    if not settings.get(key):
        reader.errors.append(CellError("settings", 0, "value", f"the setting '{key}' is missing"))


def validate_whole(
    reader: TableReader, model: type[BaseModel], whole: dict[str, Any], paths: Mapping[str, str]
) -> Any:
    """Cross-reference validation; each message is placed on its sheet and row if possible."""
    try:
        return model.model_validate(whole)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = [str(part) for part in err.get("loc", ())]
            text = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            for message in text.split("; "):
                reader.errors.append(_locate(reader, message, loc, paths))
        return None


_RECORD_PATH = re.compile(r"(\w+)\[(\d+)\] ?(?:of )?")
"""A model message's record path: ``pins[1] of ``, ``cover[2] `` (0-based, JSON names)."""


def _locate(
    reader: TableReader, message: str, loc: list[str], paths: Mapping[str, str]
) -> CellError:
    """Sheet and row of a cross-reference message like ``requests[3] of 'N01' ...``."""
    match = _RECORD_PATH.match(message)
    if match and match.group(1) in paths:
        sheet = paths[match.group(1)]
        row = reader.row_of_record(sheet, int(match.group(2)))
        return CellError(sheet, row, None, _in_sheet_terms(message, match) if row else message)
    if loc and loc[0] in paths:
        sheet = paths[loc[0]]
        row = reader.row_of_record(sheet, int(loc[1])) if len(loc) > 1 and loc[1].isdigit() else 0
        return CellError(sheet, row, loc[-1] if len(loc) > 2 else None, message)
    if len(loc) == 1 and loc[0] in reader.settings():
        return CellError("settings", 0, loc[0], message)  # placed on the key's row
    if message.startswith(_CYCLE) and "precedences" in paths:
        return _locate_cycle(reader, message, paths["precedences"])
    match = _NAMED_ID.match(message)
    if match:
        sheet = {"task": "tasks", "room": "rooms", "staff": "staff", "shift": "shifts"}[
            match.group(1)
        ]
        rows = reader.rows_of_id(sheet, match.group(2))
        if len(rows) > 1 and _USED_TIMES.search(message):  # a repeated id: name every row
            message += f" (rows {', '.join(map(str, rows[:-1]))} and {rows[-1]})"
        return CellError(sheet, rows[0] if rows else 0, None, message)
    return CellError("settings", 0, None, message)


_NAMED_ID = re.compile(r"(task|room|staff|shift)(?: id)? '(.+?)'(?=[\s,.;:)]|$)")
"""A message about one id (``staff id 'O'Brien' is used 2 times``): the quote that ends the
id is the one before a space or punctuation, so an apostrophe inside it is kept."""

_USED_TIMES = re.compile(r" is used \d+ times$")
"""How the model's message on a repeated id ends."""

_CYCLE = "cyclic precedences: "
"""How the model's message on a precedence cycle starts: ``'a' → 'b' → 'a'`` follows."""


def _locate_cycle(reader: TableReader, message: str, sheet: str) -> CellError:
    """A precedence cycle, on the row of its first link, naming the rows of every link."""
    ids = [part.strip()[1:-1] for part in message.removeprefix(_CYCLE).split(" → ")]
    links = (reader.row_where(sheet, {"before": a, "after": b}) for a, b in pairwise(ids))
    rows = [row for row in links if row]
    if not rows:
        return CellError(sheet, 0, None, message)
    return CellError(sheet, rows[0], None, f"{message} (rows {', '.join(map(str, rows))})")


def _in_sheet_terms(message: str, path: re.Match[str]) -> str:
    """``message`` without its record path, the sheet row saying which record it is.

    ``pins[1] of Jo ('N02') (Tue 08 Dec): ...`` -> ``Jo ('N02') (Tue 08 Dec): ...``;
    ``cover[2] (Early on Tue 08 Dec): ...`` -> ``Early on Tue 08 Dec: ...``;
    ``unavailability[1] of 'N99': unknown staff 'N99'`` -> ``unknown staff 'N99'``.
    """
    head, colon, detail = message[path.end() :].partition(": ")
    if not colon:
        return message
    if head.startswith("(") and head.endswith(")") and head.count("(") == 1:
        head = head[1:-1]
    if not head or (re.fullmatch(r"'.*'", head) and head in detail):  # 'O'Brien' too
        return detail
    return f"{head}: {detail}"
