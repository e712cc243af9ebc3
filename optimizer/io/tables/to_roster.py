"""Roster tables -> validated ``RosterProblem``."""

from __future__ import annotations

import datetime as dt
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
from optimizer.io.tables.reader import TableReader, missing_setting, validate_whole
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
        missing_setting(reader, settings, key)
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

    def day(sheet: str, row: int, values: dict[str, Any], column: str) -> int | None:
        if start is None:
            return None
        value = reader.cell(sheet, row, values, column, parse_date)
        return None if value is None else (value - start).days

    shifts = []
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
        shifts.append(reader.record("shifts", row, ShiftType, data, {}))
    staff = []
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
        staff.append(reader.record("staff", row, Staff, data, {"contract": ""}))
    cover = []
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
        cover.append(reader.record("cover", row, CoverDemand, data, {"day": "date"}))
    leave = []
    for row, v in reader.rows("leave"):
        data = {
            "staff": reader.cell("leave", row, v, "staff", parse_text),
            "first_day": day("leave", row, v, "first_date"),
            "last_day": day("leave", row, v, "last_date"),
            "shifts": reader.cell("leave", row, v, "shifts", parse_list) or None,
            "reason": reader.cell("leave", row, v, "reason", parse_text),
        }
        fields = {"first_day": "first_date", "last_day": "last_date"}
        leave.append(reader.record("leave", row, Unavailability, data, fields))
    requests = []
    for row, v in reader.rows("requests"):
        data = {
            "staff": reader.cell("requests", row, v, "staff", parse_text),
            "day": day("requests", row, v, "date"),
            "shift": reader.cell("requests", row, v, "shift", parse_text),
            "want": reader.cell("requests", row, v, "want", parse_bool),
            "weight": reader.cell("requests", row, v, "weight", parse_int),
        }
        requests.append(reader.record("requests", row, ShiftRequest, data, {"day": "date"}))
    pins = []
    for row, v in reader.rows("pins"):
        data = {
            "staff": reader.cell("pins", row, v, "staff", parse_text),
            "day": day("pins", row, v, "date"),
            "shift": reader.cell("pins", row, v, "shift", parse_text),
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
    return validate_whole(reader, RosterProblem, whole, _ROSTER_PATHS)


_ROSTER_PATHS = {
    "cover": "cover",
    "unavailability": "leave",
    "requests": "requests",
    "pins": "pins",
    "shifts": "shifts",
    "staff": "staff",
}
