"""The one way this package runs a CP-SAT solve: ``solve(solver, model, callback)``.

It keeps CP-SAT away from Python's SIGINT handler (``catch_sigint_signal``) and
registers the solve with ``optimizer.solvers.interrupts``, so that Ctrl-C and SIGTERM
stop it (it then returns its best solution as usual). In the main thread the native
solve runs in a helper thread while the main thread waits in short joins: Python runs
signal handlers only in the main thread, and only between bytecodes, never while it is
inside ``CpSolver.solve``.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from ortools.sat.python import cp_model

from optimizer.solvers import interrupts

JOIN_SECONDS = 0.1
"""The main thread's wait between two looks at a solve running in its helper thread."""

STOP_WAIT = 5.0
"""Seconds a solve gets to stop after a ``KeyboardInterrupt`` before it is left behind."""


def solve(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    *,
    check: bool = False,
) -> cp_model.CpSolverStatus:
    """``solver.solve(model, callback)`` that an interrupt stops; one that begins after
    the interrupt gets no time (status UNKNOWN). A ``check`` (a model with every
    decision fixed, solved in an instant) still runs then: its answer is not lost."""
    solver.parameters.catch_sigint_signal = False
    with interrupts.searching(solver.stop_search) as late:
        if late and not check:
            solver.parameters.max_time_in_seconds = 0.0
        if threading.current_thread() is not threading.main_thread():
            return solver.solve(model, callback)
        return _solve_beside(solver, model, callback)


def _helper() -> ThreadPoolExecutor:
    """This process's one long-lived helper thread for the main thread's solves (a new
    one after a fork; starting a thread per solve cost 0.6 ms, too much for the
    thousands of one-person solves of a large roster)."""
    global _executor, _executor_pid
    if _executor is None or _executor_pid != os.getpid():
        _executor = ThreadPoolExecutor(1, thread_name_prefix="carealloc CP-SAT solve")
        _executor_pid = os.getpid()
    return _executor


_executor: ThreadPoolExecutor | None = None
_executor_pid = 0


def _solve_beside(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
) -> cp_model.CpSolverStatus:
    """Solve in the helper thread; the main thread stays free to run signal handlers. A
    ``KeyboardInterrupt`` there (a second Ctrl-C) stops the solve and is raised again."""
    future = _helper().submit(solver.solve, model, callback)
    try:
        while True:
            try:
                return future.result(JOIN_SECONDS)
            except TimeoutError:
                continue
    except BaseException:
        solver.stop_search()
        wait([future], STOP_WAIT)
        raise
