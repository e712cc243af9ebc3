"""Hand-made hospital spreadsheets are never misread silently (probe P-IMPORT, part A):
totals rows, skills spelled another way, hidden rows and columns, leave ending at a
midnight time, hours typed into minutes columns, repeated or contradictory requests."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook as Book
from openpyxl.worksheet.table import Table

from optimizer.errors import InputError
from optimizer.io.load import load_problem
from optimizer.io.tables.bundle import read_bundle, read_bundle_tables
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.reader import editor_rows
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_problem import validate_tables
from optimizer.model.roster import RosterProblem
from tests.verify import solve_verified

DATA = Path(__file__).resolve().parents[1] / "data"


def _workbook(change: Callable[[Book], None]) -> bytes:
    """The roster template with ``change`` made to it, saved."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("roster")))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _template() -> RosterProblem:
    problem = read_bundle("ward.xlsx", template_xlsx("roster"))
    assert isinstance(problem, RosterProblem)
    return problem


def _refusals(change: Callable[[Book], None]) -> list[str]:
    """Every message of reading the changed template (it must be refused)."""
    with pytest.raises(InputError) as caught:
        read_bundle("ward.xlsx", _workbook(change))
    if isinstance(caught.value, TableErrors):
        return [str(error) for error in caught.value.errors]
    return [str(caught.value)]


# -- A1: totals rows ------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Total", "TOTALS", "Grand total:", "sum"])
def test_a_totals_row_under_the_staff_is_refused_naming_its_row(word: str) -> None:
    def totals(book: Book) -> None:
        book["staff"]["A5"] = word  # one blank row under the table, as planners leave it
        book["staff"]["F5"] = 2400

    (message,) = _refusals(totals)
    assert message.startswith("ward.xlsx [staff]:5: ")
    assert f"'{word}' looks like a totals row; delete it" in message


def test_a_totals_row_in_the_first_column_of_the_cover_is_refused() -> None:
    def totals(book: Book) -> None:
        book["cover"].append(["Total", None, None, 2])

    (message,) = _refusals(totals)
    assert message.startswith("ward.xlsx [cover]:4: 'Total' looks like a totals row")


def test_a_totals_row_in_a_csv_bundle_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(_zip_of_template()), "a") as archive:
        staff = archive.read("staff.csv").decode("utf-8-sig")
    members = {"staff.csv": staff + "Total,,,,0,2400\n"}
    with pytest.raises(InputError, match=r"staff\.csv:4: 'Total' looks like a totals row"):
        read_bundle("ward.zip", _zip_of_template(members))


def _zip_of_template(replace: dict[str, str] | None = None) -> bytes:
    """The roster template as a ZIP of CSV files, with some files replaced."""
    from optimizer.io.tables.to_bundle import tables_to_zip

    tables = read_bundle_tables("ward.xlsx", template_xlsx("roster"))
    data = tables_to_zip(tables)
    if not replace:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            text = replace.get(name)
            target.writestr(name, source.read(name) if text is None else text.encode())
    return out.getvalue()


def _excel_table_with_totals(book: Book, marked: bool) -> None:
    """The staff sheet as an Excel Table with a totals row (marked as one, or not)."""
    sheet = book["staff"]
    sheet.append(["Sum of hours", None, None, None, 0, 2400, None, None, None, None, None, None])
    table = Table(displayName="StaffTable", ref="A1:L4")
    if marked:
        table.totalsRowCount = 1
    sheet.add_table(table)


def test_an_excel_tables_totals_row_is_not_read() -> None:
    problem = read_bundle("ward.xlsx", _workbook(lambda b: _excel_table_with_totals(b, True)))
    assert problem == _template()
    # without the Table's mark the same row is data, and a staff id 'Sum of hours' is no
    # totals word: it would be a phantom nurse, which is why the mark is read
    unmarked = read_bundle("ward.xlsx", _workbook(lambda b: _excel_table_with_totals(b, False)))
    assert isinstance(unmarked, RosterProblem)
    assert [person.id for person in unmarked.staff] == ["N01", "N02", "Sum of hours"]


# -- A2: a skill spelled another way -------------------------------------------------------


@pytest.mark.parametrize("typed", ["rn", "R.N.", "r-n", "R N"])
def test_a_cover_skill_spelled_another_way_is_refused_naming_it(typed: str) -> None:
    def respell(book: Book) -> None:
        book["staff"]["D3"] = typed  # Jo Park: RN

    (message,) = _refusals(respell)
    assert message == (
        f"ward.xlsx [staff], row 3, column 'skills': '{typed}' is not a skill any cover "
        "asks for; did you mean 'RN'?"
    )


