"""``carealloc convert``: a problem from any format ``solve`` reads, written as project
JSON or a table bundle (.xlsx, or .zip of CSV files), saying what a bundle leaves out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.console import err, out
from optimizer.cli.errors import clean_errors
from optimizer.cli.help_texts import FORMAT_HELP, INPUT_HELP
from optimizer.model import Problem
from optimizer.model.roster import RosterProblem

CONVERT_OUT_HELP = (
    "the file to write, by its suffix: .json (project JSON), .xlsx or .zip (a table "
    "bundle, as the dashboard's Input bundle); an existing file is replaced"
)


@clean_errors
def convert_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help=INPUT_HELP)],
    out_path: Annotated[
        Path, typer.Option("--out", metavar="<path>", help=CONVERT_OUT_HELP, show_default=False)
    ],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
) -> None:
    """Convert a problem to project JSON or a table bundle (.xlsx, .zip of CSV files).

    What a bundle has no place for (a published baseline, case pins, …) is named in a
    warning; the project JSON keeps everything."""
    from optimizer.io.convert import PROBLEM_SUFFIXES, problem_file
    from optimizer.io.load import load_problem
    from optimizer.io.solution import check_not_input, check_output_path
    from optimizer.io.staged import write_bytes

    check_not_input(out_path, [input_file], "--out")
    check_output_path(out_path, "--out", PROBLEM_SUFFIXES)
    problem = load_problem(input_file, fmt)
    data, left_out = problem_file(problem, str(out_path))
    if left_out:
        err.print(
            f"warning: a table bundle has no place for these, so {out_path} leaves them out "
            "(convert to .json to keep them):"
        )
        for item in left_out:
            err.print(f"  • {item}")
    write_bytes(out_path, data)
    out.print(f"wrote {out_path}: {describe(problem)}")


def describe(problem: Problem) -> str:
    """``roster 'Ward 7B', 24 staff, 28 days`` or ``cases 'Week 50', 40 cases, 6 rooms,
    25 staff``."""
    if isinstance(problem, RosterProblem):
        return f"roster '{problem.name}', {len(problem.staff)} staff, {problem.num_days} days"
    return (
        f"cases '{problem.name}', {len(problem.tasks)} cases, {len(problem.rooms)} rooms, "
        f"{len(problem.staff)} staff"
    )
