"""Run a built PuLP model under our ``SolveOptions``: solver choice, limits, progress, status.

Solvers: CBC (bundled with PuLP, the default) and HiGHS (through ``highspy``).
``options.params`` may carry (checked in ``params.py``):

* ``solver``: ``"auto"`` (default: HiGHS if ``highspy`` imports, else CBC),
  ``"cbc"`` or ``"highs"``; the ``CAREALLOC_MILP_SOLVER`` environment variable
  sets the default (useful from the CLI);
* ``cbc_path``: a CBC binary to use instead of PuLP's bundled one (also read
  from the ``CAREALLOC_CBC_PATH`` environment variable);
* ``gap_rel`` / ``gap_abs``: stop at this relative (0 to 1) / absolute gap;
* ``cbc_options``: extra CBC command-line options, e.g. ``["proximity on"]``; CBC
  reads them in a dry run first, and an option it rejects is an error;
* ``highs_options``: extra HiGHS options by name, e.g. ``{"mip_heuristic_effort": 0.3}``;
  a setting of the solver not in use (``highs_options`` with CBC, ``cbc_options`` or
  ``cbc_path`` with HiGHS) is refused rather than ignored;
* ``phase_one``: rostering with CBC starts from a roster of the problem without
  cover (``roster/start.py``); False switches that off.

Both solvers run as separate processes, given the time left before the caller's
deadline (``clock.py``) and stopped by a ``Watchdog`` if they overrun it. CBC's log is
followed while it runs so that each improving solution reaches ``options.on_solution``
as it is found (an exception the callback raises stops CBC and reaches the caller); its
verdict is read by ``cbc_outcome.py``. Solver processes die with their parent
(``parent_death.py``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import math
import os
import re
import shutil
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
from optimizer.solvers import interrupts
from optimizer.solvers.milp import clock
from optimizer.solvers.milp.cbc_outcome import CbcOutcome, solver_failed, verdict
from optimizer.solvers.milp.params import check_params
from optimizer.solvers.milp.parent_death import die_with_parent
from optimizer.solvers.milp.watchdog import Watchdog
from optimizer.solvers.options import SEED_LIMIT, SolveOptions

SOLVERS = ("cbc", "highs")
CBC_PATH_ENV = "CAREALLOC_CBC_PATH"
SOLVER_ENV = "CAREALLOC_MILP_SOLVER"
HIGHS_WORKER = Path(__file__).with_name("highs_worker.py")
_WORKER_PREFIX = "@@carealloc "
INTEGRAL_GAP = 0.99
"""Default absolute gap: every objective coefficient is an integer, so a gap below 1
already proves optimality."""
INTEGRALITY_TOLERANCE = 1e-5
TOO_LATE = "the time limit ended before the solver could start"
CBC_DRY_RUN_SECONDS = 5.0
"""At most this long for CBC to read ``cbc_options`` and quit (``_cbc_refusal``)."""
WRAP_UP = 1.0
"""A solver's own limit is the time left minus up to this (at most a tenth of it): CBC
checks its clock rarely at the root, and either needs time to write its answer."""


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


@dataclass
class _Answer:
    """One solver's answer, before the common post-processing in ``run``."""

    status: SolveStatus
    bound: int | None = None
    note: str = ""
    failed: bool = False
    detail: str = ""
    """Appended to ``solver=NAME`` in the message (HiGHS's own status)."""


def highs_available() -> bool:
    """True when the ``highspy`` package can be imported."""
    return importlib.util.find_spec("highspy") is not None


