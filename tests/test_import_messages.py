"""Importing planners' spreadsheets: messages in their terms, and no silent misreads.

Joined skills (``RN/charge``), dates outside the plan, a bad start date, long error
lists on the command line, and solution CSVs saved by a semicolon-locale Excel.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.cli.errors import MAX_LISTED_ERRORS
from optimizer.errors import InputError
from optimizer.io.roster_csv import read_roster_csv
from optimizer.io.schedule_csv import read_schedule_csv
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import CellError, TableErrors
from optimizer.model.roster import RosterProblem

runner = CliRunner()

WARD: dict[str, list[list[str]]] = {
    "settings": [["key", "value"], ["kind", "roster"], ["start_date", "2026-12-07"],
                 ["num_days", "7"]],
    "shifts": [["id", "name", "start", "length_minutes"], ["E", "Early", "07:00", "480"]],
    "staff": [["id", "name", "skills"], ["N01", "Ana", "RN;charge"], ["N02", "Jo", "RN"]],
    "cover": [["date", "shift", "skill", "required"], ["2026-12-07", "E", "RN", "1"],
              ["2026-12-08", "E", "charge", "1"]],
    "leave": [["staff", "first_date", "last_date"], ["N02", "2026-12-09", "2026-12-10"]],
    "requests": [["staff", "date", "want"], ["N01", "2026-12-12", "no"]],
    "pins": [["staff", "date", "shift"], ["N01", "2026-12-07", "E"]],
}  # fmt: skip
"""A 7-day ward from 2026-12-07; each sheet's header is CSV line 1, its rows lines 2, 3, ..."""


def ward() -> dict[str, list[list[str]]]:
    return copy.deepcopy(WARD)


