"""The files of one solve (``carealloc solve --out``, repeatable): the solution CSV
(the contract for programs), the Result JSON and the planner's XLSX workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer.errors import InputError
from optimizer.model.result import Result

OUT_SUFFIXES = (".csv", ".json", ".xlsx")
"""What ``--out`` may end in."""

WITHOUT_SOLUTION = (".json", ".xlsx")
"""Written without a solution too: the Result, and a workbook whose Summary says why
(``excel_export``); a CSV would read as an empty roster, so it is not written."""


@dataclass(frozen=True)
class NotWritten:
    """An output left out for want of a solution; ``removed``: an earlier run's file
    was there and is gone, so no one takes it for this run's."""

    path: Path
    removed: bool


def check_outputs(paths: Sequence[Path], inputs: Sequence[Path], option: str = "--out") -> None:
    """Refuse, before any work, an output that cannot be written (``check_output_path``),
    that is an input, or that is given twice (also spelled differently)."""
    from optimizer.io.solution import check_not_input, check_output_path, same_file

    for i, path in enumerate(paths):
        check_not_input(path, inputs, option)
        check_output_path(path, option, OUT_SUFFIXES)
        twin = next((earlier for earlier in paths[:i] if same_file(path, earlier)), None)
        if twin is not None:
            also = "" if str(twin) == str(path) else f" (also as {twin})"
            raise InputError(
                f"is given twice{also}; give each {option} its own file",
                file=str(path),
                field=option,
            )


def write_outputs(problem: Any, result: Result, paths: Sequence[Path]) -> list[NotWritten]:
    """Write each path by its suffix (``OUT_SUFFIXES``), whole or not at all: none is
    replaced before all are ready. Without a solution a CSV is not written (and one an
    earlier run left there is removed); returns those."""
    from optimizer.io.staged import staged

    has_solution = result.status.has_solution
    written = [p for p in paths if has_solution or p.suffix.lower() in WITHOUT_SOLUTION]
    left_out = [NotWritten(p, _remove(p)) for p in paths if p not in written]
    with staged(written) as temporaries:
        for temporary in temporaries:
            _write(problem, result, temporary)
    return left_out


def _write(problem: Any, result: Result, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        from optimizer.io.excel_export import export_xlsx

        path.write_bytes(export_xlsx(problem, result))
    else:
        from optimizer.io.solution import write_solution

        write_solution(result, path)


def _remove(path: Path) -> bool:
    """Remove the file at ``path``; whether there was one."""
    if not path.is_file():
        return False
    path.unlink()
    return True
