"""MILP backend fixes from probe s16/p3: a repeated skill, a raising callback, orphaned
CBC, an instant exit called a time-out, advice naming missing solvers, and settings
of the solver not in use."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer import solve
from optimizer.cli import app
from optimizer.errors import InputError, SolverUnavailableError
from optimizer.explain.roster import roster_kpis
from optimizer.io.project import save_project
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solvers.milp import solver_choice
from optimizer.solvers.milp.cbc_outcome import CbcOutcome, solver_failed, verdict
from optimizer.solvers.milp.roster.objective import evaluate
from tests.verify import solve_verified, verify_result

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("cpsat", "milp")


def _one_nurse(skills: tuple[str, ...]) -> RosterProblem:
    """The probe's ward: one nurse, one early shift that needs two RNs."""
    return RosterProblem(
        start_date=dt.date(2026, 12, 7),
        num_days=1,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=(Staff(id="a", skills=skills),),
        cover=(CoverDemand(day=0, shift="E", skill="RN", required=2),),
    )


def _ward() -> RosterProblem:
    """Three nurses, a week of one early and one late shift each needing one."""
    return RosterProblem(
        start_date=dt.date(2026, 12, 7),
        num_days=7,
        shifts=(
            ShiftType(id="E", start="07:00", length_minutes=480),
            ShiftType(id="L", start="14:00", length_minutes=480),
        ),
        staff=tuple(Staff(id=f"n{i}", skills=("RN",)) for i in range(3)),
        cover=tuple(
            CoverDemand(day=d, shift=s, required=1, over_weight=1)
            for d in range(7)
            for s in ("E", "L")
        ),
    )


def _script(tmp_path: Path, name: str, body: str) -> Path:
    """An executable stand-in for CBC."""
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


# -- 1. a skill typed twice is held once ---------------------------------------------


def test_repeated_skills_are_dropped_keeping_their_order() -> None:
    assert Staff(id="a", skills=("HCA", "RN", "HCA", " RN")).skills == ("HCA", "RN")
    loaded = Staff.model_validate_json('{"id": "a", "skills": ["RN", "RN"]}')
    assert loaded.skills == ("RN",)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_repeated_skill_counts_the_nurse_once(backend: str) -> None:
    # one RN for a demand of two: one short at 100, whatever the spelling of her skills
    problem = _one_nurse(("RN", "RN"))
    result, report = solve_verified(problem, backend=backend, time_limit=20)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == report.objective == 100
    assert result.terms["under_cover"] == 100
    assert result.roster is not None
    assert roster_kpis(problem, result.roster).coverage_met_pct == 50.0


def test_the_milp_evaluation_counts_a_person_once_per_demand() -> None:
    # even with the record's validation bypassed
    twice = Staff.model_construct(id="a", name="", grade="", skills=("RN", "RN"))
    problem = _one_nurse(("RN",)).model_copy(update={"staff": (twice,)})
    assert evaluate(problem, {(0, 0): 0})["under_cover"] == 100


# -- 2. an exception from on_solution stops the solve and reaches the caller ----------

LOGS_A_SOLUTION_THEN_HANGS = """import signal, sys, time
print("Cbc0012I Integer solution of 5 found by feasibility pump after 0 iterations "
      "and 0 nodes (0.01 seconds)", flush=True)
signal.signal(signal.SIGINT, signal.SIG_IGN)
time.sleep(600)
"""


class _Stop(Exception):
    pass


def test_a_raising_callback_stops_cbc_and_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cbc = _script(tmp_path, "cbc-solution-then-hang", LOGS_A_SOLUTION_THEN_HANGS)
    thread_errors: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    called_in: list[str] = []

    def stop(point: ProgressPoint) -> None:
        called_in.append(threading.current_thread().name)
        raise _Stop(f"stop at {point.objective}")

    began = time.perf_counter()
    with pytest.raises(_Stop, match="stop at 5"):
        solve(
            _ward(),
            backend="milp",
            solver="cbc",
            cbc_path=str(cbc),
            phase_one=False,
            time_limit=120,
            workers=1,
            on_solution=stop,
        )
    assert time.perf_counter() - began < 30  # not the 120 s limit
    assert called_in and called_in[0] != threading.main_thread().name  # the log follower
    assert thread_errors == []  # no "Exception in thread" traceback
    assert not list(tmp_path.glob("carealloc-cbc-*"))  # CBC ended, its folder removed


