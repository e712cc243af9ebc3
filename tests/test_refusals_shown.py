"""Why requests are not granted, where the planner looks: the CLI's summary, the
dashboard's Roster page and the workbook's Penalties sheet."""

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
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import ShiftRequest
from tests.test_cli import STATUS_LINE
from tests.test_dashboard_roster import page_test
from tests.test_explain_refusals import request_roster, request_ward


def _request_result() -> Result:
    report = check(request_ward(), request_roster())
    return Result(
        status=SolveStatus.FEASIBLE,
        objective=report.objective,
        roster=request_roster(),
        terms=report.cost_by_rule(),
    )


def test_solve_prints_why_the_three_heaviest_requests_are_not_granted(tmp_path: Path) -> None:
    problem = request_ward()
    extra = (
        ShiftRequest(staff="V", day=1, shift="L", want=True, weight=2),  # on leave
        ShiftRequest(staff="C", day=2, shift="E", want=True, weight=6),  # one of these two
        ShiftRequest(staff="C", day=2, shift="E", want=False, weight=4),  # is refused
    )
    path = tmp_path / "requests.json"
    save_project(problem.model_copy(update={"requests": (*problem.requests, *extra)}), path)
    outcome = CliRunner().invoke(
        app, ["solve", str(path), "--time-limit", "5", "--workers", "1", "--seed", "0"]
    )
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.strip().splitlines()
    assert STATUS_LINE.match(lines[-1])
    # the optimum refuses Pia (pinned), Ava twice (away) and the cheaper of Cora's two
    # on Wed: her Early (6) would put 1 RN over (10) and refuse her other request (4)
    heading = lines.index("Requests not granted (4):")
    assert lines[heading + 1 : -1] == [
        "  • Cora Cover asked for Early on Wed 3 Jan (weight 6): granting it alone would "
        "bring Early shift Wed 3 Jan: 1 RN more than needed (+10) and bring Cora Cover: "
        "request for no Early on Wed 3 Jan not granted (+4): +14 in all, more than the "
        "request's weight",
        "  • Pia Pinned asked for Tue 2 Jan off (weight 5): impossible: pinned to Early that day",
        "  • Ava Away asked for Night on Tue 2 Jan (weight 3): impossible: away that day "
        "(annual leave)",
    ]  # the lightest (Ava's Late, 2) is counted but not explained
    assert heading > lines.index("Top penalties (4 of 4):")


def test_roster_page_shows_why_not_granted() -> None:
    ws = Workspace()
    ws.roster.set_problem(request_ward())
    ws.roster.set_result(_request_result())
    at = page_test("roster", ws)
    assert not at.exception, at.exception
    [expander] = [e for e in at.expander if e.label.startswith("Why not granted?")]
    assert expander.label == "Why not granted? (8 requests)"
    table = expander.dataframe[0].value
    assert list(table.columns) == ["Date", "Staff", "Request", "Weight", "Why"]
    assert list(table["Request"]) == [
        "day off",
        "day off",
        "Early",
        "Night",
        "no Night",
        "any shift",
        "Early",
        "any shift",
    ]
    row = table.iloc[0]
    assert (row["Date"], row["Staff"], row["Weight"]) == ("Tue 02 Jan", "Cora Cover", 10)
    assert row["Why"] == (
        "granting it alone would leave Early shift Tue 2 Jan 1 RN short (+100), more than "
        "the request's weight"
    )
    assert [e.label for e in at.expander if e.label.startswith("Why short?")] == []  # none


def test_workbook_penalties_sheet_says_why_not_granted() -> None:
    ivy = Assignment(staff="I", day=2, shift="E")  # her request granted, 1 RN over
    roster = RosterSolution(assignments=(*request_roster().assignments, ivy))
    report = check(request_ward(), roster)
    result = Result(status=SolveStatus.FEASIBLE, objective=report.objective, roster=roster)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(request_ward(), result)))
    sheet = book["Penalties"]
    header = [c.value for c in sheet[1]]
    assert header == ["Cost", "Rule", "Date", "Staff", "What", "Why not granted"]
    rows = {row[4]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    cora = rows["Cora Cover: request for a day off on Tue 2 Jan not granted (10)"]
    assert cora[5] == (
        "granting it alone would leave Early shift Tue 2 Jan 1 RN short (+100), more than "
        "the request's weight"
    )
    over = rows["Early shift Wed 3 Jan: 1 RN more than needed (10)"]  # not a request
    assert over[5] in (None, "")
    assert sum(1 for row in rows.values() if row[5]) == 7  # every request but Ivy's
