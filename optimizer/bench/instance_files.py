"""The instance files in a folder, in natural order, and selecting them by name."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optimizer.errors import InputError

NOT_INSTANCES = (".md", ".csv")
"""Files with these extensions in an instance folder are not instances."""


def natural_key(text: str) -> list[Any]:
    """Sort key that orders the numbers in ``text`` by value (``I2`` before ``I10``)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def find_instances(
    instances_dir: Path, select: str | None = None, skip: Path | None = None
) -> list[Path]:
    """Instance files under ``instances_dir`` in natural order, optionally filtered.

    ``select`` is a comma-separated list of names or glob patterns, matched against
    the file name and the path inside ``instances_dir``, with and without the
    extension (``Instance1,Instance2``, ``Instance1?``, ``j30/j301_1``). Files under
    ``skip`` (the solutions folder) are left out.
    """
    if not instances_dir.is_dir():
        raise InputError("the suite has no 'instances' folder", file=str(instances_dir))
    files = files_under(instances_dir, skip)
    if select:
        patterns = select_patterns(select)
        files = [p for p in files if _matches(p, patterns, instances_dir)]
        if not files:
            raise InputError(
                f"no instance matches '{select}'", file=str(instances_dir), field="--instances"
            )
    return files


def files_under(folder: Path, skip: Path | None = None) -> list[Path]:
    """The instance files under ``folder`` (not hidden, not ``NOT_INSTANCES``, not under
    ``skip``), in natural order of their path inside ``folder``."""
    skipped = skip.resolve() if skip is not None else None
    files = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and is_instance_file(p)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (skipped is None or not p.resolve().is_relative_to(skipped))
    ]
    files.sort(key=lambda p: natural_key(str(p.relative_to(folder))))
    return files


def is_instance_file(path: Path) -> bool:
    """Whether ``path`` may be an instance: not hidden, not one of ``NOT_INSTANCES``."""
    return not path.name.startswith(".") and path.suffix.lower() not in NOT_INSTANCES


def select_patterns(select: str) -> list[str]:
    """The names or glob patterns of a comma-separated ``--instances`` value."""
    return [s.strip() for s in select.split(",") if s.strip()]


def _matches(path: Path, patterns: Sequence[str], instances_dir: Path) -> bool:
    relative = path.relative_to(instances_dir)
    names = (path.stem, path.name, relative.as_posix(), relative.with_suffix("").as_posix())
    return any(fnmatch.fnmatch(name, pat) for pat in patterns for name in names)
