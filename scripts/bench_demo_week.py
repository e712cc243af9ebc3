"""Benchmark the demo surgical week under other case weights (e.g. idle gaps).

Usage: python scripts/bench_demo_week.py [--time-limit 60] [--workers 2] [--idle 0]
    [--staff-overtime 1]
Prints one Markdown table row per run (for docs/benchmarks.md): status, objective, bound,
the first schedule's time and the cost per rule, re-checked by the independent checker.
"""

from __future__ import annotations

import argparse
import os

from optimizer import solve
from optimizer.check import check
from optimizer.io.load import load_problem
from optimizer.model.cases import CaseProblem


def main() -> None:
    """Solve the demo week with the weights given and print a Markdown row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=0, help="weights.idle")
    parser.add_argument("--staff-overtime", type=int, default=1, help="weights.staff_overtime")
    args = parser.parse_args()

    problem = load_problem("data/demo_surgery.json")
    assert isinstance(problem, CaseProblem)
    weights = problem.weights.model_copy(
        update={"idle": args.idle, "staff_overtime": args.staff_overtime}
    )
    problem = CaseProblem.model_validate({**problem.model_dump(), "weights": weights})
    result = solve(problem, time_limit=args.time_limit, workers=args.workers)
    report = check(problem, result)
    assert report.feasible and report.objective == result.objective, "checker disagrees"
    first = result.progress[0].seconds if result.progress else float("nan")
    costs = ", ".join(f"{rule} {cost}" for rule, cost in result.terms.items() if cost) or "none"
    columns = [
        "idle_weight",
        "status",
        "objective",
        "bound",
        "first_schedule_s",
        "seconds",
        "costs",
        "load",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    print(
        f"| {args.idle} | {result.status.value} | {result.objective} | {result.bound} | "
        f"{first:.1f} | {result.seconds:.1f} | {costs} | {os.getloadavg()[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
