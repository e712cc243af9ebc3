"""Bundle uploads: broken CSV/XLSX files give one located message and never lose the problem."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from dashboards.samples import small_theatre, small_ward
from dashboards.state import Workspace, demo_cases, demo_roster
from dashboards.views import data as data_view
from dashboards.views.data import handle_upload
from optimizer.errors import InputError
from optimizer.io.tables.bundle import read_bundle, read_bundle_tables
from optimizer.io.tables.cells import TableErrors, parse_int
from optimizer.io.tables.from_problem import problem_tables, roster_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.io.tables.to_problem import validate_tables
from optimizer.model.roster import RosterProblem

TIMEOUT = 60


def page_script() -> None:
    from dashboards.views import data

    data.render()


def data_page(ws: Workspace) -> AppTest:
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    return at.run()


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    element = at.get("file_uploader")[0]
    assert isinstance(element, FileUploader)
    element.upload(name, content)
    return at.run()


def ward_csvs() -> dict[str, str]:
    """The small ward as ``<sheet>.csv`` texts (as written by the export)."""
    return {
        f"{sheet}.csv": frame.to_csv(index=False, lineterminator="\n")
        for sheet, frame in roster_tables(small_ward()).items()
    }


def zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def ward_zip(**changes: str) -> bytes:
    """The small ward's CSV zip with some sheets replaced (``shifts="..."``)."""
    files = ward_csvs()
    files.update({f"{sheet}.csv": text for sheet, text in changes.items()})
    return zip_of(files)


def shifts_with(old: str, new: str) -> str:
    text = ward_csvs()["shifts.csv"]
    assert old in text
    return text.replace(old, new, 1)


def first_message(content: bytes, name: str = "ward.zip") -> str:
    with pytest.raises(InputError) as caught:
        read_bundle(name, content)
    return str(caught.value)


# 1. parser failures (csv.Error, decoding) become one located InputError


def test_a_cell_over_the_csv_field_limit_names_the_file_and_line() -> None:
    staff = ward_csvs()["staff.csv"].replace("Ana Silva", "A" * 200_000)
    message = first_message(ward_zip(staff=staff))
    assert message.startswith("ward.zip/staff.csv:2: ")
    assert "more than 131,072 characters" in message


def test_an_unclosed_quote_names_the_line_where_the_row_starts() -> None:
    staff = ward_csvs()["staff.csv"] + '"N9,Never closed\n'
    message = first_message(ward_zip(staff=staff))
    assert message.startswith("ward.zip/staff.csv:6: ") and "never closed" in message


def test_latin1_csv_names_the_line_and_the_fix() -> None:
    files: dict[str, str | bytes] = dict(ward_csvs())
    files["staff.csv"] = ward_csvs()["staff.csv"].replace("Jo Park", "Jo Müller").encode("latin-1")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    message = first_message(out.getvalue())
    assert message.startswith("ward.zip/staff.csv:3: ") and "CSV UTF-8" in message


# 2. repeated and blank column names


def test_a_repeated_column_is_refused_naming_sheet_and_column() -> None:
    shifts = shifts_with("id,name,start", "id,name,name")
    message = first_message(ward_zip(shifts=shifts))
    assert message.startswith("ward.zip/shifts.csv:1, field 'name': ")
    assert "appears twice (columns 2 and 3)" in message


def test_a_repeated_column_in_a_workbook_is_refused() -> None:
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx(roster_tables(small_ward()))))
    book["cover"]["D1"] = "shift"
    out = io.BytesIO()
    book.save(out)
    message = first_message(out.getvalue(), "ward.xlsx")
    assert message.startswith("ward.xlsx [cover]:1, field 'shift': ")


def test_values_under_a_blank_header_are_refused() -> None:
    lines = ward_csvs()["staff.csv"].splitlines()
    lines[0] += ","
    lines[1] += ",stray note"
    message = first_message(ward_zip(staff="\n".join(lines) + "\n"))
    assert message.startswith("ward.zip/staff.csv:2: ") and "'stray note'" in message
    assert "no name in the header" in message


