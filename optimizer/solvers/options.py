"""Options every backend receives; built by ``optimizer.solve.solve``."""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeGuard

import numpy as np

from optimizer.errors import InputError
from optimizer.model.result import CaseSchedule, ProgressPoint, RosterSolution

SolutionCallback = Callable[[ProgressPoint], object]
"""Called with each improving solution; what it returns is ignored (e.g. ``list.append``)."""

SEED_LIMIT = 2**31
"""Seeds are ``0 <= seed < SEED_LIMIT``: CP-SAT's ``random_seed`` is a 32-bit int."""
MAX_WORKERS = 1024
"""Most parallel search workers (CP-SAT's ``num_workers`` is a 32-bit int)."""


def check_run_options(
    time_limit: object, workers: object, seed: object
) -> tuple[float | None, int | None, int | None]:
    """Raise ``InputError`` naming the option unless time limit, workers and seed are usable.

    ``None`` is always fine (no limit / every core / unseeded). Returns them as plain
    ``float`` / ``int``: any real number is a time limit (NumPy numbers, ``Fraction``,
    ``Decimal``), NumPy integers are whole numbers; ``bool`` and text are refused.
    """
    seconds = None if time_limit is None else positive_seconds(time_limit)
    if time_limit is not None and seconds is None:
        raise InputError(
            f"the time limit must be a positive, finite number of seconds, got {time_limit!r} "
            "(leave it unset for no limit)",
            field="time_limit",
        )
    if workers is not None and not is_whole_in(workers, 1, MAX_WORKERS):
        raise InputError(
            f"workers must be at least 1 and at most {MAX_WORKERS}, got {workers!r}",
            field="workers",
        )
    if seed is not None and not is_whole_in(seed, 0, SEED_LIMIT - 1):
        raise InputError(
            f"the seed must be a whole number from 0 to {SEED_LIMIT - 1}, got {seed!r}",
            field="seed",
        )
    return (
        seconds,
        None if workers is None else int(workers),
        None if seed is None else int(seed),
    )


def is_whole_in(value: object, low: int, high: int) -> TypeGuard[numbers.Integral]:
    """True for a whole number (``int`` or NumPy integer, not ``bool``) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return False
    return low <= int(value) <= high


def is_bool(value: object) -> TypeGuard[bool | np.bool_]:
    """True for ``True`` / ``False``, Python's or NumPy's (not 0, 1 or text)."""
    return isinstance(value, bool | np.bool_)


def real_value(value: object) -> float | None:
    """``value`` as a finite ``float`` if it is a real number (not ``bool``), else None."""
    if is_bool(value) or not isinstance(value, numbers.Real | Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):  # a huge Fraction, Decimal("sNaN")
        return None
    return number if math.isfinite(number) else None


def positive_seconds(value: object) -> float | None:
    """``value`` as a positive, finite ``float``, or None if it is not one.

    Any real number counts (``int``, ``float``, NumPy numbers, ``Fraction``, ``Decimal``);
    ``bool``, text, NaN, infinities and numbers too large for a float do not.
    """
    seconds = real_value(value)
    return seconds if seconds is not None and seconds > 0 else None


def check_callback_options(
    on_solution: object, log: object
) -> tuple[SolutionCallback | None, bool]:
    """Raise ``InputError`` naming the option unless ``on_solution`` is None or callable
    and ``log`` is ``True`` or ``False`` (NumPy's too); returns them typed."""
    if on_solution is not None and not callable(on_solution):
        raise InputError(
            "on_solution must be a function called with each improving solution "
            f"(a ProgressPoint), or None; got {on_solution!r}",
            field="on_solution",
        )
    if not is_bool(log):
        raise InputError(f"log must be True or False, got {log!r}", field="log")
    return on_solution, bool(log)


@dataclass(frozen=True)
class SolveOptions:
    """Backend-independent solve options.

    ``workers=None`` uses every core; ``seed`` with ``workers=1`` is deterministic.
    ``params`` pass straight to the backend (e.g. CP-SAT parameter names).
    """

    time_limit: float | None = None
    workers: int | None = None
    seed: int | None = None
    hint: RosterSolution | CaseSchedule | None = None
    on_solution: SolutionCallback | None = None
    log: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    stage_weights: dict[str, int] | None = None
    """Lexicographic stage: objective = sum over these penalty rules of
    multiplier * cost; rules not listed count 0. None = the normal objective."""
    stage_caps: tuple[tuple[dict[str, int], int], ...] = ()
    """Earlier lexicographic stages as hard constraints: each ``(weights, cap)``
    requires sum over rules of weights[rule] * cost(rule) <= cap."""

    @property
    def num_workers(self) -> int:
        return self.workers if self.workers else max(1, os.cpu_count() or 1)
