"""``carealloc solve --out``, repeatable: the CSV contract, the Result JSON and the
planner's workbook from one solve, written whole or not at all."""

from __future__ import annotations

import datetime as dt
import signal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.io.load import load_problem, load_roster
from optimizer.io.outputs import write_outputs
from optimizer.io.project import load_result, save_project
from optimizer.io.roster_csv import read_roster_csv
from optimizer.io.schedule_csv import read_schedule_csv
from optimizer.io.staged import staged, write_bytes
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from tests.test_cli_out_without_solution import ward_with_no_roster
from tests.verify import verify_result

runner = CliRunner()

ROSTER_SHEETS = ["Roster", "Assignments", "Coverage", "Hours", "Penalties", "Summary"]
CASE_SHEETS = ["Schedule", "By staff", "Unscheduled", "Rooms", "Summary"]


def _ward(tmp_path: Path) -> Path:
    """Three nurses, an early and a late shift for 4 days, one RN on each: 8 shifts a
    roster (optimum 0: nobody may work twice a day, and three nurses can cover two)."""
    problem = RosterProblem(
        name="tiny ward",
        start_date=dt.date(2026, 12, 7),
        num_days=4,
        shifts=(
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(id="L", name="Late", start="14:30", length_minutes=480),
        ),
        staff=tuple(Staff(id=i, name=f"Nurse {i}", skills=("RN",)) for i in ("A", "B", "C")),
        cover=tuple(
            CoverDemand(day=d, shift=s, skill="RN", required=1, over_weight=1)
            for d in range(4)
            for s in ("E", "L")
        ),
    )
    path = tmp_path / "ward.json"
    save_project(problem, path)
    return path


def _solve(problem: Path, *outs: Path, more: tuple[str, ...] = ()) -> Any:
    args = ["solve", str(problem), "--workers", "1", "--seed", "0", "--time-limit", "5"]
    args += ["--quiet", *more]
    for out in outs:
        args += ["--out", str(out)]
    return runner.invoke(app, args)


def _rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A workbook sheet's rows, by its header."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _summary(path: Path) -> dict[str, Any]:
    return {row["Measure"]: row["Value"] for row in _rows(path, "Summary")}


def test_one_solve_writes_the_csv_the_workbook_and_the_result(tmp_path: Path) -> None:
    ward = _ward(tmp_path)
    csv, xlsx, result_json = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.json"
    outcome = _solve(ward, csv, xlsx, result_json)
    assert outcome.exit_code == 0, outcome.output
    problem = load_roster(ward)
    result = load_result(result_json)
    verify_result(problem, result)  # feasible, objective equal to the checker's
    assert result.status is SolveStatus.OPTIMAL and result.objective == 0
    roster = read_roster_csv(csv)
    assert set(roster.assignments) == set(result.roster.assignments)  # type: ignore[union-attr]
    assert len(roster.assignments) == 8

    assert openpyxl.load_workbook(xlsx).sheetnames == ROSTER_SHEETS
    labels = {"E": "Early", "L": "Late"}
    from_csv = sorted(
        (problem.date_of(a.day), labels[a.shift], a.staff) for a in roster.assignments
    )
    from_workbook = sorted(
        (row["Date"].date(), row["Shift"], row["Staff"]) for row in _rows(xlsx, "Assignments")
    )
    assert from_workbook == from_csv  # a row per assignment, the same assignments
    summary = _summary(xlsx)
    assert summary["Status"] == "OPTIMAL" and summary["Penalty (objective)"] == 0
    grid = {row["Staff"]: row for row in _rows(xlsx, "Roster")}
    assert sum(v in ("E", "L") for row in grid.values() for v in row.values()) == 8


