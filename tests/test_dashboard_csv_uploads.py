"""The Data page takes a bundle's CSV files as they are, several at once, read together as
one bundle (as a ZIP of them); files chosen together that are not all CSV are refused."""

from __future__ import annotations

import io
import zipfile

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from dashboards.samples import small_theatre, small_ward
from dashboards.state import Workspace
from dashboards.uploads import new_files
from dashboards.views.data import UploadProblems, handle_uploads
from optimizer.io.project import problem_to_json
from optimizer.io.tables.bundle import read_bundle_tables, read_csv_files_tables
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.model import Problem
from tests.test_dashboard_state import app_test

CSV = "text/csv"


def csv_files(problem: Problem) -> list[tuple[str, bytes]]:
    """A problem's CSV files as the export writes them (its ZIP, unpacked)."""
    with zipfile.ZipFile(io.BytesIO(tables_to_zip(problem_tables(problem)))) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def uploader(at: AppTest) -> FileUploader:
    element = at.get("file_uploader")[0]
    assert isinstance(element, FileUploader)
    return element


def choose(at: AppTest, files: list[tuple[str, bytes]], mime: str = CSV) -> AppTest:
    """The planner chooses ``files`` together (the uploader keeps earlier ones too)."""
    element = uploader(at)
    for name, data in files:
        element.upload(name, data, mime)
    at.run()
    assert not at.exception, at.exception
    return at


def workspace() -> Workspace:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    return ws


def test_the_uploader_takes_several_files_csv_and_xlsm() -> None:
    at = app_test(workspace())
    element = uploader(at)
    assert element.accept_multiple_files
    assert {".csv", ".txt", ".tsv", ".json", ".xlsx", ".xlsm", ".zip"} <= set(element.allowed_type)
    captions = " ".join(c.value for c in at.caption)
    assert "CSV files can be uploaded as they are" in captions
    assert "CSV files as they are" in element.label


def test_csv_files_read_together_as_the_zip_of_them() -> None:
    problem = small_ward(days=3)
    files = csv_files(problem)
    tables = read_csv_files_tables("7 CSV files", files)
    same = read_bundle_tables("ward.zip", tables_to_zip(problem_tables(problem)))
    assert list(tables) == list(same)
    assert all(tables[sheet].equals(frame) for sheet, frame in same.items())


def test_several_csv_files_chosen_at_once_replace_the_problem_as_one_undo_step() -> None:
    ws = workspace()
    at = app_test(ws)
    three = small_ward(days=3)
    at = choose(at, csv_files(three))
    assert not at.error, [e.value for e in at.error]
    assert ws.roster.problem == three
    assert ws.cases.problem == small_theatre()
    assert at.button(key="undo").label == "Undo: upload 7 CSV files"
    ws.roster.set_problem(small_ward(days=4), action="edit")
    at.run()  # the files stay in the uploader: not loaded again
    assert ws.roster.problem == small_ward(days=4)
    at = at.button(key="undo").click().run()
    assert ws.roster.problem == three
    at = at.button(key="undo").click().run()
    assert ws.roster.problem == small_ward()
    assert [s.value for s in at.sidebar.success] == ["Undone: upload 7 CSV files."]


def test_a_case_bundle_as_csv_files() -> None:
    ws = workspace()
    week = small_theatre()
    files = csv_files(week)
    assert not handle_uploads(ws, files)
    assert ws.cases.problem == week


def test_a_bad_cell_in_an_uploaded_csv_file_names_the_file_and_line() -> None:
    ws = workspace()
    files = dict(csv_files(small_ward(days=3)))
    files["shifts.csv"] = files["shifts.csv"].replace(b",480,", b",lots,", 1)
    messages = handle_uploads(ws, list(files.items()))
    assert len(messages) == 1 and isinstance(messages[0], UploadProblems)
    assert messages[0].text.startswith("7 CSV files: 1 problem(s) found.")
    assert "shifts.csv, line 2, column 'length_minutes'" in messages[0].text
    assert ws.roster.problem == small_ward()  # nothing in use was replaced


