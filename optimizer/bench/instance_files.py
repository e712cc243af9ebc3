"""The instances in a folder (files, and folders that hold a table bundle), in natural
order, and selecting them by name."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from optimizer.bench.out_dir import check_not_in_out_dir
from optimizer.errors import InputError
from optimizer.io.tables.folder_bundle import holds_bundle
from optimizer.io.tables.members import is_sheet_file

NOT_INSTANCES = (".md", ".csv")
"""Files with these extensions in an instance folder are not instances."""


def natural_key(text: str) -> list[Any]:
    """Sort key that orders the numbers in ``text`` by value (``I2`` before ``I10``)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def find_instances(
    instances_dir: Path, select: str | None = None, skip: Path | None = None
) -> list[Path]:
    """Instances under ``instances_dir`` (see ``files_under``) in natural order, optionally
    filtered.

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
    """The instances under ``folder``, in natural order of their path inside it: instance
    files (``is_instance_file``), and sub-folders that hold a table bundle
    (``holds_bundle``), each one instance that is not searched further.

    Hidden files and folders and whatever is under ``skip`` (the solutions folder) are
    left out, and links to folders are not searched (a link to a bundle folder is an
    instance). A bundle folder that is ``skip`` is refused (``check_not_in_out_dir``):
    the batch's solutions would be mixed into its sheets.
    """
    found = list(_walk(folder, skip))
    found.sort(key=lambda p: natural_key(str(p.relative_to(folder))))
    return found


def _walk(folder: Path, skip: Path | None) -> Iterator[Path]:
    """``files_under`` in the order found; an unreadable folder is passed over, as
    ``Path.rglob`` does."""
    skipped = skip.resolve() if skip is not None else None
    try:
        entries = list(folder.iterdir())
    except PermissionError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        inside_skip = skipped is not None and entry.resolve().is_relative_to(skipped)
        if entry.is_dir():
            if not holds_bundle(entry):
                if not (inside_skip or entry.is_symlink()):
                    yield from _walk(entry, skip)
            elif inside_skip:
                check_not_in_out_dir(entry, skip)
            else:
                yield entry
        elif entry.is_file() and is_instance_file(entry) and not inside_skip:
            yield entry


def is_instance_file(path: Path) -> bool:
    """Whether ``path`` may be an instance: not hidden, not one of ``NOT_INSTANCES``, not a
    sheet of a table bundle (``leave.txt``: its folder is the instance)."""
    return (
        not path.name.startswith(".")
        and path.suffix.lower() not in NOT_INSTANCES
        and not is_sheet_file(path.name)
    )


def without_extension(path: Path) -> Path:
    """``path`` without its extension; a folder (a table bundle) keeps its whole name."""
    return path if path.is_dir() else path.with_suffix("")


def extension(path: Path) -> str:
    """``path``'s extension (``.json``); a folder's is ``""``."""
    return "" if path.is_dir() else path.suffix


def select_patterns(select: str) -> list[str]:
    """The names or glob patterns of a comma-separated ``--instances`` value."""
    return [s.strip() for s in select.split(",") if s.strip()]


def _matches(path: Path, patterns: Sequence[str], instances_dir: Path) -> bool:
    relative = path.relative_to(instances_dir)
    bare = without_extension(path)
    names = (
        bare.name,
        path.name,
        relative.as_posix(),
        bare.relative_to(instances_dir).as_posix(),
    )
    return any(fnmatch.fnmatch(name, pat) for pat in patterns for name in names)
