"""Run a built CP-SAT model under our ``SolveOptions``: parameters, progress, status."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

from optimizer.errors import InputError
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.options import SolveOptions

_VALUE_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
"""How a CP-SAT parameter's Python type reads in an error message."""

WORK_PER_SECOND = 0.5
"""CP-SAT deterministic time per wall-clock second of a one-worker roster solve on the
reference machine (2 cores): 0.34–0.56 for full and group models (Curtois–Qu 3–21,
demo ward), less for the one-person models of the staffwise search."""

SOLVE_SETUP_SECONDS = 0.01
"""Wall-clock seconds a solve costs beyond its deterministic time (set-up, our own
bookkeeping), charged per solve in a reproducible run."""

SECONDS_PER_VARIABLE = 3e-5
"""And per model variable (building the model, presolve start-up); fitted by least
squares over 3,000 solves. With the two above a reproducible 10 s run took 1.0–1.5 x
its limit (Curtois–Qu 5–20 and the demo ward, load 1), 30 s runs 0.96–1.0 x
(Instances 9 and 12)."""

WALL_CAP = 3.0
"""A reproducible run still stops at this many times its time limit of wall-clock time.
Hitting the cap (only on a much slower or busier machine) makes the result depend on it."""

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


_CURRENT: ContextVar[Clock | None] = ContextVar("current_clock", default=None)
"""The clock of the innermost ``Clock.spending`` block."""


def reproducible(options: SolveOptions) -> bool:
    """True when the run must give the same result every time: a seed and one worker."""
    return options.seed is not None and options.num_workers == 1


class Clock:
    """A solve's time against its limit; ``now()`` reads like ``time.perf_counter()``.

    Normally the wall clock. In a reproducible run (``deterministic``) it is a work
    clock: it advances only when ``charge`` is called after a CP-SAT solve that ``limit``
    bounded, by that solve's deterministic time (``work_per_second``) plus a set-up
    estimate, so every budget decided on it is the same whatever the machine's speed and
    load. Past ``WALL_CAP`` x the limit of wall-clock time it reads the wall clock again
    (every deadline has then passed) and each solve is stopped at that cap.

    A clock made inside another's ``spending`` block (a nested ``solve()`` makes its
    own) charges that clock too.
    """

    def __init__(
        self,
        deterministic: bool = False,
        limit: float | None = None,
        work_per_second: float = WORK_PER_SECOND,
    ) -> None:
        self.deterministic = deterministic
        self.work_per_second = work_per_second
        self.start = time.perf_counter()
        self.cap = math.inf if limit is None else self.start + WALL_CAP * limit
        self._work = 0.0
        self._lock = threading.Lock()
        self._outer = _CURRENT.get()

    @classmethod
    def of(cls, options: SolveOptions) -> Clock:
        """The clock for a solve under ``options`` (a work clock when reproducible)."""
        return cls(reproducible(options), options.time_limit)

    @classmethod
    def current(cls) -> Clock:
        """The clock of the innermost ``spending`` block (in this thread), else the wall clock."""
        return _CURRENT.get() or cls()

    @contextmanager
    def spending(self) -> Iterator[Clock]:
        """Within the block ``Clock.current()`` is this clock, and the work of every
        clock made there is charged to this one as well."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def now(self) -> float:
        wall = time.perf_counter()
        if not self.deterministic or wall >= self.cap:
            return wall
        with self._lock:
            return self.start + self._work

    def limit(self, solver: cp_model.CpSolver, seconds: float | None) -> None:
        """Stop ``solver`` after ``seconds`` on this clock (None: only at the cap)."""
        params = solver.parameters
        if not self.deterministic:
            if seconds is not None:
                params.max_time_in_seconds = seconds
            return
        if seconds is not None:
            params.max_deterministic_time = max(0.0, seconds) * self.work_per_second
        if math.isfinite(self.cap):
            params.max_time_in_seconds = max(0.05, self.cap - time.perf_counter())

    def charge(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> None:
        """Advance a work clock by what the finished solve of ``model`` cost."""
        if not self.deterministic:
            return
        setup = SOLVE_SETUP_SECONDS + SECONDS_PER_VARIABLE * len(model.proto.variables)
        self._add(solver.deterministic_time / self.work_per_second + setup)

    def _add(self, seconds: float) -> None:
        with self._lock:
            self._work += seconds
        if self._outer is not None:
            self._outer._add(seconds)


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


def configure(solver: cp_model.CpSolver, options: SolveOptions, clock: Clock | None = None) -> None:
    """Apply time limit (on ``clock`` if given), workers, seed, log flag and
    pass-through parameters; a pass-through value CP-SAT refuses raises ``InputError``."""
    params = solver.parameters
    if clock is not None:
        clock.limit(solver, options.time_limit)
    elif options.time_limit is not None:
        params.max_time_in_seconds = options.time_limit
    params.num_workers = options.num_workers
    if options.seed is not None:
        params.random_seed = options.seed
    params.log_search_progress = options.log
    for name, value in options.params.items():
        _set_param(params, name, value)
    check_params(options.params)


def _set_param(params: cp_model_helper.SatParameters, name: str, value: Any) -> None:
    """Set one pass-through parameter; an unknown name or a wrong type raises ``InputError``."""
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


_VALID_PARAMS: set[str] = set()
"""Pass-through parameter sets (as text) CP-SAT has accepted in this process."""


def check_params(values: dict[str, Any]) -> None:
    """Raise ``InputError`` naming the parameter if CP-SAT refuses ``values``.

    CP-SAT checks ranges only when it solves (a value out of range makes the model
    invalid), so the values are tried on an empty model; accepted sets are remembered.
    """
    if not values:
        return
    solver = _solver_with(values)
    key = str(solver.parameters)
    if key in _VALID_PARAMS:
        return
    if stoppable.solve(solver, cp_model.CpModel(), check=True) != cp_model.MODEL_INVALID:
        _VALID_PARAMS.add(key)
        return
    for name, value in values.items():
        alone = _solver_with({name: value})
        if stoppable.solve(alone, cp_model.CpModel(), check=True) == cp_model.MODEL_INVALID:
            raise InputError(
                f"CP-SAT refuses the value {value!r}: {alone.solution_info()}", field=name
            )
    raise InputError(
        f"CP-SAT refuses the parameters {', '.join(values)} together: {solver.solution_info()}"
    )


def _solver_with(values: dict[str, Any]) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    for name, value in values.items():
        _set_param(solver.parameters, name, value)
    solver.parameters.log_search_progress = False
    return solver


def run(
    model: cp_model.CpModel,
    options: SolveOptions,
    has_objective: bool = True,
    clock: Clock | None = None,
) -> RunOutcome:
    """Solve ``model`` (time limit on ``clock`` if given, which is then charged);
    stream improving solutions; map the status to ours."""
    solver = cp_model.CpSolver()
    configure(solver, options, clock)
    progress: list[ProgressPoint] = []

    def record(point: ProgressPoint) -> None:
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)

    start = time.perf_counter()
    code = stoppable.solve(solver, model, _ProgressCallback(record))
    seconds = time.perf_counter() - start
    if clock is not None:
        clock.charge(solver, model)
    if code == cp_model.MODEL_INVALID:  # the parameters passed configure(): the model
        raise InputError(f"CP-SAT refuses the model: {solver.solution_info()}")
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
