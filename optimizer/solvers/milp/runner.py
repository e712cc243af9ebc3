"""Run a built PuLP model under our ``SolveOptions``: solver choice, limits, progress, status.

Solvers: CBC (bundled with PuLP, the default) and HiGHS (through ``highspy``).
``options.params`` may carry:

* ``solver``: ``"auto"`` (default: HiGHS if ``highspy`` imports, else CBC),
  ``"cbc"`` or ``"highs"``; the ``CAREALLOC_MILP_SOLVER`` environment variable
  sets the default (useful from the CLI);
* ``cbc_path``: a CBC binary to use instead of PuLP's bundled one (also read
  from the ``CAREALLOC_CBC_PATH`` environment variable);
* ``gap_rel`` / ``gap_abs``: stop at this relative / absolute gap;
* ``cbc_options``: extra CBC command-line options, e.g. ``["proximity on"]``;
* ``highs_options``: extra HiGHS options by name, e.g. ``{"mip_heuristic_effort": 0.3}``;
* ``phase_one``: rostering with CBC starts from a roster of the problem without
  cover (``roster/start.py``); False switches that off.

CBC runs as a separate process; its log is followed while it runs so that each
improving solution reaches ``options.on_solution`` as it is found.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# OR-Tools before PuLP: PuLP imports highspy when it can, and highspy's HiGHS build
# breaks OR-Tools' if loaded first; this order makes PuLP's attempt fail quietly and
# HiGHS runs in a child process instead (highs_worker.py).
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import InputError, SolverUnavailableError
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers.options import SEED_LIMIT, SolveOptions

SOLVERS = ("cbc", "highs")
KNOWN_PARAMS = (
    "solver",
    "cbc_path",
    "gap_rel",
    "gap_abs",
    "cbc_options",
    "highs_options",
    "phase_one",
)
CBC_PATH_ENV = "CAREALLOC_CBC_PATH"
SOLVER_ENV = "CAREALLOC_MILP_SOLVER"
HIGHS_WORKER = Path(__file__).with_name("highs_worker.py")
_WORKER_PREFIX = "@@carealloc "
INTEGRAL_GAP = 0.99
"""Default absolute gap: every objective coefficient is an integer, so a gap below 1
already proves optimality."""


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


def highs_available() -> bool:
    """True when the ``highspy`` package can be imported."""
    return importlib.util.find_spec("highspy") is not None


def check_params(options: SolveOptions) -> None:
    """Reject parameters this backend does not know (one clear message)."""
    for name in options.params:
        if name not in KNOWN_PARAMS:
            raise InputError(
                f"unknown MILP parameter '{name}'; known: {', '.join(KNOWN_PARAMS)}",
                field=name,
            )


def choose_solver(options: SolveOptions) -> str:
    """``"cbc"`` or ``"highs"`` from ``params['solver']`` and what is installed."""
    check_params(options)
    default = os.environ.get(SOLVER_ENV) or "auto"
    name = str(options.params.get("solver", default)).strip().lower()
    if name not in ("auto", *SOLVERS):
        raise InputError(
            f"unsupported MILP solver '{name}'; choose auto, {' or '.join(SOLVERS)}",
            field="solver",
        )
    if name == "auto":
        return "highs" if highs_available() else "cbc"
    if name == "highs" and not highs_available():
        raise SolverUnavailableError(
            "the HiGHS solver was requested but the 'highspy' package is not installed; "
            "install it with: pip install 'carealloc[highs]' (or use solver='cbc')"
        )
    return name


def cbc_seed(seed: int) -> int:
    """CBC's ``randomCbcSeed`` for our seed: CBC reads 0 as "seed from the time of day",
    so seeds map to 1 … 2**31 - 1 (0 → 1, 1 → 2, …; the last one wraps to 1)."""
    return seed % (SEED_LIMIT - 1) + 1


def cbc_command(
    options: SolveOptions, log_path: str | None, warm_start: bool = False
) -> pulp.COIN_CMD:
    """A CBC command for these options; raises when no CBC binary can run."""
    path = options.params.get("cbc_path") or os.environ.get(CBC_PATH_ENV)
    if not path:
        path = pulp.PULP_CBC_CMD.pulp_cbc_path
    extra = options.params.get("cbc_options") or []
    extra = [extra] if isinstance(extra, str) else [str(option) for option in extra]
    if options.seed is not None:
        extra.append(f"randomCbcSeed {cbc_seed(options.seed)}")
    command = pulp.COIN_CMD(
        path=str(path),
        msg=False,
        timeLimit=options.time_limit,
        # "threads 1" switches CBC to its threaded search, whose one worker sometimes
        # never starts (seen: a 0.4 s proof ran to the time limit in 8 of 300 runs).
        threads=options.num_workers if options.num_workers > 1 else None,
        gapRel=options.params.get("gap_rel"),
        gapAbs=options.params.get("gap_abs") or INTEGRAL_GAP,
        options=extra,
        warmStart=warm_start,
        logPath=log_path,
    )
    if not command.available():
        raise SolverUnavailableError(
            f"the CBC solver binary '{path}' is missing or not executable; reinstall PuLP "
            f"(it bundles CBC), point {CBC_PATH_ENV} at a CBC binary, or install HiGHS "
            "with: pip install 'carealloc[highs]' and pass solver='highs'"
        )
    return command


# -- CBC log following ----------------------------------------------------------------

_CBC_SOLUTION = re.compile(r"Integer solution of (\S+) found.*?\(([\d.]+) seconds\)")
_CBC_BOUND = re.compile(r"best possible (\S+)")
_CBC_FINAL_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)


class _CbcLogFollower(threading.Thread):
    """Reads CBC's log file while it runs and reports each improving solution."""

    def __init__(self, path: Path, offset: float, report: Callable[[ProgressPoint], None]):
        super().__init__(daemon=True)
        self._path = path
        self._offset = offset
        self._report = report
        self._stop_event = threading.Event()
        self._seen = 0
        self._best: int | None = None
        self._bound: int | None = None

    @property
    def bound(self) -> int | None:
        """The last 'best possible' value CBC logged (offset applied, rounded up)."""
        return self._bound

    def run(self) -> None:
        while not self._stop_event.wait(0.2):
            self.poll()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.poll()

    def poll(self) -> None:
        with contextlib.suppress(OSError):
            text = self._path.read_text(errors="replace")
            lines = text.splitlines()
            # the last line may still be being written
            complete = lines[:-1] if not text.endswith("\n") else lines
            for line in complete[self._seen :]:
                self._read_line(line)
            self._seen = len(complete)

    def _read_line(self, line: str) -> None:
        bound_match = _CBC_BOUND.search(line)
        if bound_match:
            with contextlib.suppress(ValueError):
                self._bound = _ceil(float(bound_match.group(1)) + self._offset)
        match = _CBC_SOLUTION.search(line)
        if not match:
            return
        try:
            objective = round(float(match.group(1)) + self._offset)
            seconds = float(match.group(2))
        except ValueError:
            return
        if self._best is not None and objective >= self._best:
            return
        self._best = objective
        bound = self._bound if self._bound is not None and self._bound <= objective else None
        self._report(ProgressPoint(seconds=seconds, objective=objective, bound=bound))


