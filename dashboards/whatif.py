"""What-if changes as pure functions: problem in, new problem (with a baseline) out.

Each ``with_*`` function returns a new, re-validated problem and a one-line
description; ``baseline_*`` attach the published solution so that re-solving
changes as little as possible. ``*_changes`` list exactly what moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from pydantic import ValidationError

from dashboards.optional import feature
from optimizer.errors import InputError, from_validation_error
from optimizer.model.result import Result
from optimizer.model.roster import (
    Baseline,
    BaselineShift,
    CoverDemand,
    RosterProblem,
    Unavailability,
)


def _rebuild(problem: Any, **changes: Any) -> Any:
    data = {name: getattr(problem, name) for name in type(problem).model_fields}
    data.update(changes)
    try:
        return type(problem).model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, file="what-if change") from None


CASE_FORM_FIELDS = {
    "id": "Case id",
    "procedure": "Procedure",
    "name": "Procedure",
    "duration": "Minutes",
    "priority": "Priority",
    "staff": "Named surgeon",
    "team": "Team",
    "role": "Team",
    "count": "Team",
}
"""Task / team fields -> the label of the add-case form field that sets them."""


def _form_error(exc: ValidationError, labels: dict[str, str]) -> InputError:
    """One ``InputError`` naming the form field (by its label) and the broken rule."""
    error = from_validation_error(exc)
    first = exc.errors(include_url=False)[0]
    names = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    label = next((labels[name] for name in names if name in labels), error.field)
    return InputError(error.message, field=label)


def _day(problem: RosterProblem, date: dt.date) -> int:
    day = problem.day_of(date)
    if not 0 <= day < problem.num_days:
        raise InputError(
            f"{date:%d %b %Y} is outside the roster ({problem.start_date:%d %b} – "
            f"{problem.date_of(problem.num_days - 1):%d %b %Y})",
            field="date",
        )
    return day


def with_leave(
    problem: RosterProblem, staff: str, first: dt.date, last: dt.date, reason: str
) -> tuple[RosterProblem, str]:
    """The person is off (leave, sickness) from ``first`` to ``last``; their pins then go."""
    a, b = _day(problem, first), _day(problem, last)
    if b < a:
        raise InputError("the last day is before the first day", field="last")
    leave = Unavailability(staff=staff, first_day=a, last_day=b, reason=reason)
    pins = tuple(p for p in problem.pins if not (p.staff == staff and a <= p.day <= b))
    new = _rebuild(problem, unavailability=(*problem.unavailability, leave), pins=pins)
    span = f"{first:%a %d %b}" if a == b else f"{first:%a %d %b} – {last:%a %d %b}"
    return new, f"{problem.person(staff).label}: {reason}, {span}"


def with_extra_demand(
    problem: RosterProblem,
    first: dt.date,
    last: dt.date,
    shift: str,
    skill: str | None,
    delta: int,
) -> tuple[RosterProblem, str]:
    """``delta`` more staff (with ``skill``) needed on ``shift`` each day of the range."""
    a, b = _day(problem, first), _day(problem, last)
    cover = list(problem.cover)
    for day in range(a, b + 1):
        index = next(
            (
                i
                for i, c in enumerate(cover)
                if c.day == day and c.shift == shift and c.skill == skill
            ),
            None,
        )
        if index is None:
            cover.append(CoverDemand(day=day, shift=shift, skill=skill, required=max(0, delta)))
        else:
            old = cover[index]
            cover[index] = old.model_copy(update={"required": max(0, old.required + delta)})
    new = _rebuild(problem, cover=tuple(cover))
    sign = f"+{delta}" if delta >= 0 else str(delta)
    return new, (
        f"{sign} {skill or 'staff'} on {problem.shift(shift).label} shifts, "
        f"{first:%a %d %b}" + ("" if a == b else f" – {last:%a %d %b}")
    )


def baseline_roster(problem: RosterProblem, result: Result, weight: int = 10) -> RosterProblem:
    """The problem with ``result``'s roster as the published baseline."""
    if result.roster is None:
        raise InputError("there is no roster to keep close to: solve the roster first")
    shifts = tuple(
        BaselineShift(staff=a.staff, day=a.day, shift=a.shift) for a in result.roster.assignments
    )
    return _rebuild(problem, baseline=Baseline(assignments=shifts, change_weight=weight))