def test_a_cover_skill_nobody_spells_so_is_refused_on_the_cover_row() -> None:
    def respell(book: Book) -> None:
        book["cover"]["C3"] = "Charge"  # the staff sheet says charge

    (message,) = _refusals(respell)
    assert message == (
        "ward.xlsx [cover], row 3, column 'skill': no staff has the skill 'Charge'; did you "
        "mean 'charge' (as the staff sheet spells it)?"
    )


def test_the_template_skills_read_and_solve_as_written() -> None:
    problem = _template()
    assert [person.skills for person in problem.staff] == [("RN", "charge"), ("RN",)]
    result, report = solve_verified(problem, time_limit=5, workers=1, seed=1)
    assert report.feasible
    assert result.objective == report.objective


# -- A3: hidden rows and columns -----------------------------------------------------------


def test_rows_hidden_by_a_filter_are_refused_in_one_message() -> None:
    def park(book: Book) -> None:
        leave = book["leave"]
        leave.append(["N02", "2026-12-07", "2026-12-13", None, "REJECTED request", "no"])
        leave.append(["N01", "2026-12-08", "2026-12-08", None, "visible", "no"])
        leave.append(["N01", "2026-12-11", "2026-12-11", None, "REJECTED too", "no"])
        leave.auto_filter.ref = "A1:F5"
        leave.row_dimensions[3].hidden = True
        leave.row_dimensions[5].hidden = True

    (message,) = _refusals(park)
    assert message == (
        "ward.xlsx [leave]:3: rows 3, 5 are hidden (by a filter or Hide) but hold data; "
        "unhide or delete them"
    )


def test_a_hidden_column_with_data_is_refused_naming_it() -> None:
    def hide(book: Book) -> None:
        book["staff"].column_dimensions["F"].hidden = True  # max_minutes

    (message,) = _refusals(hide)
    assert message == (
        "ward.xlsx [staff]: column F ('max_minutes') is hidden (by Hide) but holds data; "
        "unhide or delete it"
    )


def test_hidden_rows_and_columns_without_data_are_fine() -> None:
    def hide_empty(book: Book) -> None:
        book["staff"].row_dimensions[7].hidden = True
        book["staff"].column_dimensions["P"].hidden = True

    assert read_bundle("ward.xlsx", _workbook(hide_empty)) == _template()


# -- A4: a leave's last date with a time ---------------------------------------------------


def _leave_ends(value: object, number_format: str | None = None) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        cell = book["leave"]["C2"]  # N02's leave: 2026-12-09 .. 2026-12-10 (days 2..3)
        cell.value = value
        if number_format:
            cell.number_format = number_format

    return change


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        ("2026-12-11 00:00", None, "2026-12-11 00:00"),
        ("2026-12-11T00:00:00", None, "2026-12-11T00:00:00"),
        (dt.datetime(2026, 12, 11), "dd/mm/yyyy hh:mm", "2026-12-11 00:00"),
    ],
)
def test_a_midnight_time_on_the_last_date_is_refused_with_both_readings(
    value: object, number_format: str | None, shown: str
) -> None:
    (message,) = _refusals(_leave_ends(value, number_format))
    assert message == (
        f"ward.xlsx [leave], row 2, column 'last_date': '{shown}' has a midnight time, so "
        "the last day off is ambiguous: 2026-12-10 (an end time at midnight) or 2026-12-11? "
        "write the last day off as a date without a time"
    )


@pytest.mark.parametrize(
    ("value", "number_format"),
    [
        (dt.datetime(2026, 12, 10), "dd/mm/yyyy"),  # a date cell: its midnight is implied
        (dt.datetime(2026, 12, 10, 17, 0), "dd/mm/yyyy hh:mm"),  # ends that afternoon
        ("2026-12-10", None),
    ],
)
def test_a_last_date_without_a_midnight_time_keeps_its_day(
    value: object, number_format: str | None
) -> None:
    problem = read_bundle("ward.xlsx", _workbook(_leave_ends(value, number_format)))
    assert isinstance(problem, RosterProblem)
    assert (problem.unavailability[0].first_day, problem.unavailability[0].last_day) == (2, 3)


def test_a_midnight_time_on_the_first_date_is_its_day() -> None:
    def start_at_midnight(book: Book) -> None:
        book["leave"]["B2"] = dt.datetime(2026, 12, 9)
        book["leave"]["B2"].number_format = "dd/mm/yyyy hh:mm"

    assert read_bundle("ward.xlsx", _workbook(start_at_midnight)) == _template()


