"""Exports in the planner's words: workbook utilisation as on the Cases page, rule and
room names instead of ids, and download file names that carry the plan and the person."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from dashboards.samples import small_theatre, small_ward
from dashboards.state import Workspace
from dashboards.views.export import download_name, person_file_name
from optimizer.check import check
from optimizer.io.excel_export import export_xlsx
from optimizer.io.ics import safe_file_name, schedule_calendars, slug
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.model.roster import RosterProblem
from optimizer.plotting import room_utilisation
from tests.verify import solve_verified

TIMEOUT = 60
SAFE = re.compile(r"^[a-z0-9_-]+\.[a-z]+$")
"""Lower-case ASCII, digits, '-' and '_' then one extension: valid on every file system."""


def _ward(**changes: Any) -> RosterProblem:
    return RosterProblem.model_validate(small_ward().model_dump() | changes)


def _theatre(**changes: Any) -> CaseProblem:
    return CaseProblem.model_validate(small_theatre().model_dump() | changes)


def _sheet(data: bytes, title: str) -> list[dict[str, Any]]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[title].values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _overtime_result(problem: CaseProblem) -> Result:
    """C5 (120 min) at 16:00–18:00 in OR1 (open 08:00–17:00, 60 min overtime): 60 min of
    overtime; C1 (60 min) at 08:00–09:00 in OR2 (open 08:00–13:00). Checked feasible."""
    team = ("S1", "A1", "R1")
    tasks = (
        ScheduledTask(task="C5", start=960, end=1080, room="OR1", staff=team),
        ScheduledTask(task="C1", start=480, end=540, room="OR2", staff=team),
    )
    schedule = CaseSchedule(tasks=tasks, unscheduled=("C2", "C3", "C4"))
    draft = Result(status=SolveStatus.FEASIBLE, objective=0, schedule=schedule)
    report = check(problem, draft)
    assert report.feasible, report.violations
    return draft.model_copy(update={"objective": report.objective})


# -- 10. the Rooms sheet is the Cases page's utilisation -------------------------------


def test_rooms_sheet_counts_the_overtime_used_as_open_time() -> None:
    problem = small_theatre()
    rooms = _sheet(export_xlsx(problem, _overtime_result(problem)), "Rooms")
    # OR1: 120 booked / (540 open + 60 overtime) = 20.0 % (open hours only gave 22.2 %);
    # OR2: 60 / 300 = 20.0 %.
    assert rooms == [
        {
            "Room": "Theatre 1",
            "Cases": 1,
            "Case hours": 2,
            "Open hours": 9,
            "Overtime min": 60,
            "Idle min": 0,
            "Utilisation %": 20,
        },
        {
            "Room": "Theatre 2",
            "Cases": 1,
            "Case hours": 1,
            "Open hours": 5,
            "Overtime min": 0,
            "Idle min": 0,
            "Utilisation %": 20,
        },
    ]


def test_rooms_sheet_equals_the_cases_page_chart_after_a_solve() -> None:
    problem = small_theatre()
    result, _ = solve_verified(problem, time_limit=5)
    rooms = _sheet(export_xlsx(problem, result), "Rooms")
    chart = room_utilisation(problem, result).data[0]
    assert [r["Room"] for r in rooms] == list(chart.x) == ["Theatre 1", "Theatre 2"]
    assert [r["Utilisation %"] for r in rooms] == list(chart.y)
    assert sum(r["Cases"] for r in rooms) == len(result.schedule.tasks if result.schedule else ())


def test_rooms_sheet_of_a_result_without_schedule_lists_empty_rooms() -> None:
    rooms = _sheet(export_xlsx(small_theatre(), Result(status=SolveStatus.UNKNOWN)), "Rooms")
    assert [(r["Room"], r["Cases"], r["Utilisation %"]) for r in rooms] == [
        ("Theatre 1", 0, 0),
        ("Theatre 2", 0, 0),
    ]


# -- 12. rule and room names ---------------------------------------------------------


def test_penalties_sheet_shows_the_rules_as_the_roster_page_names_them() -> None:
    problem = small_ward()
    result, report = solve_verified(problem, time_limit=5)
    assert report.penalties, "the small ward is understaffed, so it has penalties"
    rules = {row["Rule"] for row in _sheet(export_xlsx(problem, result), "Penalties")}
    assert rules and not rules & {p.rule for p in report.penalties}
    assert "Understaffed shifts" in rules


def test_schedule_and_calendar_use_room_names() -> None:
    problem = small_theatre()
    result = _overtime_result(problem)
    book = export_xlsx(problem, result)
    assert {r["Task"]: r["Room"] for r in _sheet(book, "Schedule")} == {
        "C5": "Theatre 1",
        "C1": "Theatre 2",
    }
    assert {r["Room"] for r in _sheet(book, "By staff")} == {"Theatre 1", "Theatre 2"}
    events = Calendar.from_ical(schedule_calendars(problem, result)["S1"]).walk("VEVENT")
    assert [str(e["location"]) for e in events] == ["Theatre 2", "Theatre 1"]


def test_rooms_sharing_a_name_are_told_apart_by_their_id() -> None:
    data = small_theatre().model_dump()
    data["rooms"][0]["name"] = "Main theatre"
    data["rooms"][1]["name"] = "main THEATRE"
    problem = CaseProblem.model_validate(data)
    result = _overtime_result(problem)
    events = Calendar.from_ical(schedule_calendars(problem, result)["S1"]).walk("VEVENT")
    assert [str(e["location"]) for e in events] == ["main THEATRE (OR2)", "Main theatre (OR1)"]
    rooms = [r["Room"] for r in _sheet(export_xlsx(problem, result), "Rooms")]
    assert rooms == ["Main theatre (OR1)", "main THEATRE (OR2)"]


# -- 14. download file names ---------------------------------------------------------


def test_file_names_carry_the_problem_name_and_first_date() -> None:
    ward, theatre = small_ward(), small_theatre()
    assert download_name(ward, "roster", ".csv") == "small-example-ward_2026-12-07_roster.csv"
    assert download_name(theatre, "schedule", ".xlsx") == (
        "small-example-theatre-day_2026-12-07_schedule.xlsx"
    )
    # abstract time: no date; the model's default name means "unnamed"
    assert download_name(_theatre(start=None), "schedule", ".csv") == (
        "small-example-theatre-day_schedule.csv"
    )
    assert download_name(_ward(name="roster"), "roster", ".csv") == "2026-12-07_roster.csv"
    # a start with a UTC offset keeps its own wall-clock date
    late = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert download_name(_theatre(start=late), "schedule", ".csv").startswith(
        "small-example-theatre-day_2026-12-06_"
    )


def test_file_names_are_safe_on_windows() -> None:
    ward = _ward(name=' Ward 7/B: "Nights" <Mañana>?*| ')
    name = download_name(ward, "roster-calendars", ".zip")
    assert name == "ward-7-b-nights-manana_2026-12-07_roster-calendars.zip"
    assert SAFE.match(name)
    assert safe_file_name("CON", suffix=".ics") == "con_file.ics"
    assert safe_file_name("", "..", suffix=".csv", fallback="plan") == "plan.csv"
    assert len(slug("x" * 500)) == 60


def test_one_persons_calendar_is_named_after_the_person() -> None:
    data = small_ward().model_dump()
    data["staff"][1]["name"] = "José Núñez"
    data["staff"][2]["name"] = "Mei Chen"  # the same name as N4
    data["staff"][0]["name"] = "李伟"  # nothing left in ASCII: the id stands in
    ward = RosterProblem.model_validate(data)
    names = {p.id: person_file_name(ward, p.id) for p in ward.staff}
    stem = "small-example-ward_2026-12-07_"
    assert names == {
        "N1": f"{stem}n1.ics",
        "N2": f"{stem}jose-nunez.ics",
        "N3": f"{stem}mei-chen-n3.ics",
        "N4": f"{stem}mei-chen-n4.ics",
    }
    assert all(SAFE.match(name) for name in names.values())


@pytest.fixture
def file_names(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Download button label -> file name, recorded while the page runs."""
    seen: dict[str, str] = {}
    original = DeltaGenerator.download_button

    def record(self: DeltaGenerator, label: str, *args: Any, **kwargs: Any) -> Any:
        seen[f"{kwargs.get('key')}"] = str(kwargs.get("file_name"))
        return original(self, label, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    yield seen


def page_script() -> None:
    from dashboards.views import export

    export.render()


def test_export_page_names_every_download_after_the_plan(file_names: dict[str, str]) -> None:
    ws = Workspace()
    ward, theatre = small_ward(), small_theatre()
    ws.roster.set_problem(ward)
    ws.roster.set_result(solve_verified(ward, time_limit=5)[0])
    ws.cases.set_problem(theatre)
    ws.cases.set_result(solve_verified(theatre, time_limit=5)[0])
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception
    ward_stem, case_stem = "small-example-ward_2026-12-07", "small-example-theatre-day_2026-12-07"
    assert file_names == {
        "project_json_roster": f"{ward_stem}_roster-project.json",
        "bundle_xlsx_roster": f"{ward_stem}_roster-input.xlsx",
        "bundle_zip_roster": f"{ward_stem}_roster-input.zip",
        "roster_csv": f"{ward_stem}_roster.csv",
        "xlsx_roster": f"{ward_stem}_roster.xlsx",
        "ics_zip_roster": f"{ward_stem}_roster-calendars.zip",
        "ics_one_roster": f"{ward_stem}_ana-silva.ics",
        "project_json_cases": f"{case_stem}_cases-project.json",
        "bundle_xlsx_cases": f"{case_stem}_cases-input.xlsx",
        "bundle_zip_cases": f"{case_stem}_cases-input.zip",
        "schedule_csv": f"{case_stem}_schedule.csv",
        "xlsx_cases": f"{case_stem}_schedule.xlsx",
        "ics_zip_cases": f"{case_stem}_schedule-calendars.zip",
        "ics_one_cases": f"{case_stem}_dr-okafor.ics",
    }
    assert all(SAFE.match(name) and "roster_roster" not in name for name in file_names.values())
