"""Exports a hospital opens in Excel, Outlook or another calendar (probe s16 p2):
DST-safe case times, UIDs that survive a re-plan and a new week, CSV bundles Excel reads
right without running formulas, calendar file names in any script, and a workbook that
says when there is no plan."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from icalendar import Calendar

from dashboards.samples import small_theatre, small_ward
from dashboards.views.export import person_file_name
from optimizer.io.excel_export import export_xlsx
from optimizer.io.ics import calendars_zip, roster_calendars, schedule_calendars
from optimizer.io.roster_csv import read_roster_csv, roster_to_csv
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_zip
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

UTC = dt.UTC


def _roster(*rows: tuple[str, int, str]) -> Result:
    assignments = tuple(Assignment(staff=s, day=d, shift=h) for s, d, h in rows)
    return Result(
        status=SolveStatus.FEASIBLE, objective=0, roster=RosterSolution(assignments=assignments)
    )


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


# -- 2. a case in the hour repeated at the end of summer time ---------------------------


def _dst_night() -> CaseProblem:
    """Minute 0 is 22:00 BST on Sat 24 Oct 2026; clocks go back at 01:00 UTC on the 25th."""
    return CaseProblem.model_validate(
        {
            "kind": "cases",
            "name": "DST night",
            "start": "2026-10-24T22:00:00+01:00",
            "horizon": 600,
            "tasks": [
                {"id": "T0", "duration": 60, "team": [{"role": "surgeon"}]},
                {"id": "T1", "duration": 120, "team": [{"role": "surgeon"}]},
            ],
            "staff": [{"id": "S1", "name": "Dr A", "roles": ["surgeon"]}],
        }
    )


def test_a_case_in_the_repeated_hour_is_placed_at_its_real_time() -> None:
    problem = _dst_night()
    placed = (
        ScheduledTask(task="T0", start=0, end=60, staff=("S1",)),  # 22:00-23:00 BST
        ScheduledTask(task="T1", start=240, end=360, staff=("S1",)),  # 01:00-03:00 UTC
    )
    result = Result(status=SolveStatus.FEASIBLE, schedule=CaseSchedule(tasks=placed))
    data = schedule_calendars(problem, result, tz="Europe/London")["S1"]
    spans = {
        str(e["uid"]).split("-")[-1]: (e.decoded("dtstart"), e.decoded("dtend"))
        for e in _events(data)
    }
    # the second 01:00 (GMT), read back as written, not an hour early
    assert [t.astimezone(UTC) for t in spans["T1@carealloc"]] == [
        dt.datetime(2026, 10, 25, 1, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 3, tzinfo=UTC),
    ]
    assert "DTSTART:20261025T010000Z" in data.decode()
    # a time outside the repeated hour keeps the ward's zone
    assert "DTSTART;TZID=Europe/London:20261024T220000" in data.decode()
    assert spans["T0@carealloc"][0].astimezone(UTC) == dt.datetime(2026, 10, 24, 21, tzinfo=UTC)


# -- 3. a re-planned roster updates the events instead of adding to them ----------------


def _import(calendar: dict[str, Any], data: bytes) -> None:
    """What a calendar app matching events by UID does with an imported file."""
    for event in _events(data):
        uid = str(event["uid"])
        old = calendar.get(uid)
        if old is None or int(event["sequence"]) >= int(old["sequence"]):
            calendar[uid] = event


def _shown(calendar: dict[str, Any]) -> list[tuple[dt.datetime, str]]:
    return sorted(
        (e.decoded("dtstart"), str(e["summary"]))
        for e in calendar.values()
        if str(e.get("status", "")) != "CANCELLED"
    )


def test_importing_a_replanned_roster_moves_and_cancels_the_old_shifts() -> None:
    ward = small_ward(days=3)
    published = _roster(("N1", 0, "E"), ("N1", 1, "E"), ("N1", 2, "L"))
    replanned = _roster(("N1", 0, "L"), ("N1", 2, "L"))  # Monday E -> L, Tuesday now off
    baseline = {"assignments": [a.model_dump() for a in published.roster.assignments]}  # type: ignore[union-attr]
    replan = RosterProblem.model_validate(ward.model_dump() | {"baseline": baseline})
    first = dt.datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = roster_calendars(ward, published, stamp=first)["N1"]
    new = roster_calendars(replan, replanned, stamp=first + dt.timedelta(hours=1))["N1"]
    calendar: dict[str, Any] = {}
    _import(calendar, old)
    _import(calendar, new)
    assert _shown(calendar) == [
        (dt.datetime(2026, 12, 7, 14), "Late shift"),
        (dt.datetime(2026, 12, 9, 14), "Late shift"),
    ]
    assert len(calendar) == 3  # one UID per staff-day
    cancelled = [e for e in _events(new) if str(e["status"]) == "CANCELLED"]
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in cancelled] == [
        (dt.datetime(2026, 12, 8, 7), "Cancelled: Early shift")
    ]
    assert all(int(e["sequence"]) > 0 for e in _events(new))
    # without a baseline nothing is known to cancel: only worked shifts are written
    plain = roster_calendars(ward, replanned, stamp=first)["N1"]
    assert {str(e["status"]) for e in _events(plain)} == {"CONFIRMED"}


# -- 4. CSV bundles for Excel: byte-order mark, formula guard, exact round trip ---------

FORMULA_NAMES = ['=HYPERLINK("http://evil.example","click")', "@SUM(1,2)", "'=x", "\tTab"]


def _odd_ward() -> RosterProblem:
    data = small_ward(days=2).model_dump()
    data["staff"][0].update(id="+44", name=FORMULA_NAMES[0])
    data["staff"][1].update(id="-3", name=FORMULA_NAMES[1])
    data["staff"][2]["name"] = FORMULA_NAMES[2]
    data["staff"][3]["name"] = "'t Hooft, José 王小明"
    for record in data["unavailability"] + data["requests"]:
        record["staff"] = {"N1": "+44", "N2": "-3"}.get(record["staff"], record["staff"])
    data["shifts"][0]["name"] = FORMULA_NAMES[3]
    return RosterProblem.model_validate(data)


def test_csv_bundle_has_a_bom_runs_no_formula_and_reads_back_exactly() -> None:
    problem = _odd_ward()
    data = tables_to_zip(problem_tables(problem))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert all(raw.startswith(codecs.BOM_UTF8) for raw in members.values())
    cells = [
        cell
        for raw in members.values()
        for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))
        for cell in row
    ]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'t Hooft, José 王小明" in cells  # an apostrophe before a letter is data
    assert "''=x" in cells and "'+44" in cells
    assert read_bundle("ward.zip", data) == problem


def test_solution_csv_stays_the_plain_contract_and_reads_with_a_bom(tmp_path: Path) -> None:
    roster = RosterSolution(assignments=(Assignment(staff="Müller", day=0, shift="E"),))
    text = roster_to_csv(roster)
    assert text.splitlines() == ["staff,day,shift", "Müller,0,E"]  # no BOM, no guard
    path = tmp_path / "roster.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())  # as Excel saves "CSV UTF-8"
    assert read_roster_csv(path) == roster


# -- 5. calendar file names in any script ----------------------------------------------


def test_calendar_file_names_keep_greek_letters_and_stay_distinct() -> None:
    data = small_ward(days=1).model_dump()
    greek = [("Γιάννης", "Γιάννης Παπαδόπουλος"), ("Μαρία", "Μαρία Οικονόμου")]
    greek += [("Ελένη", "Ελένη Γεωργίου"), ("Ελένη 2", "Ελένη Γεωργίου")]
    for person, (staff_id, name) in zip(data["staff"], greek, strict=True):
        person |= {"id": staff_id, "name": name}
    data["name"] = "Πτέρυγα Β"
    data["unavailability"], data["requests"] = [], []
    ward = RosterProblem.model_validate(data)
    files = roster_calendars(ward, _roster(("Γιάννης", 0, "E")))
    members = zipfile.ZipFile(io.BytesIO(calendars_zip(files))).namelist()
    assert members == ["Γιάννης.ics", "Μαρία.ics", "Ελένη.ics", "Ελένη_2.ics"]
    singles = [person_file_name(ward, p.id) for p in ward.staff]
    assert singles[:2] == [
        "πτέρυγα-β_2026-12-07_γιάννης-παπαδόπουλος.ics",
        "πτέρυγα-β_2026-12-07_μαρία-οικονόμου.ics",
    ]
    assert len(set(singles)) == 4  # the two Eleni Georgiou get their ids
    for name in members + singles:
        assert not set(name) & set('/\\:*?"<>|') and name.isprintable()
        assert len(name.encode()) <= 255


# -- 6. the workbook of a result without a plan says so ---------------------------------


def _summary(data: bytes) -> tuple[list[str], dict[str, Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = book["Summary"].iter_rows(min_row=2, values_only=True)
    return book.sheetnames, {str(k): v for k, v in rows}


def test_workbook_of_a_result_without_a_plan_states_the_status() -> None:
    infeasible = Result(status=SolveStatus.INFEASIBLE, message="cover cannot be met on day 0")
    sheets, summary = _summary(export_xlsx(small_ward(), infeasible))
    assert sheets == ["Summary"]  # no empty grid or all-short coverage posing as a roster
    assert summary["Roster"] == "no roster: INFEASIBLE"
    assert summary["Message"] == "cover cannot be met on day 0"
    sheets, summary = _summary(export_xlsx(small_theatre(), Result(status=SolveStatus.UNKNOWN)))
    assert sheets == ["Summary", "Rooms"]
    assert summary["Schedule"] == "no schedule: UNKNOWN"
    assert "Cases unscheduled" not in summary and summary["Cases in the plan"] == 5


# -- 7. case UIDs carry the plan's date --------------------------------------------------


def test_case_uids_differ_between_weeks_of_one_plan_name() -> None:
    week1 = small_theatre()
    week2 = CaseProblem.model_validate(
        week1.model_dump() | {"start": week1.start + dt.timedelta(days=7)}  # type: ignore[operator]
    )
    placed = ScheduledTask(task="C1", start=480, end=540, room="OR1", staff=("S1", "A1", "R1"))
    result = Result(status=SolveStatus.FEASIBLE, schedule=CaseSchedule(tasks=(placed,)))

    def uids(problem: CaseProblem) -> set[str]:
        files = schedule_calendars(problem, result)
        return {str(c["uid"]) for d in files.values() for c in Calendar.from_ical(d).subcomponents}

    assert len(uids(week1)) == 4  # three people on C1, one "no cases" note (R2)
    assert not uids(week1) & uids(week2)
    assert uids(week1) == uids(small_theatre())  # stable across runs