def roster_changes(problem: RosterProblem, before: Result, after: Result) -> pd.DataFrame:
    """Every staff-day whose shift changed: who, date, before, after."""
    old = before.roster.by_staff_day() if before.roster else {}
    new = after.roster.by_staff_day() if after.roster else {}
    rows = []
    for staff, day in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        if old.get((staff, day)) == new.get((staff, day)):
            continue
        rows.append(
            {
                "Date": problem.date_of(day).strftime("%a %d %b"),
                "Who": problem.person(staff).label if staff in problem.staff_index else staff,
                "Before": old.get((staff, day)) or "off",
                "After": new.get((staff, day)) or "off",
            }
        )
    return pd.DataFrame(rows, columns=["Date", "Who", "Before", "After"])


def roster_kpi_table(problem: RosterProblem, before: Result, after: Result) -> pd.DataFrame:
    """Baseline and scenario KPIs side by side with the difference."""
    from optimizer.explain.roster import roster_kpis

    def measures(result: Result) -> dict[str, float]:
        if result.roster is None:
            return {}
        k = roster_kpis(problem, result.roster)
        terms = k.cost_by_rule
        return {
            "Coverage met %": k.coverage_met_pct,
            "Requests granted %": k.requests_granted_pct,
            "Shifts worked": k.shifts_worked,
            "Understaffing cost": terms.get("under_cover", 0),
            "Request cost": terms.get("shift_on_request", 0) + terms.get("shift_off_request", 0),
            "Changes to published roster": terms.get("baseline_change", 0),
            "Nights max per person": k.nights.maximum,
            "Weekends max per person": k.weekends.maximum,
        }

    return _side_by_side(measures(before), measures(after))


def _side_by_side(before: dict[str, float], after: dict[str, float]) -> pd.DataFrame:
    rows = []
    for name in before.keys() | after.keys():
        a, b = before.get(name), after.get(name)
        delta = None if a is None or b is None else round(b - a, 1)
        rows.append({"Measure": name, "Baseline": a, "Scenario": b, "Δ": delta})
    order = list(before) + [n for n in after if n not in before]
    frame = pd.DataFrame(rows, columns=["Measure", "Baseline", "Scenario", "Δ"])
    return frame.set_index("Measure").loc[order].reset_index()


# -- case scheduling -----------------------------------------------------------------


def with_added_case(
    problem: Any,
    case_id: str,
    procedure: str,
    duration: int,
    surgeon: str | None,
    roles: dict[str, int],
    day: dt.date | None,
    priority: int,
) -> tuple[Any, str]:
    """A new case (optionally on a given day, by a named surgeon)."""
    from optimizer.model.cases import Task, TeamRequirement

    if not case_id.strip():
        raise InputError("a case id is required", field="Case id")
    if case_id in problem.task_index:
        raise InputError(f"a case with id '{case_id}' already exists", field="Case id")
    release, due = 0, None
    if day is not None and problem.start is not None:
        release = max(0, problem.minute_of(dt.datetime.combine(day, dt.time())))
        due = min(problem.horizon, release + 24 * 60)
    try:
        task = Task(
            id=case_id,
            name=f"{case_id} {procedure}",
            procedure=procedure,
            duration=duration,
            release=release,
            due=due,
            priority=priority,
            optional=True,
            staff=(surgeon,) if surgeon else (),
            team=tuple(TeamRequirement(role=r, count=n) for r, n in roles.items() if n > 0),
        )
    except ValidationError as exc:
        raise _form_error(exc, CASE_FORM_FIELDS) from None
    new = _rebuild(problem, tasks=(*problem.tasks, task))
    when = "" if day is None else f" on {day:%a %d %b}"
    return new, f"added case {case_id}: {procedure}, {duration} min{when}"


def with_closed_room(problem: Any, room: str, day: dt.date | None) -> tuple[Any, str]:
    """The room is closed on ``day`` (or for the whole horizon when None)."""
    from optimizer.model.cases import Opening

    target = problem.room(room)
    if day is None:
        openings: tuple[Any, ...] = (Opening(start=0, end=1, overtime=0),)
        what = "for the whole period"
    else:
        if problem.start is None:
            raise InputError("this case problem has no calendar dates", field="day")
        start = problem.minute_of(dt.datetime.combine(day, dt.time()))
        end = start + 24 * 60
        openings = tuple(
            o for o in problem.openings_of(target) if o.hard_end <= start or o.start >= end
        )
        if not openings:
            openings = (Opening(start=0, end=1, overtime=0),)
        what = f"on {day:%a %d %b}"
    rooms = tuple(
        r.model_copy(update={"openings": openings}) if r.id == room else r for r in problem.rooms
    )
    return _rebuild(problem, rooms=rooms), f"{target.label} closed {what}"


