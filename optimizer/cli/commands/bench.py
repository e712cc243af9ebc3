"""``carealloc bench``: solve a batch of instances into one table (runner: ``optimizer.bench``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.live import Live
from rich.table import Table

from optimizer.cli.console import out
from optimizer.cli.errors import INTERRUPTED, clean_errors
from optimizer.cli.params import parse_params
from optimizer.errors import InputError
from optimizer.solvers import interrupts

if TYPE_CHECKING:
    from optimizer.bench import Batch, BenchRow

BENCH_INPUT_HELP = (
    "instance files, folders of them or glob patterns, in any format solve reads; a folder "
    "of a table bundle's CSV files (staff.csv, shifts.csv, …) is one instance; a folder "
    "with instances/ is a benchmark suite; a best_known.csv beside the instances is optional"
)
BAD_INPUT_EXIT = 2
"""Exit code of ``bench`` when an instance was bad input (the others still ran)."""


@clean_errors
def bench_command(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help=BENCH_INPUT_HELP)],
    time_limit: Annotated[float, typer.Option(help="seconds per instance")] = 60.0,
    workers: Annotated[int | None, typer.Option(help="search workers (default: all cores)")] = None,
    seed: Annotated[
        int | None, typer.Option(help="seed of every solve (with --workers 1: reproducible)")
    ] = None,
    instances: Annotated[
        str | None, typer.Option(help="comma-separated names or globs, e.g. Instance1,Instance2")
    ] = None,
    backend: Annotated[str, typer.Option(help="cpsat | milp")] = "cpsat",
    out_md: Annotated[
        Path | None, typer.Option("--out-md", help="write the table as Markdown")
    ] = None,
    out_csv: Annotated[
        Path | None, typer.Option("--out-csv", help="write the table as CSV")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="write each instance's solution here: <instance>.csv and <instance>.json "
            "(the Result)",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(help="backend parameter NAME=VALUE, repeatable (e.g. roster_staffwise=false)"),
    ] = None,
) -> None:
    """Solve a batch of instances (your own or a benchmark suite): one row each.

    With a best_known.csv also the gap to the best-known values.

    Exit 2 if an instance was bad input (its row says why; the others still run)."""
    from optimizer.bench import (
        CSV_COLUMNS,
        check_settings,
        collect_instances,
        prepare_out_dir,
        row_cells,
        run_bench,
        to_markdown,
        write_csv,
    )
    from optimizer.io.solution import check_output_path
    from optimizer.io.tables.csv_bundle import SHEET_FILES

    # Bad options and files fail before the table starts.
    params = _bench_params(param or [], seed)
    check_settings(backend, time_limit, workers, params)
    batch = collect_instances(inputs, instances, skip=out_dir)
    tables = {"--out-md": out_md, "--out-csv": out_csv}
    _check_tables_are_no_input(batch, tables)
    if not batch.instances:
        where = ", ".join(str(path) for path in inputs)
        raise InputError(
            "no instance files found (.md and .csv files are not instances; a folder of CSV "
            f"files is one instance when they are a table bundle: {SHEET_FILES})",
            file=where,
        )
    if out_dir is not None:  # first: the tables may go into it
        prepare_out_dir(out_dir, batch)
        _check_tables_are_no_solution(batch, tables, out_dir)
    for option, path in tables.items():
        if path is not None:
            check_output_path(path, option)

    table = Table(*(c.replace("gap_pct", "gap %") for c in CSV_COLUMNS))
    with interrupts.stoppable():  # Ctrl-C stops the running solve; its row is marked
        try:
            with Live(table, console=out, transient=False):
                rows = run_bench(
                    inputs,
                    time_limit=time_limit,
                    workers=workers,
                    select=instances,
                    backend=backend,
                    on_row=lambda row: table.add_row(*row_cells(row)),
                    out_dir=out_dir,
                    **params,
                )
        finally:  # the last frame of the table ends without a line break (an error too)
            if not out.is_terminal:
                out.line()
        title = f"time limit {time_limit:g} s, workers {workers or 'all'}, backend {backend}"
        if seed is not None:
            title += f", seed {seed}"
        if param:
            title += ", " + ", ".join(param)
        if out_md is not None:
            out_md.write_text(to_markdown(rows, title=title), encoding="utf-8")
        if out_csv is not None:
            write_csv(rows, out_csv)
        _print_bench_summary(rows, batch.best_known_given, out_dir)
        code = _bench_exit_code(rows)
    raise typer.Exit(code)


def _bench_params(pairs: list[str], seed: int | None) -> dict[str, Any]:
    """``--param`` pairs (``seed=N`` among them) and ``--seed``, which may not both
    give the seed."""
    from optimizer.bench import PASSED_ON
    from optimizer.solvers.options import check_run_options

    params = parse_params(pairs, keep=PASSED_ON)
    if seed is None:
        return params
    if "seed" in params:
        raise InputError(
            "the seed is given twice (also as --param seed=); give it once", field="--seed"
        )
    check_run_options(None, None, seed)  # its field 'seed' is shown as --seed
    return {**params, "seed": seed}


def _check_tables_are_no_input(batch: Batch, tables: Mapping[str, Path | None]) -> None:
    """Refuse a ``--out-md``/``--out-csv`` that is an input file (a best-known table)."""
    from optimizer.io.solution import check_not_input

    inputs = [*batch.best_known_files, *(instance.path for instance in batch.instances)]
    for option, path in tables.items():
        if path is not None:
            check_not_input(path, inputs, option)


def _check_tables_are_no_solution(
    batch: Batch, tables: Mapping[str, Path | None], out_dir: Path
) -> None:
    """Refuse a ``--out-md``/``--out-csv`` that is an instance's solution in ``out_dir``."""
    from optimizer.bench import solution_paths

    solutions = {
        path.resolve()
        for instance in batch.instances
        for path in solution_paths(out_dir, instance.name)
    }
    for option, path in tables.items():
        if path is not None and path.resolve() in solutions:
            raise InputError(
                "is also an instance's solution in --out-dir; choose another name",
                file=str(path),
                field=option,
            )


