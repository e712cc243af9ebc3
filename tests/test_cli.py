"""The `carealloc` CLI contracts: exit codes, status line, output files."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer.check import check
from optimizer.cli import app
from optimizer.io.project import load_result, save_project
from optimizer.io.roster_csv import read_roster_csv
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftType,
    Staff,
)

STATUS_LINE = re.compile(
    r"^status=(OPTIMAL|FEASIBLE|INFEASIBLE|UNKNOWN) objective=(-?\d+|none) "
    r"bound=(-?\d+|none) seconds=\d+\.\d+$"
)
runner = CliRunner()


def _small_ward(tmp_path: Path, **changes: Any) -> Path:
    """Two nurses, one early shift a day for 3 days, needing exactly 1 each day.

    Either can cover; an extra nurse costs 1, so the optimum (0) has 3 shifts.
    """
    fields: dict[str, Any] = {
        "name": "tiny",
        "start_date": dt.date(2024, 1, 1),
        "num_days": 3,
        "shifts": (ShiftType(id="E", start="07:00", length_minutes=480),),
        "staff": (Staff(id="A", skills=("RN",)), Staff(id="B", skills=("RN",))),
        "cover": tuple(
            CoverDemand(day=d, shift="E", skill="RN", required=1, over_weight=1) for d in range(3)
        ),
    }
    problem = RosterProblem(**(fields | changes))
    path = tmp_path / "tiny.json"
    save_project(problem, path)
    return path


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_solve_prints_status_line_and_writes_csv_that_checks(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    csv_path = tmp_path / "roster.csv"
    result = runner.invoke(
        app,
        ["solve", str(problem_path), "--workers", "1", "--seed", "0", "--out", str(csv_path)],
    )
    assert result.exit_code == 0, result.output
    match = STATUS_LINE.match(_last_line(result.output))
    assert match is not None and match.group(1) == "OPTIMAL"
    assert match.group(2) == "0"
    assert len(read_roster_csv(csv_path).assignments) == 3
    checked = runner.invoke(app, ["check", str(problem_path), str(csv_path)])
    assert checked.exit_code == 0
    assert _last_line(checked.output) == "feasible=yes violations=0 objective=0"


def test_solve_json_output_is_a_result_the_checker_agrees_with(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    json_path = tmp_path / "result.json"
    outcome = runner.invoke(
        app, ["solve", str(problem_path), "--quiet", "--workers", "1", "--out", str(json_path)]
    )
    assert outcome.exit_code == 0
    from optimizer.io.project import load_project

    result = load_result(json_path)
    report = check(load_project(problem_path), result)
    assert report.feasible and report.objective == result.objective == 0


def test_check_reports_violations_with_exit_1(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path, pins=(Pin(staff="A", day=0, shift=None),))
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("staff,day,shift\nA,0,E\n")
    outcome = runner.invoke(app, ["check", str(problem_path), str(csv_path)])
    assert outcome.exit_code == 1
    assert "VIOLATION pin: A is pinned to a day off on Mon 1 Jan" in outcome.output
    # days 1 and 2 are uncovered: 2 × 100
    assert _last_line(outcome.output) == "feasible=no violations=1 objective=200"


def test_check_given_the_problem_twice_says_so(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    outcome = runner.invoke(app, ["check", str(problem_path), str(problem_path)])
    assert outcome.exit_code == 2
    assert "this is a roster problem, not a result" in outcome.output


def test_infeasible_problem_exits_1_with_status_line(tmp_path: Path) -> None:
    # A must work 3 shifts (1440 min) but is on a day off by pin: infeasible.
    problem_path = _small_ward(
        tmp_path,
        staff=(Staff(id="A", contract=Contract(min_minutes=1440)), Staff(id="B")),
        cover=(),
        pins=(Pin(staff="A", day=1, shift=None),),
    )
    outcome = runner.invoke(app, ["solve", str(problem_path), "--workers", "1"])
    assert outcome.exit_code == 1
    assert _last_line(outcome.output).startswith("status=INFEASIBLE objective=none bound=none")


def test_bad_input_exits_2_with_one_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "roster", "start_date": "2024-01-01", "num_days": 0}')
    outcome = runner.invoke(app, ["solve", str(broken)])
    assert outcome.exit_code == 2
    assert "Traceback" not in outcome.output
    assert f"{broken}, field 'num_days'" in outcome.output

    missing = runner.invoke(app, ["solve", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    assert "file not found" in missing.output

    folder = runner.invoke(app, ["solve", str(tmp_path)])  # holds broken.json only
    assert folder.exit_code == 2
    assert f"{tmp_path}: holds no table bundle: no settings.csv, " in folder.output

    backend = runner.invoke(app, ["solve", str(_small_ward(tmp_path)), "--backend", "gurobi"])
    assert backend.exit_code == 2
    assert "unsupported backend 'gurobi'" in backend.output


@pytest.mark.parametrize(
    ("out_name", "message"),
    [
        ("no-such-folder/roster.csv", "does not exist; create it first"),
        (".", "is a folder; give a file name"),
        ("roster.txt", "the output must end in .csv, .json or .xlsx"),
    ],
)
def test_unwritable_output_is_refused_before_solving(
    tmp_path: Path, out_name: str, message: str
) -> None:
    problem_path = _small_ward(tmp_path)
    out_path = tmp_path / out_name
    outcome = runner.invoke(app, ["solve", str(problem_path), "--out", str(out_path)])
    assert outcome.exit_code == 2
    assert message in " ".join(outcome.output.split())
    assert "status=" not in outcome.output  # refused before any solve


def test_lexicographic_and_backend_parameters(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    lex = runner.invoke(
        app, ["solve", str(problem_path), "--lexicographic", "--time-limit", "5", "--quiet"]
    )
    assert lex.exit_code == 0, lex.output
    assert _last_line(lex.output).startswith("status=OPTIMAL objective=0 bound=none")
    milp = runner.invoke(
        app, ["solve", str(problem_path), "--backend", "milp", "--param", "solver=cbc", "--quiet"]
    )
    assert milp.exit_code == 0, milp.output
    assert _last_line(milp.output).startswith("status=OPTIMAL objective=0 bound=0")
    bad = runner.invoke(app, ["solve", str(problem_path), "--param", "no_equals_sign"])
    assert bad.exit_code == 2
    assert "'no_equals_sign' must look like NAME=VALUE" in bad.output
    brackets = runner.invoke(app, ["solve", str(problem_path), "--param", "x[highs]=1"])
    assert brackets.exit_code == 2
    assert "unknown CP-SAT parameter 'x[highs]'" in brackets.output  # not read as markup


def test_case_problem_solves_to_csv_that_checks(tmp_path: Path) -> None:
    from optimizer.demo.surgery import surgical_days

    problem_path = tmp_path / "monday.json"
    save_project(surgical_days(0, 1, max_cases=6), problem_path)
    csv_path = tmp_path / "schedule.csv"
    args = f"solve {problem_path} --workers 1 --seed 0 --time-limit 20 --quiet --out {csv_path}"
    outcome = runner.invoke(app, args.split())
    assert outcome.exit_code == 0, outcome.output
    objective = STATUS_LINE.match(_last_line(outcome.output))
    assert objective is not None
    assert csv_path.read_text().splitlines()[0] == "task,start,end,staff,resources"
    checked = runner.invoke(app, ["check", str(problem_path), str(csv_path)])
    assert checked.exit_code == 0, checked.output
    assert _last_line(checked.output) == (
        f"feasible=yes violations=0 objective={objective.group(2)}"
    )


def test_demo_rosters_the_ward_and_explains_it() -> None:
    outcome = runner.invoke(
        app, ["demo", "--time-limit", "3", "--workers", "1", "--seed", "0", "--quiet"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "coverage met" in outcome.output
    assert "Top penalties" in outcome.output
    assert STATUS_LINE.match(_last_line(outcome.output))


def test_dashboard_on_a_busy_port_is_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_exec(*_: object) -> None:  # a missed check must not turn pytest into Streamlit
        raise AssertionError("the dashboard was started")

    monkeypatch.setattr("os.execv", no_exec)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        outcome = runner.invoke(app, ["dashboard", "--port", str(port)])
    assert outcome.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in outcome.output
    assert runner.invoke(app, ["dashboard", "--port", "70000"]).exit_code == 2
