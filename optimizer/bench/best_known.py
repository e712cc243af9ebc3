"""Best-known values: reading a ``best_known.csv`` and looking an instance up in it."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from optimizer.bench.instance_files import without_extension
from optimizer.errors import InputError

BEST_KNOWN_COLUMNS = (
    "best_known",
    "best_ub",
    "best_known_ub",
    "ub",
    "upper_bound",
    "best",
    "opt",
    "optimum",
    "makespan",
)

BEST_KNOWN_FILE = "best_known.csv"
"""The optional table of best-known values beside the instances."""


def _number(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return round(value)


def read_best_known(path: Path) -> dict[str, int | None]:
    """Instance name → best-known value from a suite's ``best_known.csv``."""
    from optimizer.io.load import CSV_UTF8_HINT, read_text

    rows = list(csv.reader(io.StringIO(read_text(path, CSV_UTF8_HINT))))
    if not rows or not rows[0]:
        raise InputError("the best-known file is empty (expected a header row)", file=str(path))
    header = [name.strip().lower() for name in rows[0]]
    # PSPLIB's table starts with a ``set`` column: prefer a column named instance/name.
    key = next((header.index(name) for name in ("instance", "name") if name in header), 0)
    column = next((header.index(name) for name in BEST_KNOWN_COLUMNS if name in header), None)
    if column is None:
        column = next((i for i, name in enumerate(header) if "best" in name), None)
    if column is None or column == key:
        raise InputError(
            "no best-known column: expected one named "
            + ", ".join(BEST_KNOWN_COLUMNS)
            + " (or containing 'best') after the instance-name column",
            file=str(path),
            line=1,
        )
    values: dict[str, int | None] = {}
    for row in rows[1:]:
        if not row or row[0].startswith("#") or key >= len(row) or not row[key].strip():
            continue
        values[row[key].strip()] = _number(row[column]) if column < len(row) else None
    return values


def lookup_best_known(
    best: Mapping[str, int | None], path: Path, instances_dir: Path
) -> int | None:
    """The best-known value of the instance file (or bundle folder) ``path`` (None if
    ``best`` has none), found by its file name with or without extension, or its path in
    ``instances_dir``."""
    bare = without_extension(path)
    relative = path.relative_to(instances_dir)
    for key in (bare.name, path.name, str(relative), str(bare.relative_to(instances_dir))):
        if key in best:
            return best[key]
    return None
