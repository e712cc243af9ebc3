"""Cases page: background solve, Gantt by room and staff, issues with reasons, utilisation."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from dashboards.samples import small_theatre
from dashboards.state import Workspace
from dashboards.views.cases import issues_table
from optimizer.check import check
from optimizer.explain.case_utilisation import room_utilisation
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus

TIMEOUT = 60


def page_script() -> None:
    from dashboards.views import cases

    cases.render()


def test_cases_page_solves_and_shows_gantts_and_utilisation() -> None:
    ws = Workspace()
    ws.cases.set_problem(small_theatre())
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception
    at.number_input(key="limit_cases").set_value(5)
    at.number_input(key="workers_cases").set_value(1)
    at.button(key="solve_cases").click().run()
    deadline = time.monotonic() + TIMEOUT
    while ws.cases.job is not None and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    at.run()
    assert not at.exception, at.exception
    result = ws.cases.result
    assert result is not None and result.status is SolveStatus.OPTIMAL
    report = check(ws.cases.problem, result)
    assert report.feasible and report.objective == result.objective
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cases scheduled"] == "5 / 5"
    assert metrics["Unscheduled"] == "0"
    assert result.schedule is not None
    rooms = room_utilisation(ws.cases.problem, result.schedule)
    assert metrics["Idle"] == f"{sum(r.idle_minutes for r in rooms)} min"
    assert metrics["Overtime"] == f"{sum(r.overtime_minutes for r in rooms)} min"  # no staff ot
    assert len(at.get("plotly_chart")) == 3  # by room, by staff, utilisation
    assert [t.label for t in at.tabs] == [
        "Gantt by room",
        "Gantt by staff",
        "Unscheduled / late",
        "Utilisation",
    ]


def test_unscheduled_and_late_cases_are_listed_with_reasons() -> None:
    problem = small_theatre()
    # C1 (due 13:00) placed 14:00–15:00 is 120 min late; C5 left out
    schedule = CaseSchedule(
        tasks=(ScheduledTask(task="C1", start=840, end=900, room="OR1", staff=("S1", "A1", "R1")),),
        unscheduled=("C5",),
    )
    result = Result(status=SolveStatus.FEASIBLE, objective=1, schedule=schedule)
    table = issues_table(problem, result, {"C5": "no room long enough"})
    assert list(table["Case"]) == ["C5", "C1"]
    problems, reasons = list(table["Problem"]), list(table["Reason"])
    assert problems[0] == "not scheduled"
    assert reasons[0] == "no room long enough"
    assert "120 min after due" in problems[1]
