"""Ids with apostrophes (O'Brien, D’Souza) from project JSON to solve, exports, re-import,
CLI and free-text intake: ``’`` (Word, phones) and ``'`` (Excel) are one id, stored as ``'``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar
from pydantic import ValidationError
from typer.testing import CliRunner

from dashboards.samples import small_theatre, small_ward
from llm_intake.intake import propose
from llm_intake.requests import request_to_json
from optimizer.check import check
from optimizer.cli import app
from optimizer.io.excel_export import export_xlsx
from optimizer.io.ics import calendars_zip, roster_calendars
from optimizer.io.project import load_project, load_result, save_result
from optimizer.io.roster_csv import read_roster_csv, roster_to_csv
from optimizer.io.schedule_csv import read_schedule_csv
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.model.cases import CaseProblem
from optimizer.model.common import ID_CHARACTERS
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

OBRIEN, DSOUZA = "O'Brien", "D'Souza"
"""How the two ids are stored, whichever apostrophe they were typed with."""
TODAY = dt.date(2026, 12, 1)  # "next week" is the ward's week, 7–13 Dec 2026


def _ward_json(days: int = 3) -> dict[str, Any]:
    """``small_ward`` as a planner keyed it by surname: N1 is O'Brien (typed in Excel),
    N2 is D’Souza (typed in Word) in the staff list but D'Souza on her leave row, and
    O'Brien's day-off request is typed O’Brien. A night shift (N) needs one person."""
    data = json.loads(small_ward(days).model_dump_json())
    data["kind"] = "roster"
    typed = {"N1": ("O'Brien", "Siobhan O'Brien"), "N2": ("D\u2019Souza", "Priya D\u2019Souza")}
    for person in data["staff"]:
        person["id"], person["name"] = typed.get(person["id"], (person["id"], person["name"]))
    data["unavailability"][0]["staff"] = "D'Souza"
    data["requests"][0]["staff"] = "O\u2019Brien"
    data["shifts"].append({"id": "N", "name": "Night", "start": "22:00", "length_minutes": 540})
    data["cover"] += [
        {"day": d, "shift": "N", "required": 1, "under_weight": 100} for d in range(days)
    ]
    for person in data["staff"]:
        person["contract"]["max_minutes"] = 3 * 540
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def ward(tmp_path: Path) -> RosterProblem:
    problem = load_project(_write(tmp_path / "ward.json", _ward_json()))
    assert isinstance(problem, RosterProblem)
    return problem


def test_project_json_stores_both_apostrophes_as_one_id(ward: RosterProblem) -> None:
    assert [p.id for p in ward.staff] == [OBRIEN, DSOUZA, "N3", "N4"]
    assert ward.staff[1].name == "Priya D\u2019Souza"  # names stay as typed
    assert ward.unavailability[0].staff == DSOUZA  # typed D'Souza: the same person
    assert ward.requests[0].staff == OBRIEN  # typed O’Brien: the same person


def test_solve_export_and_reimport_round_trip(ward: RosterProblem, tmp_path: Path) -> None:
    result, report = solve_verified(ward, time_limit=5)
    assert result.roster is not None
    worked = {(a.staff, a.day, a.shift) for a in result.roster.assignments}
    assert {s for s, _, _ in worked} >= {OBRIEN, DSOUZA}
    assert (DSOUZA, 2) not in {(s, d) for s, d, _ in worked}  # her leave day
    # roster CSV (the staff,day,shift contract), re-read and re-checked
    (tmp_path / "roster.csv").write_text(roster_to_csv(result.roster), encoding="utf-8")
    again = read_roster_csv(tmp_path / "roster.csv")
    assert {(a.staff, a.day, a.shift) for a in again.assignments} == worked
    recheck = check(ward, Result(status=result.status, roster=again))
    assert recheck.feasible and recheck.objective == report.objective == result.objective
    # solution JSON
    save_result(result, tmp_path / "result.json")
    assert load_result(tmp_path / "result.json") == result
    # input bundles: XLSX workbook and ZIP of CSVs come back as the same problem
    tables = problem_tables(ward)
    assert read_bundle("ward.xlsx", tables_to_xlsx(tables)) == ward
    assert read_bundle("ward.zip", tables_to_zip(tables)) == ward


def test_readable_xlsx_holds_the_ids_as_plain_text(ward: RosterProblem) -> None:
    result, _ = solve_verified(ward, time_limit=5)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(ward, result)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    ids = [c for c in cells if c.value in (OBRIEN, DSOUZA)]
    assert {c.value for c in ids} == {OBRIEN, DSOUZA}
    assert all(c.data_type == "s" and not c.quotePrefix for c in ids)


def test_calendars_keep_the_apostrophe_in_names_and_a_safe_uid(ward: RosterProblem) -> None:
    result, _ = solve_verified(ward, time_limit=5)
    files = roster_calendars(ward, result, stamp=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    archive = zipfile.ZipFile(io.BytesIO(calendars_zip(files)))
    assert archive.namelist() == ["OBrien.ics", "DSouza.ics", "N3.ics", "N4.ics"]
    calendar = Calendar.from_ical(files[OBRIEN])
    events = [e for e in calendar.walk("VEVENT")]
    assert events and all("Siobhan O'Brien (O'Brien)" in str(e["DESCRIPTION"]) for e in events)
    assert all(re.fullmatch(r"[A-Za-z0-9_.~%-]+@carealloc", str(e["UID"])) for e in events)
    assert all("O%27Brien" in str(e["UID"]) for e in events)


def test_a_bundle_mixing_both_apostrophes_is_one_person() -> None:
    tables = problem_tables(small_ward(3))
    tables["staff"].loc[tables["staff"]["id"] == "N2", "id"] = "D\u2019Souza"
    tables["leave"]["staff"] = "D'Souza"
    tables["staff"].loc[tables["staff"]["id"] == "N1", "id"] = "O'Brien"
    tables["requests"]["staff"] = "O\u2019Brien"
    for name, data in (("ward.xlsx", tables_to_xlsx(tables)), ("ward.zip", tables_to_zip(tables))):
        problem = read_bundle(name, data)
        assert isinstance(problem, RosterProblem)
        assert [p.id for p in problem.staff][:2] == [OBRIEN, DSOUZA]
        assert problem.unavailability[0].staff == DSOUZA
        assert problem.requests[0].staff == OBRIEN


def test_one_id_typed_both_ways_is_a_repeated_id_named_on_its_rows() -> None:
    tables = problem_tables(small_ward(3))
    tables["staff"].loc[tables["staff"]["id"] == "N1", "id"] = "O'Brien"
    tables["staff"].loc[tables["staff"]["id"] == "N2", "id"] = "O\u2019Brien"
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.xlsx", tables_to_xlsx(tables))
    first = caught.value.errors[0]  # placed on the first of its rows (header: row 1)
    assert (first.sheet, first.row) == ("staff", 2)
    assert first.message == "staff id 'O'Brien' is used 2 times (rows 2 and 3)"


def test_schedule_csv_reads_a_typographic_apostrophe(tmp_path: Path) -> None:
    data = json.loads(small_theatre().model_dump_json())
    text = json.dumps(data).replace('"S1"', '"O\'Brien"')
    theatre = type(small_theatre()).model_validate_json(text)
    path = tmp_path / "schedule.csv"
    path.write_text("task,start,end,staff,resources\nC1,480,540,O\u2019Brien,room:OR1\n")
    schedule = read_schedule_csv(path, theatre)
    assert schedule.tasks[0].staff == (OBRIEN,)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("O'Brien!", f'id "O\'Brien!" may only contain {ID_CHARACTERS}'),
        ("'t Hooft", "must not start with an apostrophe"),
        ("\u2019t Hooft", "must not start with an apostrophe"),
    ],
)
def test_forbidden_ids_are_refused_with_the_rule(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Staff(id=typed)
    assert "apostrophes" in ID_CHARACTERS


def test_a_leading_apostrophe_is_refused_in_a_bundle_cell() -> None:
    tables = problem_tables(small_ward(3))
    tables["shifts"].loc[tables["shifts"]["id"] == "L", "id"] = "'L"
    with pytest.raises(TableErrors, match=r"\[shifts\]:3, field 'id': .*start with an apostrophe"):
        read_bundle("ward.xlsx", tables_to_xlsx(tables))
    assert ShiftType(id="L'", start="14:00", length_minutes=480).id == "L'"  # not leading: fine


def test_cli_solves_checks_and_reads_free_text(tmp_path: Path) -> None:
    runner = CliRunner()
    project = _write(tmp_path / "ward.json", _ward_json())
    out = tmp_path / "roster.csv"
    solved = runner.invoke(
        app, ["solve", str(project), "--out", str(out), "--time-limit", "5", "--workers", "1"]
    )
    assert solved.exit_code == 0, solved.output
    objective = re.search(r"objective=(\d+)", solved.output.splitlines()[-1])
    assert objective and f"{OBRIEN}," in out.read_text()
    checked = runner.invoke(app, ["check", str(project), str(out)])
    assert checked.exit_code == 0, checked.output
    assert f"objective={objective[1]}" in checked.output.replace(" ", "")
    said = "O\u2019Brien can\u2019t do nights next week"
    intake = runner.invoke(
        app, ["intake", said, "--problem", str(project), "--today", str(TODAY), "--json"]
    )
    assert intake.exit_code == 0, intake.output
    requests = json.loads(intake.output)["requests"]
    assert [(r["staff"], r["shifts"]) for r in requests] == [(OBRIEN, ["N"])]


def _intake(ward: RosterProblem, text: str) -> list[dict[str, Any]]:
    proposal = propose(text, [ward], TODAY)
    assert not proposal.unparsed, proposal.unparsed
    return [request_to_json(r) for r in proposal.requests]


@pytest.mark.parametrize(
    ("text", "staff", "shifts"),
    [
        ("O'Brien can't do nights next week", OBRIEN, ["N"]),
        ("O\u2019Brien can\u2019t do nights next week", OBRIEN, ["N"]),
        ("Nurse O\u2019Brien is off sick on the 8th", OBRIEN, None),
        ("Nurse O'Brien is off sick on the 8th", OBRIEN, None),
        ("D'Souza is off sick on the 8th", DSOUZA, None),
        ("D\u2019Souza is off sick on the 8th", DSOUZA, None),
        ("Priya D'Souza is off sick on the 8th", DSOUZA, None),
        ("O'Brien's off sick on the 8th", OBRIEN, None),
    ],
)
def test_intake_resolves_either_apostrophe(
    ward: RosterProblem, text: str, staff: str, shifts: list[str] | None
) -> None:
    [request] = _intake(ward, text)
    assert (request["kind"], request["staff"], request["shifts"]) == ("unavailable", staff, shifts)


@pytest.mark.parametrize(
    "text", ["Put Sam on O'Brien's late on the 8th", "Put Sam on O’Brien’s late on the 8th"]
)
def test_intake_possessive_names_the_shift_not_the_person(ward: RosterProblem, text: str) -> None:
    assert _intake(ward, text) == [
        {"kind": "pin", "staff": "N3", "date": "2026-12-08", "shift": "L"}
    ]


@pytest.mark.parametrize("surname", ["O'Reilly", "O\u2019Reilly", "Smith-Jones"])
def test_intake_never_takes_another_surname_for_siobhan(ward: RosterProblem, surname: str) -> None:
    proposal = propose(f"Siobhan {surname} is off sick on the 8th", [ward], TODAY)
    echoed = surname.replace("\u2019", "'")  # the parser reads ’ as '
    assert not proposal.requests
    assert [u.reason for u in proposal.unparsed] == [
        f"no staff member called 'Siobhan {echoed}'; did you mean Siobhan O'Brien (O'Brien)?"
    ]


def test_a_case_bundle_mixing_both_apostrophes_keeps_each_persons_hours() -> None:
    theatre = small_theatre()
    tables = problem_tables(theatre)
    tables["staff"]["id"] = tables["staff"]["id"].replace({"S1": "O\u2019Brien"})
    tables["availability"]["staff"] = tables["availability"]["staff"].replace({"S1": "O'Brien"})
    tables["tasks"]["staff"] = tables["tasks"]["staff"].replace({"S1": "O\u2019Brien"})
    tables["rooms"]["id"] = tables["rooms"]["id"].replace({"OR1": "St Mary\u2019s"})
    tables["openings"]["room"] = tables["openings"]["room"].replace({"OR1": "St Mary's"})
    problem = read_bundle("theatre.zip", tables_to_zip(tables))
    assert isinstance(problem, CaseProblem)
    assert problem.staff[problem.staff_index[OBRIEN]].available == theatre.staff[0].available
    room = problem.rooms[problem.room_index["St Mary's"]]
    assert room.openings == theatre.rooms[0].openings
    assert all(task.staff == (OBRIEN,) for task in problem.tasks)


def test_dashboard_free_text_and_case_form_take_either_apostrophe() -> None:
    from streamlit.testing.v1 import AppTest

    from dashboards import whatif
    from dashboards.state import Workspace
    from optimizer.errors import InputError
    from tests.test_dashboard_changes import TIMEOUT, page_script

    ward = RosterProblem.model_validate({k: v for k, v in _ward_json().items() if k != "kind"})
    ws = Workspace()
    ws.roster.set_problem(ward)
    ws.roster.set_result(solve_verified(ward, time_limit=5)[0])
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    said = "Nurse O\u2019Brien is off sick on Tuesday 8 December. "
    said += "D'Souza can\u2019t do nights on the 8th"
    at.text_area(key="free_text_roster").input(said)
    at.button(key="understand_roster").click().run()
    assert not at.exception and not at.warning
    assert [i.value for i in at.info] == [
        "I understood: Siobhan O'Brien: sickness, Tue 8 Dec; "
        "Priya D\u2019Souza unavailable for night shifts Tue 8 Dec."
    ]
    at.button(key="confirm_roster").click().run()
    problem = ws.pending["roster"][0]
    assert problem.unavailable(OBRIEN, 1, "E") and problem.unavailable(DSOUZA, 1, "N")
    # a case typed X’1 when X'1 exists is the same id
    theatre, _ = whatif.with_added_case(small_theatre(), "X'1", "Hernia", 60, None, {}, None, 3)
    with pytest.raises(InputError, match="a case with id 'X\u20191' already exists"):
        whatif.with_added_case(theatre, "X\u20191", "Hernia", 60, None, {}, None, 3)
