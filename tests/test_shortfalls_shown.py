"""Why shifts are short, where the planner looks: the CLI's top penalties, the
dashboard's Roster page and the workbook's Coverage sheet."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from dashboards.state import Workspace
from optimizer.check import check
from optimizer.cli import app
from optimizer.io.excel_export import export_xlsx
from optimizer.io.project import save_project
from optimizer.model.result import Result, SolveStatus
from tests.test_cli import STATUS_LINE
from tests.test_dashboard_roster import page_test
from tests.test_explain_shortfalls import planted_roster, planted_ward


def _planted_result() -> Result:
    report = check(planted_ward(), planted_roster())
    return Result(
        status=SolveStatus.FEASIBLE,
        objective=report.objective,
        roster=planted_roster(),
        terms=report.cost_by_rule(),
    )


def test_solve_prints_why_under_each_understaffed_top_penalty(tmp_path: Path) -> None:
    path = tmp_path / "planted.json"
    save_project(planted_ward(), path)
    outcome = CliRunner().invoke(
        app, ["solve", str(path), "--time-limit", "5", "--workers", "1", "--seed", "0"]
    )
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.strip().splitlines()
    assert STATUS_LINE.match(lines[-1])
    # the optimum puts every RN it can on the Early; Ana and Bea are away, Pat pinned
    # off, and Quinn's day off (150) costs more than a missing RN (100)
    bullet = lines.index("  • Early shift Tue 2 Jan: 2 RN short (200)")
    why = lines[bullet + 1]
    assert why.startswith("    why: Of the 4 RN staff not on it: 2 are away (Ana Away: annual")
    assert "1 is pinned elsewhere that day (Pat Pinned: a day off)" in why
    assert "Quinn Request: would raise the penalty by 50" in why


def test_roster_page_shows_why_short() -> None:
    ws = Workspace()
    ws.roster.set_problem(planted_ward())
    ws.roster.set_result(_planted_result())
    at = page_test("roster", ws)
    assert not at.exception, at.exception
    [expander] = [e for e in at.expander if e.label.startswith("Why short?")]
    assert expander.label == "Why short? (1 understaffed shift)"
    table = expander.dataframe[0].value
    assert list(table.columns) == ["Date", "Shift", "Skill", "Short", "Why"]
    row = table.iloc[0]
    assert (row["Date"], row["Shift"], row["Skill"], row["Short"]) == (
        "Tue 02 Jan",
        "Early",
        "RN",
        7,
    )
    assert row["Why"].startswith("Of the 9 RN staff not on it: 2 are away (Ana Away")
    assert "Rae Rest: Early on Tue 2 Jan may not follow Late on Mon 1 Jan" in row["Why"]


def test_workbook_coverage_sheet_says_why_short() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(planted_ward(), _planted_result())))
    sheet = book["Coverage"]
    header = [c.value for c in sheet[1]]
    assert header == ["Date", "Shift", "Skill", "Required", "Assigned", "Short", "Why short"]
    row = [c.value for c in sheet[2]]
    assert row[1:6] == ["E", "RN", 8, 1, 7]
    assert row[6].startswith("Of the 9 RN staff not on it: 2 are away (Ana Away: annual leave")
    assert "Quinn Request: would raise the penalty by 50" in row[6]


def test_check_explain_prints_the_why_lines_of_a_roster_made_elsewhere(tmp_path: Path) -> None:
    from optimizer.io.roster_csv import write_roster_csv

    ward, roster = tmp_path / "planted.json", tmp_path / "by-hand.csv"
    save_project(planted_ward(), ward)
    write_roster_csv(planted_roster(), roster)
    plain = CliRunner().invoke(app, ["check", str(ward), str(roster)])
    explained = CliRunner().invoke(app, ["check", str(ward), str(roster), "--explain"])
    assert plain.exit_code == explained.exit_code == 0, explained.output
    objective = check(planted_ward(), planted_roster()).objective
    last = f"feasible=yes violations=0 objective={objective}"
    assert plain.output.strip().splitlines() == [last]
    lines = explained.output.strip().splitlines()
    assert lines[-1] == last
    bullet = lines.index("  • Early shift Tue 2 Jan: 7 RN short (700)")
    assert lines[bullet + 1].startswith("    why: Of the 9 RN staff not on it: 2 are away")


def test_check_explain_adds_nothing_to_a_roster_that_breaks_a_rule(tmp_path: Path) -> None:
    from optimizer.io.roster_csv import write_roster_csv
    from optimizer.model.result import Assignment, RosterSolution

    ward, roster = tmp_path / "planted.json", tmp_path / "by-hand.csv"
    save_project(planted_ward(), ward)
    broken = RosterSolution(
        assignments=(*planted_roster().assignments, Assignment(staff="A", day=1, shift="E"))
    )  # Ana is on annual leave that day
    write_roster_csv(broken, roster)
    explained = CliRunner().invoke(app, ["check", str(ward), str(roster), "--explain"])
    assert explained.exit_code == 1
    lines = explained.output.strip().splitlines()
    assert lines[0].startswith("VIOLATION unavailable: ")
    assert not any("why:" in line or "Top penalties" in line for line in lines)
