"""Benchmark the MILP backend (PuLP + CBC by default) on Curtois–Qu instances.

Usage:
    python scripts/bench_milp.py [--instances 1-7] [--time-limit 60] [--workers 2]
                                 [--solver cbc] [--backend milp] [--csv out.csv]

Reads ``$CAREALLOC_BENCHMARKS/curtois-nrp`` (default ``../shared/benchmarks``), checks
every roster with the independent checker, and prints a Markdown table with the
1-minute load average of each run (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path
from typing import Any

from optimizer import solve
from optimizer.check import check
from optimizer.io.curtois import read_curtois

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("instance", "status", "objective", "best_known", "gap_%", "bound", "seconds", "load")


def _instances(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def _best_known(suite: Path) -> dict[str, int]:
    with (suite / "best_known.csv").open(newline="") as handle:
        return {row["instance"]: int(row["best_ub"]) for row in csv.DictReader(handle)}


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Solve each instance and return one row per instance."""
    root = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
    suite = root / "curtois-nrp"
    best = _best_known(suite)
    params: dict[str, Any] = {"solver": args.solver} if args.backend == "milp" else {}
    rows = []
    for number in _instances(args.instances):
        name = f"Instance{number}"
        problem = read_curtois(suite / "instances" / f"{name}.txt")
        result = solve(
            problem,
            backend=args.backend,
            time_limit=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            **params,
        )
        gap = ""
        if result.status.has_solution:
            report = check(problem, result)
            assert report.feasible and report.objective == result.objective, "checker disagrees"
            gap = f"{100 * ((result.objective or 0) - best[name]) / best[name]:.1f}"
        row = {
            "instance": name,
            "status": result.status.value,
            "objective": result.objective,
            "best_known": best[name],
            "gap_%": gap,
            "bound": result.bound,
            "seconds": f"{result.seconds:.1f}",
            "load": f"{os.getloadavg()[0]:.1f}",
        }
        rows.append(row)
        print("| " + " | ".join(str(row[c]) for c in COLUMNS) + " |", flush=True)
    return rows


def main() -> None:
    """Parse arguments, run, print the Markdown table (and write CSV if asked)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", default="1-7")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default="milp")
    parser.add_argument("--solver", default="cbc", help="MILP solver: cbc | highs | auto")
    parser.add_argument("--csv", type=Path, default=None)
    args = parser.parse_args()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + " --- |" * len(COLUMNS), flush=True)
    rows = run(args)
    if args.csv is not None:
        with args.csv.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
