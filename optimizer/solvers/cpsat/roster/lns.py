"""Roster-aware large neighbourhood search beside the main CP-SAT search.

With two or more workers, one worker runs our own LNS instead of CP-SAT's
generic interleaved neighbourhoods: the incumbent is kept for everybody except a
few staff members (whole rows) or except a window of days (whole columns), and
the rest is re-optimised by a short one-worker CP-SAT solve of a copy of the
model with those variables fixed. Row and column neighbourhoods match how
rosters improve (swap a person's pattern, rebalance a week), which the generic
neighbourhoods find only slowly. The main search (the remaining workers) keeps
proving the bound; both share the incumbent through ``Incumbent`` and the main
search stops as soon as its bound meets the best objective either side found.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.roster.variables import RosterVars
from optimizer.solvers.cpsat.runner import configure
from optimizer.solvers.options import SolveOptions

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


@dataclass
class Incumbent:
    """The best roster either search has found, shared between threads."""

    on_solution: Callable[[ProgressPoint], object] | None
    start: float = field(default_factory=time.perf_counter)
    objective: int | None = None
    values: list[int] = field(default_factory=list)
    bound: int | None = None
    progress: list[ProgressPoint] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, objective: int, values: list[int]) -> bool:
        """Keep ``values`` if strictly better; stream the improvement."""
        with self.lock:
            if self.objective is not None and objective >= self.objective:
                return False
            self.objective, self.values = objective, values
            point = ProgressPoint(
                seconds=round(time.perf_counter() - self.start, 3),
                objective=objective,
                bound=self.bound,
            )
            self.progress.append(point)
            if self.on_solution is not None:
                self.on_solution(point)
            return True

    def proven(self) -> bool:
        return (
            self.objective is not None and self.bound is not None and self.bound >= self.objective
        )


class _MainCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, keys: list[cp_model.IntVar], incumbent: Incumbent) -> None:
        super().__init__()
        self._keys = keys
        self._incumbent = incumbent

    def on_solution_callback(self) -> None:
        values = [self.value(v) for v in self._keys]
        self._incumbent.offer(round(self.objective_value), values)


@dataclass
class LnsOutcome:
    """Status, best values of the ``x`` variables (in ``rv.x`` order) and run data."""

    status: SolveStatus
    values: list[int]
    objective: int | None
    bound: int | None
    seconds: float
    progress: list[ProgressPoint]


def solve_with_lns(rv: RosterVars, options: SolveOptions, seed: int = 0) -> LnsOutcome:
    """Main CP-SAT search on ``workers - 1`` threads, roster LNS on the last one."""
    model = rv.model
    keys = list(rv.x.values())
    incumbent = Incumbent(options.on_solution)
    main = cp_model.CpSolver()
    configure(main, replace(options, workers=options.num_workers - 1, on_solution=None))
    if options.num_workers - 1 == 1:
        main.parameters.linearization_level = 2

    def on_bound(bound: float) -> None:
        with incumbent.lock:
            incumbent.bound = round(bound)
        if incumbent.proven():
            main.stop_search()

    main.best_bound_callback = on_bound
    result: dict[str, cp_model.CpSolverStatus] = {}

    def run_main() -> None:
        result["code"] = stoppable.solve(main, model, _MainCallback(keys, incumbent))

    thread = threading.Thread(target=run_main, daemon=True)
    thread.start()
    deadline = incumbent.start + (options.time_limit or float("inf"))
    _lns_loop(rv, keys, incumbent, thread, deadline, seed)
    thread.join()
    seconds = time.perf_counter() - incumbent.start
    status = _STATUS.get(result.get("code", cp_model.UNKNOWN), SolveStatus.UNKNOWN)
    if incumbent.objective is None:
        return LnsOutcome(status, [], None, None, seconds, incumbent.progress)
    bound = round(main.best_objective_bound) if status is not SolveStatus.UNKNOWN else None
    if bound is None or (incumbent.bound is not None and incumbent.bound > bound):
        bound = incumbent.bound
    if status is SolveStatus.OPTIMAL or (bound is not None and bound >= incumbent.objective):
        status, bound = SolveStatus.OPTIMAL, incumbent.objective
    else:
        status = SolveStatus.FEASIBLE
    return LnsOutcome(
        status, incumbent.values, incumbent.objective, bound, seconds, incumbent.progress
    )


def _lns_loop(
    rv: RosterVars,
    keys: list[cp_model.IntVar],
    incumbent: Incumbent,
    main: threading.Thread,
    deadline: float,
    seed: int,
) -> None:
    """Repair neighbourhoods of the incumbent until the main search ends or time is up."""
    rng = random.Random(seed)
    index = rv.index
    triples = list(rv.x.keys())
    staff_size = max(2, index.num_staff // 5)
    window = max(3, min(index.num_days, 7))
    while main.is_alive() and time.perf_counter() < deadline - 0.2:
        if interrupts.interrupted():
            break
        with incumbent.lock:
            values = list(incumbent.values)
            objective = incumbent.objective
        if objective is None:
            time.sleep(0.05)
            continue
        by_rows = rng.random() < 0.5
        if by_rows:
            free_staff = set(rng.sample(range(index.num_staff), min(staff_size, index.num_staff)))
            free = [e in free_staff for e, _, _ in triples]
        else:
            first = rng.randrange(max(1, index.num_days - window + 1))
            free = [first <= d < first + window for _, d, _ in triples]
        sub = rv.model.clone()
        sub.clear_hints()
        for i, var in enumerate(keys):
            domain = sub.proto.variables[var.index].domain
            if free[i]:
                sub.add_hint(var, values[i])
            else:
                domain.clear()
                domain.extend([values[i], values[i]])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = rng.randrange(1 << 30)
        solver.parameters.max_time_in_seconds = max(0.1, min(2.0, deadline - time.perf_counter()))
        code = stoppable.solve(solver, sub)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = round(solver.objective_value)
            if found < objective:
                incumbent.offer(found, [solver.value(v) for v in keys])
        # Grow neighbourhoods that are solved to optimality without gain, shrink slow ones.
        grow = code == cp_model.OPTIMAL
        if by_rows:
            staff_size = min(index.num_staff, staff_size + 1) if grow else max(2, staff_size - 1)
        else:
            window = min(index.num_days, window + 1) if grow else max(2, window - 1)