def test_empty_unnamed_columns_are_dropped() -> None:
    tables = read_bundle_tables("ward.zip", ward_zip(staff=",\n,\n"))
    assert list(tables["staff"].columns) == [] and len(tables["staff"]) == 0
    cover = "\n".join(line + ",," for line in ward_csvs()["cover.csv"].splitlines()) + "\n"
    assert read_bundle("ward.zip", ward_zip(cover=cover)) == small_ward()


def test_repeated_columns_in_given_tables_are_reported_not_merged() -> None:
    tables = roster_tables(small_ward())
    tables["shifts"].columns = ["id", "name", "name", *tables["shifts"].columns[3:]]
    problem, errors = validate_tables(tables)
    assert problem is None
    assert [(e.sheet, e.field) for e in errors] == [("shifts", "name"), ("shifts", "start")]
    assert "appears 2 times" in errors[0].message


# 3. sheets with unknown names


def test_an_unknown_csv_sheet_is_refused_with_the_expected_names() -> None:
    files = ward_csvs()
    files["demand.csv"] = files.pop("cover.csv")
    message = first_message(zip_of(files))
    assert message.startswith("ward.zip/demand.csv: unknown sheet 'demand'")
    assert "settings, shifts, staff, cover, leave, requests, pins" in message


def test_an_unknown_workbook_sheet_is_refused_but_an_empty_one_is_ignored() -> None:
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx(roster_tables(small_ward()))))
    book.create_sheet("Sheet3")  # empty, as Excel makes them
    out = io.BytesIO()
    book.save(out)
    assert read_bundle("ward.xlsx", out.getvalue()) == small_ward()
    book["cover"].title = "Sheet2"
    out = io.BytesIO()
    book.save(out)
    message = first_message(out.getvalue(), "ward.xlsx")
    assert message.startswith("ward.xlsx [Sheet2]: unknown sheet 'sheet2'")


def test_two_files_for_one_sheet_are_refused() -> None:
    files = ward_csvs()
    files["old/cover.csv"] = files["cover.csv"]
    message = first_message(zip_of(files))
    assert "two sheets are named 'cover'" in message


def test_unknown_or_repeated_settings_are_refused() -> None:
    settings = ward_csvs()["settings.csv"]
    message = first_message(ward_zip(settings=settings + "nights,7\n"))
    assert "ward.zip/settings.csv:6, field 'key': unknown setting 'nights'" in message
    message = first_message(ward_zip(settings=settings + "num_days,3\n"))
    assert "the setting 'num_days' is given twice (lines 5 and 6)" in message


# 4. missing columns and strict times and dates


def test_a_missing_required_column_names_sheet_and_column() -> None:
    shifts = "\n".join(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != 2)
        for line in ward_csvs()["shifts.csv"].splitlines()
    )
    assert "start" not in shifts
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", ward_zip(shifts=shifts + "\n"))
    message = "ward.zip/shifts.csv:1, field 'start': the required column 'start' is missing"
    assert str(caught.value) == message


def test_an_empty_required_cell_is_an_error() -> None:
    shifts = shifts_with("E,Early,07:00", "E,Early,")
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", ward_zip(shifts=shifts))
    assert "ward.zip/shifts.csv:2, field 'start': a value is required" in str(caught.value)


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("7:00", 420), ("07:00:00", 420), ("7:00 PM", 1140), ("07:00 pm", 1140), ("12:00 AM", 0)],
)
def test_clock_times_as_excel_writes_them_are_read_exactly(written: str, minutes: int) -> None:
    problem = read_bundle("ward.zip", ward_zip(shifts=shifts_with("07:00", written)))
    assert isinstance(problem, RosterProblem)
    assert problem.shifts[0].start == minutes


