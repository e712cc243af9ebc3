"""Solution files: ``.csv`` in the DESIGN contracts, ``.json`` as a full ``Result``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
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
        raise InputError(f"the output must end in {one_of(suffixes)}", file=str(path), field=option)
    folder = path.parent
    if not folder.is_dir():
        raise InputError(
            f"the folder {folder} does not exist; create it first",
            file=str(path),
            field=option,
        )
    if _sheet_of_a_bundle(path):
        raise InputError(
            f"is named like a sheet of the table bundle in the folder {folder}; writing there "
            "would overwrite that table or be read as one: choose another output name",
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


def _sheet_of_a_bundle(path: Path) -> bool:
    """Whether ``path`` has a sheet's name (``staff.csv``, ``Leave.xlsx``) in a folder
    whose other files make a table bundle (``ward/staff.csv``)."""
    from optimizer.io.tables.members import is_sheet_file, sheet_of
    from optimizer.io.tables.sheets import BUNDLE_SHEETS

    if sheet_of(path.name) not in BUNDLE_SHEETS:
        return False
    try:
        return any(
            is_sheet_file(entry.name) and entry.name != path.name for entry in path.parent.iterdir()
        )
    except OSError:
        return False


def one_of(suffixes: Sequence[str]) -> str:
    """``.csv``, ``.csv or .json``, ``.csv, .json or .xlsx``."""
    return " or ".join(filter(None, (", ".join(suffixes[:-1]), suffixes[-1])))


def check_not_input(path: str | Path, inputs: Iterable[str | Path], option: str) -> None:
    """Refuse an output ``path`` that is one of the ``inputs`` (it would be overwritten)."""
    for source in inputs:
        if same_file(Path(path), Path(source)):
            raise InputError(
                f"is also the input file {source}; writing there would overwrite it: "
                "choose another output name",
                file=str(path),
                field=option,
            )


def same_file(a: Path, b: Path) -> bool:
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


_KINDS = {"roster": ("a roster", "roster problem"), "cases": ("a case schedule", "case problem")}
"""Per problem family: its solution and its problem, in words."""


def read_solution(path: str | Path, problem: Any) -> RosterSolution | CaseSchedule:
    """Read a solution for ``problem`` (roster or cases) from CSV or Result JSON.

    A solution of the other family (a roster given for a case problem, or the other
    way round) is refused as such."""
    path = Path(path)
    family = "roster" if isinstance(problem, RosterProblem) else "cases"
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _from_result(path, family)
    if suffix != ".csv":
        raise InputError("a solution must be a .csv or .json file", file=str(path))
    try:
        if family == "roster":
            from optimizer.io.roster_csv import read_roster_csv

            return read_roster_csv(path)
        from optimizer.io.schedule_csv import read_schedule_csv

        # unknown ids become the checker's violations, as in a Result JSON
        return read_schedule_csv(path, problem, strict=False)
    except InputError:
        _refuse_other_csv(path, family)
        raise


def _other(family: str) -> str:
    return "cases" if family == "roster" else "roster"


def _header(family: str) -> str:
    """The first line of the family's solution CSV."""
    from optimizer.io.roster_csv import HEADER as ROSTER_HEADER
    from optimizer.io.schedule_csv import HEADER as SCHEDULE_HEADER

    return ",".join(ROSTER_HEADER if family == "roster" else SCHEDULE_HEADER)


def _mismatch(family: str, what: str) -> str:
    """``what`` (the other family's solution) given for a ``family`` problem."""
    mine, other = _KINDS[family], _KINDS[_other(family)]
    return (
        f"{what} {other[0]} (the solution of a {other[1]}), but the problem is a "
        f"{mine[1]}: give {mine[0]} for it"
    )


def _from_result(path: Path, family: str) -> RosterSolution | CaseSchedule:
    from optimizer.io.project import load_result

    result = load_result(path)
    inner = result.roster if family == "roster" else result.schedule
    if inner is not None:
        return inner
    if (result.schedule if family == "roster" else result.roster) is not None:
        raise InputError(_mismatch(family, "the result holds"), file=str(path))
    raise InputError(f"the result holds no {_KINDS[family][0]}", file=str(path))


def _refuse_other_csv(path: Path, family: str) -> None:
    """Raise ``InputError`` when the CSV's first line is the other family's header."""
    from optimizer.io.roster_csv import read_csv_rows

    try:
        rows = read_csv_rows(path)
    except InputError:
        return
    header = ",".join(cell.strip().lower() for cell in rows[0][1]) if rows else ""
    if header == _header(_other(family)):
        raise InputError(
            _mismatch(family, f"this CSV (header {header}) is")
            + f" (a CSV with the header {_header(family)})",
            file=str(path),
            line=rows[0][0],
        )
