"""Case tables -> validated ``CaseProblem``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from optimizer.io.tables.cells import (
    BadCell,
    CellError,
    is_blank,
    parse_bool,
    parse_id,
    parse_int,
    parse_list,
    parse_map,
    parse_moment,
    parse_text,
    slash_date_problem,
)
from optimizer.io.tables.reader import TableReader, missing_setting, validate_whole
from optimizer.io.tables.sheets import CASE_WEIGHT_SETTINGS
from optimizer.model.common import near_miss


def off_duty_row(sheet: str, values: Mapping[str, Any]) -> bool:
    """Whether a row says "not on duty in this plan": an ``availability`` row with an
    empty ``start`` and ``end`` (the person gets no on-duty window at all)."""
    return sheet == "availability" and all(is_blank(values.get(c)) for c in ("start", "end"))


def _setting_int(reader: TableReader, settings: dict[str, str], key: str) -> int | None:
    """A whole-number setting (None when absent); a bad value is a settings error."""
    try:
        return parse_int(settings.get(key))
    except BadCell as exc:
        reader.errors.append(CellError("settings", 0, key, str(exc)))
        return None


def _start(reader: TableReader, settings: dict[str, str]) -> dt.datetime | None:
    """The ``start`` setting, on a whole minute; it may carry a time-zone offset.

    Times in the cells are read in (or converted to) the start's offset; the problem
    keeps the offset, as project JSON does (calendar exports place the times by it).
    """
    text = settings.get("start")
    if not text:
        return None
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError:
        message = slash_date_problem(text) or f"'{text}' must be a date-time"
        reader.errors.append(CellError("settings", 0, "start", message))
        return None
    if start.second or start.microsecond:
        message = f"'{text}' must be a whole minute (no seconds)"
        reader.errors.append(CellError("settings", 0, "start", message))
        return None
    return start


_UNREAD_START = dt.datetime(2000, 1, 1)
"""Stands for a ``start`` that is there but unreadable, to check the cells that need none."""


def _needs_start(value: object) -> bool:
    """Whether a time cell is a date-time (not minutes), so reading it needs the start."""
    try:
        parse_moment(value, None)
    except BadCell:
        try:
            dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return False
        return True
    return False


def _shown(value: object) -> str:
    """A time cell as the planner typed it (a date-time without seconds, minutes whole)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _reversed(
    reader: TableReader,
    sheet: str,
    row: int,
    values: dict[str, Any],
    data: dict[str, Any],
    what: str = "window",
) -> bool:
    """Report a ``what`` (window, opening) that ends at or before it starts, in the
    sheet's own times (the model would name minutes from the start)."""
    start, end = data["start"], data["end"]
    if start is None or end is None or end > start:
        return False
    message = (
        f"{what} ends ({_shown(values.get('end'))}) at or before it starts "
        f"({_shown(values.get('start'))})"
    )
    reader.errors.append(CellError(sheet, row, None, message))
    return True


def _clip_to_plan(data: dict[str, Any], horizon: int | None) -> bool:
    """Cut a window's minutes to the plan [0, horizon); False if nothing is left."""
    start, end = data["start"], data["end"]
    if start is None or end is None:
        return True  # a bad cell: reported already
    if end <= 0 or (horizon is not None and start >= horizon):
        return False
    data["start"] = max(start, 0)
    data["end"] = end if horizon is None else min(end, horizon)
    return True