def choose_solver(options: SolveOptions) -> str:
    """``"cbc"`` or ``"highs"`` from ``params['solver']`` and what is installed."""
    check_params(options.params)
    given = options.params.get("solver")
    from_env = not given and bool(os.environ.get(SOLVER_ENV))
    chosen = given or os.environ.get(SOLVER_ENV) or "auto"
    name = str(chosen).strip().lower()
    if name not in ("auto", *SOLVERS):
        choices = f"choose auto, {' or '.join(SOLVERS)}"
        if from_env:
            raise InputError(
                f"unsupported MILP solver '{name}' in the {SOLVER_ENV} environment variable; "
                f"{choices}, or unset it"
            )
        raise InputError(f"unsupported MILP solver '{name}'; {choices}", field="solver")
    if name == "auto":
        name = "highs" if highs_available() else "cbc"
    elif name == "highs" and not highs_available():
        where = f" (by {SOLVER_ENV}=highs)" if from_env else ""
        instead = (
            f"set {SOLVER_ENV}=cbc or unset it"
            if from_env
            else "use solver='cbc' in Python, --param solver=cbc on the CLI"
        )
        raise SolverUnavailableError(
            f"the HiGHS solver was requested{where} but the 'highspy' package is not "
            f"installed; install it with: pip install 'carealloc[highs]' (or {instead})"
        )
    _check_settings_fit(options, name)
    return name


_SETTINGS_OF = {"cbc": ("cbc_options", "cbc_path"), "highs": ("highs_options",)}
_LABEL = {"cbc": "CBC", "highs": "HiGHS"}


def _check_settings_fit(options: SolveOptions, solver: str) -> None:
    """Refuse a setting of the solver not in use, which it would silently ignore."""
    for other, names in _SETTINGS_OF.items():
        given = [name for name in names if options.params.get(name) is not None]
        if other == solver or not given:
            continue
        switch = f", or choose {_LABEL[other]} with solver={other}"
        if other == "highs" and not highs_available():
            switch = " (HiGHS is not installed)"
        raise InputError(
            f"'{given[0]}' is a {_LABEL[other]} setting, but this solve uses "
            f"{_LABEL[solver]}; remove it{switch}",
            field=given[0],
        )


def cbc_seed(seed: int) -> int:
    """CBC's ``randomCbcSeed`` for our seed: CBC reads 0 as "seed from the time of day",
    so seeds map to 1 … 2**31 - 1 (0 → 1, 1 → 2, …; the last one wraps to 1)."""
    return seed % (SEED_LIMIT - 1) + 1


def cbc_command(
    options: SolveOptions, log_path: str | None, warm_start: bool = False
) -> pulp.COIN_CMD:
    """A CBC command for these options; raises when no CBC binary can run.

    Its time limit counts elapsed (wall-clock) time, as our deadline does.
    """
    path = options.params.get("cbc_path")
    source = "" if path else f" (from {CBC_PATH_ENV})"
    path = path or os.environ.get(CBC_PATH_ENV)
    if not path:
        path, source = pulp.PULP_CBC_CMD.pulp_cbc_path, ""
    extra = options.params.get("cbc_options") or []
    extra = [extra] if isinstance(extra, str) else [str(option) for option in extra]
    user_options = tuple(extra)
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
        timeMode="elapsed",
        options=extra,
        warmStart=warm_start,
        logPath=log_path,
    )
    if not command.available():
        raise SolverUnavailableError(
            f"the CBC solver binary '{path}'{source} is missing or not executable; reinstall "
            f"PuLP (it bundles CBC), point {CBC_PATH_ENV} at a CBC binary, or install HiGHS "
            "with: pip install 'carealloc[highs]' and pass solver='highs'"
        )
    refusal = _cbc_refusal(str(path), user_options) if user_options else ""
    if refusal:
        raise InputError(f"CBC rejected {list(user_options)!r}: {refusal}", field="cbc_options")
    return command


def _split_options(options: tuple[str, ...] | list[str]) -> list[str]:
    """CBC's arguments for options such as ``"proximity on"`` (``-proximity on``)."""
    return [part for option in options for part in f"-{option}".split()]


_CBC_COMPLAINT = re.compile(
    r"^(No match for |Short match for |String of .* is illegal |.* was provided for .* "
    r"valid range is |<Possible options for )"
)
"""Lines CBC 2.10 prints for an option name it does not know, or a value it rejects
(it then carries on without the option)."""


