"""Roster tables -> validated ``RosterProblem``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from optimizer.io.tables.cells import (
    BadCell,
    CellError,
    parse_bool,
    parse_clock,
    parse_date,
    parse_float,
    parse_int,
    parse_list,
    parse_map,
    parse_text,
)
from optimizer.io.tables.reader import TableReader, validate_whole
from optimizer.model.common import MAX_DAYS
from optimizer.model.roster import RosterProblem


def roster_from_tables(reader: TableReader) -> RosterProblem | None:
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
        if not settings.get(key):  # on the key's line, when the key is there
            reader.errors.append(CellError("settings", 0, key, f"the setting '{key}' is missing"))
    start: dt.date | None = None
    num_days: int | None = None
    try:
        start = parse_date(settings.get("start_date"))
    except BadCell as exc:
        reader.errors.append(CellError("settings", 0, "start_date", str(exc)))
    try:
        num_days = parse_int(settings.get("num_days"))
    except BadCell as exc:
        reader.errors.append(CellError("settings", 0, "num_days", str(exc)))
    last = _last_date(start, num_days)
    kept: dict[str, list[int]] = {}  # sheet -> the row of each record, in order

    def day(sheet: str, row: int, values: dict[str, Any], column: str) -> int | None:
        if start is None:  # its own error is reported; each date cell would only repeat it
            return 0
        return reader.cell(sheet, row, values, column, lambda x: _day(parse_date(x), start, last))

    def add(records: list[Any], sheet: str, row: int, record: Any) -> None:
        records.append(record)
        kept.setdefault(sheet, []).append(row)

    shifts: list[Any] = []
    for row, v in reader.rows("shifts"):
        data = {
            "id": reader.cell("shifts", row, v, "id", parse_text),
            "name": reader.cell("shifts", row, v, "name", parse_text),
            "start": reader.cell("shifts", row, v, "start", parse_clock),
            "length_minutes": reader.cell("shifts", row, v, "length_minutes", parse_int),
            "forbidden_next": reader.cell("shifts", row, v, "forbidden_next", parse_list),
            "min_rest_hours": reader.cell("shifts", row, v, "min_rest_hours", parse_float),
            "night": reader.cell("shifts", row, v, "night", parse_bool),
        }
        add(shifts, "shifts", row, reader.record("shifts", row, ShiftType, data, {}))
    staff: list[Any] = []
    contract_fields = [f for f in Contract.model_fields if f != "max_shifts_per_type"]
    for row, v in reader.rows("staff"):
        contract = {f: reader.cell("staff", row, v, f, parse_int) for f in contract_fields}
        contract["max_shifts_per_type"] = reader.cell(
            "staff", row, v, "max_shifts_per_type", parse_map
        )
        contract = {k: val for k, val in contract.items() if val is not None}
        data = {
            "id": reader.cell("staff", row, v, "id", parse_text),
            "name": reader.cell("staff", row, v, "name", parse_text),
            "grade": reader.cell("staff", row, v, "grade", parse_text),
            "skills": reader.cell("staff", row, v, "skills", parse_list),
            "contract": contract,
        }
        add(staff, "staff", row, reader.record("staff", row, Staff, data, {"contract": ""}))
    cover: list[Any] = []
    for row, v in reader.rows("cover"):
        data = {
            "day": day("cover", row, v, "date"),
            "shift": reader.cell("cover", row, v, "shift", parse_text),
            "skill": reader.cell("cover", row, v, "skill", parse_text),
            **{
                f: reader.cell("cover", row, v, f, parse_int)
                for f in ("required", "min_required", "under_weight", "over_weight")
            },
        }
        add(cover, "cover", row, reader.record("cover", row, CoverDemand, data, {"day": "date"}))
    _check_joined_skills(reader, kept.get("staff", []), staff, cover)
    leave: list[Any] = []
    for row, v in reader.rows("leave"):
        days = _leave_days(reader, row, v, start, last)
        if days is None:
            continue  # entirely outside the plan: nothing to keep
        data = {
            "staff": reader.cell("leave", row, v, "staff", parse_text),
            "first_day": days[0],
            "last_day": days[1],
            "shifts": reader.cell("leave", row, v, "shifts", parse_list) or None,
            "reason": reader.cell("leave", row, v, "reason", parse_text),
            "counts_toward_hours": reader.cell("leave", row, v, "counts_toward_hours", parse_bool),
        }
        fields = {"first_day": "first_date", "last_day": "last_date"}
        add(leave, "leave", row, reader.record("leave", row, Unavailability, data, fields))
    requests: list[Any] = []
    for row, v in reader.rows("requests"):
        data = {
            "staff": reader.cell("requests", row, v, "staff", parse_text),
            "day": day("requests", row, v, "date"),
            "shift": reader.cell("requests", row, v, "shift", parse_text),
            "want": reader.cell("requests", row, v, "want", parse_bool),
            "weight": reader.cell("requests", row, v, "weight", parse_int),
        }
        add(
            requests,
            "requests",
            row,
            reader.record("requests", row, ShiftRequest, data, {"day": "date"}),
        )
    pins: list[Any] = []
    for row, v in reader.rows("pins"):
        data = {
            "staff": reader.cell("pins", row, v, "staff", parse_text),
            "day": day("pins", row, v, "date"),
            "shift": reader.cell("pins", row, v, "shift", parse_text),  # empty: a day off
        }
        pin = reader.record("pins", row, Pin, data, {"day": "date"}, empty_means_none={"shift"})
        add(pins, "pins", row, pin)
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
    return validate_whole(_KeptRows(reader, kept), RosterProblem, whole, _ROSTER_PATHS)


_ROSTER_PATHS = {
    "cover": "cover",
    "unavailability": "leave",
    "requests": "requests",
    "pins": "pins",
    "shifts": "shifts",
    "staff": "staff",
}


def _last_date(start: dt.date | None, num_days: int | None) -> dt.date | None:
    """The plan's last day, when the start and a valid length are known."""
    if start is None or num_days is None or not 0 < num_days <= MAX_DAYS:
        return None
    try:
        return start + dt.timedelta(days=num_days - 1)
    except OverflowError:
        return None