def test_a_raising_callback_on_a_real_cbc_run_reaches_the_caller() -> None:
    def stop(point: ProgressPoint) -> None:
        raise _Stop("enough")

    with pytest.raises(_Stop, match="enough"):
        solve(_ward(), backend="milp", solver="cbc", time_limit=30, workers=1, on_solution=stop)


# -- 3. CBC dies with its parent -----------------------------------------------------

CHILD = """import sys
from optimizer import solve
from optimizer.io.load import load_problem

solve(load_problem(sys.argv[1]), backend="milp", solver="cbc", phase_one=False,
      time_limit=600, workers=1)
"""


def _children(pid: int) -> dict[int, str]:
    """Processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _running(pid: int) -> bool:
    """True while ``pid`` is a live CBC (not gone, not a zombie awaiting its reaper)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z" and b"model.mps" in cmdline


def _wait_for(condition: Any, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


def test_cbc_dies_when_its_parent_is_killed(tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(ROOT / "data" / "demo_ward.json")],
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(tmp_path)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    cbc: list[int] = []

    def cbc_started() -> bool:
        cbc[:] = [pid for pid, cmd in _children(child.pid).items() if "model.mps" in cmd]
        return bool(cbc) or child.poll() is not None

    try:
        assert _wait_for(cbc_started, 120) and cbc, errors.read_text()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert _wait_for(lambda: not _running(cbc[0]), 5), "CBC outlived its parent"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        for pid in cbc:  # only when the test fails: never leave the orphan running
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


# -- 4. an instant exit without an answer is a failure, not a time-out -----------------


def test_cbc_exiting_at_once_without_an_answer_is_a_failure(tmp_path: Path) -> None:
    result = solve(
        _ward(), backend="milp", solver="cbc", cbc_path="/bin/true", time_limit=5, workers=1
    )
    assert result.status is SolveStatus.UNKNOWN and result.roster is None
    assert "CBC ended without an answer (exit code 0)" in result.message
    assert "allow more time" not in result.message


def test_cbc_told_to_stop_is_a_failure_and_a_hint_still_comes_back() -> None:
    problem = _ward()
    stopped = solve(
        problem, backend="milp", solver="cbc", cbc_options=["stop"], time_limit=5, workers=1
    )
    assert stopped.status is SolveStatus.UNKNOWN
    assert "CBC ended without an answer (exit code 0)" in stopped.message
    assert "allow more time" not in stopped.message
    hint, _ = solve_verified(problem, backend="cpsat", time_limit=20)
    rescued = solve(
        problem,
        backend="milp",
        solver="cbc",
        cbc_options=["stop"],
        time_limit=5,
        workers=1,
        hint=hint,
    )
    assert rescued.status is SolveStatus.FEASIBLE
    verify_result(problem, rescued)
    assert "CBC ended without an answer" in rescued.message


@pytest.mark.parametrize(
    ("outcome", "failed"),
    [
        (CbcOutcome(0, 0.01, 2.0, False, "", ""), True),  # no answer, well before its limit
        (CbcOutcome(0, 0.01, None, False, "", ""), True),  # no answer, no limit
        (CbcOutcome(0, 2.1, 2.0, False, "", ""), False),  # at its limit: a time-out
        (CbcOutcome(-9, 2.2, 2.0, True, "", ""), False),  # ended by the watchdog
        (CbcOutcome(-11, 0.3, 2.0, False, "", ""), True),  # a crash
        (CbcOutcome(0, 0.3, 2.0, False, "Optimal - objective value 5", "Result - "), False),
    ],
)
def test_cbc_failures(outcome: CbcOutcome, failed: bool) -> None:
    assert solver_failed(outcome) is failed
    assert verdict(outcome)[1].startswith("CBC ended without an answer") is (
        failed and outcome.returncode == 0
    )


# -- 5. advice names only what can be used ---------------------------------------------


@pytest.mark.parametrize("installed", [False, True])
def test_a_failure_suggests_highs_only_when_it_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    monkeypatch.setattr(solver_choice, "highs_available", lambda: installed)
    crash = _script(tmp_path, "cbc-crash", "import os, signal\nos.kill(os.getpid(), 11)\n")
    result = solve(_ward(), backend="milp", solver="cbc", cbc_path=str(crash), time_limit=5)
    assert result.status is SolveStatus.UNKNOWN
    assert "CBC crashed (SIGSEGV)" in result.message
    assert ("solver=highs" in result.message) is installed
    assert "the cpsat backend" in result.message


def test_missing_highs_gives_the_python_and_the_cli_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solver_choice, "highs_available", lambda: False)
    monkeypatch.delenv(solver_choice.SOLVER_ENV, raising=False)
    with pytest.raises(SolverUnavailableError) as error:
        solve(_ward(), backend="milp", solver="highs")
    message = str(error.value)
    assert "solver='cbc' in Python" in message and "--param solver=cbc on the CLI" in message
    assert ". " not in message  # one sentence
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    outcome = CliRunner().invoke(
        app, ["solve", str(path), "--backend", "milp", "--param", "solver=highs", "--quiet"]
    )
    assert outcome.exit_code == 2, outcome.output
    assert "--param solver=cbc" in outcome.output


