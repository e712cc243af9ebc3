"""The solver process of a background solve: ``python -m dashboards.solver_child``.

Reads one JSON job from stdin ({"kind", "problem", "hint", "options"}) and writes
JSON lines: {"type": "point", ...} per improving solution, then one
{"type": "result", "result": ...} (and {"type": "diagnosis", ...} when a roster is
infeasible) or {"type": "error", "message": ...}. Anything else the solver prints
goes to stderr, so the protocol stream stays clean.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, Any


def _problem_class(kind: str) -> Any:
    if kind == "roster":
        from optimizer.model.roster import RosterProblem

        return RosterProblem
    from optimizer.model.cases import CaseProblem

    return CaseProblem


def _hint_class(kind: str) -> Any:
    from optimizer.model.result import CaseSchedule, RosterSolution

    return RosterSolution if kind == "roster" else CaseSchedule


def _diagnose(
    problem: Any, time_limit: float, workers: int | None = None, seed: int | None = None
) -> Any:
    """The infeasibility diagnosis of a roster the solve reported INFEASIBLE, as plain
    data, or a note why there is none; on the solve's ``workers`` and ``seed`` (so it is
    reproducible when the solve is)."""
    from dashboards.optional import feature

    diagnose_roster = feature("optimizer.explain.diagnosis", "diagnose_roster")
    if diagnose_roster is None:
        return {"summary": "infeasibility diagnosis is not available in this installation"}
    try:
        diagnosis = diagnose_roster(
            problem, time_limit=time_limit, proven_infeasible=True, workers=workers, seed=seed
        )
    except Exception as exc:
        return {"summary": f"the diagnosis failed: {exc}"}
    if hasattr(diagnosis, "model_dump"):
        data: Any = diagnosis.model_dump(mode="json")
        if not data.get("summary"):
            data["summary"] = str(diagnosis)
        return data
    return {"summary": str(diagnosis)}


CANCELLED = {
    "start": "cancelled before the solver started",
    "solve": "cancelled before the solver found a solution",
}
DIAGNOSIS_CANCELLED = "The diagnosis was cancelled: solve again to find out why."


def run(job: dict[str, Any], out: IO[str]) -> None:
    """Solve one job, streaming protocol lines to ``out``.

    A cancel (SIGINT) that stops the infeasibility diagnosis is reported as a diagnosis
    saying so: the result (INFEASIBLE) was sent already and stays true.
    """

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    stage = "start"
    try:
        from optimizer.model.result import ProgressPoint
        from optimizer.solve import solve

        kind = job["kind"]
        problem = _problem_class(kind).model_validate_json(job["problem"])
        hint_json = job.get("hint")
        hint = None if hint_json is None else _hint_class(kind).model_validate_json(hint_json)

        def on_solution(point: ProgressPoint) -> None:
            send({"type": "point", **point.model_dump()})

        stage = "solve"
        options = job["options"]
        result = solve(problem, hint=hint, on_solution=on_solution, **options)
        send({"type": "result", "result": result.model_dump(mode="json")})
        if kind == "roster" and result.status.value == "INFEASIBLE":
            stage = "diagnosis"
            limit = float(job.get("diagnosis_time_limit", 20.0))
            diagnosis = _diagnose(problem, limit, options.get("workers"), options.get("seed"))
            send({"type": "diagnosis", "diagnosis": diagnosis})
    except KeyboardInterrupt:
        if stage == "diagnosis":
            send({"type": "diagnosis", "diagnosis": {"summary": DIAGNOSIS_CANCELLED}})
        else:
            send({"type": "error", "message": CANCELLED[stage]})
    except Exception as exc:  # reported on the page, never a traceback
        send({"type": "error", "message": f"{type(exc).__name__}: {exc}"})


def _die_with_parent() -> None:
    """Exit when the dashboard process goes away, so no solve is left orphaned."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    _die_with_parent()
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    job = json.loads(sys.stdin.read())
    run(job, protocol)
    protocol.close()


if __name__ == "__main__":
    main()
