"""A problem as the file of another format: project JSON, or a table bundle (an XLSX
workbook, a ZIP or a folder of CSV files) with what a bundle cannot hold named, never
dropped unsaid."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel

from optimizer.errors import InputError
from optimizer.model import Problem

PROBLEM_SUFFIXES = (".json", ".xlsx", ".zip")
"""What ``carealloc convert --out`` may end in (or nothing: a folder of CSV files)."""

SHOWN_IDS = 5
"""Ids listed in a note about what was left out, before "…"."""


def problem_file(problem: Problem, name: str) -> tuple[bytes, list[str]]:
    """``problem`` as the file ``name`` (``.json``, ``.xlsx`` or ``.zip`` by its suffix),
    and what that file leaves out of it (``left_out``; nothing for JSON).

    A bundle is read back as ``load_problem`` would read it, and what differs is what it
    left out; one that does not read back at all raises ``InputError``."""
    from optimizer.io.solution import one_of

    suffix = PurePath(name).suffix.lower()
    if suffix not in PROBLEM_SUFFIXES:
        raise InputError(f"the output must end in {one_of(PROBLEM_SUFFIXES)}", file=name)
    if suffix == ".json":
        from optimizer.io.project import problem_to_json

        return problem_to_json(problem).encode("utf-8"), []
    from optimizer.io.tables.bundle import read_bundle
    from optimizer.io.tables.from_problem import problem_tables
    from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip

    to_bytes = tables_to_xlsx if suffix == ".xlsx" else tables_to_zip
    data = to_bytes(problem_tables(problem))
    with _read_back(name):
        read_back = read_bundle(name, data)
    return data, left_out(problem, read_back)


def problem_folder(problem: Problem, folder: Path) -> tuple[dict[Path, bytes], list[str]]:
    """``problem`` as a folder of ``<sheet>.csv`` files (path → bytes), and what they
    leave out of it (``left_out``), found by reading them back as a folder is read."""
    from optimizer.io.tables.bundle import read_csv_files_tables
    from optimizer.io.tables.from_problem import problem_tables
    from optimizer.io.tables.to_bundle import tables_to_csv_files
    from optimizer.io.tables.to_problem import problem_from_tables

    files = tables_to_csv_files(problem_tables(problem))
    with _read_back(str(folder)):
        tables = read_csv_files_tables(str(folder), list(files.items()))
        read_back = problem_from_tables(tables, str(folder))
    return {folder / name: data for name, data in files.items()}, left_out(problem, read_back)


@contextmanager
def _read_back(name: str) -> Iterator[None]:
    """Reading a bundle just written: its failure said as a problem the bundle cannot hold."""
    try:
        yield
    except InputError as exc:
        raise InputError(
            f"not written: a table bundle cannot hold this problem, reading it back would "
            f"fail ({exc}); write project JSON (.json) instead",
            file=name,
        ) from None


def left_out(original: BaseModel, read_back: BaseModel) -> list[str]:
    """What ``read_back`` lacks of ``original``, one entry per field (JSON names:
    ``baseline``, ``pins (2: C1, C2)``, ``tasks[].needs_room (1: C4)``)."""
    notes: list[str] = []
    for field in type(original).model_fields:
        before, after = getattr(original, field), getattr(read_back, field)
        if before != after:
            notes += _differences(field, before, after)
    return notes


def _differences(field: str, before: Any, after: Any) -> list[str]:
    """What differs of ``field``: left out as a whole (``pins (2: C1, C2)``), or for a
    list of records with ids, the fields of its records (``tasks[].needs_room (1: C4)``)."""
    notes = []
    if _same_ids(before, after):
        for name in type(before[0]).model_fields:
            pairs = zip(before, after, strict=True)
            ids = [b.id for b, a in pairs if getattr(b, name) != getattr(a, name)]
            if ids:
                notes.append(f"{field}[].{name} ({_listed(ids)})")
    if notes:
        return notes
    if after:  # no field is known to do this: said as it is
        return [f"{field} (it reads back differently)"]
    if isinstance(before, tuple):
        ids = [str(getattr(record, "task", getattr(record, "id", ""))) for record in before]
        return [f"{field} ({_listed(ids) if all(ids) else len(before)})"]
    return [field + _size(before)]


def _same_ids(before: Any, after: Any) -> bool:
    """Both lists of records with ids, the same ids in the same order."""
    return (
        isinstance(before, tuple)
        and isinstance(after, tuple)
        and len(before) == len(after) > 0
        and all(hasattr(record, "id") for record in (*before, *after))
        and [b.id for b in before] == [a.id for a in after]
    )


def _size(value: Any) -> str:
    """`` (the published roster: 640 shifts)`` for a baseline, else nothing."""
    assignments = getattr(value, "assignments", None)
    if assignments is not None:
        return f" (the published roster: {len(assignments)} shifts)"
    schedule = getattr(value, "schedule", None)
    if schedule is not None:
        return f" (the published schedule: {len(schedule.tasks)} cases)"
    return ""


def _listed(ids: list[str]) -> str:
    """``2: C1, C2``; past ``SHOWN_IDS`` ids, ``7: C1, C2, C3, C4, C5, …``."""
    shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
    return f"{len(ids)}: {shown}"