def case_from_tables(reader: TableReader) -> Any:
    from optimizer.model.cases import (
        CaseProblem,
        CaseWeights,
        Opening,
        Precedence,
        Resource,
        Room,
        StaffMember,
        Task,
        Window,
    )

    settings = reader.settings()
    missing_setting(reader, settings, "horizon")
    start = _start(reader, settings)
    start_unread = start is None and bool(settings.get("start"))
    horizon = _setting_int(reader, settings, "horizon")
    turnover = _setting_int(reader, settings, "turnover")
    weights = {
        field: _setting_int(reader, settings, key) for key, field in CASE_WEIGHT_SETTINGS.items()
    }
    fields = {field: key for key, field in CASE_WEIGHT_SETTINGS.items()}
    case_weights = reader.record("settings", 0, CaseWeights, weights, fields)

    unplaced: set[tuple[str, int]] = set()  # rows with a date-time while the start is unread

    def moment(
        sheet: str, row: int, v: dict[str, Any], column: str, early: bool = False
    ) -> int | None:
        """The cell's minute; ``early``: a date-time before the start is a negative one."""
        if start_unread and _needs_start(v.get(column)):
            unplaced.add((sheet, row))  # the start's own error is reported; don't repeat it
            return None
        known = _UNREAD_START if start_unread else start  # unread: only minutes get this far
        return reader.cell(sheet, row, v, column, lambda x: parse_moment(x, known, early))

    def checked(sheet: str, row: int, model: Any, data: dict[str, Any]) -> Any:
        """The row's record; None when it is bad (reported) or waits for the unread start."""
        return None if (sheet, row) in unplaced else reader.record(sheet, row, model, data, {})

    openings: dict[str, list[Any]] = {}
    opening_rows: dict[str, int] = {}  # room -> its first row (an unknown room is named there)
    for row, v in reader.rows("openings"):
        room = reader.cell("openings", row, v, "room", parse_id) or ""
        opening_rows.setdefault(room, row)
        data = {
            "start": moment("openings", row, v, "start"),
            "end": moment("openings", row, v, "end"),
            "overtime": reader.cell("openings", row, v, "overtime", parse_int),
        }
        kept = openings.setdefault(room, [])  # its room is checked even when the row is not kept
        if _reversed(reader, "openings", row, v, data, "opening"):
            continue
        opening = checked("openings", row, Opening, data)
        if opening is not None:  # a bad one is reported on its row, not again on its room
            kept.append(opening)

    staff_rows: dict[tuple[str, str], int] = {}  # (sheet, staff id) -> the id's first row

    def windows_by_staff(sheet: str) -> dict[str, list[Any]]:
        """The sheet's windows per staff id (an id with only bad rows maps to []).

        An ``off_duty_row`` maps its id to [] too: no window, not on duty in this plan.
        A ``time_off`` row is clipped to the plan (one wholly outside it is left out), as
        roster leave is: sickness since the night before starts at the plan's start.
        """
        found: dict[str, list[Any]] = {}
        off_duty: dict[str, int] = {}  # staff id -> its off-duty row
        timed: set[str] = set()  # staff ids with a row that has times
        for row, v in reader.rows(sheet):
            person = reader.cell(sheet, row, v, "staff", parse_id) or ""
            staff_rows.setdefault((sheet, person), row)
            person_windows = found.setdefault(person, [])
            if off_duty_row(sheet, v):
                off_duty.setdefault(person, row)
                continue
            timed.add(person)
            clip = sheet == "time_off"
            data = {
                "start": moment(sheet, row, v, "start", early=clip),
                "end": moment(sheet, row, v, "end", early=clip),
            }
            if _reversed(reader, sheet, row, v, data):
                continue
            if clip and not _clip_to_plan(data, horizon):
                continue  # wholly outside the plan
            window = checked(sheet, row, Window, data)
            if window is not None:  # a bad one is reported on its row, not again on its staff
                person_windows.append(window)
        for person, row in off_duty.items():
            if person in timed:
                message = (
                    f"'{person}' has on-duty windows on other rows; an empty start and end "
                    "means not on duty at all in this plan"
                )
                reader.errors.append(CellError(sheet, row, "start", message))
        return found

    windows = windows_by_staff("availability")
    time_off = windows_by_staff("time_off")
    tasks = []
    for row, v in reader.rows("tasks"):
        team = reader.cell("tasks", row, v, "team", parse_map) or {}
        data = {
            "id": reader.cell("tasks", row, v, "id", parse_id),
            "name": reader.cell("tasks", row, v, "name", parse_text),
            "procedure": reader.cell("tasks", row, v, "procedure", parse_text),
            "duration": reader.cell("tasks", row, v, "duration", parse_int),
            "release": moment("tasks", row, v, "release"),
            "due": moment("tasks", row, v, "due"),
            "deadline": moment("tasks", row, v, "deadline"),
            "priority": reader.cell("tasks", row, v, "priority", parse_int),
            "optional": reader.cell("tasks", row, v, "optional", parse_bool),
            "team": [{"role": k, "count": n} for k, n in team.items()],
            "staff": reader.cell("tasks", row, v, "staff", parse_list),
            "rooms": reader.cell("tasks", row, v, "rooms", parse_list) or None,
            "room_needs": reader.cell("tasks", row, v, "room_needs", parse_list),
            "resources": reader.cell("tasks", row, v, "resources", parse_map),
        }
        tasks.append(checked("tasks", row, Task, data))
    rooms = []
    for row, v in reader.rows("rooms"):
        rid = reader.cell("rooms", row, v, "id", parse_id)
        data = {
            "id": rid,
            "name": reader.cell("rooms", row, v, "name", parse_text),
            "type": reader.cell("rooms", row, v, "type", parse_id),
            "capabilities": reader.cell("rooms", row, v, "capabilities", parse_list),
            "turnover": reader.cell("rooms", row, v, "turnover", parse_int),
            "openings": openings.pop(rid or "", []),
        }
        rooms.append(reader.record("rooms", row, Room, data, {"openings": ""}))
    room_names = {r.id: r.name for r in rooms if isinstance(r, Room)}
    for room in filter(None, openings):  # a blank room has its own error
        message = f"unknown room '{room}'{near_miss(room, room_names, room_names, 'room')}"
        reader.errors.append(CellError("openings", opening_rows[room], "room", message))
    staff = []
    for row, v in reader.rows("staff"):
        sid = reader.cell("staff", row, v, "id", parse_id)
        data = {
            "id": sid,
            "name": reader.cell("staff", row, v, "name", parse_text),
            "roles": reader.cell("staff", row, v, "roles", parse_list),
            "max_minutes": reader.cell("staff", row, v, "max_minutes", parse_int),
            "overtime": reader.cell("staff", row, v, "overtime", parse_int),
            "available": windows.pop(sid or "", None),
            "unavailable": time_off.pop(sid or "", []),
        }
        fields = {"available": "", "unavailable": ""}
        staff.append(reader.record("staff", row, StaffMember, data, fields))
    staff_names = {p.id: p.name for p in staff if isinstance(p, StaffMember)}
    for sheet, left in (("availability", windows), ("time_off", time_off)):
        for person in filter(None, left):  # a blank staff cell has its own error
            hint = near_miss(person, staff_names, staff_names, "staff")
            message = f"unknown staff '{person}'{hint}"
            reader.errors.append(CellError(sheet, staff_rows[sheet, person], "staff", message))
    resources = []
    for row, v in reader.rows("resources"):
        data = {
            "id": reader.cell("resources", row, v, "id", parse_id),
            "name": reader.cell("resources", row, v, "name", parse_text),
            "capacity": reader.cell("resources", row, v, "capacity", parse_int),
        }
        resources.append(reader.record("resources", row, Resource, data, {}))
    precedences = []
    for row, v in reader.rows("precedences"):
        data = {
            "before": reader.cell("precedences", row, v, "before", parse_id),
            "after": reader.cell("precedences", row, v, "after", parse_id),
            "min_lag": reader.cell("precedences", row, v, "min_lag", parse_int),
            "max_lag": reader.cell("precedences", row, v, "max_lag", parse_int),
        }
        precedences.append(reader.record("precedences", row, Precedence, data, {}))
    if reader.errors:
        return None
    whole = {
        "name": settings.get("name") or "cases",
        "start": start,
        "horizon": horizon,
        "turnover": turnover if turnover is not None else 0,
        "weights": case_weights,
        "tasks": tasks,
        "rooms": rooms,
        "staff": staff,
        "resources": resources,
        "precedences": precedences,
    }
    paths = {"tasks": "tasks", "rooms": "rooms", "staff": "staff", "precedences": "precedences"}
    return validate_whole(reader, CaseProblem, whole, paths)
