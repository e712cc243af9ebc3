"""Benchmark the demo ward: time to the first feasible roster and the gap at the limit.

Usage: python scripts/bench_demo_ward.py [--time-limit 60] [--workers 2] [--seed 0]
Prints one Markdown table row per run (for docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os

from optimizer import solve
from optimizer.check import check
from optimizer.demo.ward import generate_ward


def main() -> None:
    """Run the demo-ward benchmark and print a Markdown row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default="cpsat")
    args = parser.parse_args()

    problem = generate_ward()
    result = solve(
        problem,
        backend=args.backend,
        time_limit=args.time_limit,
        workers=args.workers,
        seed=args.seed,
    )
    report = check(problem, result)
    assert report.feasible and report.objective == result.objective, "checker disagrees"
    first = result.progress[0].seconds if result.progress else float("nan")
    gap = 100 * result.gap if result.gap is not None else float("nan")
    load = os.getloadavg()[0]
    columns = "backend limit_s workers status first_feasible_s objective bound gap_% seconds load"
    print("| " + " | ".join(columns.split()) + " |")
    print("|" + " --- |" * len(columns.split()))
    print(
        f"| {args.backend} | {args.time_limit:g} | {args.workers} | {result.status.value} | "
        f"{first:.2f} | {result.objective} | {result.bound} | {gap:.2f} | "
        f"{result.seconds:.1f} | {load:.1f} |"
    )


if __name__ == "__main__":
    main()
