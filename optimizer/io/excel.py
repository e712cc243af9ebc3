"""Spreadsheet I/O: problems as editable tables, CSV/XLSX bundles, readable XLSX exports.

A *bundle* is one table per sheet (XLSX) or one ``<sheet>.csv`` per table (in a
ZIP, or a single ``settings``-less CSV is not enough: a bundle needs ``settings``).
The layout of every sheet is in ``docs/dashboard.md`` and in ``template_xlsx``.
Rows are numbered from 1 (the first row under the header); errors name the
sheet, the row and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from optimizer.errors import InputError
from optimizer.model.common import format_clock
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem

ROSTER_SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("key", "value"),
    "shifts": (
        "id",
        "name",
        "start",
        "length_minutes",
        "forbidden_next",
        "min_rest_hours",
        "night",
    ),
    "staff": (
        "id",
        "name",
        "grade",
        "skills",
        "min_minutes",
        "max_minutes",
        "max_shifts",
        "max_shifts_per_type",
        "min_consecutive_work",
        "max_consecutive_work",
        "min_consecutive_off",
        "max_weekends",
    ),
    "cover": (
        "date",
        "shift",
        "skill",
        "required",
        "min_required",
        "under_weight",
        "over_weight",
    ),
    "leave": ("staff", "first_date", "last_date", "shifts", "reason"),
    "requests": ("staff", "date", "shift", "want", "weight"),
    "pins": ("staff", "date", "shift"),
}
"""Roster bundle: sheet name -> columns (lists are ``;``-separated, maps ``k=v;k=v``)."""

CASE_SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("key", "value"),
    "tasks": (
        "id",
        "name",
        "procedure",
        "duration",
        "release",
        "due",
        "deadline",
        "priority",
        "optional",
        "team",
        "staff",
        "rooms",
        "room_needs",
        "resources",
    ),
    "rooms": ("id", "name", "type", "capabilities", "turnover"),
    "openings": ("room", "start", "end", "overtime"),
    "staff": ("id", "name", "roles", "max_minutes"),
    "availability": ("staff", "start", "end"),
    "resources": ("id", "name", "capacity"),
    "precedences": ("before", "after", "min_lag", "max_lag"),
}
"""Case bundle: sheet name -> columns. Times are ``YYYY-MM-DD HH:MM`` (or minutes)."""

_DATETIME = "%Y-%m-%d %H:%M"


# -- cell errors -------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem in a table, located by sheet, 1-based row (0: the sheet) and column."""

    sheet: str
    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row:
            where += f", row {self.row}"
        if self.field:
            where += f", column '{self.field}'"
        return f"{where}: {self.message}"

    def as_input_error(self, source: str | None = None) -> InputError:
        file = f"{source} [{self.sheet}]" if source else self.sheet
        return InputError(self.message, file=file, line=self.row + 1 or None, field=self.field)


class TableErrors(InputError):
    """Every problem found in a set of tables; ``str()`` is the first, counted."""

    def __init__(self, errors: list[CellError], source: str | None = None) -> None:
        self.errors = errors
        first = errors[0].as_input_error(source)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more, file=first.file, line=first.line, field=first.field)


class _Cell(ValueError):
    """A bad cell value; the column is known by the caller."""


