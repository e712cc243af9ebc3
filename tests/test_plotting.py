"""Plotting: pure (problem, result) -> figure functions carry the right data."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.samples import small_theatre, small_ward
from optimizer.model.result import (
    Assignment,
    CaseSchedule,
    ProgressPoint,
    Result,
    RosterSolution,
    ScheduledTask,
    SolveStatus,
)
from optimizer.plotting import (
    coverage_heatmap,
    gantt_by_room,
    gantt_by_staff,
    minutes_vs_contract,
    progress_chart,
    room_utilisation,
    roster_grid,
)

# Ana (N1) works E on day 0 and 5 (day 5 she asked off), Sam (N3) works L on day 0.
ROSTER = RosterSolution(
    assignments=(
        Assignment(staff="N1", day=0, shift="E"),
        Assignment(staff="N1", day=5, shift="E"),
        Assignment(staff="N3", day=0, shift="L"),
    )
)


def test_roster_grid_colours_shifts_marks_leave_and_requests() -> None:
    problem = small_ward()
    fig = roster_grid(problem, ROSTER)
    heat = fig.data[0]
    assert isinstance(heat, go.Heatmap)
    assert list(heat.y) == ["Ana Silva", "Jo Park", "Sam Lee", "Mei Chen"]
    assert len(heat.x) == 7 and heat.x[0] == "Mon 07 Dec"
    # codes: 0 off, 1 leave, 2 = E, 3 = L
    assert heat.z[0][0] == 2 and heat.text[0][0] == "E"
    assert heat.z[2][0] == 3 and heat.text[2][0] == "L"
    assert heat.z[1][2] == 1 and heat.text[1][2] == "Lv"  # Jo Park's leave
    assert heat.z[3][3] == 0 and heat.text[3][3] == ""
    requests = next(t for t in fig.data if t.name and t.name.startswith("request"))
    assert list(requests.text) == ["✗"]  # Ana's day-off request on day 5 not granted
    assert "NOT granted" in requests.hovertext[0]


def test_coverage_heatmap_shows_assigned_over_required() -> None:
    problem = small_ward(days=2)
    fig = coverage_heatmap(problem, ROSTER)
    heat = fig.data[0]
    assert list(heat.y) == ["E · all", "E · RN", "L · all", "L · RN"]
    # day 0 early: Ana (RN) is on → 1/1 for RN and for all; day 1 early: nobody → 0/1
    assert heat.text[1][0] == "1/1" and heat.z[1][0] == 0
    assert heat.text[1][1] == "0/1" and heat.z[1][1] == -1
    # day 0 late: Sam (HCA) counts for "all" but not for RN
    assert heat.text[2][0] == "1/1" and heat.text[3][0] == "0/1"


def test_minutes_vs_contract_bars_and_limits() -> None:
    problem = small_ward()
    fig = minutes_vs_contract(problem, ROSTER)
    bars, lows, highs = fig.data
    assert list(bars.x) == [16.0, 0.0, 8.0, 0.0]  # hours: Ana 2 × 8 h, Sam 8 h
    assert list(highs.x) == [40.0] * 4
    assert list(lows.x) == [0.0] * 4


def test_progress_chart_has_objective_and_bound_steps() -> None:
    points = [
        ProgressPoint(seconds=0.5, objective=900, bound=100),
        ProgressPoint(seconds=1.5, objective=400, bound=400),
    ]
    fig = progress_chart(Result(status=SolveStatus.OPTIMAL, objective=400, progress=points))
    objective, bound = fig.data
    assert list(objective.y) == [900, 400] and list(bound.y) == [100, 400]
    assert list(objective.x) == [0.5, 1.5]


SCHEDULE = CaseSchedule(
    tasks=(
        ScheduledTask(task="C1", start=480, end=540, room="OR1", staff=("S1", "A1", "R1")),
        ScheduledTask(task="C2", start=900, end=990, room="OR2", staff=("S1", "A1", "R2")),
    ),
    unscheduled=("C3", "C4", "C5"),
)


def test_gantt_by_room_and_by_staff() -> None:
    problem = small_theatre()
    fig = gantt_by_room(problem, SCHEDULE)
    groups = {t.name: t for t in fig.data}
    # C2 is due 14:00 (840) and ends 16:30: late; C1 due 13:00 ends 09:00: on time
    assert list(groups["on time"].text) == ["C1"] and list(groups["late"].text) == ["C2"]
    assert list(groups["late"].y) == ["OR2"]
    assert groups["on time"].x[0] == 60 * 60_000  # 60 minutes in milliseconds (date axis)
    staff_fig = gantt_by_staff(problem, SCHEDULE)
    rows = [y for t in staff_fig.data for y in t.y]
    assert rows.count("Dr Okafor") == 2 and rows.count("Sam Cole") == 1
    assert list(staff_fig.layout.yaxis.categoryarray) == [
        "Dr Okafor",
        "Dr Lee",
        "Sam Cole",
        "Kim Hale",
    ]


def test_room_utilisation_is_case_time_over_open_time() -> None:
    fig = room_utilisation(small_theatre(), SCHEDULE)
    bar = fig.data[0]
    # OR1: 60 of 540 open minutes = 11.1 %; OR2: 90 of 300 = 30 %
    assert list(bar.y) == [11.1, 30.0]
