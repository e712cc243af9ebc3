"""How much solver work CP-SAT needs to prove the hardest j30 optima (a research probe).

Asks "is there a schedule with makespan <= optimum - 1?" on the plainest interval model
(fixed-size intervals, precedences, one cumulative per resource) with one worker and
reports the status and CP-SAT's deterministic time, which does not depend on the
machine's load (so set-ups can be compared on a busy machine; wall time is roughly
1.7 x deterministic time on the 2-core machine of docs/benchmarks.md).

Usage: python scripts/probe_j30_proofs.py [--param NAME=VALUE ...] [--pairs]
    [--work 12] [--seeds 0,1] [--instances j3013_2,j3029_3,j3029_6,j3029_8]
``--pairs`` adds an explicit ordering literal for every pair of tasks that cannot run
together (joint demand above a capacity) and is not ordered by precedence.
"""

from __future__ import annotations

import argparse
import os
from itertools import combinations

from ortools.sat.python import cp_model

from optimizer.io.psplib import read_psplib
from optimizer.model.cases import CaseProblem

OPTIMA = {"j3013_2": 62, "j3029_3": 78, "j3029_6": 92, "j3029_8": 80}
"""The hardest j30 instances for CP-SAT and their optima (best_known.csv)."""

BENCHMARKS = os.environ.get("CAREALLOC_BENCHMARKS", "../shared/benchmarks")


def below_optimum_model(problem: CaseProblem, horizon: int, pairs: bool) -> cp_model.CpModel:
    """The plain model with every task ending by ``horizon``."""
    model = cp_model.CpModel()
    tasks = {t.id: t for t in problem.tasks}
    preds: dict[str, list[str]] = {i: [] for i in tasks}
    succs: dict[str, list[str]] = {i: [] for i in tasks}
    for p in problem.precedences:
        preds[p.after].append(p.before)
        succs[p.before].append(p.after)
    order = sorted(tasks, key=int)  # PSPLIB numbers jobs in a topological order
    earliest: dict[str, int] = {}
    for i in order:
        earliest[i] = max((earliest[q] + tasks[q].duration for q in preds[i]), default=0)
    latest: dict[str, int] = {}
    for i in reversed(order):
        latest[i] = min((latest[s] for s in succs[i]), default=horizon) - tasks[i].duration
    start = {i: model.new_int_var(earliest[i], max(earliest[i], latest[i]), i) for i in order}
    if any(latest[i] < earliest[i] for i in order):
        model.add_bool_or([])  # the critical path alone is too long
    for p in problem.precedences:
        model.add(start[p.after] >= start[p.before] + tasks[p.before].duration)
    busy = [i for i in order if tasks[i].duration > 0]
    intervals = {i: model.new_fixed_size_interval_var(start[i], tasks[i].duration, i) for i in busy}
    for r in problem.resources:
        users = [i for i in busy if tasks[i].resources.get(r.id, 0) > 0]
        demands = [tasks[i].resources[r.id] for i in users]
        model.add_cumulative([intervals[i] for i in users], demands, r.capacity)
    if pairs:
        _add_pair_orders(model, problem, preds, start, order)
    return model


def _add_pair_orders(
    model: cp_model.CpModel,
    problem: CaseProblem,
    preds: dict[str, list[str]],
    start: dict[str, cp_model.IntVar],
    order: list[str],
) -> None:
    """One literal "i before j" for each unordered pair whose joint demand is too high."""
    typed = {t.id: t for t in problem.tasks}
    before: dict[str, set[str]] = {i: set() for i in order}
    for i in order:
        for q in preds[i]:
            before[i] |= before[q] | {q}
    busy = [i for i in order if typed[i].duration > 0]
    for i, j in combinations(busy, 2):
        if i in before[j] or j in before[i]:
            continue
        a, b = typed[i], typed[j]
        if any(
            a.resources.get(r.id, 0) + b.resources.get(r.id, 0) > r.capacity
            for r in problem.resources
        ):
            first = model.new_bool_var(f"{i}<{j}")
            model.add(start[j] >= start[i] + a.duration).only_enforce_if(first)
            model.add(start[i] >= start[j] + b.duration).only_enforce_if(~first)


def _set_param(solver: cp_model.CpSolver, assignment: str) -> None:
    name, text = assignment.split("=", 1)
    current = getattr(solver.parameters, name)
    value: object
    if isinstance(current, bool):
        value = text.lower() in {"1", "true"}
    elif isinstance(current, int):
        value = int(text)
    elif isinstance(current, float):
        value = float(text)
    else:  # an enum
        value = type(current)(int(text))
    setattr(solver.parameters, name, value)


def main() -> None:
    """Print one line per instance and seed: status and deterministic time."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--param", action="append", default=[], help="CP-SAT NAME=VALUE")
    parser.add_argument("--pairs", action="store_true")
    parser.add_argument("--work", type=float, default=12.0, help="deterministic-time cap")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--instances", default=",".join(OPTIMA))
    args = parser.parse_args()
    total = 0.0
    for name in args.instances.split(","):
        path = f"{BENCHMARKS}/rcpsp-psplib/instances/j30/{name}.sm"
        model = below_optimum_model(read_psplib(path), OPTIMA[name] - 1, args.pairs)
        for seed in (int(s) for s in args.seeds.split(",")):
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed
            solver.parameters.linearization_level = 0  # the project set-up's full worker
            for assignment in args.param:
                _set_param(solver, assignment)
            solver.parameters.max_deterministic_time = args.work
            status = solver.solve(model)
            total += solver.deterministic_time
            work = solver.deterministic_time
            print(f"{name} seed {seed}: {solver.status_name(status)} work {work:.1f}")
    print(f"total work {total:.1f}")


if __name__ == "__main__":
    main()
