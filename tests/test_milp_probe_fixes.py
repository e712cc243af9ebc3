"""MILP backend fixes from the probe reports: time-outs, crashes, limits, parameters.

CBC 2.10 calls a time limit that ends during preprocessing "Integer infeasible",
calls a stop in its root LP "Stopped on iterations" with fractional values, and
sometimes crashes on short limits. Those runs depend on machine speed, so most tests
here replace CBC (``cbc_path``) with a small script that answers the way CBC does in
each case; the script waits for CBC's ``-sec`` itself where the case needs it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer import solve
from optimizer.cli import app
from optimizer.errors import InputError, SolverUnavailableError
from optimizer.io.project import save_project
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.model.roster import CoverDemand, Pin, RosterProblem, ShiftType, Staff
from optimizer.solvers.milp import runner, solver_choice
from optimizer.solvers.milp.cbc_outcome import CbcOutcome, verdict
from optimizer.solvers.milp.watchdog import Watchdog
from tests.verify import solve_verified, verify_result

FAKE_CBC = """#!{python}
import os, signal, sys, time

args = sys.argv[1:]


def value(flag, default=None):
    return args[args.index(flag) + 1] if flag in args else default


with open({marker!r}, "a") as calls:
    calls.write(" ".join(args) + "\\n")
print("Welcome to the CBC MILP Solver (a stand-in for tests)", flush=True)
mode = {mode!r}
if mode == "crash":
    os.kill(os.getpid(), signal.SIGSEGV)
if mode == "hang":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    time.sleep(600)
if mode == "preprocessing_time_out":
    time.sleep(float(value("-sec", "0")))  # CBC notices its limit only after it passed
    print("Cgl0000I Cut generators found to be infeasible! (or unbounded)")
    print("Pre-processing says infeasible or unbounded")
    header = "Integer infeasible - objective value -21.66666667"
elif mode == "infeasible":
    print("Problem is infeasible - 0.00 seconds")
    header = "Infeasible - objective value 100.00000000"
elif mode == "root_lp_time_out":
    print("Problem is stopped - 0.08 seconds")
    header = "Stopped on iterations - objective value -22.00000000"
else:  # no solution in time
    print("Result - Stopped on time limit")
    header = "Stopped on time (no integer solution - continuous used) - objective value 0"
with open(value("-solution"), "w") as solution:
    solution.write(header + "\\n")
