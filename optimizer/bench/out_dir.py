"""The solutions folder (``--out-dir``): checking it, and writing each instance's
solution CSV and Result JSON into it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer.errors import InputError

if TYPE_CHECKING:
    from optimizer.bench.batch import Batch
    from optimizer.model.result import Result

OUT_DIR_OPTION = "--out-dir"
"""The field named by errors about the solutions folder (``out_dir`` in Python)."""


def solution_paths(out_dir: Path, name: str) -> tuple[Path, Path]:
    """Where ``out_dir`` gets an instance's solution CSV and Result JSON."""
    return out_dir / f"{name}.csv", out_dir / f"{name}.json"


def check_not_in_out_dir(folder: Path, out_dir: Path | None) -> None:
    """Refuse an instance folder that is (or is inside) the solutions folder: the
    solutions would be taken for instances by the next run."""
    if out_dir is not None and folder.resolve().is_relative_to(out_dir.resolve()):
        raise InputError(
            f"the instance folder {folder} is the solutions folder or inside it, so the next run "
            "would take the solutions for instances; choose another folder",
            file=str(out_dir),
            field=OUT_DIR_OPTION,
        )


def prepare_out_dir(out_dir: Path, batch: Batch) -> None:
    """Create the solutions folder (its parent must exist) unless a solution there would
    overwrite an input file or it cannot be written; ``InputError`` names ``--out-dir``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            "is a file; give a folder for the solutions", file=str(out_dir), field=OUT_DIR_OPTION
        )
    _check_overwrites_no_input(out_dir, batch)
    if not out_dir.exists():
        if not out_dir.parent.is_dir():
            raise InputError(
                f"the folder {out_dir.parent} does not exist; create it first",
                file=str(out_dir),
                field=OUT_DIR_OPTION,
            )
        _check_writable(out_dir.parent, out_dir)
        out_dir.mkdir()
    _check_writable(out_dir, out_dir)


def _check_overwrites_no_input(out_dir: Path, batch: Batch) -> None:
    """Refuse a solutions folder where an instance's solution is an input file."""
    inputs = {item.path.resolve(): item.path for item in batch.instances}
    inputs |= {path.resolve(): path for path in batch.best_known_files}
    for instance in batch.instances:
        for path in solution_paths(out_dir, instance.name):
            if path.resolve() in inputs:
                raise InputError(
                    f"the solution {path} would overwrite the input file "
                    f"{inputs[path.resolve()]}; choose another folder",
                    file=str(out_dir),
                    field=OUT_DIR_OPTION,
                )


def _check_writable(folder: Path, out_dir: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot create files in the folder {folder} (no write permission)",
            file=str(out_dir),
            field=OUT_DIR_OPTION,
        )


def write_instance_solution(out_dir: Path, name: str, result: Result | None) -> None:
    """Write ``<name>.json`` (the Result) and, with a solution, ``<name>.csv`` into
    ``out_dir``; a file of an earlier run that this run does not write is removed."""
    from optimizer.io.solution import write_solution

    table, record = solution_paths(out_dir, name)
    table.parent.mkdir(parents=True, exist_ok=True)  # a name may hold a sub-folder
    if result is not None:
        write_solution(result, record)
    else:
        record.unlink(missing_ok=True)
    if result is not None and result.status.has_solution:
        write_solution(result, table)
    else:
        table.unlink(missing_ok=True)