def _day(date: dt.date | None, start: dt.date, last: dt.date | None) -> int | None:
    """The day index of a date inside the plan; a date outside it is a ``BadCell``."""
    if date is None:
        return None
    if date < start:
        raise BadCell(f"{date} is before the plan start {start}")
    if last is not None and date > last:
        raise BadCell(f"{date} is after the plan's last day {last}")
    return (date - start).days


def _leave_days(
    reader: TableReader,
    row: int,
    values: dict[str, Any],
    start: dt.date | None,
    last: dt.date | None,
) -> tuple[int, int] | None:
    """(first, last) day of a leave row, clipped to the plan; None when it lies outside.

    Leave is often exported for a whole year, so only the part inside the plan counts.
    A row with a bad date gets its cell error and placeholder days (nothing is solved).
    """
    if start is None:  # its own error is reported; each date cell would only repeat it
        return 0, 0
    first = reader.cell("leave", row, values, "first_date", parse_date)
    final = reader.cell("leave", row, values, "last_date", parse_date)
    if first is None or final is None:
        return 0, 0
    if final < first:
        message = f"the leave ends {final}, before it starts {first}"
        reader.errors.append(CellError("leave", row, "last_date", message))
        return 0, 0
    if final < start or (last is not None and first > last):
        return None
    clipped = final if last is None else min(final, last)
    return (max(first, start) - start).days, (clipped - start).days


_SKILL_JOINS = re.compile(r"[/+\s]+")
"""What planners write between skills instead of ``;`` (``RN/charge``, ``RN + charge``)."""


def _check_joined_skills(
    reader: TableReader, rows: list[int], staff: list[Any], cover: list[Any]
) -> None:
    """Refuse a staff skill no cover asks for that is really known skills joined up.

    ``RN/charge`` would otherwise be one skill nobody needs, silently.
    """
    wanted = {demand.skill for demand in cover if demand is not None and demand.skill}
    known = wanted | {skill for person in staff if person is not None for skill in person.skills}
    for row, person in zip(rows, staff, strict=True):
        for skill in () if person is None else person.skills:
            parts = [part for part in _SKILL_JOINS.split(skill) if part]
            if skill in wanted or len(parts) < 2 or not set(parts) <= known:
                continue
            message = (
                f"'{skill}' is not a skill any cover asks for; separate skills with ';' "
                f"({';'.join(parts)})"
            )
            reader.errors.append(CellError("staff", row, "skills", message))


class _KeptRows(TableReader):
    """The reader, with each record's row as kept (leave outside the plan is left out)."""

    def __init__(self, reader: TableReader, kept: dict[str, list[int]]) -> None:
        super().__init__(reader.tables)
        self.errors = reader.errors
        self.kept = kept

    def row_of_record(self, sheet: str, position: int) -> int:
        rows = self.kept.get(sheet, [])
        return rows[position] if 0 <= position < len(rows) else 0
