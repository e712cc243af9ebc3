"""``solve --out`` without a solution, and an interrupt outside a solve."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.cli.errors import INTERRUPTED
from optimizer.io.project import load_result, save_project
from optimizer.model.result import SolveStatus
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff

runner = CliRunner()


def ward_with_no_roster(tmp_path: Path) -> Path:
    """One nurse where the day shift needs two, as a hard minimum."""
    problem = RosterProblem(
        start_date=dt.date(2026, 12, 7),
        num_days=1,
        shifts=(ShiftType(id="D", start="07:00", length_minutes=480),),
        staff=(Staff(id="A", skills=("RN",)),),
        cover=(CoverDemand(day=0, shift="D", skill="RN", required=2, min_required=2),),
    )
    path = tmp_path / "ward.json"
    save_project(problem, path)
    return path


def test_an_earlier_runs_csv_is_removed_and_said_so(tmp_path: Path) -> None:
    ward, out = ward_with_no_roster(tmp_path), tmp_path / "roster.csv"
    out.write_text("staff,day,shift\nA,0,D\n", encoding="utf-8")
    outcome = runner.invoke(app, ["solve", str(ward), "--out", str(out), "--workers", "1"])
    assert outcome.exit_code == 1
    assert not out.exists()
    assert f"no solution, so {out} was not written" in outcome.output
    assert "earlier run" in outcome.output


def test_no_csv_is_written_when_there_was_none(tmp_path: Path) -> None:
    ward, out = ward_with_no_roster(tmp_path), tmp_path / "roster.csv"
    outcome = runner.invoke(app, ["solve", str(ward), "--out", str(out), "--workers", "1"])
    assert outcome.exit_code == 1
    assert not out.exists() and "earlier run" not in outcome.output


def test_the_result_json_is_written_with_its_status(tmp_path: Path) -> None:
    ward, out = ward_with_no_roster(tmp_path), tmp_path / "result.json"
    out.write_text("{}", encoding="utf-8")
    outcome = runner.invoke(app, ["solve", str(ward), "--out", str(out), "--workers", "1"])
    assert outcome.exit_code == 1
    result = load_result(out)
    assert result.status is SolveStatus.INFEASIBLE and result.roster is None


def test_an_interrupt_while_loading_says_so_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("optimizer.io.load.load_problem", interrupted)
    outcome = runner.invoke(app, ["solve", str(ward_with_no_roster(tmp_path))])
    assert outcome.exit_code == INTERRUPTED == 130
    assert "interrupted" in outcome.output
