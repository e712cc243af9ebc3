"""Reasonable spreadsheet habits are accepted, near misses named (probe P-IMPORT, B and C):
day-first dates as a UK/EU Excel saves them, headers with spaces or a unit, title rows
above the header, near-miss ids, decimal commas and local TRUE/FALSE in a ';' CSV file."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from openpyxl import Workbook as Book

from optimizer.errors import InputError
from optimizer.io.load import load_problem
from optimizer.io.tables.bundle import read_bundle, read_bundle_tables
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.model import Problem
from optimizer.model.cases import CaseProblem
from optimizer.model.roster import RosterProblem
from tests.verify import solve_verified

EXCEL_HINT = "Excel rewrote the dates: format the column as yyyy-mm-dd before saving"


def _template(kind: str = "roster") -> Problem:
    return read_bundle("ward.xlsx", template_xlsx(kind))


def _csv_files(kind: str = "roster") -> dict[str, str]:
    """The template as the texts of a ZIP bundle's CSV files."""
    data = tables_to_zip(read_bundle_tables("ward.xlsx", template_xlsx(kind)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8-sig"))
    return out.getvalue()


def _semicolons(text: str) -> str:
    """A CSV file's text as a European Excel saves it: ``;``-separated, CRLF lines."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()


def _day_first(text: str, separator: str = "/") -> str:
    """Every ``2026-12-07`` as a UK Excel saves it: ``07/12/2026``."""
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", rf"\3{separator}\2{separator}\1", text)


def _messages(name: str, data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_bundle(name, data)
    if isinstance(caught.value, TableErrors):
        return [str(error) for error in caught.value.errors]
    return [str(caught.value)]


def _workbook(change: Callable[[Book], None], kind: str = "roster") -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- B8: day-first text dates ----------------------------------------------------------------


def test_a_zip_bundle_resaved_by_a_uk_excel_reads_as_the_original_and_solves() -> None:
    # every date, start_date too, is 07/12/2026 .. 12/12/2026: no day above 12. Month
    # first the plan is 12 Jul..18 Jul and the request's 12/12 (12 Dec) falls outside it;
    # day first every cover, request and pin date is inside: only that reading is valid
    files = {name: _day_first(text) for name, text in _csv_files().items()}
    files = {name: _semicolons(text) for name, text in files.items()}
    assert "07/12/2026" in files["settings.csv"] and "09/12/2026" in files["leave.csv"]
    problem = read_bundle("ward.zip", _zip(files))
    assert problem == _template()
    result, report = solve_verified(problem, time_limit=3, workers=1, seed=1)
    assert report.feasible
    assert result.objective == report.objective


def test_a_day_above_12_anywhere_decides_day_first_for_the_whole_bundle() -> None:
    # leave on 09/12..10/12 alone could be 12 Sep..12 Oct (leave is clipped, so the plan
    # cannot tell); a second leave row ending 15/12/2026 can only be read day first
    files = _csv_files()
    files["leave.csv"] = _day_first(files["leave.csv"]) + "N01,14/12/2026,15/12/2026,,,no\n"
    problem = read_bundle("ward.zip", _zip(files))
    assert isinstance(problem, RosterProblem)
    template = _template()
    assert isinstance(template, RosterProblem)
    assert problem.unavailability == template.unavailability  # the second row is after the plan


def test_dates_that_could_be_read_both_ways_are_refused_with_both_readings() -> None:
    files = _csv_files()
    files["leave.csv"] = _day_first(files["leave.csv"])
    messages = _messages("ward.zip", _zip(files))
    assert messages == [
        "ward.zip/leave.csv, line 2, column 'first_date': '09/12/2026' could be 9 Dec or "
        f"12 Sep 2026: {EXCEL_HINT}, or use the .xlsx bundle",
        "ward.zip/leave.csv, line 2, column 'last_date': '10/12/2026' could be 10 Dec or "
        f"12 Oct 2026: {EXCEL_HINT}, or use the .xlsx bundle",
    ]


def test_a_month_first_date_is_never_read_even_when_it_would_fit_the_plan() -> None:
    # 12/07/2026 month first is 7 Dec, inside the plan; day first it is 12 Jul, outside
    files = _csv_files()
    files["cover.csv"] = files["cover.csv"].replace("2026-12-07,E", "12/07/2026,E")
    (message,) = _messages("ward.zip", _zip(files))
    assert message.startswith("ward.zip/cover.csv, line 2, column 'date': '12/07/2026' could be")
    assert EXCEL_HINT in message
    # a US date with its day above 12 refuses the whole bundle's slash dates (no guessing)
    files["requests.csv"] = files["requests.csv"].replace("2026-12-12", "12/13/2026")
    files["pins.csv"] = files["pins.csv"].replace("2026-12-07", "13/12/2026")
    messages = _messages("ward.zip", _zip(files))
    assert len(messages) == 3
    assert all(EXCEL_HINT in message for message in messages)


@pytest.mark.parametrize("written", ["13/12/2026", "13.12.2026", "13/12/2026 00:00"])
def test_day_first_dates_with_points_or_a_time_are_read(written: str) -> None:
    files = _csv_files()
    files["pins.csv"] = files["pins.csv"].replace("2026-12-07", written)
    problem = read_bundle("ward.zip", _zip(files))
    assert isinstance(problem, RosterProblem)
    assert [pin.day for pin in problem.pins] == [6]  # 13 Dec, the plan's last day


def test_a_single_digit_day_and_month_are_read() -> None:
    files = _csv_files()
    files["settings.csv"] = files["settings.csv"].replace("2026-12-07", "2026-03-01")
    files["cover.csv"] = files["cover.csv"].replace("2026-12-07", "1/3/2026")
    files["leave.csv"] = files["leave.csv"].replace("2026-12-09", "2026-03-03")
    files["leave.csv"] = files["leave.csv"].replace("2026-12-10", "2026-03-04")
    files["requests.csv"] = files["requests.csv"].replace("2026-12-12", "2026-03-06")
    files["pins.csv"] = files["pins.csv"].replace("2026-12-07", "2026-03-01")
    problem = read_bundle("ward.zip", _zip(files))
    assert isinstance(problem, RosterProblem)
    assert [demand.day for demand in problem.cover] == [0, 0]  # 1 Mar, not 3 Jan


def test_a_date_cell_after_a_day_first_date_keeps_its_file_and_line_in_messages() -> None:
    files = _csv_files()
    files["cover.csv"] = files["cover.csv"].replace("2026-12-07,N", "20/12/2026,N")
    (message,) = _messages("ward.zip", _zip(files))
    assert message == (
        "ward.zip/cover.csv, line 3, column 'date': 2026-12-20 is after the plan's last day "
        "2026-12-13"
    )


def test_text_dates_in_a_workbook_are_read_like_the_csv_ones() -> None:
    def uk(book: Book) -> None:
        book["settings"]["B4"] = "07/12/2026"
        book["cover"]["A2"] = "07/12/2026"

    assert read_bundle("ward.xlsx", _workbook(uk)) == _template()


def test_a_case_bundle_reads_day_first_date_times_when_a_day_is_above_12() -> None:
    files = {name: _day_first(text) for name, text in _csv_files("cases").items()}
    refused = _messages("theatre.zip", _zip(files))
    assert refused[0].startswith("theatre.zip/settings.csv, line 4, column 'start': ")
    assert "'07/12/2026 00:00' could be 7 Dec or 12 Jul 2026: " + EXCEL_HINT in refused[0]
    files["time_off.csv"] += "R1,14/12/2026 08:00,14/12/2026 09:00\n"  # after the plan: dropped
    problem = read_bundle("theatre.zip", _zip(files))
    assert isinstance(problem, CaseProblem)
    assert problem == _template("cases")


# -- B9: headers and settings keys with spaces, hyphens or a unit ----------------------------


@pytest.mark.parametrize(
    ("cell", "header"),
    [
        ("F1", "Max Minutes"),
        ("F1", "max-minutes"),
        ("F1", "max_minutes (min)"),
        ("F1", "Max Minutes (minutes)"),
        ("E1", "Min  Minutes"),
    ],
)
def test_a_header_with_spaces_or_its_unit_reads_as_the_column(cell: str, header: str) -> None:
    def rename(book: Book) -> None:
        book["staff"][cell] = header

    assert read_bundle("ward.xlsx", _workbook(rename)) == _template()


def test_a_unit_matching_an_hours_column_is_dropped_too() -> None:
    def rename(book: Book) -> None:
        book["shifts"]["F1"] = "Min rest hours (h)"
        book["shifts"]["D1"] = "Length Minutes (min)"

    assert read_bundle("ward.xlsx", _workbook(rename)) == _template()


@pytest.mark.parametrize("header", ["Max hours", "max_minutes (h)", "Max Hrs"])
def test_a_header_in_hours_is_refused_with_the_conversion(header: str) -> None:
    def rename(book: Book) -> None:
        book["staff"]["F1"] = header

    (message,) = _messages("ward.xlsx", _workbook(rename))
    assert message.startswith(
        f"ward.xlsx [staff], row 1, column '{header.lower()}': unknown column '{header.lower()}' "
        "(minutes: max_minutes = hours × 60); the staff sheet has the columns id, name,"
    )


def test_an_unknown_header_is_named_as_typed() -> None:
    def rename(book: Book) -> None:
        book["staff"]["M1"] = "Shoe Size"
        book["staff"]["M2"] = 42

    (message,) = _messages("ward.xlsx", _workbook(rename))
    assert "unknown column 'shoe size'; the staff sheet has the columns" in message


@pytest.mark.parametrize("key", ["Start Date", "start-date", " START_DATE "])
def test_a_settings_key_with_spaces_reads_as_the_key(key: str) -> None:
    def rename(book: Book) -> None:
        book["settings"]["A4"] = key

    assert read_bundle("ward.xlsx", _workbook(rename)) == _template()


# -- B7: title and notes rows above the header -----------------------------------------------


def test_a_title_row_above_the_staff_header_is_skipped_and_rows_keep_their_numbers() -> None:
    def title(book: Book) -> None:
        sheet = book["staff"]
        sheet.insert_rows(1, 2)
        sheet["A1"] = "Ward 7B - staff list (Dec 2026)"

    assert read_bundle("ward.xlsx", _workbook(title)) == _template()

    def title_and_bad_cell(book: Book) -> None:
        title(book)
        book["staff"]["G5"] = "lots"  # max_shifts of the second nurse, sheet row 5

    (message,) = _messages("ward.xlsx", _workbook(title_and_bad_cell))
    assert message.startswith("ward.xlsx [staff], row 5, column 'max_shifts': 'lots' must be")


def test_a_merged_title_and_a_note_above_the_header_are_skipped() -> None:
    def notes(book: Book) -> None:
        book["staff"].insert_rows(1, 1)
        book["staff"]["A1"] = "Ward 7B"
        book["staff"].merge_cells("A1:L1")
        book["cover"].insert_rows(1, 2)
        book["cover"]["B1"] = "Note: one row per shift and day"
        book["cover"]["A2"] = "Fill in by Friday"

    assert read_bundle("ward.xlsx", _workbook(notes)) == _template()


def test_a_notes_row_of_several_cells_is_refused_naming_row_1() -> None:
    def notes(book: Book) -> None:
        book["staff"].insert_rows(1, 1)
        book["staff"]["A1"] = "Ward 7B"
        book["staff"]["B1"] = "Dec 2026"

    (message,) = _messages("ward.xlsx", _workbook(notes))
    assert message == (
        "ward.xlsx [staff]:1: row 1 ('Ward 7B') is read as the header but holds none of "
        "the sheet's column names (id, name, grade, skills, min_minutes, max_minutes, "
        "max_shifts, max_shifts_per_type, min_consecutive_work, max_consecutive_work, "
        "min_consecutive_off, max_weekends, roles, overtime); if it is a title or a note, "
        "delete the rows above the header"
    )


def test_a_title_line_above_a_csv_header_is_skipped() -> None:
    files = _csv_files()
    files["cover.csv"] = "Ward 7B cover\n\n" + files["cover.csv"].replace(",100,", ",x,")
    (message,) = _messages("ward.zip", _zip(files))
    assert message.startswith("ward.zip/cover.csv, line 4, column 'under_weight': 'x' must be")


# -- C13: near-miss ids ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "expected"),
    [
        (
            "leave",
            "A2",
            7,
            "unknown staff '7' (did you mean '007'? Excel drops leading zeros: "
            "format the column as Text)",
        ),
        ("leave", "A2", "n02", "unknown staff 'n02' (did you mean 'N02'?)"),
        (
            "leave",
            "A2",
            "Jo Park",
            "unknown staff 'Jo Park' ('Jo Park' is the name of staff 'N02')",
        ),
        ("cover", "B2", "Early", "unknown shift 'Early' ('Early' is the name of shift 'E')"),
        ("cover", "B2", "e", "unknown shift 'e' (did you mean 'E'?)"),
    ],
)
def test_an_unknown_id_names_the_id_it_nearly_is(
    sheet: str, cell: str, value: object, expected: str
) -> None:
    def change(book: Book) -> None:
        book["staff"]["A3"] = "007" if value == 7 else "N02"
        book[sheet][cell] = value

    (message,) = _messages("ward.xlsx", _workbook(change))
    assert message.startswith(f"ward.xlsx [{sheet}], row 2: ")
    assert message.endswith(expected)


def test_an_unknown_id_with_no_near_miss_is_named_plainly() -> None:
    def change(book: Book) -> None:
        book["leave"]["A2"] = "N99"

    assert _messages("ward.xlsx", _workbook(change)) == [
        "ward.xlsx [leave], row 2: unknown staff 'N99'"
    ]


def test_case_ids_name_their_near_misses() -> None:
    files = _csv_files("cases")
    files["tasks.csv"] = files["tasks.csv"].replace(",S1,", ",s1,")
    files["availability.csv"] = files["availability.csv"].replace("S1,", "Dr Okafor,")
    files["openings.csv"] = files["openings.csv"].replace("OR1,", "or1,")
    messages = _messages("theatre.zip", _zip(files))
    assert "theatre.zip/openings.csv, line 2, column 'room': " in messages[0]
    assert any(m.endswith("unknown room 'or1' (did you mean 'OR1'?)") for m in messages)
    assert any(
        m.endswith("unknown staff 'Dr Okafor' ('Dr Okafor' is the name of staff 'S1')")
        for m in messages
    )
    problem = _template("cases")
    assert isinstance(problem, CaseProblem)
    data = problem.model_dump()
    data["tasks"][0]["staff"] = ["s1"]
    with pytest.raises(ValueError, match=r"unknown staff 's1' \(did you mean 'S1'\?\)"):
        CaseProblem.model_validate(data)


# -- B12: decimal commas and local TRUE/FALSE --------------------------------------------------


def test_a_decimal_comma_is_read_in_a_semicolon_csv_only() -> None:
    files = {name: _semicolons(text) for name, text in _csv_files().items()}
    files["shifts.csv"] = files["shifts.csv"].replace(";11.0;", ";11,5;")
    problem = read_bundle("ward.zip", _zip(files))
    assert isinstance(problem, RosterProblem)
    assert problem.shifts[0].min_rest_hours == 11.5
    files = _csv_files()
    files["shifts.csv"] = files["shifts.csv"].replace(",11.0,", ',"11,5",')
    (message,) = _messages("ward.zip", _zip(files))
    assert message.endswith("'11,5' must be a number; use a point: 11.5")


@pytest.mark.parametrize(
    ("no", "yes"),
    [("FALSCH", "WAHR"), ("FAUX", "VRAI"), ("ONWAAR", "WAAR"), ("FALSO", "VERDADERO")],
)
def test_true_and_false_as_local_excels_write_them(no: str, yes: str) -> None:
    files = {name: _semicolons(text) for name, text in _csv_files().items()}
    files["requests.csv"] = files["requests.csv"].replace(";no;", f";{no};")
    files["leave.csv"] = files["leave.csv"].replace(";no", f";{yes}")
    problem = read_bundle("ward.zip", _zip(files))
    assert isinstance(problem, RosterProblem)
    assert [r.want for r in problem.requests] == [False]
    assert [u.counts_toward_hours for u in problem.unavailability] == [True]


# -- the demo round trip stays exact ------------------------------------------------------------


def test_the_demo_ward_round_trips_exactly_through_both_bundles() -> None:
    from pathlib import Path

    problem = load_problem(Path(__file__).resolve().parents[1] / "data" / "demo_ward.json")
    tables = problem_tables(problem)
    assert read_bundle("demo.zip", tables_to_zip(tables)) == problem
    assert read_bundle("demo.xlsx", tables_to_xlsx(tables)) == problem
