"""Run a built PuLP model under our ``SolveOptions``: solver choice, limits, progress, status.

Solvers: CBC (bundled with PuLP, the default) and HiGHS (through ``highspy``).
``options.params`` may carry (checked in ``params.py``):

* ``solver``: ``"auto"`` (default: HiGHS if ``highspy`` imports, else CBC),
  ``"cbc"`` or ``"highs"``; the ``CAREALLOC_MILP_SOLVER`` environment variable
  sets the default (useful from the CLI) — see ``solver_choice.py``;
* ``cbc_path``: a CBC binary to use instead of PuLP's bundled one (also read
  from the ``CAREALLOC_CBC_PATH`` environment variable);
* ``gap_rel`` / ``gap_abs``: stop at this relative (0 to 1) / absolute gap;
* ``cbc_options``: extra CBC command-line options, e.g. ``["proximity on"]``; CBC
  reads them in a dry run first, and an option it rejects is an error
  (``cbc_command.py``);
* ``highs_options``: extra HiGHS options by name, e.g. ``{"mip_heuristic_effort": 0.3}``;
  a setting of the solver not in use (``highs_options`` with CBC, ``cbc_options`` or
  ``cbc_path`` with HiGHS) is refused rather than ignored;
* ``phase_one``: rostering with CBC starts from a roster of the problem without
  cover (``roster/start.py``); False switches that off.

Both solvers run as separate processes (``cbc_run.py``, ``highs_run.py``), given the
time left before the caller's deadline (``clock.py``) and stopped by a ``Watchdog`` if
they overrun it. CBC's log is followed while it runs (``cbc_log.py``) so that each
improving solution reaches ``options.on_solution`` as it is found (an exception the
callback raises stops CBC and reaches the caller); its verdict is read by
``cbc_outcome.py``. Solver processes die with their parent (``parent_death.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

# OR-Tools before PuLP: PuLP imports highspy when it can, and highspy's HiGHS build
# breaks OR-Tools' if loaded first; this order makes PuLP's attempt fail quietly and
# HiGHS runs in a child process instead (highs_worker.py). Every module of this
# package that imports PuLP does the same.
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers.milp.cbc_run import run_cbc
from optimizer.solvers.milp.highs_run import run_highs
from optimizer.solvers.milp.solver_choice import choose_solver
from optimizer.solvers.options import SolveOptions


@dataclass
class MilpRun:
    """What a MILP run produced; variable values are left in the PuLP model."""

    status: SolveStatus
    solver: str
    seconds: float
    bound: int | None
    """Best proven lower bound on the objective (rounded up), if the solver gave one;
    also reported when no solution was found in time."""
    progress: list[ProgressPoint] = field(default_factory=list)
    message: str = ""
    note: str = ""
    """Why there is no answer when the run ended abnormally (a time-out's false
    "infeasible", a crash, a stop by the watchdog); empty otherwise."""
    failed: bool = False
    """The solver crashed or failed, rather than running out of time."""


def run(
    lp: pulp.LpProblem,
    options: SolveOptions,
    *,
    deadline: float | None,
    warm_start: bool = False,
    seconds_offset: float = 0.0,
) -> MilpRun:
    """Solve ``lp`` (a minimisation with integer coefficients) and map the status to ours.

    The solver gets the time left before ``deadline`` (``clock.py``; None: no limit,
    ``options.time_limit`` is not read here). With ``warm_start`` the variables' initial
    values (``setInitialValue``) are passed as a MIP start where the solver supports it
    (CBC; HiGHS ignores it). ``seconds_offset`` (time already spent) is added to every
    progress point.
    """
    solver = choose_solver(options)
    progress: list[ProgressPoint] = []

    def record(point: ProgressPoint) -> None:
        if seconds_offset:
            point = point.model_copy(update={"seconds": round(point.seconds + seconds_offset, 3)})
        progress.append(point)
        if options.on_solution is not None:
            options.on_solution(point)

    offset = float(lp.objective.constant) if lp.objective is not None else 0.0
    start = time.perf_counter()
    if solver == "cbc":
        answer = run_cbc(lp, options, offset, record, warm_start, deadline)
    else:
        answer = run_highs(lp, options, offset, record, deadline)
    seconds = time.perf_counter() - start
    status, bound = answer.status, answer.bound
    if status.has_solution:
        objective = round(pulp.value(lp.objective) or 0.0)
        gap_allowed = any(options.params.get(k) for k in ("gap_rel", "gap_abs"))
        if status is SolveStatus.OPTIMAL and gap_allowed and bound is not None:
            if bound < objective:
                status = SolveStatus.FEASIBLE
        elif status is SolveStatus.OPTIMAL:
            bound = objective
        if bound is not None:
            bound = min(bound, objective)
        if not progress or progress[-1].objective != objective:
            record(ProgressPoint(seconds=round(seconds, 3), objective=objective, bound=bound))
    message = f"solver={solver}" + answer.detail
    return MilpRun(status, solver, seconds, bound, progress, message, answer.note, answer.failed)
