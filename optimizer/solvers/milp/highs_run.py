"""One HiGHS run in a child process (``highs_worker.py`` says why): our options, the
time left before the deadline, improving solutions streamed back, and its answer."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# OR-Tools before PuLP (see runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import InputError
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers import interrupts
from optimizer.solvers.milp import clock
from optimizer.solvers.milp.integer_objective import INTEGRAL_GAP, ceil_bound
from optimizer.solvers.milp.parent_death import die_with_parent
from optimizer.solvers.milp.solver_answer import TOO_LATE, SolverAnswer
from optimizer.solvers.milp.watchdog import Watchdog
from optimizer.solvers.options import SolveOptions

HIGHS_WORKER = Path(__file__).with_name("highs_worker.py")
_WORKER_PREFIX = "@@carealloc "


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


def run_highs(
    lp: pulp.LpProblem,
    options: SolveOptions,
    offset: float,
    record: Callable[[ProgressPoint], None],
    deadline: float | None,
) -> SolverAnswer:
    """HiGHS in a child process (see ``highs_worker.py`` for why), streaming progress."""
    if clock.too_late(deadline):  # before writing the model, which takes a while
        return SolverAnswer(SolveStatus.UNKNOWN, note=TOO_LATE)
    with tempfile.TemporaryDirectory(prefix="carealloc-highs-") as tmp:
        mps = Path(tmp) / "model.mps"
        lp.writeMPS(str(mps))
        if clock.too_late(deadline):
            return SolverAnswer(SolveStatus.UNKNOWN, note=TOO_LATE)
        limit = clock.seconds_left(deadline)
        search = None if limit is None else time.time() + limit - clock.wrap_up(limit)
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
            return SolverAnswer(SolveStatus.UNKNOWN, note=note)
        if watchdog.stopped:
            return SolverAnswer(
                SolveStatus.UNKNOWN, note="HiGHS ran past its time limit and was ended"
            )
        note = f"HiGHS failed (exit code {process.returncode}): {err.strip()[-500:]}"
        return SolverAnswer(SolveStatus.UNKNOWN, note=note, failed=True)
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
        bound = None if event["bound"] is None else ceil_bound(event["bound"] + offset)
        record(
            ProgressPoint(
                seconds=event["seconds"],
                objective=objective,
                bound=bound if bound is not None and bound <= objective else None,
            )
        )
    return done


def _highs_answer(lp: pulp.LpProblem, done: dict[str, Any], offset: float) -> SolverAnswer:
    if done["infeasible"]:
        return SolverAnswer(SolveStatus.INFEASIBLE)
    bound = None if done["bound"] is None else ceil_bound(done["bound"] + offset)
    if not done["has_solution"]:
        return SolverAnswer(SolveStatus.UNKNOWN, bound, detail=f" ({done['status']})")
    lp.assignVarsVals(done["values"])
    status = SolveStatus.OPTIMAL if done["optimal"] else SolveStatus.FEASIBLE
    return SolverAnswer(status, bound)
