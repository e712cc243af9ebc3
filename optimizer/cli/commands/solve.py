"""``carealloc solve``: solve one problem, write ``--out``, end with the status line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from optimizer.cli.console import err, out
from optimizer.cli.errors import clean_errors
from optimizer.cli.help_texts import FORMAT_HELP, INPUT_HELP, OUT_HELP
from optimizer.cli.no_solution import print_no_solution
from optimizer.cli.params import parse_params
from optimizer.cli.run import run_solve, solve_exit_code
from optimizer.cli.summaries import print_solution
from optimizer.model.result import Result
from optimizer.solvers import interrupts

NO_LIMIT_NOTE = (
    "note: no --time-limit: the solve runs until the result is proven optimal, which can "
    "take very long (Ctrl+C stops it)"
)
"""Printed on stderr by ``solve`` without ``--time-limit`` (unless ``--quiet``)."""


@clean_errors
def solve_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help=INPUT_HELP)],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
    backend: Annotated[str, typer.Option(help="cpsat | milp")] = "cpsat",
    time_limit: Annotated[
        float | None,
        typer.Option(
            help="seconds (default: none, the solve runs until proven optimal); an "
            "infeasibility diagnosis gets as long again (60 s without a limit)"
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="search workers (default: all cores)")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed")] = None,
    out_paths: Annotated[
        list[Path] | None,
        typer.Option("--out", metavar="<path>", help=OUT_HELP, show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no live progress, no summary")] = False,
    lexicographic: Annotated[
        bool,
        typer.Option(
            help="priorities, not weights (limit per stage): roster: cover, then "
            "over-staffing, then requests; cases: left out, late, overtime, then the rest"
        ),
    ] = False,
    param: Annotated[
        list[str] | None,
        typer.Option(
            help="backend parameter NAME=VALUE, repeatable (e.g. roster_staffwise=false; "
            "with --backend milp: solver=cbc)"
        ),
    ] = None,
) -> None:
    """Solve a roster or case-scheduling problem."""
    from optimizer.io.load import load_problem
    from optimizer.io.outputs import check_outputs
    from optimizer.solve import check_solve_call

    out_paths = out_paths or []
    check_outputs(out_paths, [input_file])  # before the solve, so no result (or input) is lost
    problem = load_problem(input_file, fmt)
    params = parse_params(param or [])
    if time_limit is None and not quiet:
        check_solve_call(problem, backend, time_limit, workers, seed, params)  # then the note
        err.print(NO_LIMIT_NOTE)
    with interrupts.stoppable():  # Ctrl-C from here on stops the search, keeps its best
        result = run_solve(
            problem,
            backend=backend,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            quiet=quiet,
            lexicographic=lexicographic,
            params=params,
        )
        _write_out(problem, result, out_paths)
        if result.status.has_solution:
            if not quiet:
                print_solution(problem, result, lexicographic)
        else:
            print_no_solution(problem, result, time_limit, workers, seed)
        code = solve_exit_code(result)
        out.print(result.summary_line())
    raise typer.Exit(code)


def _write_out(problem: Any, result: Result, paths: list[Path]) -> None:
    """Write ``--out``: the solution; without one the Result JSON and the workbook still
    (both say why), while a CSV is not written and one left there by an earlier run is
    removed, so that no one takes it for this run's."""
    from optimizer.io.outputs import write_outputs

    for skipped in write_outputs(problem, result, paths):
        note = f"no solution, so {skipped.path} was not written"
        if skipped.removed:
            note += (
                "; the file an earlier run left there was removed, so it is not taken for "
                "this run's"
            )
        err.print(note)
