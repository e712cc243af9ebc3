"""The instances of a run: collected from files, folders, suites and glob patterns (a
folder that holds a table bundle is one instance)."""

from __future__ import annotations

import fnmatch
import glob
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from optimizer.bench.best_known import BEST_KNOWN_FILE, lookup_best_known, read_best_known
from optimizer.bench.instance_files import (
    extension,
    files_under,
    is_instance_file,
    natural_key,
    select_patterns,
    without_extension,
)
from optimizer.bench.out_dir import check_not_in_out_dir
from optimizer.errors import InputError
from optimizer.io.tables.folder_bundle import holds_bundle

GLOB_CHARACTERS = frozenset("*?[")
"""An input that names no file and holds one of these is a glob pattern."""


@dataclass(frozen=True)
class Instance:
    """One instance of a batch: its row name, its file (or bundle folder) and best-known
    value (or None)."""

    name: str
    path: Path
    best_known: int | None = None


@dataclass(frozen=True)
class Batch:
    """The instances of a run and the best-known tables they were looked up in."""

    instances: tuple[Instance, ...]
    best_known_files: tuple[Path, ...]

    @property
    def best_known_given(self) -> bool:
        """Whether any ``best_known.csv`` was found (else every best known is unknown)."""
        return bool(self.best_known_files)


Sources = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
"""What ``run_bench`` takes: one file, folder or glob pattern, or several."""


def collect_instances(
    sources: Sources, select: str | None = None, skip: Path | None = None
) -> Batch:
    """The instances named by ``sources`` (files, folders, suites, glob patterns), in
    the order given (a folder's in natural order), each file once. A folder that holds a
    table bundle (``holds_bundle``), given or found, is one instance named after it.

    ``select`` filters them as in ``find_instances``; files under ``skip`` (the
    solutions folder) are left out. A source that names nothing, a ``select`` that
    matches nothing, two files that would get one row name, or an unreadable
    ``best_known.csv`` raise ``InputError``. An empty folder gives no instances.
    """
    tables: dict[Path, dict[str, int | None]] = {}
    found: list[Instance] = []
    for source in _source_list(sources):
        found += _source_instances(Path(source), tables, skip)
    instances = _named_once(_each_file_once(found))
    if select:
        patterns = select_patterns(select)
        instances = [item for item in instances if _selects(item, patterns)]
        if not instances:
            raise InputError(f"no instance matches '{select}'", field="--instances")
    return Batch(tuple(instances), tuple(tables))


def _source_list(sources: Sources) -> list[str | os.PathLike[str]]:
    if isinstance(sources, str | os.PathLike):
        return [sources]
    return list(sources)


def _source_instances(
    path: Path, tables: dict[Path, dict[str, int | None]], skip: Path | None
) -> list[Instance]:
    """The instances of one source: a folder (a suite, or a table bundle), a file, or a
    glob pattern."""
    if path.is_dir():
        suite = path / "instances"
        root = suite if suite.is_dir() else path
        check_not_in_out_dir(root, skip)
        if root == path and holds_bundle(path):
            return [_file_instance(path, tables)]
        best = _best_known_table(path / BEST_KNOWN_FILE, tables)
        return [
            Instance(
                str(without_extension(file).relative_to(root)),
                file,
                lookup_best_known(best, file, root),
            )
            for file in files_under(root, skip)
        ]
    if path.is_file():
        return [_file_instance(path, tables)]
    if GLOB_CHARACTERS & set(str(path)):
        matches = sorted(glob.glob(str(path), recursive=True), key=natural_key)
        if not matches:
            raise InputError("no file or folder matches this pattern", file=str(path))
        found: list[Instance] = []
        for match in map(Path, matches):
            if match.is_dir() or is_instance_file(match):
                found += _source_instances(match, tables, skip)
        return found
    raise InputError(
        "no such file or folder (give instance files, folders of them, or a glob pattern)",
        file=str(path),
    )


def _file_instance(path: Path, tables: dict[Path, dict[str, int | None]]) -> Instance:
    """A file (or bundle folder) given on its own: named by its stem (the folder's name);
    its best known from a ``best_known.csv`` in its folder, or beside the ``instances``
    folder it is in."""
    where = Path(os.path.abspath(path)) if path.is_dir() else path  # "." has a name
    folder = where.parent
    table = folder / BEST_KNOWN_FILE
    if not table.is_file() and folder.name == "instances":
        table = folder.parent / BEST_KNOWN_FILE
    best = _best_known_table(table, tables)
    return Instance(without_extension(where).name, path, lookup_best_known(best, where, folder))


def _best_known_table(
    path: Path, tables: dict[Path, dict[str, int | None]]
) -> dict[str, int | None]:
    """The best-known values in ``path`` ({} when there is no such file), read once."""
    if not path.is_file():
        return {}
    if path not in tables:
        tables[path] = read_best_known(path)
    return tables[path]


def _each_file_once(found: Sequence[Instance]) -> list[Instance]:
    """``found`` without repeats of a file (given twice, or by a file and its folder)."""
    seen: set[Path] = set()
    unique: list[Instance] = []
    for item in found:
        key = item.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _named_once(found: Sequence[Instance]) -> list[Instance]:
    """Files that share a row name (``ward.json``, ``ward.xlsx``) keep their extension in
    it; two that still share one raise ``InputError`` (their solutions would clash)."""
    counts = Counter(item.name for item in found)
    first: dict[str, Instance] = {}
    named: list[Instance] = []
    for item in found:
        name = item.name + extension(item.path) if counts[item.name] > 1 else item.name
        if name in first:
            raise InputError(
                f"two instances would both be named '{item.name}' ({first[name].path} and "
                f"{item.path}); rename one or bench them in separate runs",
                file=str(item.path),
            )
        first[name] = item
        named.append(Instance(name, item.path, item.best_known))
    return named


def _selects(item: Instance, patterns: Sequence[str]) -> bool:
    name, suffix = Path(item.name).as_posix(), extension(item.path)
    bare = name.removesuffix(suffix)
    names = (without_extension(item.path).name, item.path.name, name, bare, bare + suffix)
    return any(fnmatch.fnmatch(text, pat) for pat in patterns for text in names)