# -- settings of the solver not in use, and CBC options CBC rejects --------------------


@pytest.mark.parametrize("installed", [False, True])
def test_highs_options_are_refused_when_cbc_runs(
    monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    monkeypatch.setattr(solver_choice, "highs_available", lambda: installed)
    with pytest.raises(InputError, match="field 'highs_options': 'highs_options' is a HiGHS") as e:
        solve(_ward(), backend="milp", solver="cbc", highs_options={"mip_heuristic_effort": 0.3})
    assert ("solver=highs" in str(e.value)) is installed


@pytest.mark.parametrize(
    ("name", "value"), [("cbc_options", ["cuts off"]), ("cbc_path", "/usr/bin/cbc")]
)
def test_cbc_settings_are_refused_when_highs_runs(
    monkeypatch: pytest.MonkeyPatch, name: str, value: Any
) -> None:
    # refused when the solver is chosen, before anything is built or HiGHS started
    monkeypatch.setattr(solver_choice, "highs_available", lambda: True)
    monkeypatch.delenv(solver_choice.SOLVER_ENV, raising=False)
    for solver in ("highs", "auto"):
        with pytest.raises(InputError, match=f"field '{name}': '{name}' is a CBC setting"):
            solve(_ward(), backend="milp", solver=solver, **{name: value})


@pytest.mark.parametrize(
    ("option", "complaint"),
    [
        ("frobnicate", "No match for frobnicate"),
        ("maxNodes -5", "-5 was provided for maxNodes - valid range is"),
        ("maxNodes lots", "String of lots is illegal for integer parameter maxNodes"),
        ("proximity maybe", "Possible options for proximitySearch are"),
    ],
)
def test_cbc_options_cbc_rejects_are_an_error(option: str, complaint: str) -> None:
    with pytest.raises(InputError, match="field 'cbc_options': CBC rejected") as error:
        solve(_ward(), backend="milp", solver="cbc", cbc_options=["cuts off", option])
    assert complaint in str(error.value)


def test_cbc_options_cbc_accepts_still_solve() -> None:
    result, _ = solve_verified(
        _ward(),
        backend="milp",
        solver="cbc",
        time_limit=30,
        cbc_options=["proximity on", "cuts off"],
    )
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 0


def test_a_rejected_cbc_option_on_the_cli_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    outcome = CliRunner().invoke(
        app,
        [
            *("solve", str(path), "--backend", "milp", "--quiet"),
            *("--param", "solver=cbc", "--param", 'cbc_options=["frobnicate"]'),
        ],
    )
    assert outcome.exit_code == 2, outcome.output
    assert "No match for frobnicate" in outcome.output
