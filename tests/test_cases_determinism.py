"""Seed + one worker gives the same case schedule every run (DESIGN.md habit 8).

The CP-SAT case run stops on a work clock (CP-SAT deterministic time at a rate estimated
from the model's size), so the schedule cannot depend on the machine's speed or load.
The second solve of each pair runs while another thread keeps the interpreter busy and a
progress callback takes its time.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer import solve
from optimizer.demo.surgery import surgical_days
from optimizer.model.result import SolveStatus
from optimizer.solvers.cpsat.cases import CASE_WORK_INTERVALS, CASE_WORK_MAX, _work_clock
from optimizer.solvers.options import SolveOptions
from tests.test_roster_determinism import _busy_interpreter, _slow_listener, generous_wall_cap
from tests.verify import verify_result


def test_a_cut_off_case_solve_is_reproducible_with_a_seed_and_one_worker() -> None:
    # One demo day (41 cases, 6 rooms): 2 s is far from a proof, so the limit ends it.
    problem = surgical_days(0, 1)
    with generous_wall_cap():
        first = solve(problem, time_limit=2, workers=1, seed=5)
        with _busy_interpreter():
            second = solve(problem, time_limit=2, workers=1, seed=5, on_solution=_slow_listener)
    verify_result(problem, first)
    verify_result(problem, second)
    assert first.status is SolveStatus.FEASIBLE
    assert first.schedule == second.schedule
    assert first.objective == second.objective


def _model(variables: int) -> cp_model.CpModel:
    model = cp_model.CpModel()
    for i in range(variables):
        model.new_bool_var(f"x{i}")
    return model


def test_the_work_rate_falls_with_model_size() -> None:
    options = SolveOptions(time_limit=10, workers=1, seed=0)
    small, large = _work_clock(_model(10), options), _work_clock(_model(10_000), options)
    assert small is not None and large is not None
    assert small.work_per_second == CASE_WORK_MAX
    assert large.work_per_second == CASE_WORK_INTERVALS / 10_000
    assert _work_clock(_model(10), SolveOptions(time_limit=10, workers=2, seed=0)) is None
    assert _work_clock(_model(10), SolveOptions(time_limit=10, workers=1)) is None
