"""Ctrl-C and SIGTERM stop a solve and keep its best result, everywhere.

Real signals go to subprocesses (a signal in the test process would end the test run),
sent when a marker file says the solve has a solution; ``interrupts.request_stop`` (what
the signal handler calls) stands in for the signal in the in-process tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from optimizer.bench import INTERRUPTED, NOT_RUN, run_bench
from optimizer.cli import app
from optimizer.demo.surgery import surgical_days
from optimizer.explain.diagnosis import diagnose_roster
from optimizer.io.load import load_problem
from optimizer.io.project import load_result, save_project
from optimizer.lexicographic import solve_lexicographic
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftType,
    Staff,
)
from optimizer.solve import solve
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat.correction import find_correction
from optimizer.solvers.milp.watchdog import INTERRUPT_GRACE
from tests.test_bench import _suite
from tests.verify import solve_verified, verify_result

ROOT = Path(__file__).resolve().parents[1]
DEMO_WARD = ROOT / "data" / "demo_ward.json"
BENCHMARKS = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
MONDAY = dt.date(2026, 12, 14)
EARLY = ShiftType(id="E", start="07:00", length_minutes=480)
NIGHT = ShiftType(id="N", start="21:00", length_minutes=600, forbidden_next=("E",))

WAIT = 30.0
"""Seconds a subprocess gets to reach its marker (start-up and a first solution)."""
STOPPED_WITHIN = 8.0
"""Seconds from the signal to the exit: far below every time limit used here (60 s)."""


def _ward(days: int = 7, **extra: Any) -> RosterProblem:
    """Four nurses, a week of Early and Night shifts, one nurse wanted on each."""
    fields: dict[str, Any] = {
        "start_date": MONDAY,
        "num_days": days,
        "shifts": (EARLY, NIGHT),
        "staff": tuple(Staff(id=f"n{i}", skills=("RN",)) for i in range(4)),
        "cover": tuple(
            CoverDemand(day=d, shift=s, required=1, under_weight=50, over_weight=5)
            for d in range(days)
            for s in ("E", "N")
        ),
    }
    return RosterProblem(**(fields | extra))


def _infeasible_ward() -> RosterProblem:
    # one nurse with at most one Night; a Night on each of three days must be covered
    return _ward(
        staff=(Staff(id="jo", contract=Contract(max_shifts_per_type={"N": 1})),),
        cover=tuple(CoverDemand(day=d, shift="N", required=1, min_required=1) for d in range(3)),
    )


# -- CP-SAT never takes SIGINT from Python --------------------------------------------


@pytest.fixture
def cpsat_catches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Records ``catch_sigint_signal`` of every CP-SAT solve."""
    seen: list[bool] = []
    real = cp_model.CpSolver.solve

    def spy(self: cp_model.CpSolver, *args: Any, **kwargs: Any) -> Any:
        seen.append(self.parameters.catch_sigint_signal)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", spy)
    yield seen


def test_every_cpsat_solve_leaves_ctrl_c_to_python(cpsat_catches: list[bool]) -> None:
    # OR-Tools 9.15 leaves SIGINT at SIG_DFL after a solve that caught it: the next
    # Ctrl-C would kill Python (a notebook's whole session).
    before = signal.getsignal(signal.SIGINT)
    ward = _ward()
    solve_verified(ward, time_limit=5, roster_staffwise=False)
    solve_verified(ward, time_limit=5, roster_staffwise=True)
    solve_verified(ward, time_limit=3, workers=2, seed=None, roster_lns=True)
    solve_verified(ward, time_limit=5, catch_sigint_signal=True)  # the dashboard passes it
    cases = surgical_days(0, 1, max_cases=8)
    solve_verified(cases, time_limit=5)
    solve_verified(cases, time_limit=3, case_lns=True)
    assert diagnose_roster(_infeasible_ward(), 5).feasible is False
    assert find_correction(_infeasible_ward(), 3).roster is not None
    assert len(cpsat_catches) > 10
    assert not any(cpsat_catches)
    assert signal.getsignal(signal.SIGINT) is before


# -- in process: what the handler does, without a real signal -------------------------


def _stop_at_first(point: ProgressPoint) -> None:
    interrupts.request_stop("Ctrl-C")


def test_an_interrupted_solve_returns_its_best_and_says_so() -> None:
    problem = load_problem(DEMO_WARD)
    began = time.perf_counter()
    result = solve(problem, time_limit=60, workers=2, on_solution=_stop_at_first)
    assert time.perf_counter() - began < 20  # not the 60 s limit
    assert result.status is SolveStatus.FEASIBLE
    assert result.message.startswith("interrupted: Ctrl-C stopped the search; this is the best")
    verify_result(problem, result)
    # the interrupt belonged to that solve: the next one runs as usual
    assert not interrupts.interrupted()
    again, _ = solve_verified(_ward(), time_limit=5)
    assert not again.message.startswith("interrupted")


