"""Data page: the demo loads, uploads validate inline, broken files never lose data."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from dashboards.samples import small_ward
from dashboards.state import Workspace, demo_cases, demo_roster
from dashboards.views.data import handle_upload
from optimizer.io.project import problem_to_json
from optimizer.io.tables.from_problem import roster_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip

TIMEOUT = 60


def page_script() -> None:
    from dashboards.views import data

    data.render()


def uploader(at: AppTest) -> FileUploader:
    element = at.get("file_uploader")[0]
    assert isinstance(element, FileUploader)
    return element


def data_page(ws: Workspace | None = None) -> AppTest:
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    if ws is not None:
        at.session_state["workspace"] = ws
    return at.run()


def test_first_visit_has_the_demo_ward_loaded_in_editable_tables() -> None:
    at = data_page()
    assert not at.exception
    ws: Workspace = at.session_state["workspace"]
    assert ws.roster.problem == demo_roster()
    assert any("In use" in c.value and "Ward 7B" in c.value for c in at.caption)
    tables = at.radio(key="sheet_roster")
    assert tables.options[:3] == ["staff", "shifts", "demand (cover)"]
    assert tables.value == "staff"
    assert any("match the problem in use" in s.value for s in at.success)
    assert not at.error


def test_broken_json_upload_shows_inline_error_and_keeps_the_problem() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = data_page(ws)
    uploader(at).upload("broken.json", b'{"kind": "roster",\n "num_days": }')
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("broken.json:2" in e and "not valid JSON" in e for e in errors), errors
    assert ws.roster.problem == small_ward()  # nothing was lost


def test_invalid_project_names_the_field() -> None:
    ws = Workspace()
    document = problem_to_json(small_ward()).replace('"num_days": 7', '"num_days": -1')
    messages = handle_upload(ws, "ward.json", document.encode())
    assert len(messages) == 1
    message = str(messages[0])
    assert "ward.json" in message and "num_days" in message
    assert ws.roster.problem is None


def test_broken_bundle_is_loaded_into_the_tables_with_row_and_column_errors() -> None:
    tables = roster_tables(small_ward())
    tables["staff"].loc[2, "min_minutes"] = "lots"  # row 2 = Jo Park
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = data_page(ws)
    uploader(at).upload("ward.xlsx", tables_to_xlsx(tables))
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("1 problem(s) found" in e for e in errors)
    assert any("Row 2" in e and "min_minutes" in e and "'lots'" in e for e in errors)
    # the uploaded (bad) data is kept in the editor, the last valid problem stays in use
    assert str(ws.roster.draft["staff"].loc[2, "min_minutes"]) == "lots"
    assert ws.roster.problem == small_ward()
    assert any("Problems in: staff ⚠ 1" in c.value for c in at.caption)


def test_valid_csv_bundle_replaces_the_problem() -> None:
    problem = small_ward(days=3)
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = data_page(ws)
    uploader(at).upload("ward.zip", tables_to_zip(roster_tables(problem)))
    at.run()
    assert not at.exception
    assert not at.error
    assert ws.roster.problem == problem


def test_edits_are_validated_and_applied_on_request() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = data_page(ws)
    # what the data editor hands back after the planner edits a cell
    ws.roster.draft["staff"].loc[1, "max_minutes"] = -5
    ws.roster.editor_data = {}
    at.run()
    errors = [e.value for e in at.error]
    assert any("Row 1" in e and "max_minutes" in e for e in errors), errors
    ws.roster.draft["staff"].loc[1, "max_minutes"] = 2000
    ws.roster.editor_data = {}
    at.run()
    assert not at.error
    at.button(key="apply_roster").click().run()
    assert ws.roster.problem.staff[0].contract.max_minutes == 2000


def test_applying_table_edits_keeps_what_the_tables_cannot_hold() -> None:
    from optimizer.io.tables.from_problem import problem_tables
    from optimizer.io.tables.to_problem import keep_fields_not_in_tables, validate_tables
    from optimizer.model.cases import CasePin
    from optimizer.model.roster import Baseline, BaselineShift

    cases = demo_cases()
    first, second = cases.tasks[0], cases.tasks[1]
    tasks = (first.model_copy(update={"unscheduled_penalty": 7}), *cases.tasks[1:])
    cases = cases.model_copy(update={"tasks": tasks, "pins": (CasePin(task=second.id),)})
    ward = small_ward()
    shift = BaselineShift(staff=ward.staff[0].id, day=0, shift=ward.shifts[0].id)
    ward = ward.model_copy(update={"baseline": Baseline(assignments=(shift,))})
    for problem in (cases, ward):
        read, errors = validate_tables(problem_tables(problem))
        assert not errors and read != problem  # the tables alone lose these fields
        assert keep_fields_not_in_tables(read, problem) == (problem, "")
    # A pinned case deleted from the tables: only its pin is left out, and the note says so.
    third = cases.tasks[2]
    cases = cases.model_copy(update={"pins": (CasePin(task=second.id), CasePin(task=third.id))})
    tables = problem_tables(cases)
    tables["tasks"] = tables["tasks"][tables["tasks"]["id"] != second.id]
    read, errors = validate_tables(tables)
    assert not errors
    kept, note = keep_fields_not_in_tables(read, cases)
    assert [pin.task for pin in kept.pins] == [third.id]
    assert kept.tasks[0].unscheduled_penalty == 7  # per-case settings kept as well
    assert note == f"Applying the edits: the pins of deleted case(s) {second.id} are left out."
