"""Edge cases of the exports: formula-like text, offset start times, sheet titles,
the by-staff order, iCalendar UIDs and calendars of people with nothing to do."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from dashboards.samples import small_theatre, small_ward
from optimizer.errors import InputError
from optimizer.io.excel_export import export_xlsx
from optimizer.io.ics import roster_calendars, schedule_calendars
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.io.tables.workbook import sheet_titles
from optimizer.model.cases import CaseProblem
from optimizer.model.result import (
    Assignment,
    CaseSchedule,
    Result,
    RosterSolution,
    ScheduledTask,
    SolveStatus,
)
from optimizer.model.roster import RosterProblem

TRICKY = ["=Smith, J", '=HYPERLINK("http://x","click")', "=RN", "#N/A", "+4-1", "@SUM(1)"]
"""Text openpyxl would store as a formula or an error value, or Excel might evaluate."""


def _ward(**changes: Any) -> RosterProblem:
    return RosterProblem.model_validate(small_ward().model_dump() | changes)


def _theatre(**changes: Any) -> CaseProblem:
    return CaseProblem.model_validate(small_theatre().model_dump() | changes)


def _tricky_ward() -> RosterProblem:
    data = small_ward().model_dump()
    for person, name in zip(data["staff"], TRICKY, strict=False):
        person["name"] = name
    data["staff"][0]["grade"] = "=RN"
    data["staff"][1]["grade"] = "#REF!"
    data["shifts"][0]["name"] = "=Day"
    data["name"] = "=Ward 7"
    return RosterProblem.model_validate(data)


def _roster(*rows: tuple[str, int, str]) -> Result:
    assignments = tuple(Assignment(staff=s, day=d, shift=h) for s, d, h in rows)
    return Result(
        status=SolveStatus.FEASIBLE, objective=0, roster=RosterSolution(assignments=assignments)
    )


def _schedule(*tasks: ScheduledTask) -> Result:
    return Result(status=SolveStatus.FEASIBLE, objective=0, schedule=CaseSchedule(tasks=tasks))


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _cells(book: Any) -> list[Any]:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


# -- formula-like text ----------------------------------------------------------


def test_formula_like_text_is_stored_as_text_in_the_readable_workbook() -> None:
    problem = _tricky_ward()
    book = _book(export_xlsx(problem, _roster(("N1", 0, "E"), ("N2", 0, "L"))))
    assert [c.coordinate for c in _cells(book) if c.data_type in ("f", "e")] == []
    grid = book["Roster"]
    assert [grid.cell(row, 2).value for row in range(2, 6)] == TRICKY[:4]
    assert [grid["C2"].value, grid["C3"].value] == ["=RN", "#REF!"]
    assert book["Assignments"]["C2"].value == "=Day"
    hours = book["Hours"]
    assert [hours.cell(row, 2).value for row in range(2, 6)] == TRICKY[:4]


def _formula_like_ward() -> RosterProblem:
    """The tricky ward without Excel error words, which the reader refuses (next test)."""
    data = _tricky_ward().model_dump()
    data["staff"][3]["name"] = "=N/A"
    data["staff"][1]["grade"] = "=REF"
    return RosterProblem.model_validate(data)


def test_formula_like_text_survives_the_input_bundle_round_trip() -> None:
    problem = _formula_like_ward()
    data = tables_to_xlsx(problem_tables(problem))
    assert [c.coordinate for c in _cells(_book(data)) if c.data_type in ("f", "e")] == []
    back = read_bundle("ward.xlsx", data)
    assert back == problem
    assert back.name == "=Ward 7" and back.shifts[0].name == "=Day"
    assert [(p.name, p.grade) for p in back.staff][:2] == [
        ("=Smith, J", "=RN"),
        (TRICKY[1], "=REF"),
    ]


def test_an_excel_error_word_comes_back_as_a_clear_refusal() -> None:
    # Written as text, but on reading "#REF!" is what a failed formula leaves behind.
    data = tables_to_xlsx(problem_tables(_tricky_ward()))
    with pytest.raises(
        InputError, match=r"\[staff\]:3, field 'grade': holds the Excel error #REF!"
    ):
        read_bundle("ward.xlsx", data)


def test_formula_like_case_names_survive_the_input_bundle_round_trip() -> None:
    data = small_theatre().model_dump()
    data["tasks"][0]["name"] = "=Case 1"
    data["tasks"][0]["procedure"] = "=Hip"
    data["rooms"][0]["name"] = "@Theatre"
    problem = CaseProblem.model_validate(data)
    back = read_bundle("theatre.xlsx", tables_to_xlsx(problem_tables(problem)))
    assert back == problem
    assert (back.tasks[0].name, back.tasks[0].procedure, back.rooms[0].name) == (
        "=Case 1",
        "=Hip",
        "@Theatre",
    )


# -- a case start with a UTC offset -------------------------------------------------

PLUS_ONE = dt.timezone(dt.timedelta(hours=1))
C1_AT_480 = _schedule(ScheduledTask(task="C1", start=480, end=540, room="OR1", staff=("S1",)))


def _offset_theatre() -> CaseProblem:
    return _theatre(start="2026-12-07T00:00:00+01:00")


def test_offset_start_gives_naive_wall_clock_times_in_the_workbook() -> None:
    problem = _offset_theatre()
    assert problem.start is not None and problem.start.utcoffset() == dt.timedelta(hours=1)
    book = _book(export_xlsx(problem, C1_AT_480))
    row = [c.value for c in book["Schedule"][2]]
    assert row[4:6] == [dt.datetime(2026, 12, 7, 8), dt.datetime(2026, 12, 7, 9)]
    assert [c.value for c in book["By staff"][2]][3:] == [
        dt.datetime(2026, 12, 7, 8),
        dt.datetime(2026, 12, 7, 9),
    ]


def _starts(files: dict[str, bytes], person: str) -> list[dt.datetime]:
    return [e.decoded("dtstart") for e in Calendar.from_ical(files[person]).walk("VEVENT")]


def test_offset_start_is_converted_to_the_calendar_zone() -> None:
    problem = _offset_theatre()
    # 08:00+01:00 is 07:00 in London (GMT in December), not 08:00
    london = _starts(schedule_calendars(problem, C1_AT_480, tz="Europe/London"), "S1")
    assert london == [dt.datetime(2026, 12, 7, 8, tzinfo=PLUS_ONE)]
    assert london[0].replace(tzinfo=None) == dt.datetime(2026, 12, 7, 7)
    assert str(london[0].tzinfo) == "Europe/London"
    utc = _starts(schedule_calendars(problem, C1_AT_480), "S1")
    assert utc == [dt.datetime(2026, 12, 7, 7, tzinfo=dt.UTC)]
    assert utc[0].utcoffset() == dt.timedelta(0)


def test_naive_start_keeps_its_wall_clock_in_the_calendar_zone() -> None:
    london = _starts(schedule_calendars(small_theatre(), C1_AT_480, tz="Europe/London"), "S1")
    assert [t.replace(tzinfo=None) for t in london] == [dt.datetime(2026, 12, 7, 8)]
    floating = _starts(schedule_calendars(small_theatre(), C1_AT_480), "S1")
    assert floating == [dt.datetime(2026, 12, 7, 8)]


# -- sheet titles of extra frames ------------------------------------------------------


def test_extra_sheets_are_cut_without_collisions_and_cleaned() -> None:
    extra = {
        "What-if comparison, scenario 1 (baseline)": pd.DataFrame({"x": [1, 2, 3]}),
        "What-if comparison, scenario 1 (agency)": pd.DataFrame({"y": [9]}),
        "Ward A/B: [nights]?*\\": pd.DataFrame({"z": ["ok"]}),
    }
    book = _book(export_xlsx(small_ward(), _roster(("N1", 0, "E")), extra=extra))
    added = book.sheetnames[6:]
    assert added == [
        "What-if comparison, scenario 1 ",
        "What-if comparison, scenari (2)",
        "Ward A_B_ _nights____",
    ]
    assert [[c.value for c in row] for row in book[added[0]].iter_rows()] == [["x"], [1], [2], [3]]
    assert [[c.value for c in row] for row in book[added[1]].iter_rows()] == [["y"], [9]]
    assert [[c.value for c in row] for row in book[added[2]].iter_rows()] == [["z"], ["ok"]]


def test_sheet_titles_are_valid_and_distinct_ignoring_case() -> None:
    titles = sheet_titles(["roster", "Roster", "ROSTER", "", "'quoted'", "History", "a" * 40])
    assert list(titles.values()) == [
        "roster",
        "Roster (2)",
        "ROSTER (3)",
        "Sheet",
        "quoted",
        "History_",
        "a" * 31,
    ]
    bundle = ["settings", "shifts", "staff", "cover"]
    assert sheet_titles(bundle) == {name: name for name in bundle}


# -- by-staff order ----------------------------------------------------------------------


def test_by_staff_sheet_is_in_time_order_for_abstract_minutes() -> None:
    problem = _theatre(start=None)
    result = _schedule(
        ScheduledTask(task="C3", start=1000, end=1045, room="OR1", staff=("S1",)),
        ScheduledTask(task="C1", start=90, end=150, room="OR1", staff=("S1", "A1")),
        ScheduledTask(task="C2", start=200, end=290, room="OR2", staff=("S1",)),
    )
    rows = list(_book(export_xlsx(problem, result))["By staff"].iter_rows(values_only=True))
    assert rows[1:] == [
        ("Dr Lee", "C1", "Theatre 1", 90, 150),
        ("Dr Okafor", "C1", "Theatre 1", 90, 150),
        ("Dr Okafor", "C2", "Theatre 2", 200, 290),
        ("Dr Okafor", "C3", "Theatre 1", 1000, 1045),
    ]


# -- iCalendar UIDs ------------------------------------------------------------------------

SAFE_UID = re.compile(r"[A-Za-z0-9_.~%-]+@carealloc")
LOOKALIKES = ["A B", "A_B", "A+B", "A-B", "A/B", "A#B", "A@B", "A.B"]


def _uids(files: dict[str, bytes]) -> list[str]:
    return [
        str(c["uid"])
        for data in files.values()
        for c in Calendar.from_ical(data).subcomponents
        if "uid" in c
    ]


def test_uids_differ_for_ids_that_differ_only_in_punctuation() -> None:
    data = small_ward(days=1).model_dump()
    data["staff"] = [dict(data["staff"][0], id=i, skills=[]) for i in LOOKALIKES]
    data["cover"], data["unavailability"], data["requests"] = [], [], []
    problem = RosterProblem.model_validate(data)
    result = _roster(*((i, 0, "E") for i in LOOKALIKES))
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    uids = _uids(roster_calendars(problem, result, stamp=stamp))
    assert len(uids) == len(set(uids)) == len(LOOKALIKES)
    assert all(SAFE_UID.fullmatch(u) for u in uids)
    assert uids == _uids(roster_calendars(problem, result, stamp=stamp))  # stable across runs


def test_case_uids_differ_for_task_ids_that_differ_only_in_punctuation() -> None:
    data = small_theatre().model_dump()
    for task, new_id in zip(data["tasks"], ["C 1", "C_1", "C-1", "C.1", "C+1"], strict=True):
        task["id"] = new_id
    problem = CaseProblem.model_validate(data)
    result = _schedule(
        *(
            ScheduledTask(task=t.id, start=480 + 60 * n, end=510 + 60 * n, staff=("S1",))
            for n, t in enumerate(problem.tasks)
        )
    )
    uids = _uids({"S1": schedule_calendars(problem, result)["S1"]})
    assert len(uids) == len(set(uids)) == 5
    assert all(SAFE_UID.fullmatch(u) for u in uids)


# -- people with nothing to do -----------------------------------------------------------------


def _check_valid(data: bytes) -> Calendar:
    """RFC 5545 §3.6: a calendar holds at least one component; each has a UID and DTSTAMP."""
    cal = Calendar.from_ical(data)
    assert cal.subcomponents
    for component in cal.walk():
        if component.name in ("VEVENT", "VJOURNAL"):
            assert "uid" in component and "dtstamp" in component
    return cal


@pytest.mark.parametrize("tz", [None, "Europe/London"])
def test_staff_without_shifts_get_a_valid_calendar_with_no_events(tz: str | None) -> None:
    files = roster_calendars(small_ward(), _roster(("N1", 0, "E")), tz=tz)
    assert sorted(files) == ["N1", "N2", "N3", "N4"]
    for person, data in files.items():
        cal = _check_valid(data)
        events, notes = cal.walk("VEVENT"), cal.walk("VJOURNAL")
        assert (len(events), len(notes)) == ((1, 0) if person == "N1" else (0, 1))
    note = Calendar.from_ical(files["N2"]).walk("VJOURNAL")[0]
    assert note.decoded("dtstart") == dt.date(2026, 12, 7)
    assert str(note["summary"]).startswith("No shifts")
    assert len(set(_uids(files))) == 4


def test_staff_on_no_case_get_a_valid_calendar_with_no_events() -> None:
    files = schedule_calendars(_offset_theatre(), C1_AT_480, tz="Europe/London")
    assert sorted(files) == ["A1", "R1", "R2", "S1"]
    for person, data in files.items():
        cal = _check_valid(data)
        assert len(cal.walk("VEVENT")) == (person == "S1")
        assert len(cal.walk("VJOURNAL")) == (person != "S1")
