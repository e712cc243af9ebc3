"""Solve an MPS file with HiGHS in a separate process (run as a script, not imported).

Why a process: ``highspy`` and OR-Tools each ship their own build of HiGHS with
clashing C++ symbols; loading both in one process breaks whichever comes second.
This script imports only ``highspy`` and the standard library.

Usage: ``python highs_worker.py MODEL.mps OPTIONS_JSON``. Protocol on stdout: lines
starting with ``@@carealloc `` carry JSON events — ``{"event": "solution", "seconds",
"objective", "bound"}`` per improving solution and a final ``{"event": "done",
"status", "has_solution", "objective", "bound", "values"}`` — or, before solving,
``{"event": "bad_option", "name", "value"}`` when HiGHS refuses one of the user's
options (``user`` in OPTIONS_JSON; ``highs`` holds ours); every other line is HiGHS's
own log (printed only when ``log`` is set).

Time: ``deadline`` (seconds since the epoch, shared with the parent) caps HiGHS's
``time_limit`` when the search starts, so starting up and reading the model count
too; SIGINT stops the search as HiGHS's own limit would, keeping its best solution.
"""

from __future__ import annotations

import json
import math
import signal
import sys
import time
from typing import Any

PREFIX = "@@carealloc "


def _emit(event: dict[str, Any]) -> None:
    print(PREFIX + json.dumps(event), flush=True)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def main(mps_path: str, options_json: str) -> int:
    """Solve and report; exit code 0 whatever the model status."""
    import highspy

    options = json.loads(options_json)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", bool(options.get("log")))
    for name, value in options.get("highs", {}).items():
        highs.setOptionValue(name, value)
    for name, value in options.get("user", {}).items():
        if highs.setOptionValue(name, value) == highspy.HighsStatus.kError:
            _emit({"event": "bad_option", "name": name, "value": value})
            return 0
    interrupted: list[bool] = []
    signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    highs.readModel(mps_path)
    if options.get("deadline") is not None:
        left = max(0.001, float(options["deadline"]) - time.time())
        current = highs.getOptionValue("time_limit")  # (status, value) in newer highspy
        current = current[-1] if isinstance(current, tuple) else current
        highs.setOptionValue("time_limit", min(left, float(current)))
    start = time.perf_counter()
    callbacks = highspy.cb.HighsCallbackType

    def on_event(kind: Any, message: str, data_out: Any, data_in: Any, user: Any) -> None:
        del message, user
        if kind == callbacks.kCallbackMipInterrupt:
            if interrupted:
                data_in.user_interrupt = True
            return
        if kind == callbacks.kCallbackMipImprovingSolution:
            _emit(
                {
                    "event": "solution",
                    "seconds": round(time.perf_counter() - start, 3),
                    "objective": float(data_out.objective_function_value),
                    "bound": _finite(float(data_out.mip_dual_bound)),
                }
            )

    highs.setCallback(on_event, None)
    highs.startCallback(callbacks.kCallbackMipImprovingSolution)
    highs.startCallback(callbacks.kCallbackMipInterrupt)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    done: dict[str, Any] = {
        "event": "done",
        "status": highs.modelStatusToString(status),
        "infeasible": status == highspy.HighsModelStatus.kInfeasible,
        "optimal": status == highspy.HighsModelStatus.kOptimal,
        "has_solution": has_solution,
        "objective": float(info.objective_function_value) if has_solution else None,
        "bound": _finite(float(info.mip_dual_bound)),
        "values": {},
    }
    if has_solution:
        lp = highs.getLp()
        values = highs.getSolution().col_value
        done["values"] = dict(zip(lp.col_names_, values, strict=True))
    _emit(done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
