"""Solution files: ``.csv`` in the DESIGN contracts, ``.json`` as a full ``Result``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from optimizer.errors import InputError
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import RosterProblem

SOLUTION_SUFFIXES = (".csv", ".json")


def check_output_path(path: str | Path, option: str, suffixes: tuple[str, ...] = ()) -> None:
    """Fail before any work if ``path`` cannot be written (folder, suffix, permissions)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder; give a file name", file=str(path), field=option)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(
            f"the output must end in {' or '.join(suffixes)}", file=str(path), field=option
        )
    folder = path.parent
    if not folder.is_dir():
        raise InputError(
            f"the folder {folder} does not exist; create it first",
            file=str(path),
            field=option,
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(
            "the file is read-only; make it writable or choose another name",
            file=str(path),
            field=option,
        )
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot create files in the folder {folder} (no write permission)",
            file=str(path),
            field=option,
        )


def check_not_input(path: str | Path, inputs: Iterable[str | Path], option: str) -> None:
    """Refuse an output ``path`` that is one of the ``inputs`` (it would be overwritten)."""
    for source in inputs:
        if _same_file(Path(path), Path(source)):
            raise InputError(
                f"is also the input file {source}; writing there would overwrite it: "
                "choose another output name",
                file=str(path),
                field=option,
            )


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (also via links or different spellings)."""
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist yet
        return a.resolve() == b.resolve()


def write_solution(result: Result, path: str | Path) -> None:
    """Write ``result`` as CSV (roster or schedule contract) or as Result JSON."""
    path = Path(path)
    check_output_path(path, "--out", SOLUTION_SUFFIXES)
    if path.suffix.lower() == ".json":
        from optimizer.io.project import save_result

        save_result(result, path)
    elif result.roster is not None:
        from optimizer.io.roster_csv import write_roster_csv

        write_roster_csv(result.roster, path)
    elif result.schedule is not None:
        from optimizer.io.schedule_csv import write_schedule_csv

        write_schedule_csv(result.schedule, path)


def read_solution(path: str | Path, problem: Any) -> RosterSolution | CaseSchedule:
    """Read a solution for ``problem`` (roster or cases) from CSV or Result JSON."""
    path = Path(path)
    family = "roster" if isinstance(problem, RosterProblem) else "cases"
    suffix = path.suffix.lower()
    if suffix == ".json":
        from optimizer.io.project import load_result

        result = load_result(path)
        inner = result.roster if family == "roster" else result.schedule
        if inner is None:
            raise InputError(f"the result holds no {family} solution", file=str(path))
        return inner
    if suffix != ".csv":
        raise InputError("a solution must be a .csv or .json file", file=str(path))
    if family == "roster":
        from optimizer.io.roster_csv import read_roster_csv

        return read_roster_csv(path)
    from optimizer.io.schedule_csv import read_schedule_csv

    # unknown ids become the checker's violations, as in a Result JSON
    return read_schedule_csv(path, problem, strict=False)
