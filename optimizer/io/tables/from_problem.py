"""Problem -> editable tables (dates at the edges, ``;``-separated lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from optimizer.io.tables.sheets import CASE_SHEETS, CASE_WEIGHT_SETTINGS, ROSTER_SHEETS
from optimizer.model.common import format_clock
from optimizer.model.roster import RosterProblem

_DATETIME = "%Y-%m-%d %H:%M"


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
            "counts_toward_hours": "yes" if u.counts_toward_hours else "no",
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
            "key": "start",  # with its UTC offset, when it has one
            "value": "" if problem.start is None else _start_text(problem.start),
        },
        {"key": "horizon", "value": str(problem.horizon)},
        {"key": "turnover", "value": str(problem.turnover)},
        *(
            {"key": key, "value": str(getattr(problem.weights, field))}
            for key, field in CASE_WEIGHT_SETTINGS.items()
        ),
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
        {
            "id": p.id,
            "name": p.name,
            "roles": _join(p.roles),
            "max_minutes": p.max_minutes,
            "overtime": p.overtime,
        }
        for p in problem.staff
    ]

    def on_duty(person: Any) -> list[dict[str, Any]]:
        """A person's on-duty windows (none: always on duty); never on duty in this plan:
        one row with no times."""
        if person.available is None:
            return []
        if not person.available:
            return [{"staff": person.id, "start": None, "end": None}]
        return [
            {"staff": person.id, "start": when(w.start), "end": when(w.end)}
            for w in person.available
        ]

    availability = [row for p in problem.staff for row in on_duty(p)]
    time_off = [
        {"staff": p.id, "start": when(w.start), "end": when(w.end)}
        for p in problem.staff
        for w in p.unavailable
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
        "time_off": time_off,
        "resources": resources,
        "precedences": precedences,
    }
    return {name: _frame(name, rows[name], cols) for name, cols in CASE_SHEETS.items()}


def _start_text(start: dt.datetime) -> str:
    """``2026-12-07 00:00``, or ``2026-12-07 00:00+01:00`` for a start with a UTC offset."""
    return start.isoformat(sep=" ", timespec="minutes")


def problem_tables(problem: Any) -> dict[str, pd.DataFrame]:
    """The tables of a roster or case problem."""
    if isinstance(problem, RosterProblem):
        return roster_tables(problem)
    return case_tables(problem)