def test_a_lexicographic_solve_keeps_the_stages_done_and_skips_the_rest() -> None:
    problem = _ward()
    result = solve_lexicographic(problem, time_limit_per_stage=5, on_solution=_stop_at_first)
    assert result.message.startswith("interrupted: Ctrl-C")
    stages = result.message.partition("lexicographic: ")[2].split("; ")
    assert len(stages) == 1 and stages[0].startswith("under_cover=")
    assert result.status is SolveStatus.FEASIBLE  # later stages were never run
    verify_result(problem, result)


def test_bench_marks_the_cut_instance_and_runs_no_other(tmp_path: Path) -> None:
    rows = run_bench(_suite(tmp_path), time_limit=5, workers=1, on_solution=_stop_at_first)
    assert [row.status for row in rows] == [INTERRUPTED, NOT_RUN, NOT_RUN]
    assert rows[0].objective is not None
    assert rows[0].message.startswith("interrupted:")
    assert all(row.message == "not run: interrupted" for row in rows[1:])


def test_a_bad_cpsat_parameter_is_refused_before_any_work(tmp_path: Path) -> None:
    # The infeasible ward never builds the full model (where CP-SAT's parameters were
    # checked before): its feasibility phase proves it infeasible first (was exit 1).
    ward = tmp_path / "infeasible.json"
    save_project(_infeasible_ward(), ward)
    command = ["solve", str(ward), "--time-limit", "1", "--quiet"]
    outcome = CliRunner().invoke(app, [*command, "--param", "bogus_param=1"])
    assert outcome.exit_code == 2, outcome.output
    assert "field 'bogus_param': unknown CP-SAT parameter 'bogus_param'" in outcome.output
    outcome = CliRunner().invoke(app, [*command, "--param", "max_time_in_seconds=-5"])
    assert outcome.exit_code == 2, outcome.output
    assert "field 'max_time_in_seconds': CP-SAT refuses the value -5" in outcome.output


# -- real signals, in subprocesses ------------------------------------------------------

DRIVER = textwrap.dedent(
    """
    import pathlib, sys
    import optimizer.solve
    api = sys.modules["optimizer.solve"]  # (optimizer.solve is also the function)
    marker = pathlib.Path(sys.argv[1])
    real = api.solve

    def solve(problem, *args, on_solution=None, **kwargs):
        def seen(point):
            marker.write_text(str(point.objective))
            if on_solution is not None:
                on_solution(point)
        return real(problem, *args, on_solution=seen, **kwargs)

    api.solve = solve
    from optimizer import cli
    sys.argv = ["carealloc", *sys.argv[2:]]
    cli.main()
    """
)
"""``carealloc ARGS`` that writes the marker file at each improving solution."""


def _carealloc(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], Path]:
    marker = tmp_path / "marker"
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(marker), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    return process, marker


def _signal_when_solved(
    process: subprocess.Popen[str], marker: Path, signum: int, group: bool = True
) -> tuple[str, str, float]:
    """Send ``signum`` once ``marker`` exists (to the process group, as a terminal's
    Ctrl-C, or to the process alone); stdout, stderr and the seconds to the exit."""
    deadline = time.monotonic() + WAIT
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not marker.exists():
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"no solution within {WAIT} s: {out[-500:]} {err[-500:]}")
    sent = time.monotonic()
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"still running 60 s after the signal: {out[-500:]} {err[-500:]}")
    return out, err, time.monotonic() - sent


def _written_result(problem_path: Path, out: Path) -> Result:
    """The ``--out`` Result, re-verified by the checker (objective equal)."""
    problem = load_problem(problem_path)
    result = load_result(out)
    verify_result(problem, result)
    return result


