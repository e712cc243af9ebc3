"""Run the Curtois–Qu suite and print a Markdown block ready for docs/benchmarks.md.

Usage (from the repo root)::

    .venv/bin/python scripts/bench_curtois.py --time-limit 60 --workers 2 \\
        --instances 'Instance[1-7]' [--suite ../shared/benchmarks/curtois-nrp] [--out F.md] \\
        [--param roster_staffwise=false ...]

The block records the command, the date, the machine (cores) and the load average
before and after the run, because the numbers depend on them. Rows also stream to
stderr as each instance finishes. Each row adds the 10-minute Gurobi result from
the suite's ``literature_time_limited_results.csv`` where there is one.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import shlex
import sys
from pathlib import Path

from optimizer.bench import PASSED_ON, BenchRow, row_cells, run_bench
from optimizer.cli.params import parse_params
from optimizer.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SUITE = (
    Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
    / "curtois-nrp"
)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _gurobi_10min(suite: Path) -> dict[str, str]:
    path = suite / "literature_time_limited_results.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {
            row["instance"]: row["gurobi"]
            for row in csv.DictReader(handle)
            if row.get("time_limit_min") == "10"
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", default=None, help="names or globs, comma-separated")
    parser.add_argument("--out", type=Path, default=None, help="also write the block here")
    parser.add_argument(
        "--param", action="append", default=[], help="solver parameter NAME=VALUE, repeatable"
    )
    args = parser.parse_args(argv)

    gurobi = _gurobi_10min(args.suite)
    load_before = _load()
    started = dt.datetime.now(dt.UTC)

    def show(row: BenchRow) -> None:
        print(" ".join(row_cells(row)), file=sys.stderr, flush=True)

    try:
        rows = run_bench(
            args.suite,
            time_limit=args.time_limit,
            workers=args.workers,
            select=args.instances,
            on_row=show,
            **parse_params(args.param, keep=PASSED_ON),  # the script has no --seed
        )
    except InputError as exc:
        parser.exit(2, f"error: {exc}\n")
    command = "python scripts/bench_curtois.py " + shlex.join(argv or sys.argv[1:])
    lines = [
        f"Command: `{command}`  ",
        f"Date: {started:%Y-%m-%d %H:%M} UTC; time limit {args.time_limit:g} s per instance, "
        f"{args.workers} workers; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"shared with other jobs; load average (1/5/15 min) before {load_before}, "
        f"after {_load()}.",
        "",
        "| instance | status | objective | best known | gap % | bound | seconds | Gurobi 10 min |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| " + " | ".join([*row_cells(row), gurobi.get(row.instance, "")]) + " |")
    block = "\n".join(lines) + "\n"
    print(block)
    if args.out is not None:
        args.out.write_text(block, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