"""


def _fake_cbc(tmp_path: Path, mode: str) -> tuple[Path, Path]:
    """A stand-in CBC binary answering as CBC does in ``mode``; and the file that
    records each call (one line of arguments per run)."""
    marker = tmp_path / f"{mode}.calls"
    script = tmp_path / f"cbc-{mode}"
    script.write_text(
        FAKE_CBC.format(python=sys.executable, marker=str(marker), mode=mode), encoding="utf-8"
    )
    script.chmod(0o755)
    return script, marker


def _calls(marker: Path) -> list[str]:
    return marker.read_text(encoding="utf-8").splitlines() if marker.exists() else []


def _ward(**changes: Any) -> RosterProblem:
    """Three nurses, a week of one early and one late shift; one nurse a shift wanted."""
    fields: dict[str, Any] = {
        "name": "probe",
        "start_date": dt.date(2026, 12, 7),
        "num_days": 7,
        "shifts": (
            ShiftType(id="E", start="07:00", length_minutes=480),
            ShiftType(id="L", start="14:00", length_minutes=480),
        ),
        "staff": tuple(Staff(id=f"n{i}", skills=("RN",)) for i in range(3)),
        "cover": tuple(
            CoverDemand(day=d, shift=s, required=1, under_weight=100, over_weight=1)
            for d in range(7)
            for s in ("E", "L")
        ),
    }
    return RosterProblem(**(fields | changes))


def _hint(problem: RosterProblem) -> Result:
    result, _ = solve_verified(problem, backend="cpsat", time_limit=20)
    return result


def _milp(problem: RosterProblem, cbc: Path, **kwargs: Any) -> Result:
    kwargs.setdefault("workers", 1)
    kwargs.setdefault("seed", 0)
    return solve(problem, backend="milp", solver="cbc", cbc_path=str(cbc), **kwargs)


# -- 1. a time-out is not a proof; a crash is not bad input ---------------------------


def test_preprocessing_time_out_is_unknown_not_infeasible(tmp_path: Path) -> None:
    cbc, marker = _fake_cbc(tmp_path, "preprocessing_time_out")
    result = _milp(_ward(), cbc, time_limit=1)
    assert result.status is SolveStatus.UNKNOWN
    assert result.roster is None
    assert "proves nothing" in result.message
    assert len(_calls(marker)) == 2  # phase one and the main solve both ran


def test_preprocessing_time_out_returns_the_hint_as_feasible(tmp_path: Path) -> None:
    problem = _ward()
    hint = _hint(problem)
    cbc, _ = _fake_cbc(tmp_path, "preprocessing_time_out")
    result = _milp(problem, cbc, time_limit=1, hint=hint)
    assert result.status is SolveStatus.FEASIBLE
    assert result.roster is not None and hint.roster is not None
    assert result.roster.by_staff_day() == hint.roster.by_staff_day()
    report = verify_result(problem, result)
    assert result.objective == report.objective == hint.objective
    assert "this is the hint roster" in result.message
    assert result.progress and result.progress[-1].objective == result.objective


def test_the_hint_must_keep_the_stage_caps_to_be_returned(tmp_path: Path) -> None:
    problem = _ward(
        staff=(Staff(id="n0", skills=("RN",)),),  # one nurse for two shifts a day
    )
    hint = _hint(problem)
    under = hint.terms["under_cover"]
    assert under > 0
    cbc, _ = _fake_cbc(tmp_path, "preprocessing_time_out")
    stage = {"stage_weights": {"over_cover": 1}, "time_limit": 1, "hint": hint}
    kept = _milp(problem, cbc, stage_caps=[({"under_cover": 1}, under)], **stage)
    assert kept.status is SolveStatus.FEASIBLE
    verify_result(problem, kept, objective=False)
    broken = _milp(problem, cbc, stage_caps=[({"under_cover": 1}, under - 1)], **stage)
    assert broken.status is SolveStatus.UNKNOWN and broken.roster is None


def test_infeasible_before_the_time_limit_is_still_a_proof(tmp_path: Path) -> None:
    cbc, _ = _fake_cbc(tmp_path, "infeasible")
    floors = _ward(cover=(CoverDemand(day=0, shift="E", required=4, min_required=4),))
    for time_limit in (None, 30):
        result = _milp(floors, cbc, time_limit=time_limit)
        assert result.status is SolveStatus.INFEASIBLE, result.message
        assert result.roster is None


def test_real_cbc_still_proves_infeasibility_under_a_time_limit() -> None:
    # four nurses are needed on the Monday early shift and there are three (no phase
    # one: min_required is set), so CBC proves it at once
    floors = _ward(cover=(CoverDemand(day=0, shift="E", required=4, min_required=4),))
    result = solve(floors, backend="milp", solver="cbc", time_limit=30, workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE
    # a pinned late then early shift with a forbidden succession: phase one proves it
    pinned = _ward(
        shifts=(
            ShiftType(id="E", start="07:00", length_minutes=480),
            ShiftType(id="L", start="14:00", length_minutes=480, forbidden_next=("E",)),
        ),
        pins=(Pin(staff="n0", day=0, shift="L"), Pin(staff="n0", day=1, shift="E")),
    )
    result = solve(pinned, backend="milp", solver="cbc", time_limit=30, workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE


def test_a_contradicted_infeasible_returns_the_hint(tmp_path: Path) -> None:
    problem = _ward()
    hint = _hint(problem)
    cbc, _ = _fake_cbc(tmp_path, "infeasible")
    result = _milp(problem, cbc, time_limit=30, hint=hint)
    assert result.status is SolveStatus.FEASIBLE
    verify_result(problem, result)
    assert "CBC reported infeasible, which the hint roster disproves" in result.message


def test_a_cbc_crash_is_unknown_or_the_hint_not_bad_input(tmp_path: Path) -> None:
    problem = _ward()
    cbc, _ = _fake_cbc(tmp_path, "crash")
    crashed = _milp(problem, cbc, time_limit=5)
    assert crashed.status is SolveStatus.UNKNOWN
    assert "CBC crashed (SIGSEGV)" in crashed.message
    assert ("solver=highs" in crashed.message) is solver_choice.highs_available()
    assert "the cpsat backend" in crashed.message
    hint = _hint(problem)
    rescued = _milp(problem, cbc, time_limit=5, hint=hint)
    assert rescued.status is SolveStatus.FEASIBLE
    verify_result(problem, rescued)
    assert "CBC crashed (SIGSEGV)" in rescued.message


def test_a_cbc_crash_on_the_cli_is_exit_1_not_2(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    cbc, _ = _fake_cbc(tmp_path, "crash")
    outcome = CliRunner().invoke(
        app,
        [
            *("solve", str(path), "--backend", "milp", "--time-limit", "5", "--quiet"),
            *("--param", "solver=cbc", "--param", f"cbc_path={cbc}"),
        ],
    )
    assert outcome.exit_code == 1, outcome.output
    assert "CBC crashed (SIGSEGV)" in outcome.output
    assert outcome.output.strip().splitlines()[-1].startswith("status=UNKNOWN")


def test_a_stop_in_the_root_lp_is_no_roster(tmp_path: Path) -> None:
    # "Stopped on iterations - objective value" with LP values: PuLP reads it as an
    # integer solution; before branch and bound it is none
    cbc, _ = _fake_cbc(tmp_path, "root_lp_time_out")
    result = _milp(_ward(), cbc, time_limit=5, phase_one=False)
    assert result.status is SolveStatus.UNKNOWN
    assert result.roster is None and result.objective is None


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (
            CbcOutcome(0, 0.1, 2.0, False, "Integer infeasible - objective value 1", ""),
            "INFEASIBLE",
        ),
        (CbcOutcome(0, 2.5, 2.0, False, "Integer infeasible - objective value 1", ""), "UNKNOWN"),
        (CbcOutcome(0, 0.1, 2.0, True, "Infeasible - objective value 1", ""), "UNKNOWN"),
        (CbcOutcome(0, 9.0, None, False, "Infeasible - objective value 1", ""), "INFEASIBLE"),
        (
            CbcOutcome(0, 2.1, 2.0, False, "Stopped on time - objective value 5", "Result - "),
            "FEASIBLE",
        ),
        (
            CbcOutcome(0, 0.1, 2.0, False, "Stopped on iterations - objective value 5", ""),
            "UNKNOWN",
        ),
        (CbcOutcome(0, 0.3, 2.0, False, "Optimal - objective value 5", "Result - "), "OPTIMAL"),
        (CbcOutcome(-11, 0.3, 2.0, False, "", "Coin0008I MODEL read"), "UNKNOWN"),
        (CbcOutcome(0, 0.3, 2.0, False, "", ""), "UNKNOWN"),
    ],
)
def test_cbc_verdicts(outcome: CbcOutcome, status: str) -> None:
    assert verdict(outcome)[0] is SolveStatus(status)


# -- 2. the time limit bounds the whole solve ------------------------------------------


def test_a_hung_cbc_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    # the stand-in ignores SIGINT and sleeps for 10 minutes; the watchdog ends it
    problem = _ward()
    cbc, marker = _fake_cbc(tmp_path, "hang")
    began = time.perf_counter()
    result = _milp(problem, cbc, time_limit=1)
    assert time.perf_counter() - began < 30
    assert result.status is SolveStatus.UNKNOWN
    hint = _hint(problem)
    began = time.perf_counter()
    rescued = _milp(problem, cbc, time_limit=1, hint=hint)
    assert time.perf_counter() - began < 30
    assert rescued.status is SolveStatus.FEASIBLE
    verify_result(problem, rescued)
    assert "CBC ran past its time limit and was ended" in rescued.message
    assert _calls(marker)


def test_no_time_left_for_building_means_no_solver_run(tmp_path: Path) -> None:
    # a limit far below any model's building time: nothing is started, whatever the
    # machine's speed
    problem = _ward()
    cbc, marker = _fake_cbc(tmp_path, "no_solution")
    result = _milp(problem, cbc, time_limit=1e-9)
    assert result.status is SolveStatus.UNKNOWN
    assert "the time limit ended while the model was being built" in result.message
    assert _calls(marker) == []
    hint = _hint(problem)
    rescued = _milp(problem, cbc, time_limit=1e-9, hint=hint)
    assert rescued.status is SolveStatus.FEASIBLE
    verify_result(problem, rescued)
    assert _calls(marker) == []


def test_cbc_gets_the_time_left_and_phase_one_its_share(tmp_path: Path) -> None:
    cbc, marker = _fake_cbc(tmp_path, "no_solution")
    _milp(_ward(), cbc, time_limit=10)
    limits = [float(call.split("-sec ")[1].split()[0]) for call in _calls(marker)]
    assert len(limits) == 2
    phase_one, main = limits
    assert phase_one <= 2.5  # a quarter of 10 s, less model building
    assert main <= 9.0  # what is left of 10 s, less a little for CBC to write its answer
    assert all("-timeMode elapsed" in call for call in _calls(marker))


# -- 3. the message quotes the caller's time limit -------------------------------------


def test_no_roster_message_quotes_the_callers_time_limit(tmp_path: Path) -> None:
    cbc, _ = _fake_cbc(tmp_path, "no_solution")
    result = _milp(_ward(), cbc, time_limit=3.14159)
    assert result.status is SolveStatus.UNKNOWN
    assert "no roster found within the 3.14 s time limit" in result.message


# -- 4. bad parameter values ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cbc_options", 42),
        ("cbc_options", ["cuts off", 3]),
        ("cbc_options", ["sec 100"]),  # the time limit is the solve's own
        ("cbc_options", "threads 4"),
        ("gap_rel", "abc"),
        ("gap_rel", 1.5),
        ("gap_rel", True),
        ("gap_abs", -1),
        ("gap_abs", float("nan")),
        ("highs_options", 5),
        ("highs_options", {"mip_rel_gap": [0.1]}),
        ("phase_one", "no"),
        ("phase_one", 1),
        ("cbc_path", 7),
        ("solver", 3),
    ],
)
def test_bad_parameter_values_are_refused_before_solving(
    tmp_path: Path, name: str, value: object
) -> None:
    cbc, marker = _fake_cbc(tmp_path, "no_solution")
    params: dict[str, Any] = {"solver": "cbc", "cbc_path": str(cbc), name: value}
    with pytest.raises(InputError) as error:
        solve(_ward(), backend="milp", time_limit=5, **params)
    assert error.value.field == name
    assert f"MILP parameter '{name}' must be" in str(error.value)
    assert _calls(marker) == []


def test_phase_one_no_on_the_cli_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    outcome = CliRunner().invoke(
        app, ["solve", str(path), "--backend", "milp", "--param", "phase_one=no"]
    )
    assert outcome.exit_code == 2, outcome.output
    assert "'phase_one' must be true or false, got 'no'" in outcome.output


def test_good_parameter_values_still_solve() -> None:
    problem = _ward()
    result, _ = solve_verified(
        problem,
        backend="milp",
        solver="cbc",
        time_limit=30,
        gap_rel=0,
        gap_abs=0.5,
        cbc_options="cuts off",
        phase_one=False,
    )
    assert result.status.has_solution


# -- 5. the solver named by the environment --------------------------------------------


def test_an_unsupported_solver_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(solver_choice.SOLVER_ENV, "glpk")
    with pytest.raises(InputError, match=r"'glpk' in the CAREALLOC_MILP_SOLVER environment"):
        solve(_ward(), backend="milp")
    with pytest.raises(InputError, match=r"field 'solver': unsupported MILP solver 'cplex'"):
        solve(_ward(), backend="milp", solver="cplex")


def test_missing_highs_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solver_choice, "highs_available", lambda: False)
    monkeypatch.setenv(solver_choice.SOLVER_ENV, "highs")
    with pytest.raises(SolverUnavailableError, match=r"by CAREALLOC_MILP_SOLVER=highs"):
        solve(_ward(), backend="milp")
    monkeypatch.delenv(solver_choice.SOLVER_ENV)
    with pytest.raises(SolverUnavailableError, match=r"use solver='cbc'") as error:
        solve(_ward(), backend="milp", solver="highs")
    assert solver_choice.SOLVER_ENV not in str(error.value)


# -- 6. the reported objective is the roster's, and a closed gap is OPTIMAL -------------


def test_progress_ends_on_the_roster_objective_and_a_closed_gap_is_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # as HiGHS does: the solver's last point carries loose slacks (125 too high) and
    # the status is FEASIBLE although its bound equals the roster's recomputed objective
    real_run = runner.run

    def loose_run(*args: Any, **kwargs: Any) -> runner.MilpRun:
        run = real_run(*args, **kwargs)
        assert run.status is SolveStatus.OPTIMAL and run.bound is not None
        point = ProgressPoint(seconds=0.1, objective=run.bound + 125, bound=run.bound)
        return replace(run, status=SolveStatus.FEASIBLE, progress=[point])

    monkeypatch.setattr(runner, "run", loose_run)
    seen: list[int] = []
    problem = _ward(staff=(Staff(id="n0", skills=("RN",)),))
    result, report = solve_verified(
        problem,
        backend="milp",
        solver="cbc",
        time_limit=30,
        phase_one=False,
        on_solution=lambda p: seen.append(p.objective),
    )
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == result.bound == report.objective
    assert result.progress[-1].objective == result.objective
    assert seen[-1] == result.objective


# -- stopping CBC from outside -----------------------------------------------------------

ASK_TO_STOP = """
import pathlib, signal, sys, time
def stop(*_):
    pathlib.Path(sys.argv[1]).write_text("asked")
    sys.exit(0)
