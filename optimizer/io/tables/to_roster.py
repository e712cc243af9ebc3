"""Roster tables -> validated ``RosterProblem``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from optimizer.io.tables.cells import (
    BadCell,
    CellError,
    DateTimeCell,
    parse_bool,
    parse_clock,
    parse_date,
    parse_float,
    parse_float_decimal_comma,
    parse_id,
    parse_int,
    parse_list,
    parse_map,
    parse_text,
)
from optimizer.io.tables.reader import FILE, TableReader, validate_whole
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
    hours = parse_float_decimal_comma if reader.decimal_comma("shifts") else parse_float
    for row, v in reader.rows("shifts"):
        data = {
            "id": reader.cell("shifts", row, v, "id", parse_id),
            "name": reader.cell("shifts", row, v, "name", parse_text),
            "start": reader.cell("shifts", row, v, "start", parse_clock),
            "length_minutes": reader.cell("shifts", row, v, "length_minutes", parse_int),
            "forbidden_next": reader.cell("shifts", row, v, "forbidden_next", parse_list),
            "min_rest_hours": reader.cell("shifts", row, v, "min_rest_hours", hours),
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
            "id": reader.cell("staff", row, v, "id", parse_id),
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
            "shift": reader.cell("cover", row, v, "shift", parse_id),
            "skill": reader.cell("cover", row, v, "skill", parse_id),
            **{
                f: reader.cell("cover", row, v, f, parse_int)
                for f in ("required", "min_required", "under_weight", "over_weight")
            },
        }
        add(cover, "cover", row, reader.record("cover", row, CoverDemand, data, {"day": "date"}))
    _check_skill_spellings(reader, kept, staff, cover)
    if _from_file(reader, "shifts") or _from_file(reader, "staff"):
        _check_hours_for_minutes(reader, kept, shifts, staff)
    leave: list[Any] = []
    for row, v in reader.rows("leave"):
        days = _leave_days(reader, row, v, start, last)
        if days is None:
            continue  # entirely outside the plan: nothing to keep
        data = {
            "staff": reader.cell("leave", row, v, "staff", parse_id),
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
            "staff": reader.cell("requests", row, v, "staff", parse_id),
            "day": day("requests", row, v, "date"),
            "shift": reader.cell("requests", row, v, "shift", parse_id),
            "want": reader.cell("requests", row, v, "want", parse_bool),
            "weight": reader.cell("requests", row, v, "weight", parse_int),
        }
        add(
            requests,
            "requests",
            row,
            reader.record("requests", row, ShiftRequest, data, {"day": "date"}),
        )
    _check_repeated_requests(reader, kept.get("requests", []), requests)
    pins: list[Any] = []
    for row, v in reader.rows("pins"):
        data = {
            "staff": reader.cell("pins", row, v, "staff", parse_id),
            "day": day("pins", row, v, "date"),
            "shift": reader.cell("pins", row, v, "shift", parse_id),  # empty: a day off
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
    final = reader.cell("leave", row, values, "last_date", _parse_last_date)
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


_MIDNIGHT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]00:00(?::00)?")


def _has_midnight_time(value: object) -> bool:
    """Whether a date cell shows a midnight time: ``2026-12-11 00:00`` as text, or a
    date-time cell formatted with its time (a plain date cell's midnight is implied)."""
    if isinstance(value, DateTimeCell):
        return value.time() == dt.time()
    return isinstance(value, str) and _MIDNIGHT_TEXT.fullmatch(value.strip()) is not None


def _parse_last_date(value: object) -> dt.date | None:
    """A leave's last day (inclusive). A midnight time on it is refused as ambiguous:
    HR systems export an absence's end as the exclusive midnight after its last day.
    Another time keeps its date (the leave ends that day)."""
    text = value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else ""
    midnight = _has_midnight_time(value)
    date = parse_date(value)
    if not midnight or date is None:
        return date
    before = date - dt.timedelta(days=1)
    raise BadCell(
        f"'{text or str(value).strip()}' has a midnight time, so the last day off is "
        f"ambiguous: {before} (an end time at midnight) or {date}? write the last day "
        "off as a date without a time"
    )


_SKILL_JOINS = re.compile(r"[/+\s]+")
"""What planners write between skills instead of ``;`` (``RN/charge``, ``RN + charge``)."""


def _check_skill_spellings(
    reader: TableReader, kept: dict[str, list[int]], staff: list[Any], cover: list[Any]
) -> None:
    """Refuse a staff skill no cover asks for that is a cover's skill spelled another way
    (``rn``, ``R.N.`` for ``RN``) or known skills joined up (``RN/charge``); when nobody
    holds the cover's spelling, the cover rows are refused instead (the typo is theirs).

    Either would otherwise be a skill nobody needs, silently.
    """
    wanted = {demand.skill for demand in cover if demand is not None and demand.skill}
    held = {skill for person in staff if person is not None for skill in person.skills}
    spelled = {_skill_key(skill): skill for skill in sorted(wanted)}
    misspelled_cover: dict[str, str] = {}  # the cover's spelling -> the staff's
    for row, person in zip(kept.get("staff", []), staff, strict=True):
        for skill in () if person is None else person.skills:
            if skill in wanted:
                continue
            parts = [part for part in _SKILL_JOINS.split(skill) if part]
            meant = spelled.get(_skill_key(skill))
            if meant is not None and meant not in held:
                misspelled_cover.setdefault(meant, skill)
                continue
            if meant is not None:
                message = f"'{skill}' is not a skill any cover asks for; did you mean '{meant}'?"
            elif len(parts) >= 2 and set(parts) <= wanted | held:
                message = (
                    f"'{skill}' is not a skill any cover asks for; separate skills with ';' "
                    f"({';'.join(parts)})"
                )
            else:
                continue
            reader.errors.append(CellError("staff", row, "skills", message))
    for row, demand in zip(kept.get("cover", []), cover, strict=True):
        if demand is not None and demand.skill in misspelled_cover:
            message = (
                f"no staff has the skill '{demand.skill}'; did you mean "
                f"'{misspelled_cover[demand.skill]}' (as the staff sheet spells it)?"
            )
            reader.errors.append(CellError("cover", row, "skill", message))


def _skill_key(skill: str) -> str:
    """A skill as compared for near misses: case-folded, without ``.``, ``-`` and spaces
    (``R.N.``, ``rn`` and ``R-N`` all read ``rn``)."""
    return re.sub(r"[.\-\s]+", "", skill).casefold()


SHORTEST_SHIFT = 60
"""A bundle's ``length_minutes`` below this is taken for hours typed into a minutes column."""


def _from_file(reader: TableReader, sheet: str) -> bool:
    """Whether a sheet was read from an uploaded file (a bundle), not typed in an editor."""
    frame = reader.tables.get(sheet)
    return frame is not None and bool(frame.attrs.get(FILE))


def _hours_hint(value: int) -> str:
    return f"hours? {value} h = {value * 60} min"


def _check_hours_for_minutes(
    reader: TableReader, kept: dict[str, list[int]], shifts: list[Any], staff: list[Any]
) -> None:
    """Refuse minutes that read like hours: a shift under an hour, and a contract's
    ``min_minutes`` or ``max_minutes`` above 0 but shorter than the shortest shift (a
    ``max_minutes`` of 150 would keep the person off every shift, silently)."""
    lengths = []
    for row, shift in zip(kept.get("shifts", []), shifts, strict=True):
        if shift is None:
            continue
        if shift.length_minutes < SHORTEST_SHIFT:
            message = (
                f"length_minutes {shift.length_minutes} is under an hour; "
                f"{_hours_hint(shift.length_minutes)}"
            )
            reader.errors.append(CellError("shifts", row, "length_minutes", message))
        else:
            lengths.append(shift.length_minutes)
    if not lengths:
        return
    shortest = min(lengths)
    for row, person in zip(kept.get("staff", []), staff, strict=True):
        for field in ("min_minutes", "max_minutes"):
            value = None if person is None else getattr(person.contract, field)
            if value is not None and 0 < value < shortest:
                message = (
                    f"{field} {value} is shorter than the shortest shift ({shortest} min); "
                    f"{_hours_hint(value)}"
                )
                reader.errors.append(CellError("staff", row, field, message))


def _check_repeated_requests(reader: TableReader, rows: list[int], requests: list[Any]) -> None:
    """Refuse a request row repeating an earlier one (same staff, date and shift): the same
    wish would weigh twice, and a wish on and off would cancel out."""
    seen: dict[tuple[str, int, str | None], tuple[int, bool]] = {}
    for row, request in zip(rows, requests, strict=True):
        if request is None:
            continue
        key = (request.staff, request.day, request.shift)
        if key not in seen:
            seen[key] = (row, request.want)
            continue
        first, want = seen[key]
        if want == request.want:
            message = (
                f"repeats the request of row {first} (same staff, date and shift); give it once"
            )
        else:
            message = (
                f"contradicts the request of row {first}: the same staff, date and shift "
                "wanted both on and off; keep the one that holds"
            )
        reader.errors.append(CellError("requests", row, None, message))


class _KeptRows(TableReader):
    """The reader, with each record's row as kept (leave outside the plan is left out)."""

    def __init__(self, reader: TableReader, kept: dict[str, list[int]]) -> None:
        super().__init__(reader.tables)
        self.errors = reader.errors
        self.kept = kept

    def row_of_record(self, sheet: str, position: int) -> int:
        rows = self.kept.get(sheet, [])
        return rows[position] if 0 <= position < len(rows) else 0