@pytest.mark.parametrize("written", ["07:00:30", "0700", "07.00", "7", "25:00", "13:00 PM"])
def test_other_clock_texts_are_refused_with_sheet_row_and_column(written: str) -> None:
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", ward_zip(shifts=shifts_with("07:00", written)))
    assert str(caught.value).startswith(f"ward.zip/shifts.csv:2, field 'start': '{written}'")


def test_time_and_date_cells_of_a_workbook_are_read() -> None:
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx(roster_tables(small_ward()))))
    book["shifts"]["C2"] = dt.time(7, 0)
    book["cover"]["A2"] = dt.datetime(2026, 12, 7)
    book["settings"]["B4"] = dt.datetime(2026, 12, 7)
    book["shifts"]["D2"] = 480.0
    out = io.BytesIO()
    book.save(out)
    assert read_bundle("ward.xlsx", out.getvalue()) == small_ward()


@pytest.mark.parametrize("written", ["2026-12-07garbage", "12/07/2026", "2026-12-07 23:59"])
def test_dates_are_read_strictly(written: str) -> None:
    cover = ward_csvs()["cover.csv"].replace("2026-12-07", written, 1)
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", ward_zip(cover=cover))
    assert str(caught.value).startswith(f"ward.zip/cover.csv:2, field 'date': '{written}'")


def test_a_midnight_date_time_counts_as_its_date() -> None:
    cover = ward_csvs()["cover.csv"].replace("2026-12-07", "2026-12-07 00:00:00")
    assert read_bundle("ward.zip", ward_zip(cover=cover)) == small_ward()


# 5. problem -> tables -> problem is the identity (case weights included)


@pytest.mark.parametrize("make", [demo_roster, demo_cases, small_theatre], ids=lambda f: f.__name__)
def test_problem_tables_problem_is_the_identity(make: object) -> None:
    assert callable(make)
    problem = make()
    tables = problem_tables(problem)
    assert validate_tables(tables) == (problem, [])
    assert read_bundle("p.xlsx", tables_to_xlsx(tables)) == problem
    assert read_bundle("p.zip", tables_to_zip(tables)) == problem


def test_case_weights_travel_in_the_settings_sheet() -> None:
    problem = demo_cases()
    assert problem.weights.overtime != 1  # not the default, or the test proves nothing
    settings = problem_tables(problem)["settings"]
    values = dict(zip(settings["key"], settings["value"], strict=True))
    assert values["overtime_weight"] == str(problem.weights.overtime)
    settings.loc[settings["key"] == "tardiness_weight", "value"] = "-1"
    _, errors = validate_tables({**problem_tables(problem), "settings": settings})
    assert [(e.sheet, e.field) for e in errors] == [("settings", "tardiness_weight")]


def test_the_demo_case_tables_match_the_problem_in_use() -> None:
    ws = Workspace()
    ws.cases.set_problem(demo_cases())
    at = data_page(ws)
    at.radio(key="data_family").set_value("Case schedule").run()
    assert not at.exception
    assert any("match the problem in use" in s.value for s in at.success)
    assert not at.info
    assert ws.cases.problem == demo_cases()


# 6. semicolon-separated CSV (Excel in European locales)


def test_semicolon_separated_csv_is_read() -> None:
    problem = demo_roster()
    files = {
        f"{sheet}.csv": frame.to_csv(index=False, sep=";", lineterminator="\r\n")
        for sheet, frame in roster_tables(problem).items()
    }
    assert "id;name;grade;skills" in files["staff.csv"]
    assert '"RN;charge' in files["staff.csv"]  # lists are quoted, as Excel does
    assert read_bundle("ward.zip", zip_of(files)) == problem


# 7. whole numbers are exact


