"""Table errors name the uploaded file's own line (CSV) or sheet row (XLSX).

Blank lines, a header below line 1 and Excel's ``sep=`` line all count, as they do
when the planner opens the file; tables edited in the dashboard keep editor rows.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from dashboards.samples import small_ward
from dashboards.state import Workspace
from dashboards.views.data import UploadProblems, handle_upload
from optimizer.io.tables.bundle import read_bundle, read_bundle_tables
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.from_problem import roster_tables
from optimizer.io.tables.reader import editor_rows, row_numbers
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.io.tables.to_problem import validate_tables


def ward_csvs() -> dict[str, list[str]]:
    """The small ward's ``<sheet>.csv`` files as lists of lines (header first)."""
    return {
        f"{sheet}.csv": frame.to_csv(index=False, lineterminator="\n").splitlines()
        for sheet, frame in roster_tables(small_ward()).items()
    }


def with_cell(line: str, header: str, column: str, value: str) -> str:
    """``line`` (a CSV row under ``header``) with ``column`` set to ``value``."""
    cells = line.split(",")
    cells[header.split(",").index(column)] = value
    return ",".join(cells)


def zip_of(files: dict[str, list[str]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, lines in files.items():
            archive.writestr(name, "\n".join(lines) + "\n")
    return out.getvalue()


def staff_with_blank_lines() -> dict[str, list[str]]:
    """staff.csv: header (line 1), blank (2), N1 (3), blank (4), N2 with max_shifts 'lots' (5)."""
    files = ward_csvs()
    header, first, second, *rest = files["staff.csv"]
    bad = with_cell(second, header, "max_shifts", "lots")
    files["staff.csv"] = [header, "", first, "", bad, *rest]
    return files


def table_errors(name: str, data: bytes) -> TableErrors:
    with pytest.raises(TableErrors) as caught:
        read_bundle(name, data)
    return caught.value


def test_a_csv_cell_error_names_the_file_line_after_blank_lines() -> None:
    caught = table_errors("ward.zip", zip_of(staff_with_blank_lines()))
    assert str(caught) == "ward.zip/staff.csv:5, field 'max_shifts': 'lots' must be a whole number"
    (error,) = caught.errors
    assert (error.file, error.line, error.row) == ("ward.zip/staff.csv", 5, 5)
    assert str(error) == (
        "ward.zip/staff.csv, line 5, column 'max_shifts': 'lots' must be a whole number"
    )


def test_the_separator_line_and_blank_lines_above_the_header_count() -> None:
    files = staff_with_blank_lines()
    files["staff.csv"] = ["sep=,", "", *files["staff.csv"]]  # the header is on line 3
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught).startswith("ward.zip/staff.csv:7, field 'max_shifts': 'lots'")


def test_a_missing_required_column_names_the_header_line() -> None:
    files = ward_csvs()
    shifts = [",".join(line.split(",")[:2] + line.split(",")[3:]) for line in files["shifts.csv"]]
    assert "start" not in shifts[0]
    files["shifts.csv"] = ["", "", *shifts]  # header on line 3
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught) == (
        "ward.zip/shifts.csv:3, field 'start': the required column 'start' is missing"
    )


def test_a_row_after_a_multi_line_cell_is_named_by_the_line_it_starts_on() -> None:
    files = ward_csvs()
    header, first, second, *rest = files["staff.csv"]
    first = with_cell(first, header, "name", '"Ana\nSilva"')  # lines 2 and 3
    files["staff.csv"] = [header, first, with_cell(second, header, "max_shifts", "lots"), *rest]
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught).startswith("ward.zip/staff.csv:4, field 'max_shifts': ")


def test_a_cross_reference_error_lands_on_the_line_of_its_row() -> None:
    files = ward_csvs()
    header, request = files["requests.csv"]
    files["requests.csv"] = [header, "", "", request.replace("N1", "N9", 1)]
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught).startswith("ward.zip/requests.csv:4: ")
    assert "unknown staff 'N9'" in str(caught)


def test_an_error_found_by_id_lands_on_the_line_of_that_id() -> None:
    files = ward_csvs()
    header, first, second, *rest = files["staff.csv"]
    bad = with_cell(second, header, "max_shifts_per_type", "Z=3")  # no shift Z
    files["staff.csv"] = [header, "", first, "", "", bad, *rest]
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught).startswith("ward.zip/staff.csv:6: staff 'N2'"), str(caught)


def test_a_bad_setting_names_the_line_of_its_key() -> None:
    files = ward_csvs()
    files["settings.csv"] = [
        line.replace("num_days,7", "num_days,soon") for line in files["settings.csv"]
    ]
    files["settings.csv"].insert(2, "")  # num_days moves from line 5 to line 6
    caught = table_errors("ward.zip", zip_of(files))
    assert str(caught) == "ward.zip/settings.csv:6, field 'num_days': 'soon' must be a whole number"


