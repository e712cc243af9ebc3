"""The one-line messages a solve returns when it has no solution to show."""

from __future__ import annotations

INFEASIBLE = "the hard rules cannot all hold (infeasible)"


def nothing_found(what: str, size: str, time_limit: float | None, seconds: float) -> str:
    """Why a search ended empty-handed, with the instance size and what to try next.

    ``what`` is "roster" or "schedule"; ``size`` the planner's terms ("100 staff x 182
    days"). The hard rules were not shown to conflict, so more time may still help.
    """
    limit = "" if time_limit is None else f" {time_limit:g} s"
    return (
        f"no {what} found within the{limit} time limit ({seconds:.1f} s spent on {size}): "
        f"the instance may be too large for this limit; allow more time, or plan fewer "
        f"{'days or staff' if what == 'roster' else 'tasks'} at once"
    )