def _ceil(value: float) -> int | None:
    """Round a solver bound up to the next integer, forgiving float noise (None if infinite)."""
    if not math.isfinite(value):
        return None
    return math.ceil(value - 1e-6)


def _final_cbc_bound(log_text: str, offset: float) -> int | None:
    """CBC's closing 'Lower bound' line (printed when it stopped early), if any."""
    match = _CBC_FINAL_BOUND.search(log_text)
    if match is None:
        return None
    try:
        return _ceil(float(match.group(1)) + offset)
    except ValueError:
        return None


# -- running ----------------------------------------------------------------------------

_PULP_TO_STATUS = {
    pulp.LpSolutionOptimal: SolveStatus.OPTIMAL,
    pulp.LpSolutionIntegerFeasible: SolveStatus.FEASIBLE,
    pulp.LpSolutionInfeasible: SolveStatus.INFEASIBLE,
    pulp.LpSolutionNoSolutionFound: SolveStatus.UNKNOWN,
    pulp.LpSolutionUnbounded: SolveStatus.UNKNOWN,
}


def run(
    lp: pulp.LpProblem,
    options: SolveOptions,
    warm_start: bool = False,
    seconds_offset: float = 0.0,
) -> MilpRun:
    """Solve ``lp`` (a minimisation with integer coefficients) and map the status to ours.

    With ``warm_start`` the variables' initial values (``setInitialValue``) are passed
    as a MIP start where the solver supports it (CBC; HiGHS ignores it).
    ``seconds_offset`` (time already spent) is added to every progress point.
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
        status, bound, message = _run_cbc(lp, options, offset, record, warm_start)
    else:
        status, bound, message = _run_highs(lp, options, offset, record)
    seconds = time.perf_counter() - start
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
    return MilpRun(status, solver, seconds, bound, progress, message)


def _pulp_status(lp: pulp.LpProblem) -> SolveStatus:
    if lp.status == pulp.LpStatusInfeasible:
        return SolveStatus.INFEASIBLE
    return _PULP_TO_STATUS.get(lp.sol_status, SolveStatus.UNKNOWN)


def _run_cbc(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
    warm_start: bool,
) -> tuple[SolveStatus, int | None, str]:
    with tempfile.TemporaryDirectory(prefix="carealloc-cbc-") as tmp:
        log_path = Path(tmp) / "cbc.log"
        log_path.touch()
        command = cbc_command(options, str(log_path), warm_start)
        follower = _CbcLogFollower(log_path, offset, record)
        follower.start()
        try:
            lp.solve(command)
        except pulp.PulpSolverError as exc:
            raise SolverUnavailableError(f"CBC failed to run: {exc}") from exc
        finally:
            follower.stop()
        log_text = log_path.read_text(errors="replace")
    if options.log:
        print(log_text)
    status = _pulp_status(lp)
    bound = None
    if status is not SolveStatus.INFEASIBLE:
        bound = _final_cbc_bound(log_text, offset)
        if bound is None:
            bound = follower.bound
    return status, bound, "solver=cbc"


def _run_highs(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
) -> tuple[SolveStatus, int | None, str]:
    """HiGHS in a child process (see ``highs_worker.py`` for why), streaming progress."""
    highs_options: dict[str, Any] = {
        "threads": options.num_workers,
        "mip_rel_gap": float(options.params.get("gap_rel") or 0.0),
        "mip_abs_gap": float(options.params.get("gap_abs") or INTEGRAL_GAP),
    }
    if options.time_limit is not None:
        highs_options["time_limit"] = float(options.time_limit)
    if options.seed is not None:
        highs_options["random_seed"] = max(0, options.seed)
    highs_options.update(options.params.get("highs_options") or {})
    with tempfile.TemporaryDirectory(prefix="carealloc-highs-") as tmp:
        mps = Path(tmp) / "model.mps"
        lp.writeMPS(str(mps))
        config = json.dumps({"log": options.log, "highs": highs_options})
        process = subprocess.Popen(
            [sys.executable, str(HIGHS_WORKER), str(mps), config],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        done: dict[str, Any] | None = None
        best: int | None = None
        assert process.stdout is not None
        for line in process.stdout:
            if not line.startswith(_WORKER_PREFIX):
                if options.log:
                    print(line, end="")
                continue
            event = json.loads(line[len(_WORKER_PREFIX) :])
            if event["event"] == "done":
                done = event
                continue
            objective = round(event["objective"] + offset)
            if best is not None and objective >= best:
                continue
            best = objective
            bound = None if event["bound"] is None else _ceil(event["bound"] + offset)
            record(
                ProgressPoint(
                    seconds=event["seconds"],
                    objective=objective,
                    bound=bound if bound is not None and bound <= objective else None,
                )
            )
        _out, err = process.communicate()
    if done is None:
        raise SolverUnavailableError(
            f"HiGHS failed to run (exit code {process.returncode}): {err.strip()[-500:]}"
        )
    if done["infeasible"]:
        return SolveStatus.INFEASIBLE, None, "solver=highs"
    bound = None if done["bound"] is None else _ceil(done["bound"] + offset)
    if not done["has_solution"]:
        return SolveStatus.UNKNOWN, bound, f"solver=highs ({done['status']})"
    lp.assignVarsVals(done["values"])
    status = SolveStatus.OPTIMAL if done["optimal"] else SolveStatus.FEASIBLE
    return status, bound, "solver=highs"
