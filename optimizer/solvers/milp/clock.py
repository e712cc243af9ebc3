"""One deadline for a whole MILP solve: model building, phase one and the solver together.

A deadline is a ``time.perf_counter()`` value, or None for no time limit. A solver is
given the time left, less a little to write its answer (``wrap_up``).
"""

from __future__ import annotations

import time

MIN_SOLVER_SECONDS = 0.05
"""Below this many seconds left, the solver is not started at all."""
WRAP_UP = 1.0
"""A solver's own limit is the time left minus up to this (at most a tenth of it): CBC
checks its clock rarely at the root, and either needs time to write its answer."""


class OutOfTime(Exception):
    """The time limit ended before the solver could start (raised while building)."""


def deadline_after(seconds: float | None, began: float | None = None) -> float | None:
    """The deadline ``seconds`` after ``began`` (default: now); None without a limit."""
    if seconds is None:
        return None
    return (time.perf_counter() if began is None else began) + seconds


def seconds_left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (negative once passed); None without a limit."""
    return None if deadline is None else deadline - time.perf_counter()


def check(deadline: float | None) -> None:
    """Raise ``OutOfTime`` when ``deadline`` has passed."""
    left = seconds_left(deadline)
    if left is not None and left <= 0:
        raise OutOfTime


def too_late(deadline: float | None) -> bool:
    """True when too little time is left to start a solver."""
    left = seconds_left(deadline)
    return left is not None and left < MIN_SOLVER_SECONDS


def wrap_up(left: float) -> float:
    """Seconds kept back from a solver's own limit (see ``WRAP_UP``)."""
    return min(WRAP_UP, 0.1 * max(left, 0.0))
