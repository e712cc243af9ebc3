"""Large neighbourhood search for big case models: keep most of a schedule, re-optimise a window.

Above a few hundred cases with rooms and people, the full model (a literal and
an interval per case × candidate person) takes CP-SAT longer to presolve than a
minute allows (``docs/benchmarks.md``). Starting from a checked feasible
schedule, each step frees the cases of one day in a random subset of rooms, plus
left-out cases that could run there, freezes everything else
(``variables.Frozen``: a frozen case gets variables for its own room and team
only) and re-solves that small model briefly, hinted with the current
schedule. Better schedules are kept. The share of rooms freed grows when a step
is solved to optimality and shrinks when it runs out of time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from optimizer.model.cases import CaseProblem, StaffMember, Window
from optimizer.model.result import ProgressPoint, SolveStatus
from optimizer.solvers import interrupts
from optimizer.solvers.cpsat import stoppable
from optimizer.solvers.cpsat.cases.constraints import CaseConstraints
from optimizer.solvers.cpsat.cases.extract import Scored, scored_solution
from optimizer.solvers.cpsat.cases.hint import add_hint
from optimizer.solvers.cpsat.cases.objective import add_objective, build_costs
from optimizer.solvers.cpsat.cases.variables import Frozen, build_variables
from optimizer.solvers.cpsat.runner import run
from optimizer.solvers.options import SolveOptions

STEP_SECONDS = 5.0
"""Longest CP-SAT solve of one neighbourhood."""
DETERMINISTIC_STEP = 1.0
"""CP-SAT deterministic time of one step in a reproducible (seed, one worker) run."""
_DAY = 1440


@dataclass
class _Share:
    """Fraction of the rooms a step frees, adapted to how the steps go."""

    value: float = 0.1

    def update(self, solved: bool) -> None:
        self.value = min(1.0, self.value * 1.25) if solved else max(0.05, self.value * 0.8)


def improve(
    problem: CaseProblem,
    bounds: tuple[list[int], list[int], list[str]],
    start: Scored,
    options: SolveOptions,
    deadline: float,
    on_better: Callable[[Scored], None],
) -> Scored:
    """The best schedule found from ``start`` before ``deadline`` (``time.perf_counter``).

    With a seed and one worker the run is reproducible: it takes a fixed number of
    steps of fixed deterministic time (one per two seconds of the time limit), even
    if that overruns the deadline.
    """
    rng = random.Random(options.seed or 0)
    deterministic = options.seed is not None and options.num_workers == 1
    limit = options.time_limit if options.time_limit is not None else 60.0
    steps_left = max(1, int(limit / 2)) if deterministic else None
    best, share = start, _Share()
    while best.objective > 0 and not interrupts.interrupted():
        left = deadline - time.perf_counter()
        if steps_left is not None:
            if steps_left == 0:
                break
            steps_left -= 1
        elif left < 0.5:
            break
        free = neighbourhood(problem, best, rng, share.value)
        if not free:
            continue
        step_options = replace(
            options,
            time_limit=None if deterministic else min(STEP_SECONDS, left),
            seed=rng.randrange(1 << 30),
            # Presolve probing can take the whole step in wall time on these models
            # (4.8 s for 0.035 deterministic s); the complete hint keeps steps safe.
            params={"cp_model_probing_level": 0, **options.params},
            on_solution=None,
        )
        if deterministic:
            step_options = replace(
                step_options,
                params={**step_options.params, "max_deterministic_time": DETERMINISTIC_STEP},
            )
        found, solved = _step(problem, bounds, best, free, step_options)
        share.update(solved)
        if found is not None and found.objective < best.objective:
            best = found
            on_better(best)
    return best


def neighbourhood(
    problem: CaseProblem, current: Scored, rng: random.Random, share: float
) -> dict[int, tuple[int, int]]:
    """Tasks to free, each with the time window it may move in: one day's cases in
    some rooms, and left-out cases that fit there."""
    placed = current.schedule.tasks
    if not placed:
        return {i: (0, problem.horizon) for i in range(len(problem.tasks))}
    window = _DAY if problem.start is not None else max(1, problem.horizon // 7)
    anchor = _left_out_anchor(problem, current, rng, window)
    if anchor is None:
        item = rng.choice(placed)
        anchor = (item.start // window * window, item.room)
    lo, anchor_room = anchor
    hi = lo + window
    room_ids = [room.id for room in problem.rooms]
    chosen = set(rng.sample(room_ids, max(1, round(share * len(room_ids))))) if room_ids else set()
    if anchor_room is not None:
        chosen.add(anchor_room)
    free = {
        problem.task_index[item.task]: (lo, max(hi, item.end))
        for item in placed
        if lo <= item.start < hi and (item.room is None or item.room in chosen)
    }
    left_out = [
        problem.task_index[task_id]
        for task_id in current.schedule.unscheduled
        if _may_run(problem, problem.task_index[task_id], lo, hi, chosen)
    ]
    rng.shuffle(left_out)
    free.update((i, (lo, hi)) for i in left_out[: max(3, len(free) // 2)])
    return free


def _left_out_anchor(
    problem: CaseProblem, current: Scored, rng: random.Random, window: int
) -> tuple[int, str | None] | None:
    """Half the time, when cases are left out: the start of a window in which one of
    them could run (its named people on duty) and one of its rooms."""
    if not current.schedule.unscheduled or rng.random() < 0.5:
        return None
    task = problem.task(rng.choice(current.schedule.unscheduled))
    named = [problem.person(name) for name in task.staff]
    if not all(problem.windows_of(person) for person in named):
        return None  # an optional case with a person never on duty: nowhere to anchor
    starts = [
        lo
        for lo in range(task.release // window * window, problem.latest_end(task), window)
        if all(
            min(w.end, lo + window) - max(w.start, lo) >= task.duration
            for w in (_longest_overlap(problem, person, lo, lo + window) for person in named)
        )
    ]
    if not starts:
        return None
    rooms = problem.eligible_rooms(task)
    return rng.choice(starts), rng.choice(rooms).id if rooms else None


def _longest_overlap(problem: CaseProblem, person: StaffMember, lo: int, hi: int) -> Window:
    """The person's on-duty window with the longest overlap with ``[lo, hi)``."""
    return max(problem.windows_of(person), key=lambda w: min(w.end, hi) - max(w.start, lo))


