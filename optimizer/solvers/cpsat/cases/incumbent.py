"""The checked incumbent of a case solve: every warm start competes, the best is kept.

The caller's hint (e.g. the dashboard's previous plan), the baseline, the RCPSP
heuristic's and the greedy schedule are all scored by the solver-free checker; the
cheapest legal one hints CP-SAT and comes back if CP-SAT returns nothing better.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ProgressPoint
from optimizer.solvers.cpsat.cases.extract import Scored, checked
from optimizer.solvers.options import SolutionCallback, SolveOptions

GREEDY_MAX = 600
"""Largest room/staff problem that gets the greedy list-insertion schedule as a candidate
in the full model (the LNS path always builds one)."""


def warm_starts(
    problem: CaseProblem,
    options: SolveOptions,
    heuristic: CaseSchedule | None,
    greedy: bool,
    deadline: float | None,
) -> list[CaseSchedule]:
    """Candidate warm starts, preferred in this order on equal cost: the caller's hint,
    the baseline, the heuristic's schedule and (``greedy``) a greedy list-insertion
    schedule built by ``deadline`` (a ``time.perf_counter()`` reading; None: none)."""
    candidates = [
        options.hint if isinstance(options.hint, CaseSchedule) else None,
        problem.baseline.schedule if problem.baseline is not None else None,
        heuristic,
    ]
    if greedy:
        from optimizer.construct.greedy_cases import greedy_schedule

        candidates.append(greedy_schedule(problem, deadline=deadline))
    return [c for c in candidates if c is not None]


def best_checked(
    problem: CaseProblem, options: SolveOptions, candidates: Sequence[CaseSchedule]
) -> Scored | None:
    """The cheapest candidate the checker accepts (the earliest on a tie), else None."""
    scored = (checked(problem, c, options) for c in candidates)
    return min((s for s in scored if s is not None), key=lambda s: s.objective, default=None)


class ProgressStream:
    """Streams strictly improving points, timed from the solve's start (``began``).

    The incumbent's cost is the first point, so a CP-SAT solution that costs more is not
    shown as progress; ``close`` ends the trace at the returned objective.
    """

    def __init__(self, on_solution: SolutionCallback | None, began: float) -> None:
        self.user = on_solution
        self.began = began
        self.progress: list[ProgressPoint] = []

    @property
    def best(self) -> int | None:
        """The last (lowest) objective streamed, None before any point."""
        return self.progress[-1].objective if self.progress else None

    def on_point(self, point: ProgressPoint) -> None:
        """Stream ``point`` (re-timed) if it improves on every earlier one."""
        if self.best is not None and point.objective >= self.best:
            return
        seconds = round(time.perf_counter() - self.began, 3)
        point = point.model_copy(update={"seconds": seconds})
        self.progress.append(point)
        if self.user is not None:
            self.user(point)

    def close(self, objective: int, bound: int | None) -> None:
        """Stream the returned ``objective`` as a last point if it is below the last one."""
        if self.best is None or objective < self.best:
            bound = None if bound is None else min(bound, objective)
            self.on_point(ProgressPoint(seconds=0.0, objective=objective, bound=bound))