def _print_bench_summary(
    rows: list[BenchRow], best_known_given: bool, out_dir: Path | None
) -> None:
    """Why instances failed or were cut, whether best-known values were given, what was
    written, and the closing ``instances=N with_solution=M`` line."""
    from optimizer.bench import BAD_INPUT, ERROR, NOT_RUN
    from optimizer.bench import INTERRUPTED as INTERRUPTED_ROW

    for row in rows:
        if row.status in (ERROR, BAD_INPUT, INTERRUPTED_ROW):
            out.print(f"{row.instance}: {row.message}")
    skipped = sum(1 for row in rows if row.status == NOT_RUN)
    if skipped:
        out.print(f"not run (interrupted): {skipped} instance(s)")
    if not best_known_given:
        out.print(
            "no best-known values were given (no best_known.csv beside the instances): "
            "best known and gap % are unknown"
        )
    solved = sum(1 for row in rows if row.objective is not None)
    if out_dir is not None:
        results = sum(1 for row in rows if row.status not in (ERROR, BAD_INPUT, NOT_RUN))
        out.print(f"written to {out_dir}: {solved} solution CSV(s), {results} Result JSON(s)")
    bad = sum(1 for row in rows if row.status == BAD_INPUT)
    out.print(
        f"instances={len(rows)} with_solution={solved}" + (f" bad_input={bad}" if bad else "")
    )


def _bench_exit_code(rows: list[BenchRow]) -> int:
    """130 after an interrupt, 2 if an instance was bad input, else 0 when every
    instance has a solution and 1 when one has none (call within ``stoppable``)."""
    from optimizer.bench import BAD_INPUT

    if interrupts.interrupted():
        return INTERRUPTED
    if any(row.status == BAD_INPUT for row in rows):
        return BAD_INPUT_EXIT
    return 0 if all(row.objective is not None for row in rows) else 1
