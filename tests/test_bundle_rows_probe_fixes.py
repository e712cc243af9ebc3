"""Probe p2 fixes in table bundles: day-off pins, people never on duty, unknown ids on
their own row, a case start's UTC offset, and messages in sheet terms (not record paths)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import openpyxl
import pandas as pd
import pytest

from dashboards.samples import small_theatre, small_ward
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import CellError, TableErrors
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.io.tables.to_problem import keep_fields_not_in_tables, validate_tables
from optimizer.model.cases import CaseProblem, Precedence
from optimizer.model.roster import Pin, RosterProblem
from tests.verify import solve_verified, verify_result

Tables = dict[str, pd.DataFrame]
WRITERS: dict[str, Callable[[Tables], bytes]] = {"xlsx": tables_to_xlsx, "zip": tables_to_zip}


def _errors(name: str, tables: Tables) -> list[CellError]:
    """The errors of reading ``tables`` written as the file ``name`` (.xlsx or .zip)."""
    data = WRITERS[name.rsplit(".", 1)[1]](tables)
    with pytest.raises(TableErrors) as caught:
        read_bundle(name, data)
    return caught.value.errors


def _places(errors: list[CellError]) -> list[tuple[str | None, int | None, str | None, str]]:
    return [(e.file, e.line, e.field, e.message) for e in errors]


# -- D1: an empty pin shift is a fixed day off ---------------------------------------------


def _ward_with_day_off() -> RosterProblem:
    """The small ward with Ana Silva (N1) pinned off on Tue 8 Dec and Jo (N2) on Early Mon."""
    pins = (Pin(staff="N1", day=1, shift=None), Pin(staff="N2", day=0, shift="E"))
    return small_ward().model_copy(update={"pins": pins})


def test_an_empty_pin_shift_in_a_workbook_is_a_day_off() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("roster")))
    book["pins"].append(["N02", "2026-12-08", None])  # a truly empty cell
    out = io.BytesIO()
    book.save(out)
    problem = read_bundle("ward.xlsx", out.getvalue())
    assert Pin(staff="N02", day=1, shift=None) in problem.pins


@pytest.mark.parametrize("suffix", ["xlsx", "zip"])
def test_a_day_off_pin_survives_the_bundle_round_trip(suffix: str) -> None:
    problem = _ward_with_day_off()
    tables = problem_tables(problem)
    assert tables["pins"].loc[1, "shift"] == ""  # written as an empty cell
    back = read_bundle(f"ward.{suffix}", WRITERS[suffix](tables))
    assert back == problem
    assert back.pins[0].shift is None


def test_applying_table_edits_keeps_a_day_off_pin_and_the_solve_honours_it() -> None:
    problem = _ward_with_day_off()
    rebuilt, errors = validate_tables(problem_tables(problem))  # the Data page's Apply edits
    assert errors == []
    assert rebuilt == problem
    result, _report = solve_verified(rebuilt, time_limit=20)
    verify_result(problem, result)  # also right against the problem as it was
    assert result.roster is not None
    worked = {(a.staff, a.day) for a in result.roster.assignments}
    assert ("N1", 1) not in worked
    assert ("N2", 0) in worked


def test_other_empty_cells_still_take_their_default() -> None:
    tables = problem_tables(_ward_with_day_off())
    tables["requests"].loc[1, "weight"] = ""
    problem, errors = validate_tables(tables)
    assert errors == []
    assert problem.requests[0].shift is None  # empty request shift: any shift
    assert problem.requests[0].weight == 1  # ShiftRequest's default weight
    assert problem.cover[1].skill is None  # empty cover skill: any staff
    assert problem.unavailability[0].shifts is None  # empty leave shifts: the whole day


def test_a_bad_pin_shift_is_still_refused_on_its_row() -> None:
    tables = problem_tables(_ward_with_day_off())
    tables["pins"].loc[1, "shift"] = "X"
    assert _places(_errors("ward.zip", tables)) == [
        ("ward.zip/pins.csv", 2, None, "Ana Silva ('N1') (Tue 8 Dec): unknown shift 'X'")
    ]


# -- D2: a person never on duty ------------------------------------------------------------


def _theatre_with_someone_off_duty() -> CaseProblem:
    """The small theatre with scrub nurse Kim Hale (R2) not on duty at all."""
    problem = small_theatre()
    staff = tuple(
        p.model_copy(update={"available": ()}) if p.id == "R2" else p for p in problem.staff
    )
    return problem.model_copy(update={"staff": staff})


def test_never_on_duty_is_one_availability_row_without_times() -> None:
    rows = problem_tables(_theatre_with_someone_off_duty())["availability"].to_dict("records")
    assert [row["staff"] for row in rows] == ["S1", "A1", "R1", "R2"]
    assert rows[-1] == {"staff": "R2", "start": None, "end": None}


@pytest.mark.parametrize("suffix", ["xlsx", "zip"])
def test_never_on_duty_survives_the_bundle_round_trip(suffix: str) -> None:
    problem = _theatre_with_someone_off_duty()
    back = read_bundle(f"theatre.{suffix}", WRITERS[suffix](problem_tables(problem)))
    assert back == problem
    assert next(p for p in back.staff if p.id == "R2").available == ()
    assert next(p for p in back.staff if p.id == "R1").available is not None


def test_applying_table_edits_keeps_never_on_duty_and_the_solve_honours_it() -> None:
    problem = _theatre_with_someone_off_duty()
    rebuilt, errors = validate_tables(problem_tables(problem))
    assert errors == []
    kept, note = keep_fields_not_in_tables(rebuilt, problem)
    assert (kept, note) == (problem, "")
    back = read_bundle("theatre.xlsx", tables_to_xlsx(problem_tables(problem)))
    result, _report = solve_verified(back, time_limit=20)
    verify_result(problem, result)  # the checker holds it to the original problem
    assert result.schedule is not None and result.schedule.tasks
    assert all("R2" not in task.staff for task in result.schedule.tasks)


def test_never_on_duty_with_windows_on_other_rows_is_refused_on_its_row() -> None:
    tables = problem_tables(_theatre_with_someone_off_duty())
    tables["availability"].loc[5] = ["R2", "2026-12-07 08:00", "2026-12-07 12:00"]
    assert _places(_errors("theatre.zip", tables)) == [
        (
            "theatre.zip/availability.csv",
            5,
            "start",
            "'R2' has on-duty windows on other rows; an empty start and end means not on "
            "duty at all in this plan",
        )
    ]


@pytest.mark.parametrize(
    ("sheet", "blank", "expected"),
    [
        ("availability", ("end",), ["end"]),  # only one time empty: still required
        ("time_off", ("start", "end"), ["start", "end"]),  # time off has no such row
    ],
)
def test_empty_times_elsewhere_are_still_required(
    sheet: str, blank: tuple[str, ...], expected: list[str]
) -> None:
    problem = small_theatre()
    first = problem.staff[0].model_copy(update={"unavailable": problem.staff[0].available})
    tables = problem_tables(problem.model_copy(update={"staff": (first, *problem.staff[1:])}))
    for column in blank:
        tables[sheet].loc[1, column] = ""
    errors = _errors("theatre.zip", tables)
    assert [(e.file, e.line, e.field) for e in errors] == [
        (f"theatre.zip/{sheet}.csv", 2, column) for column in expected
    ]
    assert all(e.message == "a value is required" for e in errors)


# -- D7: unknown ids on the row that holds them --------------------------------------------


def test_unknown_room_and_staff_are_named_on_their_rows() -> None:
    tables = problem_tables(_theatre_with_someone_off_duty())
    unknown = [
        {"room": "OR9", "start": "2026-12-07 08:00", "end": "2026-12-07 12:00", "overtime": 0},
        {"room": "OR9", "start": "2026-12-07 13:00", "end": "2026-12-07 15:00", "overtime": 0},
    ]
    tables["openings"] = pd.concat([tables["openings"], pd.DataFrame(unknown)])
    tables["availability"].loc[3, "staff"] = "S9"
    tables["time_off"] = pd.DataFrame(
        [
            {"staff": "A1", "start": "2026-12-07 10:00", "end": "2026-12-07 11:00"},
            {"staff": "X7", "start": "2026-12-07 10:00", "end": "2026-12-07 11:00"},
        ]
    )
    assert sorted(_places(_errors("theatre.xlsx", tables))) == [
        ("theatre.xlsx [availability]", 4, "staff", "unknown staff 'S9'"),
        ("theatre.xlsx [openings]", 4, "room", "unknown room 'OR9'"),  # its first row
        ("theatre.xlsx [time_off]", 3, "staff", "unknown staff 'X7'"),
    ]


def test_unknown_staff_in_roster_sheets_is_named_on_its_row() -> None:
    tables = problem_tables(_ward_with_day_off())
    tables["pins"].loc[2, "staff"] = "N9"
    tables["requests"].loc[1, "staff"] = "N8"
    errors = _errors("ward.zip", tables)
    assert [(e.file, e.line) for e in errors] == [
        ("ward.zip/requests.csv", 2),
        ("ward.zip/pins.csv", 3),
    ]
    assert errors[0].message == "'N8' (Sat 12 Dec): unknown staff 'N8'"
    assert errors[1].message == "'N9' (Mon 7 Dec): unknown staff 'N9'"


# -- D9: a case start's UTC offset ---------------------------------------------------------


def _theatre_at(start: dt.datetime) -> CaseProblem:
    return _theatre_with_someone_off_duty().model_copy(update={"start": start})


@pytest.mark.parametrize("suffix", ["xlsx", "zip"])
def test_a_start_offset_survives_the_bundle_round_trip(suffix: str) -> None:
    plus_one = dt.timezone(dt.timedelta(hours=1))
    problem = CaseProblem.model_validate(
        {**_theatre_at(dt.datetime(2026, 12, 7)).model_dump(), "start": "2026-12-07T00:00+01:00"}
    )
    assert problem.start == dt.datetime(2026, 12, 7, tzinfo=plus_one)
    tables = problem_tables(problem)
    settings = dict(zip(tables["settings"]["key"], tables["settings"]["value"], strict=True))
    assert settings["start"] == "2026-12-07 00:00+01:00"
    assert tables["openings"].loc[1, "start"] == "2026-12-07 08:00"  # wall clock, in it
    back = read_bundle(f"theatre.{suffix}", WRITERS[suffix](tables))
    assert back == problem
    assert back.start is not None and back.start.utcoffset() == dt.timedelta(hours=1)
    assert back.datetime_of(480) == dt.datetime(2026, 12, 7, 7, tzinfo=dt.UTC)


def test_a_start_without_offset_is_written_as_before() -> None:
    tables = problem_tables(_theatre_at(dt.datetime(2026, 12, 7, 6, 30)))
    settings = dict(zip(tables["settings"]["key"], tables["settings"]["value"], strict=True))
    assert settings["start"] == "2026-12-07 06:30"
    back, errors = validate_tables(tables)
    assert errors == [] and back.start == dt.datetime(2026, 12, 7, 6, 30)
    assert back.start.tzinfo is None


# -- D10: messages in sheet terms ----------------------------------------------------------


def test_leave_of_unknown_staff_reads_without_the_record_path() -> None:
    tables = problem_tables(small_ward())
    tables["leave"].loc[2] = ["N99", "2026-12-08", "2026-12-08", "", "leave", "no"]
    (error,) = _errors("ward.xlsx", tables)
    assert str(error.as_input_error()) == "ward.xlsx [leave]:3: unknown staff 'N99'"


def test_cover_and_pin_messages_read_without_the_record_path() -> None:
    tables = problem_tables(_ward_with_day_off())
    tables["cover"] = pd.concat([tables["cover"], tables["cover"].iloc[[4]]], ignore_index=True)
    tables["pins"].loc[3] = ["N1", "2026-12-08", "E"]
    errors = _errors("ward.zip", tables)
    assert _places(errors) == [
        (
            "ward.zip/cover.csv",
            30,
            None,
            "Early on Tue 8 Dec: duplicate demand for skill 'RN'",
        ),
        (
            "ward.zip/pins.csv",
            4,
            None,
            "Ana Silva ('N1') (Tue 8 Dec): the day is pinned twice (a day off and Early)",
        ),
    ]
    assert not any("[" in e.message for e in errors)


def test_precedence_messages_read_without_the_record_path() -> None:
    problem = small_theatre()
    tables = problem_tables(
        problem.model_copy(update={"precedences": (Precedence(before="C1", after="C2"),)})
    )
    tables["precedences"].loc[1, "after"] = "C9"
    assert _places(_errors("theatre.zip", tables)) == [
        ("theatre.zip/precedences.csv", 2, None, "'C1' → 'C9': unknown task 'C9'")
    ]


def test_a_naive_time_is_read_in_the_start_offset() -> None:
    """The dashboard's date pickers give naive times; a start with an offset keeps them local."""
    from optimizer.model.cases import CaseProblem, Task

    tasks = (Task(id="a", duration=30),)
    start = dt.datetime.fromisoformat("2026-12-07T00:00+01:00")
    problem = CaseProblem(start=start, horizon=1440, tasks=tasks)
    assert problem.minute_of(dt.datetime(2026, 12, 7, 8, 0)) == 480
    assert problem.minute_of(dt.datetime.fromisoformat("2026-12-07T07:00+00:00")) == 480
    naive = CaseProblem(start=dt.datetime(2026, 12, 7), horizon=1440, tasks=tasks)
    assert naive.minute_of(dt.datetime.fromisoformat("2026-12-07T08:00+01:00")) == 480
