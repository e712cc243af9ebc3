"""Options every backend receives; built by ``optimizer.solve.solve``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from optimizer.model.result import CaseSchedule, ProgressPoint, RosterSolution

SolutionCallback = Callable[[ProgressPoint], None]


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
