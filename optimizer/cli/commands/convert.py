"""``carealloc convert``: a problem from any format ``solve`` reads, written as project
JSON or a table bundle (.xlsx, or .zip of CSV files), saying what a bundle leaves out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.console import err, out
from optimizer.cli.errors import clean_errors
from optimizer.cli.help_texts import FORMAT_HELP, INPUT_HELP
from optimizer.model import Problem
from optimizer.model.roster import RosterProblem

CONVERT_OUT_HELP = (
    "what to write, by its suffix: .json (project JSON), .xlsx or .zip (a table bundle, as "
    "the dashboard's Input bundle), or no suffix: a folder of CSV files, one per sheet "
    "(created if missing); an existing file is replaced"
)


@clean_errors
def convert_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help=INPUT_HELP)],
    out_path: Annotated[
        Path, typer.Option("--out", metavar="<path>", help=CONVERT_OUT_HELP, show_default=False)
    ],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
) -> None:
    """Convert a problem to project JSON or a table bundle (.xlsx, .zip or a folder of
    CSV files).

    What a bundle has no place for (a published baseline, case pins, …) is named in a
    warning; the project JSON keeps everything."""
    from optimizer.io.convert import PROBLEM_SUFFIXES, problem_file, problem_folder
    from optimizer.io.load import load_problem
    from optimizer.io.solution import check_not_input, check_output_path
    from optimizer.io.staged import staged

    check_not_input(out_path, [input_file], "--out")
    to_folder = is_folder_output(out_path)
    if to_folder:
        check_output_folder(out_path)
    else:
        check_output_path(out_path, "--out", PROBLEM_SUFFIXES)
    problem = load_problem(input_file, fmt)
    if to_folder:
        files, left_out = problem_folder(problem, out_path)
        check_other_sheets(out_path, files)
    else:
        data, left_out = problem_file(problem, str(out_path))
        files = {out_path: data}
    if left_out:
        err.print(
            f"warning: a table bundle has no place for these, so {out_path} leaves them out "
            "(convert to .json to keep them):"
        )
        for item in left_out:
            err.print(f"  • {item}")
    if to_folder:
        out_path.mkdir(exist_ok=True)
    with staged(list(files)) as temporaries:
        for temporary, data in zip(temporaries, files.values(), strict=True):
            temporary.write_bytes(data)
    out.print(f"wrote {out_path}{'/' if to_folder else ''}: {describe(problem)}")


def is_folder_output(path: Path) -> bool:
    """Whether ``--out`` names a folder: one that exists, or a name without a suffix."""
    return path.is_dir() or (not path.suffix and not path.exists())


def check_output_folder(folder: Path) -> None:
    """Fail before any work if the folder cannot be made or written."""
    from optimizer.errors import InputError

    parent = folder.parent
    if not folder.exists() and not parent.is_dir():
        raise InputError(
            f"the folder {parent} does not exist; create it first", file=str(folder), field="--out"
        )
    where = folder if folder.exists() else parent
    if not os.access(where, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot create files in the folder {where} (no write permission)",
            file=str(folder),
            field="--out",
        )


def check_other_sheets(folder: Path, files: dict[Path, bytes]) -> None:
    """Refuse a folder holding sheet files this bundle does not write (another kind's,
    or a sheet it leaves out): they would be read with it next time."""
    from optimizer.errors import InputError
    from optimizer.io.tables.members import is_sheet_file

    if not folder.is_dir():
        return
    others = sorted(
        entry.name for entry in folder.iterdir() if is_sheet_file(entry.name) and entry not in files
    )
    if others:
        raise InputError(
            f"holds sheet files this problem does not write ({', '.join(others)}); they would "
            "be read with it as one bundle: choose an empty folder or remove them",
            file=str(folder),
            field="--out",
        )


def describe(problem: Problem) -> str:
    """``roster 'Ward 7B', 24 staff, 28 days`` or ``cases 'Week 50', 40 cases, 6 rooms,
    25 staff``."""
    if isinstance(problem, RosterProblem):
        return f"roster '{problem.name}', {len(problem.staff)} staff, {problem.num_days} days"
    return (
        f"cases '{problem.name}', {len(problem.tasks)} cases, {len(problem.rooms)} rooms, "
        f"{len(problem.staff)} staff"
    )
