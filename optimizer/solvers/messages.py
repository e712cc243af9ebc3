"""The one-line messages a solve returns when it has no solution to show."""

from __future__ import annotations

INFEASIBLE = "the hard rules cannot all hold (infeasible)"


def nothing_found(
    what: str,
    size: str,
    time_limit: float | None,
    seconds: float,
    *,
    work_clock: bool = False,
) -> str:
    """Why a search ended empty-handed, with the instance size and what to try next.

    ``what`` is "roster" or "schedule"; ``size`` the planner's terms ("100 staff x 182
    days"). The hard rules were not shown to conflict, so more time may still help.
    ``work_clock``: the run was reproducible (seed, one worker) and stopped at the work
    budget of its limit (solver work, not wall-clock time), possibly before the limit.
    """
    limit = "" if time_limit is None else f" {time_limit:g} s"
    more = f"plan fewer {'days or staff' if what == 'roster' else 'tasks'} at once"
    if work_clock:
        return (
            f"no {what} found within the work budget of the{limit} time limit (stopped after "
            f"{seconds:.1f} s on {size}: a run with a seed and one worker measures the "
            f"solver's work, not wall-clock time, so that it gives the same result every "
            f"time): allow more time, leave out the seed to use the whole limit, or {more}"
        )
    return (
        f"no {what} found within the{limit} time limit ({seconds:.1f} s spent on {size}): "
        f"the instance may be too large for this limit; allow more time, or {more}"
    )
