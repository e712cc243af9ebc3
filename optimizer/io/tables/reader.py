"""Row-by-row table reading that collects cell errors instead of stopping at the first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from optimizer.io.tables.cells import BadCell, CellError, is_blank, parse_text


class TableReader:
    """Collects cell errors while turning table rows into model dictionaries."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.errors: list[CellError] = []

    def rows(self, sheet: str) -> Iterable[tuple[int, dict[str, Any]]]:
        frame = self.tables.get(sheet)
        if frame is None:
            return
        for number, (_, row) in enumerate(frame.iterrows(), start=1):
            values = {str(k).strip().lower(): v for k, v in row.items()}
            if all(is_blank(v) for v in values.values()):
                continue
            yield number, values

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
    ) -> BaseModel | None:
        """Validate one row's record; pydantic errors point at the row's column."""
        clean = {k: v for k, v in data.items() if v is not None}
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
                out[key.lower()] = parse_text(values.get("value")) or ""
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


def _locate(
    reader: TableReader, message: str, loc: list[str], paths: Mapping[str, str]
) -> CellError:
    """Sheet and row of a cross-reference message like ``requests[3] of 'N01' ...``."""
    match = re.match(r"(\w+)\[(\d+)\]", message)
    if match and match.group(1) in paths:
        return CellError(paths[match.group(1)], int(match.group(2)) + 1, None, message)
    if loc and loc[0] in paths:
        row = int(loc[1]) + 1 if len(loc) > 1 and loc[1].isdigit() else 0
        return CellError(paths[loc[0]], row, loc[-1] if len(loc) > 2 else None, message)
    match = re.match(r"(task|room|staff|shift)(?: id)? '([^']+)'", message)
    if match:
        sheet = {"task": "tasks", "room": "rooms", "staff": "staff", "shift": "shifts"}[
            match.group(1)
        ]
        frame = reader.tables.get(sheet)
        if frame is not None and "id" in frame.columns:
            ids = [parse_text(v) for v in frame["id"]]
            if match.group(2) in ids:
                return CellError(sheet, ids.index(match.group(2)) + 1, None, message)
        return CellError(sheet, 0, None, message)
    return CellError("settings", 0, None, message)
