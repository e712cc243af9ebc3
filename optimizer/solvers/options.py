"""Options every backend receives; built by ``optimizer.solve.solve``."""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from optimizer.errors import InputError
from optimizer.model.result import CaseSchedule, ProgressPoint, RosterSolution

SolutionCallback = Callable[[ProgressPoint], None]

SEED_LIMIT = 2**31
"""Seeds are ``0 <= seed < SEED_LIMIT``: CP-SAT's ``random_seed`` is a 32-bit int."""
MAX_WORKERS = 1024
"""Most parallel search workers (CP-SAT's ``num_workers`` is a 32-bit int)."""


def check_run_options(
    time_limit: object, workers: object, seed: object
) -> tuple[float | None, int | None, int | None]:
    """Raise ``InputError`` naming the option unless time limit, workers and seed are usable.

    ``None`` is always fine (no limit / every core / unseeded). Returns them with
    workers and seed as plain ``int`` (NumPy integers are accepted, ``bool`` is not).
    """
    if time_limit is not None and not _positive_seconds(time_limit):
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
        time_limit,
        None if workers is None else int(workers),
        None if seed is None else int(seed),
    )


def is_whole_in(value: object, low: int, high: int) -> TypeGuard[numbers.Integral]:
    """True for a whole number (``int`` or NumPy integer, not ``bool``) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return False
    return low <= int(value) <= high


def _positive_seconds(value: object) -> TypeGuard[float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value > 0


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
