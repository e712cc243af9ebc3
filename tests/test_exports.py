"""Exports and bundle import: XLSX/CSV bundles, readable workbooks, per-staff iCalendar."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from icalendar import Calendar

from dashboards.samples import small_theatre, small_ward
from optimizer.errors import InputError
from optimizer.io.excel_export import export_xlsx
from optimizer.io.ics import calendars_zip, roster_calendars, schedule_calendars
from optimizer.io.tables.bundle import read_bundle, read_bundle_tables
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.io.tables.to_problem import validate_tables
from optimizer.model.result import (
    Assignment,
    CaseSchedule,
    Result,
    RosterSolution,
    ScheduledTask,
    SolveStatus,
)

ROSTER_RESULT = Result(
    status=SolveStatus.FEASIBLE,
    objective=1,
    roster=RosterSolution(
        assignments=(
            Assignment(staff="N1", day=0, shift="E"),
            Assignment(staff="N1", day=1, shift="L"),
            Assignment(staff="N3", day=0, shift="L"),
        )
    ),
)
SCHEDULE_RESULT = Result(
    status=SolveStatus.FEASIBLE,
    objective=0,
    schedule=CaseSchedule(
        tasks=(ScheduledTask(task="C1", start=480, end=540, room="OR1", staff=("S1", "A1")),),
        unscheduled=("C2",),
    ),
)


@pytest.mark.parametrize("problem", [small_ward(), small_theatre()], ids=["roster", "cases"])
def test_bundles_round_trip_as_xlsx_and_csv_zip(problem: object) -> None:
    tables = problem_tables(problem)
    assert read_bundle("p.xlsx", tables_to_xlsx(tables)) == problem
    assert read_bundle("p.zip", tables_to_zip(tables)) == problem


@pytest.mark.parametrize("kind", ["roster", "cases"])
def test_templates_are_valid_bundles(kind: str) -> None:
    problem = read_bundle("template.xlsx", template_xlsx(kind))
    assert problem.kind == kind


def test_bad_cells_are_named_by_sheet_row_and_column() -> None:
    tables = problem_tables(small_ward())
    tables["staff"].loc[3, "max_minutes"] = "many"
    tables["cover"].loc[2, "date"] = "2026-13-01"
    problem, errors = validate_tables(tables)
    assert problem is None
    assert {(e.sheet, e.row, e.field) for e in errors} == {
        ("staff", 3, "max_minutes"),
        ("cover", 2, "date"),
    }
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", tables_to_zip(tables))
    text = str(caught.value)
    assert text.startswith("ward.zip/staff.csv:4, field 'max_minutes': ")  # header + 3
    assert "(and 1 more problem(s))" in text


def test_cross_reference_errors_land_on_their_row() -> None:
    tables = problem_tables(small_ward())
    tables["requests"].loc[1, "staff"] = "N9"
    _, errors = validate_tables(tables)
    assert [(e.sheet, e.row) for e in errors] == [("requests", 1)]
    assert "unknown staff 'N9'" in errors[0].message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.xlsx", b"not a workbook", "not a readable XLSX workbook"),
        ("a.zip", b"PK broken", "not a valid ZIP file"),
        ("a.txt", b"", "must be an .xlsx or .xlsm workbook or a .zip"),
    ],
)
def test_unreadable_bundles_give_one_clear_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_bundle_tables(name, data)


def test_bundle_without_settings_is_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("staff.csv", "id,name\nN1,Ana\n")
    with pytest.raises(InputError, match="no 'settings' sheet"):
        read_bundle_tables("b.zip", archive.getvalue())


def test_roster_workbook_is_readable_by_a_person() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(small_ward(), ROSTER_RESULT)))
    assert book.sheetnames == [
        "Roster",
        "Assignments",
        "Coverage",
        "Hours",
        "Penalties",
        "Summary",
    ]
    grid = book["Roster"]
    assert [c.value for c in grid[1]][:5] == ["Staff", "Name", "Grade", "Mon 07 Dec", "Tue 08 Dec"]
    assert [c.value for c in grid[2]][:5] == ["N1", "Ana Silva", "RN", "E", "L"]
    assert grid.freeze_panes == "A2" and grid["A1"].font.bold
    shifts = book["Assignments"]
    assert [c.value for c in shifts[1]] == ["Date", "Day", "Shift", "Staff", "Name", "Start", "End"]
    first = [c.value for c in shifts[2]]
    assert first[0] == dt.datetime(2026, 12, 7) and first[1] == "Monday"
    assert first[5] == dt.datetime(2026, 12, 7, 7) and first[6] == dt.datetime(2026, 12, 7, 15)
    assert shifts["F2"].number_format == "yyyy-mm-dd hh:mm"
    assert shifts.column_dimensions["E"].width >= len("Ana Silva")


def test_case_workbook_lists_schedule_and_unscheduled() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(small_theatre(), SCHEDULE_RESULT)))
    assert book.sheetnames == ["Schedule", "By staff", "Unscheduled", "Rooms", "Summary"]
    row = [c.value for c in book["Schedule"][2]]
    assert row[:6] == [
        "C1",
        "Case 1",
        "Hernia repair",
        "Theatre 1",
        dt.datetime(2026, 12, 7, 8),
        dt.datetime(2026, 12, 7, 9),
    ]
    assert book["Unscheduled"]["A2"].value == "C2"


def test_one_ics_per_staff_member_with_real_times() -> None:
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    files = roster_calendars(small_ward(), ROSTER_RESULT, stamp=stamp)
    assert sorted(files) == ["N1", "N2", "N3", "N4"]
    events = Calendar.from_ical(files["N1"]).walk("VEVENT")
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (dt.datetime(2026, 12, 7, 7), dt.datetime(2026, 12, 7, 15)),
        (dt.datetime(2026, 12, 8, 14), dt.datetime(2026, 12, 8, 22)),
    ]
    assert str(events[0]["summary"]) == "Early shift"
    assert Calendar.from_ical(files["N2"]).walk("VEVENT") == []
    names = zipfile.ZipFile(io.BytesIO(calendars_zip(files))).namelist()
    assert names == ["N1.ics", "N2.ics", "N3.ics", "N4.ics"]


def test_ics_with_a_time_zone_and_for_a_case_schedule() -> None:
    files = schedule_calendars(small_theatre(), SCHEDULE_RESULT, tz="Europe/London")
    event = Calendar.from_ical(files["S1"]).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.replace(tzinfo=None) == dt.datetime(2026, 12, 7, 8)
    assert str(start.tzinfo) == "Europe/London"
    assert str(event["location"]) == "Theatre 1"
    assert b"BEGIN:VTIMEZONE" in files["S1"]
    with pytest.raises(InputError, match="unknown time zone"):
        schedule_calendars(small_theatre(), SCHEDULE_RESULT, tz="Mars/Olympus")
