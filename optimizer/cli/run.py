"""Running one solve for a command: live progress, then the exit code of its result."""

from __future__ import annotations

from typing import Any

from optimizer.cli.console import err
from optimizer.cli.errors import INTERRUPTED
from optimizer.cli.progress import LiveProgress
from optimizer.model.result import Result
from optimizer.solvers import interrupts


def run_solve(
    problem: Any,
    *,
    backend: str,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    quiet: bool,
    lexicographic: bool = False,
    params: dict[str, Any] | None = None,
) -> Result:
    """Solve ``problem`` (by priorities with ``lexicographic``), showing live progress
    unless ``quiet``."""
    from optimizer.solve import solve

    with LiveProgress(enabled=not quiet) as progress:
        if lexicographic:
            from optimizer.lexicographic import solve_lexicographic

            return solve_lexicographic(
                problem,
                backend=backend,
                time_limit_per_stage=time_limit,
                workers=workers,
                seed=seed,
                on_solution=progress,
                **(params or {}),
            )
        return solve(
            problem,
            backend=backend,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            on_solution=progress,
            **(params or {}),
        )


def solve_exit_code(result: Result) -> int:
    """0 with a solution, 1 without; ``INTERRUPTED`` (130) after Ctrl-C or SIGTERM, said
    on stderr unless the no-solution message said it (call within ``stoppable``)."""
    if not interrupts.interrupted():
        return 0 if result.status.has_solution else 1
    if not result.message.startswith("interrupted:"):
        err.print(f"interrupted: {interrupts.reason()} came after the solve had ended")
    elif result.status.has_solution:
        err.print(result.message.partition("; lexicographic: ")[0])
    return INTERRUPTED
