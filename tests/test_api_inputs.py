"""Odd inputs to the Python API and the CLI: one clear error, and no lost results."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from optimizer import solve, solve_many
from optimizer.bench import BenchRow, run_bench
from optimizer.cli import app
from optimizer.cli.commands import demo
from optimizer.errors import InputError
from optimizer.io.project import save_project
from optimizer.model.cases import CaseProblem, Room, Task
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solve import BatchError
from tests.test_curtois import TINY
from tests.verify import solve_verified, verify_result

runner = CliRunner()
solve_module = importlib.import_module("optimizer.solve")  # ``optimizer.solve`` is the function


def _ward(required: int, name: str | None = None) -> RosterProblem:
    """Three nurses, one shift on one day needing ``required`` of them.

    Optimum: 100 per nurse missing beyond the three available, max(0, required - 3) * 100.
    """
    return RosterProblem(
        name=name or f"need {required}",
        start_date=dt.date(2024, 1, 1),
        num_days=1,
        shifts=(ShiftType(id="D", start="08:00", length_minutes=600),),
        staff=tuple(Staff(id=f"S{i}") for i in range(3)),
        cover=(CoverDemand(day=0, shift="D", required=required),),
    )


def _theatre() -> CaseProblem:
    """Two 60-minute cases in one room open for 600 minutes (CP-SAT only)."""
    return CaseProblem(
        horizon=600,
        tasks=(Task(id="a", duration=60), Task(id="b", duration=60)),
        rooms=(Room(id="R1"),),
    )


def _no_pool(*args: object, **kwargs: object) -> None:
    raise AssertionError("a solve started before every input was checked")


# --- solve_many -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (_theatre(), "backend 'milp' does not do case scheduling"),
        ("data/demo_ward.json", "must be a RosterProblem or CaseProblem, got str"),
    ],
)
def test_solve_many_names_a_bad_item_before_any_solve(
    monkeypatch: pytest.MonkeyPatch, bad: object, words: str
) -> None:
    monkeypatch.setattr(solve_module, "ProcessPoolExecutor", _no_pool)
    with pytest.raises(InputError) as info:
        solve_many([_ward(1), _ward(2), bad], backend="milp", show_progress=False)  # type: ignore[list-item]
    assert info.value.field == "problems[2]"
    assert words in info.value.message


@pytest.mark.parametrize("processes", [0, -1, True, 2.0])
def test_solve_many_rejects_bad_processes(
    monkeypatch: pytest.MonkeyPatch, processes: object
) -> None:
    monkeypatch.setattr(solve_module, "ProcessPoolExecutor", _no_pool)
    with pytest.raises(InputError) as info:
        solve_many([_ward(1)], processes=processes, show_progress=False)  # type: ignore[arg-type]
    assert info.value.field == "processes"


def _solve_unless_boom(args: tuple[Any, dict[str, Any]]) -> Result:
    """Like ``optimizer.solve._solve_one``, but a problem named 'boom' crashes."""
    problem, kwargs = args
    if problem.name == "boom":
        raise RuntimeError("crashed on purpose")
    return solve(problem, **kwargs)


def test_solve_many_keeps_every_other_result_when_one_solve_crashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solve_module, "_solve_one", _solve_unless_boom)
    problems = [_ward(5), _ward(1, name="boom"), _ward(4)]
    processes: Any = np.int64(2)  # a NumPy integer is a whole number too
    with pytest.raises(BatchError) as info:
        solve_many(problems, processes=processes, show_progress=False, seed=0)
    error = info.value
    assert list(error.errors) == [1] and "crashed on purpose" in str(error)
    assert error.results[1] is None
    kept = [(problems[i], error.results[i]) for i in (0, 2)]
    for problem, result in kept:
        assert result is not None
        verify_result(problem, result)
    assert [result.objective for _, result in kept if result] == [200, 100]  # see _ward


def test_solve_many_refuses_a_bad_cpsat_parameter_before_any_solve() -> None:
    # (it used to fail in every worker, as a BatchError after the whole batch)
    with pytest.raises(InputError, match="CP-SAT refuses the value -1") as info:
        solve_many([_ward(1), _ward(2)], processes=1, show_progress=False, num_workers=-1)
    assert info.value.field == "num_workers"


# --- solve ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "hint"),
    [
        ({"name": "ward"}, "problem_from_data(data)"),
        ("data/demo_ward.json", "load_problem(path)"),
        (Path("data/demo_ward.json"), "load_problem(path)"),
    ],
)
def test_solve_explains_what_a_problem_is(problem: object, hint: str) -> None:
    with pytest.raises(InputError) as info:
        solve(problem, time_limit=1)  # type: ignore[arg-type]
    assert info.value.field == "problem"
    assert "RosterProblem or CaseProblem" in info.value.message and hint in info.value.message


def test_numpy_integers_are_whole_numbers() -> None:
    result, _ = solve_verified(_ward(4), workers=np.int64(1), seed=np.int32(3))
    assert result.objective == 100  # one nurse short
    with pytest.raises(InputError) as info:
        solve(_ward(4), seed=True)
    assert info.value.field == "seed"


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"num_workers": -1}, "num_workers", "should be in [0,10000]"),
        ({"max_time_in_seconds": -1}, "max_time_in_seconds", "must be non-negative"),
        ({"max_deterministic_time": math.nan}, "max_deterministic_time", "NaN"),
        ({"subsolvers": ["bogus"]}, "subsolvers", "subsolver 'bogus' is not valid"),
    ],
)
@pytest.mark.parametrize("problem", [_ward(1), _theatre()], ids=["roster", "cases"])
def test_a_parameter_cpsat_refuses_is_an_input_error(
    problem: Any, params: dict[str, Any], field: str, words: str
) -> None:
    # Before this check CP-SAT answered MODEL_INVALID and the warm start came back FEASIBLE.
    with pytest.raises(InputError) as info:
        solve(problem, time_limit=5, workers=1, **params)
    assert info.value.field == field and words in info.value.message


def test_a_parameter_cpsat_accepts_still_solves() -> None:
    result, _ = solve_verified(_theatre(), time_limit=10, relative_gap_limit=0.0)
    assert result.status is SolveStatus.OPTIMAL


def test_cli_refused_parameter_exits_2(tmp_path: Path) -> None:
    project = tmp_path / "ward.json"
    save_project(_ward(1), project)
    result = runner.invoke(app, ["solve", str(project), "--quiet", "--param", "num_workers=-1"])
    assert result.exit_code == 2
    assert "num_workers" in result.output and "status=" not in result.output


# --- CLI messages -----------------------------------------------------------------


def test_demo_says_why_nothing_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    why = "no roster found within the 0.01 s time limit"
    unknown = Result(status=SolveStatus.UNKNOWN, message=why)
    monkeypatch.setattr(demo, "run_solve", lambda *args, **kwargs: unknown)
    result = runner.invoke(app, ["demo", "--time-limit", "0.01", "--quiet"])
    assert result.exit_code == 1
    said = why[0].upper() + why[1:]  # the CLI's sentence starts with a capital
    assert result.output.count(said) == 2  # the roster and the case schedule


def _suite(tmp_path: Path) -> Path:
    """One tiny Curtois instance and one that fails to load."""
    suite = tmp_path / "suite"
    (suite / "instances").mkdir(parents=True)
    (suite / "instances" / "A.txt").write_text("not an instance", encoding="utf-8")
    (suite / "instances" / "B.txt").write_text(TINY, encoding="utf-8")
    (suite / "best_known.csv").write_text("instance,best\nA,1\nB,0\n", encoding="utf-8")
    return suite


def test_cli_bench_given_a_file(tmp_path: Path) -> None:
    # a single instance file is a batch of one (it was refused: "is a file, not a suite
    # folder"); the optimum is 0 (three nurses, one needed)
    from optimizer.io.project import load_result

    path, out = tmp_path / "ward.json", tmp_path / "solutions"
    save_project(_ward(1), path)
    args = ["bench", str(path), "--time-limit", "5", "--workers", "1", "--out-dir", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "instances=1 with_solution=1" in result.output
    assert verify_result(_ward(1), load_result(out / "ward.json")).objective == 0


@pytest.mark.parametrize(
    ("option", "value"),
    [("--time-limit", "nan"), ("--workers", "0"), ("--backend", "x")],
)
def test_cli_bench_checks_options_before_the_table(tmp_path: Path, option: str, value: str) -> None:
    result = runner.invoke(app, ["bench", str(_suite(tmp_path)), option, value])
    assert result.exit_code == 2
    assert f"'{option}'" in result.output
    assert "ERROR" not in result.output and "instance" not in result.output


def test_run_bench_checks_settings_before_the_first_row(tmp_path: Path) -> None:
    seen: list[BenchRow] = []
    with pytest.raises(InputError) as info:
        run_bench(_suite(tmp_path), time_limit=math.nan, on_row=seen.append)
    assert info.value.field == "time_limit" and seen == []