def adopted_plan(problem: Any, result: Result) -> tuple[Any, Result]:
    """The what-if problem without its baseline, and ``result`` costed for it.

    Once adopted, the scenario is the plan: the moves away from the old plan are no
    longer a cost. The objective and terms are recomputed by the independent checker;
    the result is no longer proven optimal for the problem without the baseline.
    """
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    adopted = problem.model_copy(update={"baseline": None})
    report = check(adopted, result)
    status = SolveStatus.FEASIBLE if result.status is SolveStatus.OPTIMAL else result.status
    costed = result.model_copy(
        update={
            "objective": report.objective,
            "terms": report.cost_by_rule(),
            "bound": None,
            "status": status,
        }
    )
    return adopted, costed


def baseline_cases(problem: Any, result: Result) -> Any:
    """The problem with ``result``'s schedule as the published baseline.

    Uses ``optimizer.replan.replan_problem`` when present (it also pins started cases and
    drops optional cases that can no longer be placed).
    """
    from optimizer.model.cases import CaseBaseline

    if result.schedule is None:
        raise InputError("there is no schedule to keep close to: solve the cases first")
    schedule = result.schedule.model_copy(
        update={"tasks": tuple(t for t in result.schedule.tasks if t.task in problem.task_index)}
    )
    replan_problem = feature("optimizer.replan", "replan_problem")
    if replan_problem is not None:
        planned, _fixed, _dropped = replan_problem(problem, schedule)
        return planned
    return _rebuild(problem, baseline=CaseBaseline(schedule=schedule))


def case_hint(planned: Any, result: Result) -> Any:
    """A warm start for the re-plan: a repair of the published schedule if available."""
    repair = feature("optimizer.replan", "repair")
    if repair is None or result.schedule is None:
        return result.schedule
    try:
        return repair(planned, result.schedule)
    except Exception:  # a warm start is optional
        return result.schedule


def case_changes(problem: Any, before: Result, after: Result) -> pd.DataFrame:
    """Every case whose time, room or team changed, or that was added or dropped."""

    def clock(minute: int) -> str:
        when = problem.datetime_of(minute)
        return str(minute) if when is None else when.strftime("%a %d %b %H:%M")

    def describe(placed: Any) -> str:
        if placed is None:
            return "not scheduled"
        return f"{clock(placed.start)} {placed.room or ''} [{', '.join(placed.staff)}]"

    old = before.schedule.by_task() if before.schedule else {}
    new = after.schedule.by_task() if after.schedule else {}
    rows = []
    for task in problem.tasks:
        a, b = old.get(task.id), new.get(task.id)
        same = (a is None and b is None) or (
            a is not None
            and b is not None
            and (a.start, a.room, set(a.staff)) == (b.start, b.room, set(b.staff))
        )
        if not same:
            rows.append(
                {"Case": task.id, "Name": task.label, "Before": describe(a), "After": describe(b)}
            )
    return pd.DataFrame(rows, columns=["Case", "Name", "Before", "After"])


def case_kpi_table(problem: Any, before: Result, after: Result) -> pd.DataFrame:
    """Baseline and scenario case KPIs side by side."""

    def measures(result: Result) -> dict[str, float]:
        if result.schedule is None:
            return {}
        late = 0
        for placed in result.schedule.tasks:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            if task is not None and task.due is not None and placed.end > task.due:
                late += 1
        terms = result.terms
        return {
            "Cases scheduled": len(result.schedule.tasks),
            "Cases unscheduled": len(result.schedule.unscheduled),
            "Late cases": late,
            "Overtime cost": terms.get("overtime", 0),
            "Moves from published schedule": terms.get("baseline_move", 0),
            "Penalty": result.objective or 0,
        }

    return _side_by_side(measures(before), measures(after))


def compare(scenarios: list[Any]) -> pd.DataFrame:
    """One row per scenario: its changes, status, penalty and how much it moved."""
    rows = []
    for sc in scenarios:
        result = sc.result
        if result is None:
            rows.append(
                {
                    "Scenario": sc.name,
                    "Changes": "; ".join(sc.changes),
                    "Status": "running" if sc.job is not None else sc.error,
                }
            )
            continue
        if sc.kind == "roster":
            moved = len(roster_changes(sc.problem, sc.base_result, result))
        else:
            moved = len(case_changes(sc.problem, sc.base_result, result))
        rows.append(
            {
                "Scenario": sc.name,
                "Changes": "; ".join(sc.changes),
                "Status": result.status.value,
                "Penalty": result.objective,
                "Baseline penalty": sc.base_result.objective,
                "Changed": moved,
            }
        )
    columns = ["Scenario", "Changes", "Status", "Penalty", "Baseline penalty", "Changed"]
    return pd.DataFrame(rows, columns=columns)
