"""Cases page: Gantt by room and by staff, unscheduled / late cases with reasons, utilisation."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboards.optional import feature
from dashboards.state import Family, workspace
from dashboards.widgets import solve_controls, status_line
from optimizer.model.result import Result


def _clock(problem: Any, minute: int | None) -> str:
    if minute is None:
        return ""
    when = problem.datetime_of(minute)
    return str(minute) if when is None else when.strftime("%a %d %b %H:%M")


def explanation(problem: Any, result: Result) -> dict[str, str]:
    """Task id -> reason it is unscheduled or late (from ``optimizer.explain.cases``)."""
    explain = feature("optimizer.explain.cases", "explain_schedule")
    if explain is None:
        return {}
    try:
        report = explain(problem, result)
    except Exception as exc:  # shown, never a traceback
        return {"": f"the explanation failed: {exc}"}
    reasons: dict[str, str] = {}
    for item in getattr(report, "tasks", None) or []:
        texts = [str(getattr(r, "message", r)) for r in getattr(item, "reasons", ())]
        reasons[str(item.task)] = "; ".join(texts)
    return reasons


def issues_table(problem: Any, result: Result, reasons: dict[str, str]) -> pd.DataFrame:
    """Unscheduled and late cases, one row each, with the reason."""
    rows = []
    schedule = result.schedule
    if schedule is None:
        return pd.DataFrame(columns=["Case", "Name", "Problem", "Reason"])
    for task_id in schedule.unscheduled:
        task = problem.task(task_id) if task_id in problem.task_index else None
        rows.append(
            {
                "Case": task_id,
                "Name": task.label if task else task_id,
                "Problem": "not scheduled",
                "Reason": reasons.get(task_id, ""),
            }
        )
    for placed in schedule.tasks:
        task = problem.task(placed.task) if placed.task in problem.task_index else None
        if task is None or task.due is None or placed.end <= task.due:
            continue
        rows.append(
            {
                "Case": placed.task,
                "Name": task.label,
                "Problem": f"ends {placed.end - task.due} min after due "
                f"({_clock(problem, task.due)})",
                "Reason": reasons.get(placed.task, ""),
            }
        )
    return pd.DataFrame(rows, columns=["Case", "Name", "Problem", "Reason"])


def kpi_row(family: Family, issues: pd.DataFrame) -> None:
    result = family.result
    assert result is not None and result.schedule is not None
    total = len(family.problem.tasks)
    placed = len(result.schedule.tasks)
    late = int((issues["Problem"] != "not scheduled").sum()) if len(issues) else 0
    rooms, staff, idle = family.cached("minutes", lambda: overtime_and_idle(family))
    # two rows of three: six large metrics in one row cut "118 / 120" to "118 / …" at 1280 px
    cols = [*st.columns(3), *st.columns(3)]
    cols[0].metric("Cases scheduled", f"{placed} / {total}")
    cols[1].metric("Unscheduled", f"{len(result.schedule.unscheduled)}")
    cols[2].metric("Late", f"{late}")
    cols[3].metric(
        "Overtime",
        f"{rooms + staff} min",
        help=f"rooms {rooms} min past their openings, staff {staff} min past their duty",
    )
    cols[4].metric("Idle", f"{idle} min", help="rooms empty between cases beyond turnover")
    cols[5].metric("Penalty", f"{result.objective}")


def overtime_and_idle(family: Family) -> tuple[int, int, int]:
    """Minutes of room overtime, staff overtime and idle room time in the result."""
    from optimizer.explain.case_utilisation import room_utilisation, staff_utilisation

    result = family.result
    assert result is not None and result.schedule is not None
    rooms = room_utilisation(family.problem, result.schedule)
    staff = staff_utilisation(family.problem, result.schedule)
    return (
        sum(r.overtime_minutes for r in rooms),
        sum(p.overtime_minutes for p in staff),
        sum(r.idle_minutes for r in rooms),
    )


def render() -> None:
    """Draw the cases page."""
    st.title("Cases")
    family = workspace().cases
    problem = family.problem
    if problem is None:
        st.info("No case-scheduling problem loaded: use the Data page to load the demo.")
        return
    st.caption(
        f"{problem.name} · {len(problem.tasks)} cases · {len(problem.rooms)} rooms · "
        f"{len(problem.staff)} staff"
    )
    solve_controls(family, default_limit=30)
    status_line(family)
    result = family.result
    if result is None or result.schedule is None:
        if result is not None:
            st.error(f"No schedule: {result.message or result.status.value}")
        return
    from optimizer.plotting import gantt_by_room, gantt_by_staff, room_utilisation

    reasons = family.cached("reasons", lambda: explanation(problem, result))
    issues = family.cached("issues", lambda: issues_table(problem, result, reasons))
    kpi_row(family, issues)
    by_room, by_staff, problems, utilisation = st.tabs(
        ["Gantt by room", "Gantt by staff", "Unscheduled / late", "Utilisation"]
    )
    with by_room:
        st.plotly_chart(
            family.cached("gantt_room", lambda: gantt_by_room(problem, result)), key="gantt_room"
        )
    with by_staff:
        st.plotly_chart(
            family.cached("gantt_staff", lambda: gantt_by_staff(problem, result)),
            key="gantt_staff",
        )
    with problems:
        if len(issues):
            st.dataframe(issues, hide_index=True, width="stretch")
        else:
            st.success("Every case is scheduled and on time.")
        if "" in reasons:
            st.warning(reasons[""])
    with utilisation:
        st.plotly_chart(
            family.cached("utilisation", lambda: room_utilisation(problem, result)),
            key="room_utilisation",
        )


if __name__ == "__main__":  # run as a page by st.navigation
    render()