# -- cell parsing ------------------------------------------------------------------


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _int(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Cell(f"'{value}' must be a whole number")
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _Cell(f"'{value}' must be a whole number") from None
    if not number.is_integer():
        raise _Cell(f"'{value}' must be a whole number")
    return int(number)


def _float(value: object) -> float | None:
    if _blank(value):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        raise _Cell(f"'{value}' must be a number") from None


_TRUE = {"true", "yes", "y", "1", "x", "✓"}
_FALSE = {"false", "no", "n", "0"}


def _bool(value: object) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Cell(f"'{value}' must be yes or no")


def _list(value: object) -> list[str]:
    text = _text(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def _map(value: object) -> dict[str, int]:
    result: dict[str, int] = {}
    for part in _list(value):
        key, sep, number = part.partition("=")
        if not sep or not key.strip():
            raise _Cell(f"'{part}' must look like id=number")
        parsed = _int(number)
        if parsed is None:
            raise _Cell(f"'{part}' has no number after '='")
        result[key.strip()] = parsed
    return result


def _date(value: object) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise _Cell(f"'{text}' must be a date like 2026-12-07") from None


def _moment(value: object, start: dt.datetime | None) -> int | None:
    """Minutes from the horizon start: a whole number, or a date-time when start is set."""
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return _int(text)
    if start is None:
        raise _Cell(f"'{text}' must be minutes (the project has no start date-time)")
    when: dt.datetime
    if isinstance(value, dt.datetime):
        when = value
    else:
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise _Cell(f"'{text}' must be minutes or a date-time like 2026-12-07 08:00") from None
    return int((when.replace(tzinfo=None) - start).total_seconds() // 60)


def _clock_text(value: object) -> str | int | None:
    if _blank(value):
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _int(value)
    return str(value).strip()[:5]


# -- problem -> tables ---------------------------------------------------------------


def _join(values: Iterable[str] | None) -> str:
    return "" if values is None else ";".join(values)


def _frame(sheet: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    frame.attrs["sheet"] = sheet
    return frame


def roster_tables(problem: RosterProblem) -> dict[str, pd.DataFrame]:
    """One editable table per roster sheet (dates at the edges, ``;`` lists)."""
    date = problem.date_of
    settings = [
        {"key": "kind", "value": "roster"},
        {"key": "name", "value": problem.name},
        {"key": "start_date", "value": problem.start_date.isoformat()},
        {"key": "num_days", "value": str(problem.num_days)},
    ]
    shifts = [
        {
            "id": s.id,
            "name": s.name,
            "start": format_clock(s.start),
            "length_minutes": s.length_minutes,
            "forbidden_next": _join(s.forbidden_next),
            "min_rest_hours": s.min_rest_hours,
            "night": "" if s.night is None else ("yes" if s.night else "no"),
        }
        for s in problem.shifts
    ]
    staff = [
        {
            "id": p.id,
            "name": p.name,
            "grade": p.grade,
            "skills": _join(p.skills),
            "min_minutes": p.contract.min_minutes,
            "max_minutes": p.contract.max_minutes,
            "max_shifts": p.contract.max_shifts,
            "max_shifts_per_type": ";".join(
                f"{k}={v}" for k, v in p.contract.max_shifts_per_type.items()
            ),
            "min_consecutive_work": p.contract.min_consecutive_work,
            "max_consecutive_work": p.contract.max_consecutive_work,
            "min_consecutive_off": p.contract.min_consecutive_off,
            "max_weekends": p.contract.max_weekends,
        }
        for p in problem.staff
    ]
    cover = [
        {
            "date": date(c.day).isoformat(),
            "shift": c.shift,
            "skill": c.skill or "",
            "required": c.required,
            "min_required": c.min_required,
            "under_weight": c.under_weight,
            "over_weight": c.over_weight,
        }
        for c in problem.cover
    ]
    leave = [
        {
            "staff": u.staff,
            "first_date": date(u.first_day).isoformat(),
            "last_date": date(u.last_day).isoformat(),
            "shifts": _join(u.shifts),
            "reason": u.reason,
        }
        for u in problem.unavailability
    ]
    requests = [
        {
            "staff": r.staff,
            "date": date(r.day).isoformat(),
            "shift": r.shift or "",
            "want": "yes" if r.want else "no",
            "weight": r.weight,
        }
        for r in problem.requests
    ]
    pins = [
        {"staff": p.staff, "date": date(p.day).isoformat(), "shift": p.shift or ""}
        for p in problem.pins
    ]
    rows: dict[str, list[dict[str, Any]]] = {
        "settings": settings,
        "shifts": shifts,
        "staff": staff,
        "cover": cover,
        "leave": leave,
        "requests": requests,
        "pins": pins,
    }
    return {name: _frame(name, rows[name], cols) for name, cols in ROSTER_SHEETS.items()}


def case_tables(problem: Any) -> dict[str, pd.DataFrame]:
    """One editable table per case sheet (times as date-times when the start is known)."""

    def when(minute: int | None) -> str | int | None:
        if minute is None:
            return None
        moment = problem.datetime_of(minute)
        return minute if moment is None else moment.strftime(_DATETIME)

    settings = [
        {"key": "kind", "value": "cases"},
        {"key": "name", "value": problem.name},
        {
            "key": "start",
            "value": "" if problem.start is None else problem.start.strftime(_DATETIME),
        },
        {"key": "horizon", "value": str(problem.horizon)},
        {"key": "turnover", "value": str(problem.turnover)},
    ]
    tasks = [
        {
            "id": t.id,
            "name": t.name,
            "procedure": t.procedure,
            "duration": t.duration,
            "release": when(t.release),
            "due": when(t.due),
            "deadline": when(t.deadline),
            "priority": t.priority,
            "optional": "yes" if t.optional else "no",
            "team": ";".join(f"{r.role}={r.count}" for r in t.team),
            "staff": _join(t.staff),
            "rooms": _join(t.rooms),
            "room_needs": _join(t.room_needs),
            "resources": ";".join(f"{k}={v}" for k, v in t.resources.items()),
        }
        for t in problem.tasks
    ]
    rooms = [
        {
            "id": r.id,
            "name": r.name,
            "type": r.type or "",
            "capabilities": _join(r.capabilities),
            "turnover": r.turnover,
        }
        for r in problem.rooms
    ]
    openings = [
        {"room": r.id, "start": when(o.start), "end": when(o.end), "overtime": o.overtime}
        for r in problem.rooms
        for o in r.openings
    ]
    staff = [
        {"id": p.id, "name": p.name, "roles": _join(p.roles), "max_minutes": p.max_minutes}
        for p in problem.staff
    ]
    availability = [
        {"staff": p.id, "start": when(w.start), "end": when(w.end)}
        for p in problem.staff
        for w in p.available or ()
    ]
    resources = [{"id": r.id, "name": r.name, "capacity": r.capacity} for r in problem.resources]
    precedences = [
        {"before": p.before, "after": p.after, "min_lag": p.min_lag, "max_lag": p.max_lag}
        for p in problem.precedences
    ]
    rows: dict[str, list[dict[str, Any]]] = {
        "settings": settings,
        "tasks": tasks,
        "rooms": rooms,
        "openings": openings,
        "staff": staff,
        "availability": availability,
        "resources": resources,
        "precedences": precedences,
    }
    return {name: _frame(name, rows[name], cols) for name, cols in CASE_SHEETS.items()}


def problem_tables(problem: Any) -> dict[str, pd.DataFrame]:
    """The tables of a roster or case problem."""
    if isinstance(problem, RosterProblem):
        return roster_tables(problem)
    return case_tables(problem)


# -- tables -> problem ---------------------------------------------------------------


class _Reader:
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
            if all(_blank(v) for v in values.values()):
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
        except _Cell as exc:
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
            key = _text(values.get("key"))
            if key:
                out[key.lower()] = _text(values.get("value")) or ""
        return out


def _missing_setting(reader: _Reader, settings: dict[str, str], key: str) -> None:
    if not settings.get(key):
        reader.errors.append(CellError("settings", 0, "value", f"the setting '{key}' is missing"))


def _roster_from_tables(reader: _Reader) -> RosterProblem | None:
    from optimizer.model.roster import (
        Contract,
        CoverDemand,
        Pin,
        ShiftRequest,
        ShiftType,
        Staff,
        Unavailability,
    )

    settings = reader.settings()
    for key in ("start_date", "num_days"):
        _missing_setting(reader, settings, key)
    start: dt.date | None = None
    num_days: int | None = None
    try:
        start = _date(settings.get("start_date"))
    except _Cell as exc:
        reader.errors.append(CellError("settings", 0, "start_date", str(exc)))
    try:
        num_days = _int(settings.get("num_days"))
    except _Cell as exc:
        reader.errors.append(CellError("settings", 0, "num_days", str(exc)))

    def day(sheet: str, row: int, values: dict[str, Any], column: str) -> int | None:
        if start is None:
            return None
        value = reader.cell(sheet, row, values, column, _date)
        if value is None:
            if _blank(values.get(column)) and column in values:
                reader.errors.append(CellError(sheet, row, column, "a date is required"))
            return None
        return (value - start).days

    shifts = []
    for row, v in reader.rows("shifts"):
        data = {
            "id": reader.cell("shifts", row, v, "id", _text),
            "name": reader.cell("shifts", row, v, "name", _text),
            "start": reader.cell("shifts", row, v, "start", _clock_text),
            "length_minutes": reader.cell("shifts", row, v, "length_minutes", _int),
            "forbidden_next": reader.cell("shifts", row, v, "forbidden_next", _list),
            "min_rest_hours": reader.cell("shifts", row, v, "min_rest_hours", _float),
            "night": reader.cell("shifts", row, v, "night", _bool),
        }
        shifts.append(reader.record("shifts", row, ShiftType, data, {}))
    staff = []
    contract_fields = [f for f in Contract.model_fields if f != "max_shifts_per_type"]
    for row, v in reader.rows("staff"):
        contract = {f: reader.cell("staff", row, v, f, _int) for f in contract_fields}
        contract["max_shifts_per_type"] = reader.cell("staff", row, v, "max_shifts_per_type", _map)
        contract = {k: val for k, val in contract.items() if val is not None}
        data = {
            "id": reader.cell("staff", row, v, "id", _text),
            "name": reader.cell("staff", row, v, "name", _text),
            "grade": reader.cell("staff", row, v, "grade", _text),
            "skills": reader.cell("staff", row, v, "skills", _list),
            "contract": contract,
        }
        staff.append(reader.record("staff", row, Staff, data, {"contract": ""}))
    cover = []
    for row, v in reader.rows("cover"):
        data = {
            "day": day("cover", row, v, "date"),
            "shift": reader.cell("cover", row, v, "shift", _text),
            "skill": reader.cell("cover", row, v, "skill", _text),
            **{
                f: reader.cell("cover", row, v, f, _int)
                for f in ("required", "min_required", "under_weight", "over_weight")
            },
        }
        cover.append(reader.record("cover", row, CoverDemand, data, {"day": "date"}))
    leave = []
    for row, v in reader.rows("leave"):
        data = {
            "staff": reader.cell("leave", row, v, "staff", _text),
            "first_day": day("leave", row, v, "first_date"),
            "last_day": day("leave", row, v, "last_date"),
            "shifts": reader.cell("leave", row, v, "shifts", _list) or None,
            "reason": reader.cell("leave", row, v, "reason", _text),
        }
        fields = {"first_day": "first_date", "last_day": "last_date"}
        leave.append(reader.record("leave", row, Unavailability, data, fields))
    requests = []
    for row, v in reader.rows("requests"):
        data = {
            "staff": reader.cell("requests", row, v, "staff", _text),
            "day": day("requests", row, v, "date"),
            "shift": reader.cell("requests", row, v, "shift", _text),
            "want": reader.cell("requests", row, v, "want", _bool),
            "weight": reader.cell("requests", row, v, "weight", _int),
        }
        requests.append(reader.record("requests", row, ShiftRequest, data, {"day": "date"}))
    pins = []
    for row, v in reader.rows("pins"):
        data = {
            "staff": reader.cell("pins", row, v, "staff", _text),
            "day": day("pins", row, v, "date"),
            "shift": reader.cell("pins", row, v, "shift", _text),
        }
        pins.append(
            reader.record("pins", row, Pin, {**data, "shift": data["shift"]}, {"day": "date"})
        )
    if reader.errors:
        return None
    whole = {
        "name": settings.get("name") or "roster",
        "start_date": start,
        "num_days": num_days,
        "shifts": shifts,
        "staff": staff,
        "cover": cover,
        "unavailability": leave,
        "requests": requests,
        "pins": pins,
    }
    return _validate_whole(reader, RosterProblem, whole, _ROSTER_PATHS)


_ROSTER_PATHS = {
    "cover": "cover",
    "unavailability": "leave",
    "requests": "requests",
    "pins": "pins",
    "shifts": "shifts",
    "staff": "staff",
}


def _validate_whole(
    reader: _Reader, model: type[BaseModel], whole: dict[str, Any], paths: Mapping[str, str]
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


def _locate(reader: _Reader, message: str, loc: list[str], paths: Mapping[str, str]) -> CellError:
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
            ids = [_text(v) for v in frame["id"]]
            if match.group(2) in ids:
                return CellError(sheet, ids.index(match.group(2)) + 1, None, message)
        return CellError(sheet, 0, None, message)
    return CellError("settings", 0, None, message)


def _case_from_tables(reader: _Reader) -> Any:
    from optimizer.model.cases import (
        CaseProblem,
        Opening,
        Precedence,
        Resource,
        Room,
        StaffMember,
        Task,
        Window,
    )

    settings = reader.settings()
    _missing_setting(reader, settings, "horizon")
    start: dt.datetime | None = None
    if settings.get("start"):
        try:
            start = dt.datetime.fromisoformat(settings["start"])
        except ValueError:
            reader.errors.append(
                CellError("settings", 0, "start", f"'{settings['start']}' must be a date-time")
            )
    horizon = turnover = None
    try:
        horizon = _int(settings.get("horizon"))
        turnover = _int(settings.get("turnover"))
    except _Cell as exc:
        reader.errors.append(CellError("settings", 0, "horizon/turnover", str(exc)))

    def moment(sheet: str, row: int, v: dict[str, Any], column: str) -> int | None:
        return reader.cell(sheet, row, v, column, lambda x: _moment(x, start))

    openings: dict[str, list[Any]] = {}
    for row, v in reader.rows("openings"):
        room = reader.cell("openings", row, v, "room", _text) or ""
        data = {
            "start": moment("openings", row, v, "start"),
            "end": moment("openings", row, v, "end"),
            "overtime": reader.cell("openings", row, v, "overtime", _int),
        }
        openings.setdefault(room, []).append(reader.record("openings", row, Opening, data, {}))
    windows: dict[str, list[Any]] = {}
    for row, v in reader.rows("availability"):
        person = reader.cell("availability", row, v, "staff", _text) or ""
        data = {
            "start": moment("availability", row, v, "start"),
            "end": moment("availability", row, v, "end"),
        }
        windows.setdefault(person, []).append(reader.record("availability", row, Window, data, {}))
    tasks = []
    for row, v in reader.rows("tasks"):
        team = reader.cell("tasks", row, v, "team", _map) or {}
        data = {
            "id": reader.cell("tasks", row, v, "id", _text),
            "name": reader.cell("tasks", row, v, "name", _text),
            "procedure": reader.cell("tasks", row, v, "procedure", _text),
            "duration": reader.cell("tasks", row, v, "duration", _int),
            "release": moment("tasks", row, v, "release"),
            "due": moment("tasks", row, v, "due"),
            "deadline": moment("tasks", row, v, "deadline"),
            "priority": reader.cell("tasks", row, v, "priority", _int),
            "optional": reader.cell("tasks", row, v, "optional", _bool),
            "team": [{"role": k, "count": n} for k, n in team.items()],
            "staff": reader.cell("tasks", row, v, "staff", _list),
            "rooms": reader.cell("tasks", row, v, "rooms", _list) or None,
            "room_needs": reader.cell("tasks", row, v, "room_needs", _list),
            "resources": reader.cell("tasks", row, v, "resources", _map),
        }
        tasks.append(reader.record("tasks", row, Task, data, {}))
    rooms = []
    for row, v in reader.rows("rooms"):
        rid = reader.cell("rooms", row, v, "id", _text)
        data = {
            "id": rid,
            "name": reader.cell("rooms", row, v, "name", _text),
            "type": reader.cell("rooms", row, v, "type", _text),
            "capabilities": reader.cell("rooms", row, v, "capabilities", _list),
            "turnover": reader.cell("rooms", row, v, "turnover", _int),
            "openings": openings.pop(rid or "", []),
        }
        rooms.append(reader.record("rooms", row, Room, data, {"openings": ""}))
    for room in openings:
        reader.errors.append(CellError("openings", 0, "room", f"unknown room '{room}'"))
    staff = []
    for row, v in reader.rows("staff"):
        sid = reader.cell("staff", row, v, "id", _text)
        data = {
            "id": sid,
            "name": reader.cell("staff", row, v, "name", _text),
            "roles": reader.cell("staff", row, v, "roles", _list),
            "max_minutes": reader.cell("staff", row, v, "max_minutes", _int),
            "available": windows.pop(sid or "", None),
        }
        staff.append(reader.record("staff", row, StaffMember, data, {"available": ""}))
    for person in windows:
        reader.errors.append(CellError("availability", 0, "staff", f"unknown staff '{person}'"))
    resources = []
    for row, v in reader.rows("resources"):
        data = {
            "id": reader.cell("resources", row, v, "id", _text),
            "name": reader.cell("resources", row, v, "name", _text),
            "capacity": reader.cell("resources", row, v, "capacity", _int),
        }
        resources.append(reader.record("resources", row, Resource, data, {}))
    precedences = []
    for row, v in reader.rows("precedences"):
        data = {
            "before": reader.cell("precedences", row, v, "before", _text),
            "after": reader.cell("precedences", row, v, "after", _text),
            "min_lag": reader.cell("precedences", row, v, "min_lag", _int),
            "max_lag": reader.cell("precedences", row, v, "max_lag", _int),
        }
        precedences.append(reader.record("precedences", row, Precedence, data, {}))
    if reader.errors:
        return None
    whole = {
        "name": settings.get("name") or "cases",
        "start": start,
        "horizon": horizon,
        "turnover": turnover if turnover is not None else 0,
        "tasks": tasks,
        "rooms": rooms,
        "staff": staff,
        "resources": resources,
        "precedences": precedences,
    }
    paths = {"tasks": "tasks", "rooms": "rooms", "staff": "staff", "precedences": "precedences"}
    return _validate_whole(reader, CaseProblem, whole, paths)


def tables_kind(tables: Mapping[str, pd.DataFrame]) -> str:
    """``"roster"`` or ``"cases"``: the ``kind`` setting, else guessed from the sheets."""
    kind = _Reader(tables).settings().get("kind", "").lower()
    if kind in ("roster", "cases"):
        return kind
    return "cases" if "tasks" in tables else "roster"


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> tuple[Any, list[CellError]]:
    """(problem, []) when the tables are valid, else (None, every error found)."""
    reader = _Reader(tables)
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
    problem = _roster_from_tables(reader) if kind == "roster" else _case_from_tables(reader)
    if problem is None and not reader.errors:
        reader.errors.append(CellError("settings", 0, None, "the tables hold no valid problem"))
    return problem, reader.errors


def problem_from_tables(tables: Mapping[str, pd.DataFrame], source: str | None = None) -> Any:
    """The problem the tables describe; raises ``TableErrors`` naming sheet, row and column."""
    problem, errors = validate_tables(tables)
    if errors:
        raise TableErrors(errors, source)
    return problem


# -- bundles -------------------------------------------------------------------------


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
        _format_workbook(writer.book)
    return out.getvalue()


def tables_to_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as a ZIP of ``<sheet>.csv`` files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, frame in tables.items():
            archive.writestr(f"{sheet}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return out.getvalue()


def _example_roster() -> RosterProblem:
    from optimizer.model.roster import (
        Contract,
        CoverDemand,
        Pin,
        ShiftRequest,
        ShiftType,
        Staff,
        Unavailability,
    )

    return RosterProblem(
        name="My ward",
        start_date=dt.date(2026, 12, 7),
        num_days=7,
        shifts=(
            ShiftType(id="E", name="Early", start=420, length_minutes=480, min_rest_hours=11),
            ShiftType(id="N", name="Night", start=1290, length_minutes=600, forbidden_next=("E",)),
        ),
        staff=(
            Staff(
                id="N01",
                name="Ana Silva",
                grade="Senior RN",
                skills=("RN", "charge"),
                contract=Contract(max_minutes=2400, max_shifts_per_type={"N": 2}, max_weekends=1),
            ),
            Staff(id="N02", name="Jo Park", grade="RN", skills=("RN",)),
        ),
        cover=(
            CoverDemand(day=0, shift="E", skill="RN", required=1),
            CoverDemand(day=0, shift="N", skill="charge", required=1, under_weight=80),
        ),
        unavailability=(
            Unavailability(staff="N02", first_day=2, last_day=3, reason="annual leave"),
        ),
        requests=(ShiftRequest(staff="N01", day=5, want=False, weight=2),),
        pins=(Pin(staff="N01", day=0, shift="E"),),
    )


def _example_cases() -> Any:
    from optimizer.model.cases import (
        CaseProblem,
        Opening,
        Resource,
        Room,
        StaffMember,
        Task,
        TeamRequirement,
        Window,
    )

    return CaseProblem(
        name="My theatre day",
        start=dt.datetime(2026, 12, 7),
        horizon=24 * 60,
        turnover=20,
        tasks=(
            Task(
                id="C1",
                name="Case 1",
                procedure="Hip replacement",
                duration=120,
                release=480,
                due=1020,
                team=(TeamRequirement(role="anaesthetist"), TeamRequirement(role="scrub")),
                staff=("S1",),
                resources={"carm": 1},
            ),
        ),
        rooms=(
            Room(
                id="OR1",
                name="Theatre 1",
                type="general",
                openings=(Opening(start=480, end=1020, overtime=60),),
            ),
        ),
        staff=(
            StaffMember(
                id="S1",
                name="Dr Okafor",
                roles=("surgeon",),
                available=(Window(start=480, end=1080),),
            ),
            StaffMember(id="A1", name="Dr Lee", roles=("anaesthetist",)),
            StaffMember(id="R1", name="Sam Cole", roles=("scrub",)),
        ),
        resources=(Resource(id="carm", name="C-arm", capacity=1),),
    )


def template_xlsx(kind: str = "roster") -> bytes:
    """A downloadable template: every sheet with its header and example rows."""
    example = _example_roster() if kind == "roster" else _example_cases()
    return tables_to_xlsx(problem_tables(example))


# -- readable exports ----------------------------------------------------------------


def _format_workbook(book: Any) -> None:
    """Bold shaded headers, frozen header row, column widths, date formats."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    text = "2026-12-07 08:00"
                elif isinstance(value, dt.date):
                    cell.number_format = "ddd dd mmm yyyy"
                    text = "Mon 07 Dec 2026"
                else:
                    text = "" if value is None else str(value)
                widths[cell.column] = max(widths.get(cell.column, 0), len(text))
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(6, width + 2))


def _roster_sheets(problem: RosterProblem, result: Result) -> dict[str, pd.DataFrame]:
    roster = result.roster.by_staff_day() if result.roster is not None else {}
    leave = {
        (u.staff, d): u.reason
        for u in problem.unavailability
        if u.whole_day
        for d in range(u.first_day, min(u.last_day, problem.num_days - 1) + 1)
    }
    dates = [problem.date_of(d) for d in range(problem.num_days)]
    grid = []
    for person in problem.staff:
        row: dict[str, Any] = {"Staff": person.id, "Name": person.label, "Grade": person.grade}
        for d, date in enumerate(dates):
            worked = roster.get((person.id, d))
            row[date.strftime("%a %d %b")] = worked or ("leave" if (person.id, d) in leave else "")
        grid.append(row)
    assignments = []
    for (staff_id, d), shift_id in sorted(roster.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if staff_id not in problem.staff_index or shift_id not in problem.shift_index:
            continue
        shift = problem.shift(shift_id)
        begin = dt.datetime.combine(dates[d], dt.time()) + dt.timedelta(minutes=shift.start)
        assignments.append(
            {
                "Date": dates[d],
                "Day": dates[d].strftime("%A"),
                "Shift": shift.label,
                "Staff": staff_id,
                "Name": problem.person(staff_id).label,
                "Start": begin,
                "End": begin + dt.timedelta(minutes=shift.length_minutes),
            }
        )
    counts: dict[tuple[int, str, str | None], int] = {}
    for (staff_id, d), shift_id in roster.items():
        skills = problem.person(staff_id).skills if staff_id in problem.staff_index else ()
        for skill in (None, *skills):
            counts[(d, shift_id, skill)] = counts.get((d, shift_id, skill), 0) + 1
    coverage = [
        {
            "Date": dates[c.day],
            "Shift": c.shift,
            "Skill": c.skill or "all",
            "Required": c.required,
            "Assigned": counts.get((c.day, c.shift, c.skill), 0),
            "Short": max(0, c.required - counts.get((c.day, c.shift, c.skill), 0)),
        }
        for c in sorted(problem.cover, key=lambda c: (c.day, problem.shift_index.get(c.shift, 0)))
        if c.day < problem.num_days
    ]
    sheets = {
        "Roster": pd.DataFrame(grid),
        "Assignments": pd.DataFrame(
            assignments, columns=["Date", "Day", "Shift", "Staff", "Name", "Start", "End"]
        ),
        "Coverage": pd.DataFrame(
            coverage, columns=["Date", "Shift", "Skill", "Required", "Assigned", "Short"]
        ),
    }
    if result.roster is not None:
        from optimizer.explain.roster import penalty_breakdown, roster_kpis

        kpis = roster_kpis(problem, result.roster)
        sheets["Hours"] = pd.DataFrame(
            [
                {
                    "Staff": load.staff,
                    "Name": load.name,
                    "Grade": load.grade,
                    "Shifts": load.shifts,
                    "Hours": round(load.minutes / 60, 1),
                    "Contract min h": round(load.min_minutes / 60, 1),
                    "Contract max h": None
                    if load.max_minutes is None
                    else round(load.max_minutes / 60, 1),
                    "Nights": load.nights,
                    "Weekends": load.weekends,
                }
                for load in kpis.staff
            ]
        )
        sheets["Penalties"] = pd.DataFrame(
            [
                {
                    "Cost": p.cost,
                    "Rule": p.rule,
                    "Date": None if p.day is None else problem.date_of(p.day),
                    "Staff": ""
                    if p.staff is None
                    else problem.person(p.staff).label
                    if p.staff in problem.staff_index
                    else p.staff,
                    "What": p.message,
                }
                for p in penalty_breakdown(problem, result.roster)
            ],
            columns=["Cost", "Rule", "Date", "Staff", "What"],
        )
        sheets["Summary"] = pd.DataFrame(
            [
                ("Status", result.status.value),
                ("Penalty (objective)", result.objective),
                ("Best bound", result.bound),
                ("Coverage met %", kpis.coverage_met_pct),
                ("Requests granted %", kpis.requests_granted_pct),
                ("Shifts worked", kpis.shifts_worked),
                ("Nights per person (min–max)", f"{kpis.nights.minimum}–{kpis.nights.maximum}"),
                (
                    "Weekends per person (min–max)",
                    f"{kpis.weekends.minimum}–{kpis.weekends.maximum}",
                ),
            ],
            columns=["Measure", "Value"],
        )
    return sheets


def _case_sheets(problem: Any, result: Result) -> dict[str, pd.DataFrame]:
    schedule = result.schedule
    placed = schedule.tasks if schedule is not None else ()

    def when(minute: int) -> Any:
        moment = problem.datetime_of(minute)
        return minute if moment is None else moment

    names = {p.id: p.label for p in problem.staff}
    rows = []
    for t in sorted(placed, key=lambda t: (t.room or "", t.start)):
        task = problem.task(t.task) if t.task in problem.task_index else None
        late = 0 if task is None or task.due is None else max(0, t.end - task.due)
        rows.append(
            {
                "Task": t.task,
                "Name": task.label if task else t.task,
                "Procedure": task.procedure if task else "",
                "Room": t.room or "",
                "Start": when(t.start),
                "End": when(t.end),
                "Minutes": t.end - t.start,
                "Staff": ", ".join(names.get(s, s) for s in t.staff),
                "Equipment": ", ".join(t.resources),
                "Late by (min)": late,
            }
        )
    columns = [
        "Task",
        "Name",
        "Procedure",
        "Room",
        "Start",
        "End",
        "Minutes",
        "Staff",
        "Equipment",
        "Late by (min)",
    ]
    sheets = {"Schedule": pd.DataFrame(rows, columns=columns)}
    by_staff: list[dict[str, Any]] = [
        {
            "Staff": names.get(s, s),
            "Task": t.task,
            "Room": t.room or "",
            "Start": when(t.start),
            "End": when(t.end),
        }
        for t in sorted(placed, key=lambda t: t.start)
        for s in t.staff
    ]
    by_staff.sort(key=lambda row: (str(row["Staff"]), str(row["Start"])))
    sheets["By staff"] = pd.DataFrame(
        by_staff,
        columns=["Staff", "Task", "Room", "Start", "End"],
    )
    unscheduled = list(schedule.unscheduled) if schedule is not None else []
    reasons: dict[str, str] = {}
    try:
        reasons = _unscheduled_reasons(problem, result)
    except Exception:  # the explanation is optional in the export
        reasons = {}
    sheets["Unscheduled"] = pd.DataFrame(
        [{"Task": t, "Reason": reasons.get(t, "")} for t in unscheduled], columns=["Task", "Reason"]
    )
    busy = {r.id: 0 for r in problem.rooms}
    for t in placed:
        if t.room in busy:
            busy[t.room] += t.end - t.start
    sheets["Rooms"] = pd.DataFrame(
        [
            {
                "Room": r.label,
                "Case hours": round(busy[r.id] / 60, 1),
                "Open hours": round(sum(o.end - o.start for o in problem.openings_of(r)) / 60, 1),
            }
            for r in problem.rooms
        ],
        columns=["Room", "Case hours", "Open hours"],
    )
    if len(sheets["Rooms"]):
        rooms = sheets["Rooms"]
        rooms["Utilisation %"] = (
            100 * rooms["Case hours"] / rooms["Open hours"].where(rooms["Open hours"] > 0)
        ).round(1)
    sheets["Summary"] = pd.DataFrame(
        [
            ("Status", result.status.value),
            ("Penalty (objective)", result.objective),
            ("Best bound", result.bound),
            ("Cases scheduled", len(placed)),
            ("Cases unscheduled", len(unscheduled)),
        ],
        columns=["Measure", "Value"],
    )
    return sheets


def _unscheduled_reasons(problem: Any, result: Result) -> dict[str, str]:
    """Task id -> why it is unscheduled, from ``optimizer.explain.cases`` when present."""
    import importlib

    explain = importlib.import_module("optimizer.explain.cases")
    explain_fn = getattr(explain, "explain_schedule", None)
    if explain_fn is None:
        return {}
    report = explain_fn(problem, result)
    reasons: dict[str, str] = {}
    for item in getattr(report, "tasks", None) or []:
        texts = [str(getattr(r, "message", r)) for r in getattr(item, "reasons", ())]
        reasons[str(getattr(item, "task", ""))] = "; ".join(texts)
    return reasons


def export_xlsx(
    problem: Any, result: Result, extra: Mapping[str, pd.DataFrame] | None = None
) -> bytes:
    """A workbook for people: one sheet per view (roster grid, assignments, coverage,
    hours, penalties, summary; or schedule, by staff, unscheduled, rooms, summary)."""
    sheets = (
        _roster_sheets(problem, result)
        if isinstance(problem, RosterProblem)
        else _case_sheets(problem, result)
    )
    if extra:
        sheets.update(extra)
    return tables_to_xlsx(sheets)
