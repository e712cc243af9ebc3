"""Run a built CP-SAT model under our ``SolveOptions``: parameters, progress, status."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.errors import InputError
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers.options import SolveOptions

_VALUE_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
"""How a CP-SAT parameter's Python type reads in an error message."""

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.UNKNOWN,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


@dataclass
class RunOutcome:
    """What a CP-SAT run produced; the solver stays alive to read values."""

    status: SolveStatus
    solver: cp_model.CpSolver
    objective: int | None
    bound: int | None
    seconds: float
    progress: list[ProgressPoint] = field(default_factory=list)


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Streams every improving solution to ``on_point``."""

    def __init__(self, on_point: Callable[[ProgressPoint], None]) -> None:
        super().__init__()
        self._on_point = on_point
        self._start = time.perf_counter()

    def on_solution_callback(self) -> None:
        self._on_point(
            ProgressPoint(
                seconds=round(time.perf_counter() - self._start, 3),
                objective=round(self.ObjectiveValue()),
                bound=round(self.BestObjectiveBound()),
            )
        )


def configure(solver: cp_model.CpSolver, options: SolveOptions) -> None:
    """Apply time limit, workers, seed, log flag and pass-through parameters."""
    params = solver.parameters
    if options.time_limit is not None:
        params.max_time_in_seconds = options.time_limit
    params.num_workers = options.num_workers
    if options.seed is not None:
        params.random_seed = options.seed
    params.log_search_progress = options.log
    for name, value in options.params.items():
        if not hasattr(params, name):
            raise InputError(f"unknown CP-SAT parameter '{name}'", field=name)
        current = getattr(params, name)
        try:
            if isinstance(value, list | tuple):  # repeated fields (e.g. subsolvers)
                current.clear()
                current.extend(value)
            else:
                setattr(params, name, value)
        except (TypeError, ValueError):
            takes = (
                "a list of the values CP-SAT expects there"
                if isinstance(value, list | tuple)
                else _VALUE_KINDS.get(type(current), type(current).__name__)
            )
            raise InputError(
                f"CP-SAT parameter '{name}' cannot be {value!r}: it takes {takes}", field=name
            ) from None


def run(model: cp_model.CpModel, options: SolveOptions, has_objective: bool = True) -> RunOutcome:
    """Solve ``model``; stream improving solutions; map the status to ours."""
    solver = cp_model.CpSolver()
    configure(solver, options)
    progress: list[ProgressPoint] = []

    def record(point: ProgressPoint) -> None:
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)

    start = time.perf_counter()
    code = solver.Solve(model, _ProgressCallback(record))
    seconds = time.perf_counter() - start
    status = _STATUS.get(code, SolveStatus.UNKNOWN)
    objective = bound = None
    if status.has_solution and has_objective:
        objective = round(solver.ObjectiveValue())
        bound = round(solver.BestObjectiveBound())
        if status is SolveStatus.OPTIMAL:
            bound = objective
    elif status.has_solution:
        objective = bound = 0
    return RunOutcome(status, solver, objective, bound, seconds, progress)
