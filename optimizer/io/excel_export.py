"""Readable XLSX export of a solved problem: one sheet per view, formatted for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.explain.case_utilisation import room_utilisation, staff_utilisation
from optimizer.io.ics import room_names
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.result import CaseSchedule, Result
from optimizer.model.roster import RosterProblem


def _no_solution(result: Result, what: str, *more: tuple[str, Any]) -> pd.DataFrame:
    """The Summary of a result without a ``what`` (roster, schedule): its status, said
    plainly (``no roster: INFEASIBLE``), the solver's message, the best bound, ``more``."""
    rows: list[tuple[str, Any]] = [
        ("Status", result.status.value),
        (what.capitalize(), f"no {what}: {result.status.value}"),
    ]
    if result.message:
        rows.append(("Message", result.message))
    if result.bound is not None:
        rows.append(("Best bound", result.bound))
    return pd.DataFrame([*rows, *more], columns=["Measure", "Value"])


def _roster_sheets(problem: RosterProblem, result: Result) -> dict[str, pd.DataFrame]:
    if result.roster is None:  # an empty grid and all cover short would look like a roster
        return {"Summary": _no_solution(result, "roster")}
    from optimizer.explain.refusals import why_not_granted
    from optimizer.explain.refusals.why import request_key
    from optimizer.explain.refusals.words import REQUEST_RULES
    from optimizer.explain.roster import RULE_LABELS, WHY_AT_MOST, penalty_breakdown, roster_kpis
    from optimizer.explain.shortfalls import why_short

    roster = result.roster.by_staff_day()
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
    why = {
        (f.day, f.shift, f.skill): f.why
        for f in why_short(problem, result.roster, most=WHY_AT_MOST)
    }
    unexplained = f"not explained: only the {WHY_AT_MOST} costliest are"
    coverage = [
        {
            "Date": dates[c.day],
            "Shift": c.shift,
            "Skill": c.skill or "all",
            "Required": c.required,
            "Assigned": counts.get((c.day, c.shift, c.skill), 0),
            "Short": max(0, c.required - counts.get((c.day, c.shift, c.skill), 0)),
            "Why short": why.get((c.day, c.shift, c.skill), "")
            or (unexplained if c.required > counts.get((c.day, c.shift, c.skill), 0) else ""),
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
            coverage,
            columns=["Date", "Shift", "Skill", "Required", "Assigned", "Short", "Why short"],
        ),
    }
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
                "Leave credit h": round((load.contract_min_minutes - load.min_minutes) / 60, 1),
                "Contract max h": None
                if load.max_minutes is None
                else round(load.max_minutes / 60, 1),
                "Nights": load.nights,
                "Weekends": load.weekends,
            }
            for load in kpis.staff
        ]
    )
    refused = {
        (r.staff, r.day, r.shift, r.want): r.why
        for r in why_not_granted(problem, result.roster, most=WHY_AT_MOST)
    }
    sheets["Penalties"] = pd.DataFrame(
        [
            {
                "Cost": p.cost,
                "Rule": RULE_LABELS.get(p.rule, p.rule),
                "Date": None if p.day is None else problem.date_of(p.day),
                "Staff": ""
                if p.staff is None
                else problem.person(p.staff).label
                if p.staff in problem.staff_index
                else p.staff,
                "What": p.message,
                "Why not granted": refused.get(request_key(p), unexplained)
                if p.rule in REQUEST_RULES
                else "",
            }
            for p in penalty_breakdown(problem, result.roster)
        ],
        columns=["Cost", "Rule", "Date", "Staff", "What", "Why not granted"],
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
    rooms = room_names(problem)
    schedule = result.schedule
    if schedule is None:  # no "Cases unscheduled 0": nothing was scheduled or left out
        summary = _no_solution(result, "schedule", ("Cases in the plan", len(problem.tasks)))
        return {"Summary": summary, "Rooms": _rooms_sheet(problem, CaseSchedule(), rooms)}
    placed = schedule.tasks

    def when(minute: int) -> Any:
        moment = problem.datetime_of(minute)
        return minute if moment is None else moment.replace(tzinfo=None)

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
                "Room": rooms.get(t.room, t.room) if t.room else "",
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
    on_staff = sorted(
        ((names.get(s, s), t) for t in placed for s in t.staff),
        key=lambda pair: (pair[0], pair[1].start),  # the minute, not its text
    )
    by_staff: list[dict[str, Any]] = [
        {
            "Staff": name,
            "Task": t.task,
            "Room": rooms.get(t.room, t.room) if t.room else "",
            "Start": when(t.start),
            "End": when(t.end),
        }
        for name, t in on_staff
    ]
    sheets["By staff"] = pd.DataFrame(
        by_staff,
        columns=["Staff", "Task", "Room", "Start", "End"],
    )
    unscheduled = list(schedule.unscheduled)
    reasons: dict[str, str] = {}
    try:
        reasons = _unscheduled_reasons(problem, result)
    except Exception:  # the explanation is optional in the export
        reasons = {}
    sheets["Unscheduled"] = pd.DataFrame(
        [{"Task": t, "Reason": reasons.get(t, "")} for t in unscheduled], columns=["Task", "Reason"]
    )
    sheets["Rooms"] = _rooms_sheet(problem, schedule, rooms)
    sheets["Summary"] = pd.DataFrame(
        [
            ("Status", result.status.value),
            ("Penalty (objective)", result.objective),
            ("Best bound", result.bound),
            ("Cases scheduled", len(placed)),
            ("Cases unscheduled", len(unscheduled)),
            *_overtime_and_idle_rows(problem, schedule),
        ],
        columns=["Measure", "Value"],
    )
    return sheets


def _overtime_and_idle_rows(problem: Any, schedule: CaseSchedule) -> list[tuple[str, int]]:
    """Minutes of room overtime, staff overtime and idle room time (as on the Cases page)."""
    rooms = room_utilisation(problem, schedule)
    return [
        ("Room overtime (min)", sum(r.overtime_minutes for r in rooms)),
        (
            "Staff overtime (min)",
            sum(p.overtime_minutes for p in staff_utilisation(problem, schedule)),
        ),
        ("Idle room time between cases (min)", sum(r.idle_minutes for r in rooms)),
    ]


def _rooms_sheet(problem: Any, schedule: CaseSchedule, rooms: dict[str, str]) -> pd.DataFrame:
    """Per room: cases, case / open hours, overtime and idle minutes and utilisation, the numbers of
    ``optimizer.explain.case_utilisation`` (as on the Cases page), rounded only here."""
    return pd.DataFrame(
        [
            {
                "Room": rooms.get(util.room, util.name),
                "Cases": util.cases,
                "Case hours": round(util.booked_minutes / 60, 1),
                "Open hours": round(util.open_minutes / 60, 1),
                "Overtime min": util.overtime_minutes,
                "Idle min": util.idle_minutes,
                "Utilisation %": round(100 * util.utilisation, 1),
            }
            for util in room_utilisation(problem, schedule)
        ],
        columns=[
            "Room",
            "Cases",
            "Case hours",
            "Open hours",
            "Overtime min",
            "Idle min",
            "Utilisation %",
        ],
    )


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
    hours, penalties, summary; or schedule, by staff, unscheduled, rooms, summary).
    A result without a roster (schedule), INFEASIBLE say, gives a Summary saying so
    (``no roster: INFEASIBLE``) and no sheet that could pass for a plan (for cases,
    the Rooms sheet of empty rooms follows it).

    Case times are the wall-clock times of the problem's ``start``, in its own UTC
    offset if it has one, written without the offset (Excel has no time zones), as a
    planner reads them. ``extra`` adds (or replaces) sheets; their titles are made
    valid for Excel and kept distinct. Text is always stored as text.
    """
    sheets = (
        _roster_sheets(problem, result)
        if isinstance(problem, RosterProblem)
        else _case_sheets(problem, result)
    )
    if extra:
        sheets.update(extra)
    return tables_to_xlsx(sheets)