def test_uploaded_csv_files_follow_the_bundle_rules_naming_the_file() -> None:
    ws = workspace()
    files = [*csv_files(small_ward(days=3)), ("notes.csv", b"what,who\ncake,Ana\n")]
    messages = handle_uploads(ws, files)
    assert messages == [
        "Could not load 8 CSV files: notes.csv: unknown sheet 'notes'; a roster bundle has "
        "the sheets settings, shifts, staff, cover, leave, requests, pins (rename the sheet "
        "or move its rows to one of these)"
    ]
    latin1 = dict(csv_files(small_ward(days=3)))
    latin1["staff.csv"] = latin1["staff.csv"].replace(b"Ana", "Aná".encode("latin-1"))
    (message,) = handle_uploads(ws, list(latin1.items()))
    assert str(message).startswith(
        "Could not load 7 CSV files: staff.csv:2: the file must be UTF-8 text (byte 0xe1"
    )
    (message,) = handle_uploads(ws, [("rota.csv", b"a,b\n1,2\n"), ("list.csv", b"x\n")])
    assert str(message) == (
        "Could not load 2 CSV files: holds no table bundle: no settings.csv, shifts.csv, "
        "staff.csv, cover.csv, … (a roster) or tasks.csv, rooms.csv, … (cases); CSV files "
        "uploaded together are read as one bundle, one file per sheet"
    )
    assert ws.roster.problem == small_ward()


def test_a_mixed_upload_is_refused_naming_the_files_and_nothing_is_replaced() -> None:
    ws = workspace()
    at = app_test(ws)
    before = at.button(key="undo").label
    three = small_ward(days=3)
    files = [("ward.json", problem_to_json(three).encode()), *csv_files(three)[:2]]
    at = choose(at, files)
    errors = [e.value for e in at.error]
    assert errors == [
        "Could not load ward.json, settings.csv, shifts.csv: several files are read together "
        "only when all are CSV files (.csv, .txt, .tsv), one per sheet of a bundle; upload a "
        "project (.json), a workbook (.xlsx, .xlsm) or a .zip on its own. Nothing was changed."
    ]
    assert ws.roster.problem == small_ward() and ws.cases.problem == small_theatre()
    assert at.button(key="undo").label == before


def test_a_file_chosen_after_others_is_read_on_its_own() -> None:
    ws = workspace()
    at = app_test(ws)
    at = choose(at, csv_files(small_ward(days=3)))
    assert ws.roster.problem == small_ward(days=3)
    five = small_ward(days=5)
    at = choose(at, [("five.json", problem_to_json(five).encode())], "application/json")
    assert not at.error, [e.value for e in at.error]
    assert ws.roster.problem == five
    assert at.button(key="undo").label == "Undo: upload five.json"
    four = small_ward(days=4)
    workbook = tables_to_xlsx(problem_tables(four))
    at = choose(at, [("four.xlsm", workbook)], "application/octet-stream")
    assert not at.error, [e.value for e in at.error]
    assert ws.roster.problem == four
    assert at.button(key="undo").label == "Undo: upload four.xlsm"


def test_new_files_are_those_not_seen_at_the_last_look() -> None:
    class File:
        def __init__(self, name: str, file_id: str) -> None:
            self.name, self.size, self.file_id = name, 3, file_id

    a, b, c = File("a.csv", "1"), File("b.csv", "2"), File("c.json", "3")
    last, fresh = new_files("", [a, b])
    assert fresh == [a, b] and last == "a.csv:3:1\nb.csv:3:2"
    assert new_files(last, [a, b]) == (last, [])  # a rerun: nothing new
    last, fresh = new_files(last, [a, b, c])
    assert fresh == [c]
    assert new_files(last, [a]) == ("a.csv:3:1", [])  # a file taken out: nothing loaded
    assert new_files(last, []) == (last, [])
