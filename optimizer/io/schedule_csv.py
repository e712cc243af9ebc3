"""Case-schedule CSV in the ``task,start,end,staff,resources`` contract.

One row per placed task; ``start``/``end`` are minutes from the horizon start;
``staff`` and ``resources`` hold several ids joined by ``;``. The room, if any,
is the first entry of ``resources``, written ``room:ID`` (ids never contain
``:``), followed by the task's equipment/resources. Given the problem, the reader
also accepts a bare room id (a room id of the problem, anywhere in the list) and
checks every id; a row naming two rooms is refused; tasks of the problem missing
from the file are then listed as unscheduled. ``carealloc check`` reads with
``strict=False``: ids the problem lacks are kept as written, and the checker
reports them as violations, as for a Result JSON.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.io.load import is_whole_number, too_many_digits
from optimizer.io.roster_csv import read_csv_rows
from optimizer.io.tables.cells import short_text
from optimizer.model.cases import CaseProblem
from optimizer.model.common import canonical_id
from optimizer.model.result import CaseSchedule, ScheduledTask

HEADER = ("task", "start", "end", "staff", "resources")
ROOM_PREFIX = "room:"
_COUNTS = {2: "two", 3: "three"}
"""Room counts in words, for the message about a row that names several rooms."""


def _natural(task_id: str) -> tuple[int, int, str]:
    """Sort key: ids of digits alone first, by their value (compared as text, so an id
    of any length sorts), then the others."""
    if is_whole_number(task_id):
        digits = task_id.lstrip("0")
        return (0, len(digits), digits)
    return (1, 0, task_id)


def schedule_to_csv(schedule: CaseSchedule) -> str:
    """The schedule as CSV text, sorted by start then task id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for item in sorted(schedule.tasks, key=lambda t: (t.start, _natural(t.task))):
        used = ([f"{ROOM_PREFIX}{item.room}"] if item.room is not None else []) + list(
            item.resources
        )
        writer.writerow((item.task, item.start, item.end, ";".join(item.staff), ";".join(used)))
    return out.getvalue()


def write_schedule_csv(schedule: CaseSchedule, path: str | Path) -> None:
    """Write the schedule CSV file."""
    Path(path).write_text(schedule_to_csv(schedule), encoding="utf-8")


def _ids(cell: str) -> list[str]:
    """The ids of a cell, as the model stores them (``canonical_id``: ``O’Brien`` is
    ``O'Brien``), so that they are looked up in the problem as written there."""
    return [canonical_id(part) for part in cell.split(";") if part.strip()]


def read_schedule_csv(
    path: str | Path, problem: CaseProblem | None = None, *, strict: bool = True
) -> CaseSchedule:
    """Read a ``task,start,end,staff,resources`` CSV; bad rows name file and line.

    With ``problem`` and ``strict``, an id the problem lacks is refused too; with
    ``strict=False`` only the layout is (header, fields, numbers, a task given twice)
    and unknown ids are left for the checker to report.
    """
    path = Path(path)
    where = str(path)
    rows = read_csv_rows(path)
    if not rows or tuple(cell.strip().lower() for cell in rows[0][1]) != HEADER:
        raise InputError(
            "the first line must be the header task,start,end,staff,resources",
            file=where,
            line=rows[0][0] if rows else 1,
        )
    placed: list[ScheduledTask] = []
    seen: set[str] = set()
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise InputError(
                f"expected 5 fields (task,start,end,staff,resources), found {len(row)}",
                file=where,
                line=line,
            )
        task_id, start, end, staff, used = (cell.strip() for cell in row)
        task_id = canonical_id(task_id)
        if strict and problem is not None and task_id not in problem.task_index:
            raise InputError(f"unknown task '{task_id}'", file=where, line=line, field="task")
        if task_id in seen:
            raise InputError(f"task '{task_id}' appears twice", file=where, line=line, field="task")
        seen.add(task_id)
        for name, value in (("start", start), ("end", end)):
            if not is_whole_number(value):
                raise InputError(
                    f"{name} '{short_text(value)}' must be a whole number of minutes ≥ 0",
                    file=where,
                    line=line,
                    field=name,
                )
            if too_long := too_many_digits(value):
                raise InputError(too_long, file=where, line=line, field=name)
        room, resources = _split_room(_ids(used), problem, where, line)
        if strict and problem is not None:
            for rid in resources:
                if rid not in problem.resource_index:
                    raise InputError(
                        f"unknown room or resource '{rid}'",
                        file=where,
                        line=line,
                        field="resources",
                    )
            if room is not None and room not in problem.room_index:
                raise InputError(f"unknown room '{room}'", file=where, line=line, field="resources")
            for name in _ids(staff):
                if name not in problem.staff_index:
                    raise InputError(
                        f"unknown staff '{name}'", file=where, line=line, field="staff"
                    )
        try:
            placed.append(
                ScheduledTask(
                    task=task_id,
                    start=int(start),
                    end=int(end),
                    room=room,
                    staff=tuple(_ids(staff)),
                    resources=tuple(resources),
                )
            )
        except ValidationError as exc:
            detail = from_validation_error(exc)
            raise InputError(detail.message, file=where, line=line, field=detail.field) from None
    unscheduled = () if problem is None else tuple(t.id for t in problem.tasks if t.id not in seen)
    return CaseSchedule(tasks=tuple(placed), unscheduled=unscheduled)


def _split_room(
    ids: list[str], problem: CaseProblem | None, where: str, line: int
) -> tuple[str | None, list[str]]:
    """(room, other resources) from the ``resources`` cell: the room is the entry
    written ``room:ID`` or, given the problem, the one that is a room id of it (bare
    ids of rooms and resources never clash). Two rooms raise ``InputError``."""
    rooms = [
        rid
        for rid in ids
        if rid.startswith(ROOM_PREFIX) or (problem is not None and rid in problem.room_index)
    ]
    if len(rooms) > 1:
        count = _COUNTS.get(len(rooms), str(len(rooms)))
        raise InputError(
            f"{count} rooms given ({', '.join(rooms)}); a case runs in one room: "
            "keep one room entry",
            file=where,
            line=line,
            field="resources",
        )
    if not rooms:
        return None, ids
    rest = list(ids)
    rest.remove(rooms[0])
    return rooms[0].removeprefix(ROOM_PREFIX), rest