signal.signal(signal.SIGINT, stop)
time.sleep(60)
"""


@pytest.mark.parametrize(("logged", "asked"), [(True, True), (False, False)])
def test_the_watchdog_asks_before_it_kills_only_when_a_solution_may_be_lost(
    tmp_path: Path, logged: bool, asked: bool
) -> None:
    # Without stdbuf CBC's log arrives only at its end, so the runner then always
    # says "may have a solution": CBC is asked to stop (SIGINT), not killed at once.
    marker = tmp_path / "marker"
    process = subprocess.Popen([sys.executable, "-c", ASK_TO_STOP, str(marker)])
    time.sleep(0.5)  # let it install its handler
    with Watchdog(process, 0.1, lambda: logged):
        process.wait(timeout=30)
    assert marker.exists() is asked


def test_sigterm_ends_the_cli_and_its_solver_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    cbc, marker = _fake_cbc(tmp_path, "hang")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [
        *(sys.executable, "-m", "optimizer.cli", "solve", str(path), "--backend", "milp"),
        *("--time-limit", "120", "--quiet", "--param", "solver=cbc"),
        *("--param", f"cbc_path={cbc}", "--param", "phase_one=false"),
    ]
    run = subprocess.Popen(command, env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 60
    while not _calls(marker) and time.monotonic() < deadline:  # CBC has started
        time.sleep(0.2)
    assert _calls(marker), "the stand-in CBC never started"
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 130
    assert list(scratch.iterdir()) == []  # CBC's temporary folder is gone


def test_the_cli_says_once_that_no_roster_was_found(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    cbc, _ = _fake_cbc(tmp_path, "no_solution")
    outcome = CliRunner().invoke(
        app,
        [
            *("solve", str(path), "--backend", "milp", "--time-limit", "5", "--quiet"),
            *("--param", "solver=cbc", "--param", f"cbc_path={cbc}", "--param", "phase_one=false"),
        ],
    )
    assert outcome.exit_code == 1, outcome.output
    text = " ".join(outcome.output.split())
    assert text.startswith("No roster found within the 5 s time limit"), text
    assert "time limit. no roster" not in text
