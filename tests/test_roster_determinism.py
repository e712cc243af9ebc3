"""Seed + one worker gives the same roster every run (DESIGN.md habit 8).

Every budget of such a run is read on a work clock (``runner.Clock``: CP-SAT
deterministic time), so the result cannot depend on the machine's speed or load. The
second solve of each pair runs while another thread keeps the interpreter busy and a
progress callback takes its time: with wall-clock budgets that changes how much search
fits in the limit, and so the roster.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ortools.sat.python import cp_model

from optimizer import solve
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.model.roster import RosterProblem
from optimizer.solvers.cpsat import runner
from optimizer.solvers.cpsat.runner import WORK_PER_SECOND, Clock, configure, reproducible
from optimizer.solvers.options import SolveOptions
from tests.test_roster_cpsat import _random_ward
from tests.verify import verify_result


@contextmanager
def _busy_interpreter() -> Iterator[None]:
    """Another thread competing for the interpreter (a slower, loaded machine)."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(10_000))

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def generous_wall_cap() -> Iterator[None]:
    """A reproducible run stops at ``WALL_CAP`` x its limit of wall time, a safety net for a
    far slower machine; hitting it makes a run depend on the machine. These tests load the
    interpreter on purpose, so on a busy test machine the cap, not the work clock, could
    end a run: it is raised here, as the work clock is what is under test."""
    cap = runner.WALL_CAP
    runner.WALL_CAP = 20.0
    try:
        yield
    finally:
        runner.WALL_CAP = cap


def _slow_listener(point: ProgressPoint) -> None:
    """A progress callback that takes its time (a dashboard redrawing)."""
    time.sleep(0.2)


def _twice(problem: RosterProblem, **kwargs: Any) -> tuple[Result, Result]:
    """Two checked solves with seed 3 on one worker, the second on a busy interpreter
    with a slow progress callback."""
    with generous_wall_cap():
        first = solve(problem, workers=1, seed=3, **kwargs)
        with _busy_interpreter():
            second = solve(problem, workers=1, seed=3, on_solution=_slow_listener, **kwargs)
    verify_result(problem, first)
    verify_result(problem, second)
    return first, second


def test_staffwise_search_is_reproducible_with_a_seed_and_one_worker() -> None:
    # Forced on a small ward (automatic from 1000 staff-days), group moves included;
    # the time limit, not a proof, ends the run.
    problem = _random_ward(11, staff=16, days=21)
    first, second = _twice(problem, time_limit=3, roster_staffwise=True)
    assert first.status is SolveStatus.FEASIBLE
    assert len(first.progress) >= 2  # the search improved on its first legal roster
    assert first.roster == second.roster
    assert first.objective == second.objective


def test_column_phase_is_reproducible_with_a_seed_and_one_worker() -> None:
    # The staffwise search with its column phase forced on (automatic from 600 s): the
    # master LP, pricing, dive and restricted master all run on the work clock.
    problem = _random_ward(11, staff=16, days=21)
    options: dict[str, Any] = {"roster_staffwise": True, "roster_columns": True}
    first, second = _twice(problem, time_limit=6, roster_staffwise_share=1.0, **options)
    assert first.status is SolveStatus.FEASIBLE
    assert first.bound is not None  # from the column phase: no full model after it
    assert (first.roster, first.objective, first.bound) == (
        second.roster,
        second.objective,
        second.bound,
    )


def test_plain_roster_is_reproducible_with_a_seed_and_one_worker() -> None:
    # Feasibility phase, then the full model: it improves on the first legal roster
    # late in the limit (about 1.5 s of 2 on the reference machine) and is cut off.
    problem = _random_ward(1, staff=10, days=21)
    first, second = _twice(problem, time_limit=2)
    assert first.status is SolveStatus.FEASIBLE
    assert len(first.progress) >= 2
    assert first.roster == second.roster
    assert first.objective == second.objective


def _limits(options: SolveOptions) -> tuple[float, float]:
    """(max_time_in_seconds, max_deterministic_time) a solve under ``options`` gets."""
    solver = cp_model.CpSolver()
    configure(solver, options, Clock.of(options))
    return solver.parameters.max_time_in_seconds, solver.parameters.max_deterministic_time


def test_only_a_seed_and_one_worker_switch_to_work_budgets() -> None:
    assert reproducible(SolveOptions(workers=1, seed=0))
    assert not reproducible(SolveOptions(workers=2, seed=0))
    assert not reproducible(SolveOptions(workers=1))
    # Work budget plus a 3x wall-clock safety cap, only when reproducible.
    seconds, work = _limits(SolveOptions(time_limit=10, workers=1, seed=0))
    assert work == 10 * WORK_PER_SECOND and 29 < seconds <= 30
    inf = cp_model.CpSolver().parameters.max_deterministic_time
    assert _limits(SolveOptions(time_limit=10, workers=2, seed=0)) == (10, inf)
    assert _limits(SolveOptions(time_limit=10, workers=1)) == (10, inf)


def test_a_work_clock_moves_only_with_charged_solves() -> None:
    clock = Clock(deterministic=True, limit=60)
    before = clock.now()
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.maximize(x)
    solver = cp_model.CpSolver()
    clock.limit(solver, 1.0)
    assert solver.solve(model) == cp_model.OPTIMAL
    assert clock.now() == before  # the wall clock moved, the work clock did not
    clock.charge(solver, model)
    assert clock.now() > before