def test_after_a_solve_ctrl_c_is_python_keyboard_interrupt() -> None:
    script = textwrap.dedent(
        """
        import os, signal, time
        from optimizer import solve
        from tests.test_interrupts import _ward
        print(solve(_ward(), time_limit=2, workers=1).status.value, flush=True)
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
            print("no exception")
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr  # was -2: killed by SIG_DFL
    assert done.stdout.split()[-1] == "KeyboardInterrupt", done.stdout


@pytest.mark.parametrize(
    ("signum", "name"), [(signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")]
)
def test_the_cli_stops_reports_and_writes_the_best_then_exits_130(
    tmp_path: Path, signum: int, name: str
) -> None:
    out = tmp_path / "result.json"
    args = ("solve", str(DEMO_WARD), "--time-limit", "60", "--workers", "2", "--quiet")
    process, marker = _carealloc(tmp_path, *args, "--out", str(out))
    stdout, stderr, seconds = _signal_when_solved(process, marker, signum)
    assert process.returncode == 130, stderr
    assert seconds < STOPPED_WITHIN  # SIGTERM used to wait for the whole time limit
    status_line = stdout.strip().splitlines()[-1]
    assert status_line.startswith(("status=FEASIBLE", "status=OPTIMAL")), stdout
    assert f"interrupted: {name} stopped the search; this is the best" in stderr
    result = _written_result(DEMO_WARD, out)
    assert f"objective={result.objective} " in status_line
    assert result.message.startswith(f"interrupted: {name}")


def test_a_lexicographic_cli_solve_stops_at_once(tmp_path: Path) -> None:
    out = tmp_path / "lex.json"
    args = ("solve", str(DEMO_WARD), "--lexicographic", "--time-limit", "60", "--workers", "2")
    process, marker = _carealloc(tmp_path, *args, "--quiet", "--out", str(out))
    _stdout, stderr, seconds = _signal_when_solved(process, marker, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert seconds < STOPPED_WITHIN  # the later stages (60 s each) never start
    result = _written_result(DEMO_WARD, out)
    assert result.message.startswith("interrupted: Ctrl-C")
    assert "lexicographic: " in result.message


def test_a_bench_cut_short_marks_its_rows_and_exits_130(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    (suite / "instances").mkdir(parents=True)
    for name in ("WardA", "WardB", "WardC"):
        (suite / "instances" / f"{name}.json").write_bytes(DEMO_WARD.read_bytes())
    (suite / "best_known.csv").write_text("instance,best\nWardA,\n", encoding="utf-8")
    table = tmp_path / "bench.csv"
    args = ("bench", str(suite), "--time-limit", "60", "--workers", "2", "--out-csv", str(table))
    process, marker = _carealloc(tmp_path, *args)
    stdout, stderr, seconds = _signal_when_solved(process, marker, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert seconds < STOPPED_WITHIN
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["status"] for row in rows] == [INTERRUPTED, NOT_RUN, NOT_RUN]
    assert rows[0]["objective"] and rows[0]["message"].startswith("interrupted: Ctrl-C")
    assert "not run (interrupted): 2 instance(s)" in stdout


CURTOIS_2 = BENCHMARKS / "curtois-nrp" / "instances" / "Instance2.txt"


@pytest.mark.skipif(not CURTOIS_2.exists(), reason=f"benchmarks not found at {BENCHMARKS}")
@pytest.mark.parametrize(("signum", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_a_milp_interrupt_keeps_cbcs_roster(tmp_path: Path, signum: int, group: bool) -> None:
    # CBC logs its first roster of Instance2 after about 1.5 s and proves the optimum
    # after about 8 s. A terminal's Ctrl-C reaches CBC too (same process group); SIGTERM
    # reaches only carealloc, which passes it on. CBC then stops and writes its best.
    out = tmp_path / "milp.json"
    args = ("solve", str(CURTOIS_2), "--backend", "milp", "--time-limit", "60")
    extra = ("--workers", "2", "--quiet", "--param", "phase_one=false", "--out", str(out))
    process, marker = _carealloc(tmp_path, *args, *extra)
    _stdout, stderr, seconds = _signal_when_solved(process, marker, signum, group=group)
    assert process.returncode == 130, stderr
    assert seconds < INTERRUPT_GRACE + 5  # CBC answers SIGINT between heuristics: 3-4 s
    result = _written_result(CURTOIS_2, out)
    assert result.backend == "milp"
    assert result.message.endswith("solver=cbc")  # CBC's own roster, no fallback's
    assert result.message.startswith("interrupted:")


def test_solve_many_cancels_the_queue_and_returns_what_it_has(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import json, sys
        from optimizer import solve_many
        from optimizer.io.load import load_problem
        from optimizer.solve import BatchInterrupted
        ward = load_problem(sys.argv[1])
        print("go", flush=True)
        try:
            solve_many([ward] * 4, time_limit=60, processes=2, show_progress=False)
        except BatchInterrupted as exc:
            print(json.dumps([None if r is None else r.model_dump(mode="json")
                              for r in exc.results]))
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(DEMO_WARD)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "go"
    time.sleep(6)  # the pool starts and both workers search (no marker crosses processes)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)  # the parent only, as a notebook's interrupt
    stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < STOPPED_WITHIN, stderr  # was: the whole queue
    assert process.returncode == 0, stderr
    results = [None if r is None else Result.model_validate(r) for r in json.loads(stdout)]
    assert results[2:] == [None, None]  # queued: never ran
    problem = load_problem(DEMO_WARD)
    for result in results[:2]:
        assert result is not None and result.message.startswith("interrupted:")
        if result.status.has_solution:
            verify_result(problem, result)