def staff_sheet_with_blank_rows() -> bytes:
    """The ward as XLSX; staff: header row 1, blank 2, N1 row 3, blank 4, N2 (bad) row 5."""
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx(roster_tables(small_ward()))))
    sheet = book["staff"]
    sheet.insert_rows(2)
    sheet.insert_rows(4)
    column = [cell.value for cell in sheet[1]].index("max_shifts") + 1
    sheet.cell(5, column).value = "lots"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_cell_error_names_the_sheet_row_excel_shows() -> None:
    caught = table_errors("ward.xlsx", staff_sheet_with_blank_rows())
    assert str(caught) == "ward.xlsx [staff]:5, field 'max_shifts': 'lots' must be a whole number"
    assert str(caught.errors[0]).startswith("ward.xlsx [staff], row 5, column 'max_shifts': ")


def test_an_xlsx_header_below_row_one_counts_the_rows_above_it() -> None:
    book = openpyxl.load_workbook(io.BytesIO(staff_sheet_with_blank_rows()))
    book["staff"].insert_rows(1, amount=2)  # header on row 3, the bad row on 7
    out = io.BytesIO()
    book.save(out)
    caught = table_errors("ward.xlsx", out.getvalue())
    assert str(caught).startswith("ward.xlsx [staff]:7, field 'max_shifts': ")


def test_editor_tables_keep_editor_rows_blank_rows_included() -> None:
    tables = roster_tables(small_ward())
    requests = tables["requests"]
    blank = pd.DataFrame([[None] * len(requests.columns)], columns=requests.columns, dtype=object)
    moved = pd.concat([blank, requests.replace({"N1": "N9"})], ignore_index=True)
    moved.index = pd.RangeIndex(1, len(moved) + 1)  # as the data editor hands it back
    _, errors = validate_tables({**tables, "requests": moved})
    assert [(e.sheet, e.row, e.file, e.line) for e in errors] == [("requests", 2, None, None)]
    assert str(errors[0]).startswith("sheet 'requests', row 2: ")


def test_a_repeated_setting_names_editor_rows_or_file_lines() -> None:
    tables = roster_tables(small_ward())
    settings = tables["settings"]
    twice = pd.concat([settings, settings.iloc[[1]]], ignore_index=True)
    twice.index = pd.RangeIndex(1, len(twice) + 1)
    _, errors = validate_tables({**tables, "settings": twice})
    key = settings.iloc[1]["key"]
    assert f"the setting '{key}' is given twice (rows 2 and {len(twice)})" in str(errors[0])
    files = ward_csvs()
    files["settings.csv"] = [*files["settings.csv"], "", files["settings.csv"][2]]
    message = str(table_errors("ward.zip", zip_of(files)))
    assert f"is given twice (lines 3 and {len(files['settings.csv'])})" in message


def test_file_lines_do_not_leak_into_editor_tables_or_written_bundles() -> None:
    tables = read_bundle_tables("ward.zip", zip_of(staff_with_blank_lines()))
    assert row_numbers(tables["staff"])[:2] == [3, 5]
    shown = editor_rows(tables["staff"])
    assert row_numbers(shown)[:2] == [1, 2] and list(shown.index[:2]) == [1, 2]
    _, errors = validate_tables({**tables, "staff": shown})
    assert [(e.row, e.file) for e in errors] == [(2, None)]
    fixed = {**tables, "staff": tables["staff"].replace({"lots": None})}
    again = read_bundle("again.zip", tables_to_zip(fixed))  # no blank lines written back
    assert again == small_ward()


def test_a_dashboard_upload_names_file_lines_and_the_editor_names_its_rows() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward(days=3))
    messages = handle_upload(ws, "ward.zip", zip_of(staff_with_blank_lines()))
    assert len(messages) == 1
    message = messages[0]
    assert isinstance(message, UploadProblems) and message.kind == "roster"
    assert "1 problem(s) found" in message.text and str(message) == message.text
    assert "ward.zip/staff.csv, line 5, column 'max_shifts'" in message.text
    assert ws.roster.problem == small_ward(days=3)  # nothing in use was replaced
    staff = ws.roster.draft["staff"]
    assert list(staff.index) == [1, 2, 3, 4] and staff.loc[2, "max_shifts"] == "lots"
    _, errors = validate_tables(ws.roster.draft)
    assert [(e.sheet, e.row, e.field, e.file) for e in errors] == [("staff", 2, "max_shifts", None)]
    staff.loc[2, "max_shifts"] = None  # fixed in the editor
    problem, errors = validate_tables(ws.roster.draft)
    assert errors == [] and problem == small_ward()


def test_the_data_page_shows_file_lines_for_the_upload_and_rows_in_the_editor() -> None:
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.element_tree import FileUploader

    def page_script() -> None:
        from dashboards.views import data

        data.render()

    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = AppTest.from_function(page_script, default_timeout=60)
    at.session_state["workspace"] = ws
    at.run()
    uploader = at.get("file_uploader")[0]
    assert isinstance(uploader, FileUploader)
    uploader.upload("ward.zip", zip_of(staff_with_blank_lines()))
    at.run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any("staff.csv, line 5, column 'max_shifts'" in e for e in shown), shown
    assert any(e.startswith("Row 2 · column **max_shifts**") for e in shown), shown
