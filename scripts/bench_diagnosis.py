"""Benchmark the roster diagnosis on wards whose hard rules cannot all hold.

Usage: python scripts/bench_diagnosis.py [--seeds 0,1,2] [--time-limit 20] [--workers 2]
[--seed N]
For each seeded ``optimizer.demo.tight_ward`` (``--seeds``): the solve (status, seconds),
then ``diagnose_roster`` with the same time limit, workers and solver seed (``--seed``;
with ``--workers 1`` both are reproducible), as ``carealloc solve`` runs it (what it
found: a smallest conflict, changes to relax together, or nothing; how many; seconds).
(The diagnosis prints a list of changes only when the independent checker accepts its
roster on the problem relaxed as the words say.) Prints a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import time

from optimizer import solve
from optimizer.demo.tight_ward import tight_ward
from optimizer.explain.diagnosis import diagnose_roster
from optimizer.model.result import SolveStatus


def main() -> None:
    """Solve and diagnose each seeded ward; print one Markdown row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="0", help="comma-separated ward seeds")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None, help="solver seed")
    args = parser.parse_args()

    columns = ["seed", "solve", "solve_s", "found", "items", "diagnosis_s", "load"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for seed in (int(text) for text in args.seeds.split(",")):
        problem = tight_ward(seed)
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
        if result.status.has_solution:  # the CLI diagnoses only when there is no roster
            print(f"| {seed} | {result.status.value} | {result.seconds:.1f} | | | | |")
            continue
        began = time.perf_counter()
        diagnosis = diagnose_roster(
            problem,
            args.time_limit,
            proven_infeasible=result.status is SolveStatus.INFEASIBLE,
            workers=args.workers,
            seed=args.seed,
        )
        spent = time.perf_counter() - began
        if diagnosis.conflicts:
            found, items = "conflict", len(diagnosis.conflicts)
        elif diagnosis.relax_together:
            found, items = "relax together", len(diagnosis.relax_together)
        else:
            found, items = "nothing", 0
        print(
            f"| {seed} | {result.status.value} | {result.seconds:.1f} | {found} | {items} | "
            f"{spent:.1f} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