def _may_run(problem: CaseProblem, i: int, lo: int, hi: int, rooms: set[str]) -> bool:
    task = problem.tasks[i]
    if min(hi, problem.latest_end(task)) - max(lo, task.release) < task.duration:
        return False
    if not problem.needs_room(task):
        return True
    return any(room.id in rooms for room in problem.eligible_rooms(task))


def _step(
    problem: CaseProblem,
    bounds: tuple[list[int], list[int], list[str]],
    current: Scored,
    free: dict[int, tuple[int, int]],
    options: SolveOptions,
) -> tuple[Scored | None, bool]:
    """Re-solve with all but ``free`` frozen: the solution (if any), and whether optimal."""
    placed = current.schedule.by_task()
    kept = {
        i: placed[task.id]
        for i, task in enumerate(problem.tasks)
        if i not in free and task.id in placed
    }
    absent = frozenset(
        i for i, task in enumerate(problem.tasks) if i not in free and task.id not in placed
    )
    model = cp_model.CpModel()
    cv = build_variables(model, problem, bounds, Frozen(kept, absent, free))
    CaseConstraints(cv).add_constraints()
    costs = build_costs(cv)
    add_objective(cv, costs, options.stage_weights, options.stage_caps)
    add_hint(cv, current.schedule)
    complete_hint(model)
    outcome = run(model, options)
    if not outcome.status.has_solution:
        return None, False
    found = scored_solution(cv, outcome.solver, costs, options.stage_weights)
    return found, outcome.status is SolveStatus.OPTIMAL


def complete_hint(model: cp_model.CpModel) -> bool:
    """Extend the hint to every variable (a solve with the hinted values fixed).

    CP-SAT takes a complete feasible hint as its first solution at once; a partial
    one (only presence, start, room and people) it must complete by search, which
    often fails within a short step.
    """
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 2.0
    if stoppable.solve(solver, model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    values = solver.response_proto.solution
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)
    return True


def progress_point(began: float, scored: Scored) -> ProgressPoint:
    """A progress point for ``scored`` (the bound 0: every cost is non-negative)."""
    return ProgressPoint(
        seconds=round(time.perf_counter() - began, 3), objective=scored.objective, bound=0
    )