def zip_of(sheets: dict[str, list[list[str]]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for sheet, rows in sheets.items():
            archive.writestr(f"{sheet}.csv", "\n".join(",".join(row) for row in rows) + "\n")
    return out.getvalue()


def errors_of(sheets: dict[str, list[list[str]]]) -> list[CellError]:
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", zip_of(sheets))
    return caught.value.errors


def places(errors: list[CellError]) -> list[tuple[str | None, int | None, str | None]]:
    return [(error.file, error.line, error.field) for error in errors]


# -- skills joined by '/', '+' or spaces -------------------------------------------


@pytest.mark.parametrize("written", ["RN/charge", "RN charge", "RN + charge"])
def test_joined_skills_are_refused_on_the_staff_skills_cell(written: str) -> None:
    sheets = ward()
    sheets["staff"][1][2] = written
    sheets["staff"].append(["N03", "Kim", "charge"])  # so 'charge' is not what fails
    errors = errors_of(sheets)
    assert places(errors) == [("ward.zip/staff.csv", 2, "skills")]
    assert f"'{written}' is not a skill any cover asks for" in errors[0].message
    assert "(RN;charge)" in errors[0].message


def test_skills_separated_by_semicolons_are_read_as_two() -> None:
    problem = read_bundle("ward.zip", zip_of(ward()))
    assert isinstance(problem, RosterProblem)
    assert problem.person("N01").skills == ("RN", "charge")


def test_a_skill_with_a_space_that_cover_asks_for_is_kept() -> None:
    sheets = ward()
    sheets["staff"][2][2] = "RN;Senior RN"
    sheets["cover"].append(["2026-12-09", "E", "Senior RN", "1"])
    problem = read_bundle("ward.zip", zip_of(sheets))
    assert isinstance(problem, RosterProblem)
    assert problem.person("N02").skills == ("RN", "Senior RN")


# -- dates outside the plan -------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "column", "date", "message"),
    [
        ("cover", "date", "2026-12-01", "2026-12-01 is before the plan start 2026-12-07"),
        ("cover", "date", "2026-12-14", "2026-12-14 is after the plan's last day 2026-12-13"),
        ("requests", "date", "2027-01-12", "2027-01-12 is after the plan's last day 2026-12-13"),
        ("pins", "date", "2026-12-06", "2026-12-06 is before the plan start 2026-12-07"),
    ],
)
def test_dates_outside_the_plan_are_refused_in_dates(
    sheet: str, column: str, date: str, message: str
) -> None:
    sheets = ward()
    sheets[sheet][1][sheets[sheet][0].index(column)] = date
    errors = errors_of(sheets)
    assert places(errors) == [(f"ward.zip/{sheet}.csv", 2, column)]
    assert errors[0].message == message


def test_leave_is_clipped_to_the_plan_and_leave_outside_it_is_ignored() -> None:
    sheets = ward()
    sheets["leave"][1:] = [
        ["N02", "2026-01-01", "2026-12-08"],  # a year's export: days 0-1 count
        ["N01", "2026-11-01", "2026-11-30"],  # wholly before the plan
        ["N01", "2026-12-13", "2027-12-31"],  # day 6 counts
        ["N02", "2026-12-14", "2027-03-01"],  # wholly after the plan
    ]
    problem = read_bundle("ward.zip", zip_of(sheets))
    assert isinstance(problem, RosterProblem)
    kept = [(u.staff, u.first_day, u.last_day) for u in problem.unavailability]
    assert kept == [("N02", 0, 1), ("N01", 6, 6)]


def test_a_leave_row_after_an_ignored_one_is_named_on_its_own_line() -> None:
    sheets = ward()
    sheets["leave"][1:] = [["N01", "2026-11-01", "2026-11-30"], ["N09", "2026-12-08", "2026-12-09"]]
    errors = errors_of(sheets)
    assert [(e.file, e.line) for e in errors] == [("ward.zip/leave.csv", 3)]
    assert "unknown staff 'N09'" in errors[0].message


def test_leave_ending_before_it_starts_names_both_dates() -> None:
    sheets = ward()
    sheets["leave"][1] = ["N02", "2026-12-10", "2026-12-09"]
    errors = errors_of(sheets)
    assert places(errors) == [("ward.zip/leave.csv", 2, "last_date")]
    assert errors[0].message == "the leave ends 2026-12-09, before it starts 2026-12-10"


def test_a_day_outside_the_horizon_in_json_also_shows_the_dates() -> None:
    problem = read_bundle("ward.zip", zip_of(ward()))
    data = problem.model_dump()
    data["cover"][0]["day"] = 9
    with pytest.raises(ValidationError) as caught:
        RosterProblem.model_validate(data)
    assert "day 9 (2026-12-16) is outside the horizon 0–6 (2026-12-07 to 2026-12-13)" in str(
        caught.value
    )


# -- a bad or missing start date ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "12/31/2026",  # month first: never read
            "'12/31/2026' must be a date like 2026-12-07 (YYYY-MM-DD): Excel rewrote the "
            "dates: format the column as yyyy-mm-dd before saving, or use the .xlsx bundle",
        ),
        ("", "the setting 'start_date' is missing"),
    ],
)
def test_a_bad_start_date_is_reported_once_on_its_line(value: str, message: str) -> None:
    sheets = ward()
    sheets["settings"][2][1] = value
    sheets["cover"][1][0] = "07/12/2026"  # not checked while the start is unknown
    errors = errors_of(sheets)
    assert places(errors) == [("ward.zip/settings.csv", 3, "start_date")]
    assert errors[0].message == message


def test_other_cells_are_still_checked_while_the_start_date_is_bad() -> None:
    sheets = ward()
    sheets["settings"][2][1] = "soon"
    sheets["cover"][1][3] = "lots"
    errors = errors_of(sheets)
    assert places(errors) == [
        ("ward.zip/settings.csv", 3, "start_date"),
        ("ward.zip/cover.csv", 2, "required"),
    ]


# -- layout ---------------------------------------------------------------------------


def test_an_unknown_column_lists_the_sheets_columns() -> None:
    sheets = ward()
    sheets["staff"][0].append("max turns")
    for row in sheets["staff"][1:]:
        row.append("5")
    errors = errors_of(sheets)
    assert places(errors) == [("ward.zip/staff.csv", 1, "max turns")]
    assert errors[0].message.startswith("unknown column 'max turns'; the staff sheet has")
    assert "id, name, grade, skills" in errors[0].message
    assert "max_shifts," in errors[0].message