def test_a_case_schedule_in_csv_and_workbook(tmp_path: Path) -> None:
    from optimizer.demo.surgery import surgical_days

    problem_path = tmp_path / "monday.json"
    problem = surgical_days(0, 1, max_cases=6)
    save_project(problem, problem_path)
    csv, xlsx, result_json = tmp_path / "s.csv", tmp_path / "s.xlsx", tmp_path / "s.json"
    outcome = _solve(problem_path, xlsx, csv, result_json)
    assert outcome.exit_code == 0, outcome.output
    result = load_result(result_json)
    verify_result(problem, result)
    schedule = read_schedule_csv(csv, problem)
    assert openpyxl.load_workbook(xlsx).sheetnames == CASE_SHEETS
    rows = _rows(xlsx, "Schedule")
    assert sorted(row["Task"] for row in rows) == sorted(t.task for t in schedule.tasks)
    assert len(rows) == len(result.schedule.tasks) > 0  # type: ignore[union-attr]
    assert _summary(xlsx)["Penalty (objective)"] == result.objective


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("r.csv", "is given twice; give each --out its own file"),
        ("sub/../r.csv", "is given twice (also as"),
        ("r.xlsm", "the output must end in .csv, .json or .xlsx"),
        ("r", "the output must end in .csv, .json or .xlsx"),
    ],
)
def test_a_repeated_or_unknown_out_is_refused_before_anything(
    tmp_path: Path, second: str, message: str
) -> None:
    (tmp_path / "sub").mkdir()
    first = tmp_path / "r.csv"
    outcome = _solve(_ward(tmp_path), tmp_path / "r.json", first, tmp_path / second)
    assert outcome.exit_code == 2
    assert "field '--out'" in outcome.output and message in " ".join(outcome.output.split())
    assert "status=" not in outcome.output  # nothing solved
    assert "Traceback" not in outcome.output
    assert not first.exists() and not (tmp_path / "r.json").exists()  # nothing written


def test_without_a_solution_the_workbook_says_why_and_no_csv_is_left(tmp_path: Path) -> None:
    csv, xlsx, result_json = tmp_path / "n.csv", tmp_path / "n.xlsx", tmp_path / "n.json"
    csv.write_text("staff,day,shift\nA,0,D\n", encoding="utf-8")  # an earlier run's
    xlsx.write_bytes(b"an earlier run's workbook")
    outcome = _solve(ward_with_no_roster(tmp_path), csv, xlsx, result_json)
    assert outcome.exit_code == 1
    assert not csv.exists()
    assert f"no solution, so {csv} was not written" in outcome.output
    assert f"{xlsx} was not written" not in outcome.output
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Summary"]  # nothing like a roster
    summary = _summary(xlsx)
    assert summary["Status"] == "INFEASIBLE" and summary["Roster"] == "no roster: INFEASIBLE"
    assert load_result(result_json).status is SolveStatus.INFEASIBLE


def test_a_writer_that_fails_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = load_problem(_ward(tmp_path))
    csv, xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    csv.write_text("the earlier run's\n", encoding="utf-8")

    def broken(*args: object) -> bytes:
        raise RuntimeError("export failed")

    monkeypatch.setattr("optimizer.io.excel_export.export_xlsx", broken)
    from optimizer.model.result import Assignment, RosterSolution

    roster = RosterSolution(assignments=(Assignment(staff="A", day=0, shift="E"),))
    result = Result(status=SolveStatus.FEASIBLE, objective=1, roster=roster)
    with pytest.raises(RuntimeError):
        write_outputs(problem, result, [csv, xlsx])
    assert csv.read_text(encoding="utf-8") == "the earlier run's\n"  # not replaced
    assert not xlsx.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "ward.json"]  # no leftovers


def test_staged_files_keep_the_mode_and_write_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_bytes(link, b"new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(KeyboardInterrupt), staged([target]) as (temporary,):
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt  # a second Ctrl-C while writing
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "plan.csv"]


def test_ctrl_c_during_the_solve_still_writes_every_out(tmp_path: Path) -> None:
    from tests.test_interrupts import DEMO_WARD, _carealloc, _signal_when_solved

    csv, xlsx, result_json = tmp_path / "w.csv", tmp_path / "w.xlsx", tmp_path / "w.json"
    args = ["solve", str(DEMO_WARD), "--time-limit", "60", "--workers", "2", "--quiet"]
    for out in (csv, xlsx, result_json):
        args += ["--out", str(out)]
    process, marker = _carealloc(tmp_path, *args)
    _stdout, stderr, _seconds = _signal_when_solved(process, marker, signal.SIGINT)
    assert process.returncode == 130, stderr
    problem = load_problem(DEMO_WARD)
    result = load_result(result_json)
    verify_result(problem, result)
    assert result.message.startswith("interrupted: Ctrl-C")
    roster = read_roster_csv(csv)
    assert set(roster.assignments) == set(result.roster.assignments)  # type: ignore[union-attr]
    assert len(_rows(xlsx, "Assignments")) == len(roster.assignments)
    assert _summary(xlsx)["Penalty (objective)"] == result.objective