@functools.lru_cache(maxsize=64)
def _cbc_refusal(path: str, options: tuple[str, ...]) -> str:
    """What CBC says against ``options`` when it reads them and quits; "" when it takes
    them all (or the dry run could not run: the real run then reports the trouble)."""
    try:
        done = subprocess.run(
            [path, *_split_options(options), "-quit"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            timeout=CBC_DRY_RUN_SECONDS,
            preexec_fn=die_with_parent(),  # only prctl: see parent_death.py
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = (line.strip().rstrip(">").strip() for line in done.stdout.splitlines())
    return "; ".join(line for line in lines if _CBC_COMPLAINT.match(line))


# -- CBC log following ----------------------------------------------------------------

_CBC_SOLUTION = re.compile(r"Integer solution of (\S+) found.*?\(([\d.]+) seconds\)")
_CBC_BOUND = re.compile(r"best possible (\S+)")
_CBC_FINAL_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)
_CBC_FINISHING = re.compile(r"Cbc00(01|05|11|20)I|^Result - ")
"""Log lines CBC writes once its search is over (search completed, partial search,
exiting on the gap or on the time limit) and it is writing its answer."""


class _CbcLogFollower(threading.Thread):
    """Reads CBC's log file while it runs and reports each improving solution.

    An exception raised by ``report`` ends the following and kills ``process``; it is
    kept in ``error`` for the caller's thread to raise.
    """

    def __init__(
        self,
        path: Path,
        offset: float,
        report: Callable[[ProgressPoint], None],
        process: subprocess.Popen[Any] | None = None,
    ):
        super().__init__(daemon=True)
        self._path = path
        self._offset = offset
        self._report = report
        self._process = process
        self.error: BaseException | None = None
        self._stop_event = threading.Event()
        self._seen = 0
        self._best: int | None = None
        self._bound: int | None = None
        self._finishing = False

    @property
    def has_solution(self) -> bool:
        """True once CBC has logged an integer solution."""
        return self._best is not None

    @property
    def finishing(self) -> bool:
        """True once CBC has logged the end of its search."""
        return self._finishing

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
                if self.error is not None:
                    return
                self._read_line(line)
            self._seen = len(complete)

    def _fail(self, error: BaseException) -> None:
        """Keep the callback's exception, stop following and end CBC."""
        self.error = error
        self._stop_event.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _read_line(self, line: str) -> None:
        if _CBC_FINISHING.search(line):
            self._finishing = True
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
        try:
            self._report(ProgressPoint(seconds=seconds, objective=objective, bound=bound))
        except BaseException as error:  # raised again in the caller's thread
            self._fail(error)


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
        answer = _run_cbc(lp, options, offset, record, warm_start, deadline)
    else:
        answer = _run_highs(lp, options, offset, record, deadline)
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


def _wrap_up(left: float) -> float:
    """Seconds kept back from a solver's own limit (see ``WRAP_UP``)."""
    return min(WRAP_UP, 0.1 * max(left, 0.0))


# -- CBC ------------------------------------------------------------------------------


_MODEL = "model.mps"


@dataclass(frozen=True)
class _CbcFiles:
    """CBC's input and output files in one temporary folder, and PuLP's renaming."""

    folder: Path
    columns: list[pulp.LpVariable]
    variable_names: dict[str, str]
    constraint_names: dict[str, str]

    @property
    def model(self) -> Path:
        return self.folder / _MODEL

    @property
    def start(self) -> Path:
        return self.folder / "start.mst"

    @property
    def solution(self) -> Path:
        return self.folder / "solution.txt"

    @property
    def log(self) -> Path:
        return self.folder / "cbc.log"


def _run_cbc(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
    warm_start: bool,
    deadline: float | None,
) -> _Answer:
    command = cbc_command(options, None, warm_start)
    if clock.too_late(deadline):  # before writing the model, which takes a while
        return _Answer(SolveStatus.UNKNOWN, note=TOO_LATE)
    with tempfile.TemporaryDirectory(prefix="carealloc-cbc-") as tmp:
        # as LpProblem.solve does: a constant objective gets a dummy variable
        was_none, dummy = lp.fixObjective()
        try:
            files = _write_cbc_input(lp, command, Path(tmp), warm_start)
            if clock.too_late(deadline):
                return _Answer(SolveStatus.UNKNOWN, note=TOO_LATE)
            outcome, follower = _cbc_process(
                command, files, clock.seconds_left(deadline), offset, record
            )
            status, note = verdict(outcome)
            if status.has_solution and not _read_cbc_solution(lp, command, files):
                status, note = SolveStatus.UNKNOWN, "CBC's answer was not integral"
        finally:
            lp.restoreObjective(was_none, dummy)
    if options.log:
        print(outcome.log)
    bound = None
    if status is not SolveStatus.INFEASIBLE:
        bound = _final_cbc_bound(outcome.log, offset)
        if bound is None:
            bound = follower.bound
    return _Answer(status, bound, note, solver_failed(outcome))


def _write_cbc_input(
    lp: pulp.LpProblem, command: pulp.COIN_CMD, folder: Path, warm_start: bool
) -> _CbcFiles:
    """The model as MPS (PuLP's renaming) and, for a warm start, the MIP start file."""
    columns, variable_names, constraint_names, _ = lp.writeMPS(str(folder / _MODEL), rename=1)
    files = _CbcFiles(folder, columns, variable_names, constraint_names)
    if warm_start:
        command.writesol(str(files.start), lp, columns, variable_names, constraint_names)
    return files


def _cbc_arguments(command: pulp.COIN_CMD, files: _CbcFiles, limit: float | None) -> list[str]:
    """CBC's command line, as PuLP's ``COIN_CMD`` builds it, with ``limit`` as ``-sec``."""
    args = [str(command.path), str(files.model)]
    if command.optionsDict.get("warmStart"):
        args += ["-mips", str(files.start)]
    if limit is not None:
        args += ["-sec", f"{max(limit, 0.001):.3f}"]
    args += _split_options([*command.options, *command.getOptions()])
    return [*args, "-solve", "-printingOptions", "all", "-solution", str(files.solution)]


def _cbc_process(
    command: pulp.COIN_CMD,
    files: _CbcFiles,
    left: float | None,
    offset: float,
    record: Callable[[ProgressPoint], None],
) -> tuple[CbcOutcome, _CbcLogFollower]:
    """Run CBC to the end (or until the watchdog stops it), following its log.

    CBC buffers its log in blocks when it goes to a file; ``stdbuf -oL`` (where there
    is one) makes it write line by line, so progress and its end are seen as they come.
    An exception from ``record`` ends CBC and is raised here, in the caller's thread.
    """
    limit = None if left is None else left - _wrap_up(left)
    stdbuf = shutil.which("stdbuf")
    args = [*([stdbuf, "-oL"] if stdbuf else []), *_cbc_arguments(command, files, limit)]
    began = time.perf_counter()
    with files.log.open("w") as log:
        process = _start_cbc(args, str(command.path), log)
        follower = _CbcLogFollower(files.log, offset, record, process)
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


def _read_cbc_solution(lp: pulp.LpProblem, command: pulp.COIN_CMD, files: _CbcFiles) -> bool:
    """Load CBC's values into ``lp``; False unless every integer variable is integral."""
    values = command.readsol_MPS(
        str(files.solution), lp, files.columns, files.variable_names, files.constraint_names
    )[1]
    lp.assignVarsVals(values)
    return all(
        abs(value - round(value)) <= INTEGRALITY_TOLERANCE
        for variable in files.columns
        if variable.cat == pulp.LpInteger and (value := variable.value()) is not None
    )


# -- HiGHS ----------------------------------------------------------------------------


def _highs_options(options: SolveOptions) -> dict[str, Any]:
    """Our HiGHS options; the user's ``highs_options`` are applied after them."""
    highs: dict[str, Any] = {
        "threads": options.num_workers,
        "mip_rel_gap": float(options.params.get("gap_rel") or 0.0),
        "mip_abs_gap": float(options.params.get("gap_abs") or INTEGRAL_GAP),
    }
    if options.seed is not None:
        highs["random_seed"] = max(0, options.seed)
    return highs


def _run_highs(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
    deadline: float | None,
) -> _Answer:
    """HiGHS in a child process (see ``highs_worker.py`` for why), streaming progress."""
    if clock.too_late(deadline):  # before writing the model, which takes a while
        return _Answer(SolveStatus.UNKNOWN, note=TOO_LATE)
    with tempfile.TemporaryDirectory(prefix="carealloc-highs-") as tmp:
        mps = Path(tmp) / "model.mps"
        lp.writeMPS(str(mps))
        if clock.too_late(deadline):
            return _Answer(SolveStatus.UNKNOWN, note=TOO_LATE)
        limit = clock.seconds_left(deadline)
        search = None if limit is None else time.time() + limit - _wrap_up(limit)
        config = json.dumps(
            {
                "log": options.log,
                "highs": _highs_options(options),
                "user": dict(options.params.get("highs_options") or {}),
                "deadline": search,
            }
        )
        process = subprocess.Popen(
            [sys.executable, str(HIGHS_WORKER), str(mps), config],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=die_with_parent(),  # only prctl: see parent_death.py
        )
        found: list[ProgressPoint] = []

        def keep(point: ProgressPoint) -> None:
            found.append(point)
            record(point)

        with Watchdog(process, limit, lambda: bool(found)) as watchdog:
            with interrupts.searching(watchdog.stop_now) as late:
                if late:
                    watchdog.stop_now()
                done = _follow_highs(process, offset, keep, options.log)
            _out, err = process.communicate()
    if done is None:
        if watchdog.interrupted:
            note = "HiGHS was ended by the interrupt (Ctrl-C or SIGTERM) without a roster"
            return _Answer(SolveStatus.UNKNOWN, note=note)
        if watchdog.stopped:
            return _Answer(SolveStatus.UNKNOWN, note="HiGHS ran past its time limit and was ended")
        note = f"HiGHS failed (exit code {process.returncode}): {err.strip()[-500:]}"
        return _Answer(SolveStatus.UNKNOWN, note=note, failed=True)
    if done["event"] == "bad_option":
        raise InputError(
            f"HiGHS refused option '{done['name']}' = {done['value']!r} (an unknown name, "
            "or a value of the wrong type or range)",
            field="highs_options",
        )
    return _highs_answer(lp, done, offset)


def _follow_highs(
    process: subprocess.Popen[str],
    offset: float,
    record: Callable[[ProgressPoint], None],
    log: bool,
) -> dict[str, Any] | None:
    """Report each improving solution the worker sends; its final event, if any."""
    done: dict[str, Any] | None = None
    best: int | None = None
    assert process.stdout is not None
    for line in process.stdout:
        if not line.startswith(_WORKER_PREFIX):
            if log:
                print(line, end="")
            continue
        event = json.loads(line[len(_WORKER_PREFIX) :])
        if event["event"] != "solution":
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
    return done


def _highs_answer(lp: pulp.LpProblem, done: dict[str, Any], offset: float) -> _Answer:
    if done["infeasible"]:
        return _Answer(SolveStatus.INFEASIBLE)
    bound = None if done["bound"] is None else _ceil(done["bound"] + offset)
    if not done["has_solution"]:
        return _Answer(SolveStatus.UNKNOWN, bound, detail=f" ({done['status']})")
    lp.assignVarsVals(done["values"])
    status = SolveStatus.OPTIMAL if done["optimal"] else SolveStatus.FEASIBLE
    return _Answer(status, bound)