# -- the command line lists the problems ---------------------------------------------------


@pytest.mark.parametrize("bad", [3, MAX_LISTED_ERRORS + 5])
def test_cli_lists_each_problem_then_counts_the_rest(tmp_path: Path, bad: int) -> None:
    sheets = ward()
    sheets["cover"][1:] = [
        [(dt.date(2026, 12, 7) + dt.timedelta(days=i % 7)).isoformat(), "E", f"S{i}", "lots"]
        for i in range(bad)
    ]
    bundle = tmp_path / "ward.zip"
    bundle.write_bytes(zip_of(sheets))
    outcome = runner.invoke(app, ["solve", str(bundle), "--time-limit", "1"])
    assert outcome.exit_code == 2, outcome.output
    listed = [line for line in outcome.output.splitlines() if line.startswith("error: ")]
    shown = min(bad, MAX_LISTED_ERRORS)
    assert listed == [
        f"error: {bundle}/cover.csv:{line}, field 'required': 'lots' must be a whole number"
        for line in range(2, shown + 2)
    ]
    rest = f"(and {bad - shown} more problem(s))"
    assert (rest in outcome.output) == (bad > shown)
    assert "Traceback" not in outcome.output


# -- solution CSVs from a semicolon-locale Excel ---------------------------------------


ROSTER_COMMAS = "staff,day,shift\nN01,0,E\nN02,1,E\n"


@pytest.mark.parametrize(
    "text",
    [
        "staff;day;shift\r\nN01;0;E\r\nN02;1;E\r\n",
        "\ufeffsep=;\r\nstaff;day;shift\r\nN01;0;E\r\nN02;1;E\r\n",
        "staff\tday\tshift\nN01\t0\tE\nN02\t1\tE\n",
    ],
)
def test_roster_csv_with_semicolons_tabs_or_a_sep_line_is_read(tmp_path: Path, text: str) -> None:
    commas, other = tmp_path / "commas.csv", tmp_path / "other.csv"
    commas.write_text(ROSTER_COMMAS, encoding="utf-8")
    other.write_text(text, encoding="utf-8")
    assert read_roster_csv(other) == read_roster_csv(commas)
    assert len(read_roster_csv(other).assignments) == 2


def test_roster_csv_errors_count_the_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("sep=;\nstaff;day;shift\nN01;0;E\nN02;one;E\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_roster_csv(path)
    assert (caught.value.line, caught.value.field) == (4, "day")


def test_roster_csv_with_a_wrong_header_still_says_so(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("nurse;day;shift\nN01;0;E\n", encoding="utf-8")
    with pytest.raises(InputError, match="the first line must be the header staff,day,shift"):
        read_roster_csv(path)


def test_check_accepts_a_semicolon_roster_csv(tmp_path: Path) -> None:
    bundle, roster = tmp_path / "ward.zip", tmp_path / "roster.csv"
    bundle.write_bytes(zip_of(ward()))
    roster.write_text("sep=;\r\nstaff;day;shift\r\nN01;0;E\r\nN01;1;E\r\n", encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(bundle), str(roster)])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.splitlines()[-1].startswith("feasible=yes violations=0")


def test_schedule_csv_with_semicolons_keeps_quoted_id_lists(tmp_path: Path) -> None:
    commas, semis = tmp_path / "commas.csv", tmp_path / "semis.csv"
    commas.write_text(
        "task,start,end,staff,resources\nC1,480,540,S1;A1,room:OR1;XRAY\n", encoding="utf-8"
    )
    semis.write_text(
        'sep=;\ntask;start;end;staff;resources\nC1;480;540;"S1;A1";"room:OR1;XRAY"\n',
        encoding="utf-8",
    )
    schedule = read_schedule_csv(semis)
    assert schedule == read_schedule_csv(commas)
    assert schedule.tasks[0].staff == ("S1", "A1")
    assert (schedule.tasks[0].room, schedule.tasks[0].resources) == ("OR1", ("XRAY",))
