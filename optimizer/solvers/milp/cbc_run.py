"""One CBC run as a separate process: the time left before the deadline, its log
followed for progress, a ``Watchdog`` and the interrupts to stop it, its verdict read
by ``cbc_outcome.py``."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# OR-Tools before PuLP (see runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import SolverUnavailableError
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers import interrupts
from optimizer.solvers.milp import clock
from optimizer.solvers.milp.cbc_command import cbc_command, split_options
from optimizer.solvers.milp.cbc_files import CbcFiles, read_cbc_solution, write_cbc_input
from optimizer.solvers.milp.cbc_log import CbcLogFollower, final_cbc_bound
from optimizer.solvers.milp.cbc_outcome import CbcOutcome, solver_failed, verdict
from optimizer.solvers.milp.parent_death import die_with_parent
from optimizer.solvers.milp.solver_answer import TOO_LATE, SolverAnswer
from optimizer.solvers.milp.watchdog import Watchdog
from optimizer.solvers.options import SolveOptions


def run_cbc(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
    warm_start: bool,
    deadline: float | None,
) -> SolverAnswer:
    """CBC's answer for ``lp``, its values left in ``lp``; progress goes to ``record``."""
    command = cbc_command(options, None, warm_start)
    if clock.too_late(deadline):  # before writing the model, which takes a while
        return SolverAnswer(SolveStatus.UNKNOWN, note=TOO_LATE)
    with tempfile.TemporaryDirectory(prefix="carealloc-cbc-") as tmp:
        # as LpProblem.solve does: a constant objective gets a dummy variable
        was_none, dummy = lp.fixObjective()
        try:
            files = write_cbc_input(lp, command, Path(tmp), warm_start)
            if clock.too_late(deadline):
                return SolverAnswer(SolveStatus.UNKNOWN, note=TOO_LATE)
            outcome, follower = _cbc_process(
                command, files, clock.seconds_left(deadline), offset, record
            )
            status, note = verdict(outcome)
            if status.has_solution and not read_cbc_solution(lp, command, files):
                status, note = SolveStatus.UNKNOWN, "CBC's answer was not integral"
        finally:
            lp.restoreObjective(was_none, dummy)
    if options.log:
        print(outcome.log)
    bound = None
    if status is not SolveStatus.INFEASIBLE:
        bound = final_cbc_bound(outcome.log, offset)
        if bound is None:
            bound = follower.bound
    return SolverAnswer(status, bound, note, solver_failed(outcome))


def _cbc_arguments(command: pulp.COIN_CMD, files: CbcFiles, limit: float | None) -> list[str]:
    """CBC's command line, as PuLP's ``COIN_CMD`` builds it, with ``limit`` as ``-sec``."""
    args = [str(command.path), str(files.model)]
    if command.optionsDict.get("warmStart"):
        args += ["-mips", str(files.start)]
    if limit is not None:
        args += ["-sec", f"{max(limit, 0.001):.3f}"]
    args += split_options([*command.options, *command.getOptions()])
    return [*args, "-solve", "-printingOptions", "all", "-solution", str(files.solution)]


def _cbc_process(
    command: pulp.COIN_CMD,
    files: CbcFiles,
    left: float | None,
    offset: float,
    record: Callable[[ProgressPoint], None],
) -> tuple[CbcOutcome, CbcLogFollower]:
    """Run CBC to the end (or until the watchdog stops it), following its log.

    CBC buffers its log in blocks when it goes to a file; ``stdbuf -oL`` (where there
    is one) makes it write line by line, so progress and its end are seen as they come.
    An exception from ``record`` ends CBC and is raised here, in the caller's thread.
    """
    limit = None if left is None else left - clock.wrap_up(left)
    stdbuf = shutil.which("stdbuf")
    args = [*([stdbuf, "-oL"] if stdbuf else []), *_cbc_arguments(command, files, limit)]
    began = time.perf_counter()
    with files.log.open("w") as log:
        process = _start_cbc(args, str(command.path), log)
        follower = CbcLogFollower(files.log, offset, record, process)
        # Without stdbuf the log arrives only at the end, so "no solution logged"
        # proves nothing: then CBC is always asked to stop first, never killed at once.
        watchdog = Watchdog(
            process,
            left,
            (lambda: follower.has_solution) if stdbuf else (lambda: True),
            lambda: follower.finishing,
        )
        with watchdog, interrupts.searching(watchdog.stop_now) as late:
            if late:
                watchdog.stop_now()
            follower.start()
            try:
                returncode = process.wait()
            finally:
                follower.stop()
    if follower.error is not None:
        raise follower.error
    seconds = time.perf_counter() - began
    header = ""
    with contextlib.suppress(OSError, IndexError):
        header = files.solution.read_text(errors="replace").splitlines()[0].strip()
    log_text = files.log.read_text(errors="replace")
    outcome = CbcOutcome(
        returncode, seconds, limit, watchdog.stopped, header, log_text, watchdog.interrupted
    )
    return outcome, follower


def _start_cbc(args: list[str], path: str, log: Any) -> subprocess.Popen[bytes]:
    """CBC writing to ``log``, ended by the kernel should this process die."""
    try:
        return subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent(),  # only prctl: see parent_death.py
        )
    except OSError as exc:
        raise SolverUnavailableError(
            f"the CBC solver binary '{path}' could not be started: {exc}"
        ) from exc