def test_long_whole_numbers_are_not_rounded() -> None:
    assert parse_int("99999999999999999999") == 99999999999999999999
    assert parse_int("12345678901234567") == 12345678901234567  # a float would end in 8
    assert parse_int(" 480.0 ") == 480 and parse_int("1e3") == 1000 and parse_int(7.0) == 7
    staff = ward_csvs()["staff.csv"].replace(",2400,", ",99999999999999999999,", 1)
    with pytest.raises(TableErrors) as caught:  # refused by the model's bound, not rounded
        read_bundle("ward.zip", ward_zip(staff=staff))
    assert str(caught.value).startswith("ward.zip/staff.csv:2, field 'max_minutes': ")


@pytest.mark.parametrize("written", ["2.5", "1e400", "ten"])
def test_non_whole_numbers_are_refused_in_whole_number_columns(written: str) -> None:
    staff = ward_csvs()["staff.csv"].replace(",2400,", f",{written},", 1)
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", ward_zip(staff=staff))
    assert str(caught.value).startswith(f"ward.zip/staff.csv:2, field 'max_minutes': '{written}'")


# the upload handler on the data page


def test_upload_of_an_oversized_cell_shows_one_inline_error_and_keeps_the_problem() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    staff = ward_csvs()["staff.csv"].replace("Ana Silva", "A" * 200_000)
    at = upload(data_page(ws), "ward.zip", ward_zip(staff=staff))
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(
        "Could not load ward.zip: ward.zip/staff.csv:2"
    )
    assert ws.roster.problem == small_ward()


def test_upload_with_a_repeated_column_shows_one_inline_error_on_every_rerun() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    staff = ward_csvs()["staff.csv"].replace("id,name,grade", "id,id,grade", 1)
    at = upload(data_page(ws), "ward.zip", ward_zip(staff=staff))
    for _ in range(2):
        assert not at.exception
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and "the column 'id' appears twice" in errors[0]
        assert ws.roster.problem == small_ward()
        at.run()


def test_upload_of_a_sheet_with_blank_headers_does_not_break_the_editor() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = upload(data_page(ws), "ward.zip", ward_zip(staff=",\n,\n"))
    assert not at.exception
    assert list(ws.roster.draft["staff"].columns)[:3] == ["id", "name", "grade"]
    assert ws.roster.problem == small_ward()
    at.run()
    assert not at.exception


def test_upload_with_an_unknown_sheet_shows_an_inline_error() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    files = ward_csvs()
    files["sickness.csv"] = files.pop("leave.csv")
    at = upload(data_page(ws), "ward.zip", zip_of(files))
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "unknown sheet 'sickness'" in errors[0]
    assert ws.roster.problem == small_ward()


def test_upload_missing_a_column_loads_it_empty_for_fixing() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    shifts = "\n".join(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != 2)
        for line in ward_csvs()["shifts.csv"].splitlines()
    )
    at = upload(data_page(ws), "ward.zip", ward_zip(shifts=shifts + "\n"))
    assert not at.exception
    assert list(ws.roster.draft["shifts"].columns)[:3] == ["id", "name", "start"]
    _, errors = validate_tables(ws.roster.draft)
    assert {(e.sheet, e.field, e.message) for e in errors} == {
        ("shifts", "start", "a value is required")
    }
    assert any("problem(s) found" in e.value for e in at.error)
    assert ws.roster.problem == small_ward()


def test_an_unexpected_failure_becomes_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str, data: bytes) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(data_view, "read_bundle_tables", broken)
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    messages = handle_upload(ws, "ward.zip", ward_zip())
    assert len(messages) == 1
    assert str(messages[0]).startswith("Could not load ward.zip: an unexpected error (RuntimeError")
    assert ws.roster.problem == small_ward()


def test_excel_separator_line_is_honoured() -> None:
    files = {name: "sep=;\n" + text.replace(",", ";") for name, text in ward_csvs().items()}
    assert read_bundle("ward.zip", zip_of(files)) == small_ward()
    files["staff.csv"] = files["staff.csv"].replace("N2;", '"N2', 1)
    message = first_message(zip_of(files))
    assert message.startswith("ward.zip/staff.csv:4: ")  # the separator line counts