# -- A5: hours in a minutes column ---------------------------------------------------------


@pytest.mark.parametrize(("cell", "field"), [("F3", "max_minutes"), ("E3", "min_minutes")])
def test_contract_hours_typed_as_minutes_are_refused_with_the_hint(cell: str, field: str) -> None:
    def hours(book: Book) -> None:
        book["staff"][cell] = 150

    (message,) = _refusals(hours)
    assert message == (
        f"ward.xlsx [staff], row 3, column '{field}': {field} 150 is shorter than the "
        "shortest shift (480 min); hours? 150 h = 9000 min"
    )


def test_a_shift_length_in_hours_is_refused_with_the_hint() -> None:
    def hours(book: Book) -> None:
        book["shifts"]["D2"] = 8

    (message,) = _refusals(hours)
    assert message == (
        "ward.xlsx [shifts], row 2, column 'length_minutes': length_minutes 8 is under an "
        "hour; hours? 8 h = 480 min"
    )


def test_minutes_at_least_a_shift_long_and_zero_are_fine() -> None:
    def minutes(book: Book) -> None:
        book["staff"]["F3"] = 480  # exactly one Early shift
        book["staff"]["E2"] = 0

    problem = read_bundle("ward.xlsx", _workbook(minutes))
    assert isinstance(problem, RosterProblem)
    assert problem.staff[1].contract.max_minutes == 480


def test_the_hours_check_is_for_uploaded_files_only() -> None:
    tables = read_bundle_tables("ward.xlsx", _workbook(lambda b: b["staff"].__setitem__("F3", 150)))
    problem, errors = validate_tables({sheet: editor_rows(t) for sheet, t in tables.items()})
    assert errors == []  # typed in the editor: the number is what was meant
    assert problem.staff[1].contract.max_minutes == 150


def test_project_json_files_load_unchanged() -> None:
    files = sorted(DATA.glob("*.json"))
    assert files
    for path in files:
        if "kind" in json.loads(path.read_text()):
            load_problem(path)  # short shifts or caps in JSON are never second-guessed


# -- A6: repeated and contradictory requests -----------------------------------------------


def test_a_repeated_request_is_refused_naming_both_rows() -> None:
    def again(book: Book) -> None:
        book["requests"].append(["N01", "2026-12-12", None, "no", 2])

    (message,) = _refusals(again)
    assert message == (
        "ward.xlsx [requests], row 3: repeats the request of row 2 (same staff, date and "
        "shift); give it once"
    )


def test_contradicting_requests_are_refused() -> None:
    def both(book: Book) -> None:
        book["requests"].append(["N01", "2026-12-12", None, "yes", 1])

    (message,) = _refusals(both)
    assert message == (
        "ward.xlsx [requests], row 3: contradicts the request of row 2: the same staff, date and "
        "shift wanted both on and off; keep the one that holds"
    )


def test_requests_for_other_shifts_or_days_are_kept() -> None:
    def more(book: Book) -> None:
        book["requests"].append(["N01", "2026-12-12", "E", "yes", 1])
        book["requests"].append(["N01", "2026-12-13", None, "no", 2])

    problem = read_bundle("ward.xlsx", _workbook(more))
    assert isinstance(problem, RosterProblem)
    assert len(problem.requests) == 3
    result, report = solve_verified(problem, time_limit=5, workers=1, seed=1)
    assert report.feasible
    assert result.objective == report.objective


# -- B10, C14: decomposed accents; every row of a repeated id ------------------------------


def test_an_id_with_a_combining_accent_is_the_same_id_as_the_composed_one() -> None:
    decomposed, composed = "Jose\u0301", "Jos\u00e9"

    def rename(book: Book) -> None:
        book["staff"]["A3"] = decomposed  # pasted from macOS or a PDF
        book["leave"]["A2"] = composed  # typed on Windows

    problem = read_bundle("ward.xlsx", _workbook(rename))
    assert isinstance(problem, RosterProblem)
    assert problem.staff[1].id == composed
    assert problem.unavailability[0].staff == composed


def test_a_repeated_staff_id_names_every_row() -> None:
    def again(book: Book) -> None:
        book["staff"].append(["N02", "Jo Park again"])

    (message,) = _refusals(again)
    assert message == "ward.xlsx [staff], row 3: staff id 'N02' is used 2 times (rows 3 and 4)"
