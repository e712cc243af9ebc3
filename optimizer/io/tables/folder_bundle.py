"""A folder of CSV files (one ``<sheet>.csv`` per sheet) read as a bundle: its files
made the members of a CSV bundle (``csv_bundle``), as a ZIP's are.

Only the folder's own files count: subfolders and hidden files are skipped. A symbolic
link is read as the file it points to (a folder on one's own disk, unlike an uploaded
ZIP, may link to a shared file); a link to nothing, or anything else that is no file
(a pipe, a device), is refused by name. ``holds_bundle`` tells such a folder from one
that only holds other folders or files (``carealloc bench`` searches those).
"""

from __future__ import annotations

import stat
from functools import partial
from pathlib import Path
from typing import IO

from optimizer.errors import InputError
from optimizer.io.tables.csv_bundle import check_some_sheet, csv_sheets
from optimizer.io.tables.members import Member, is_sheet_file, is_skipped
from optimizer.io.tables.sheet_rows import Sheet

READ_AS = "a folder is read as a bundle of CSV files, one per sheet"


def folder_sheets(folder: Path) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in ``folder``,
    read as ``csv_bundle.csv_sheets`` reads them; each is named ``<folder>/<file>``.

    A folder with no file named after a bundle sheet is refused in one message.
    """
    name = str(folder)
    members = _members(folder, name)
    check_some_sheet(name, members, READ_AS)
    return csv_sheets(members, "folder")


def holds_bundle(folder: Path) -> bool:
    """Whether one of ``folder``'s own files is a bundle sheet (``is_sheet_file``:
    ``staff.csv``, ``tasks.tsv``, …), so that the folder is one table bundle; an
    unreadable folder holds none."""
    try:
        return any(is_sheet_file(entry.name) and not entry.is_dir() for entry in folder.iterdir())
    except OSError:
        return False


def _members(folder: Path, name: str) -> list[Member]:
    """The folder's files, by name; subfolders and hidden files are left out."""
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        raise InputError(f"cannot read the folder ({exc.strerror or exc})", file=name) from None
    members: list[Member] = []
    for entry in entries:
        if is_skipped(entry.name):
            continue
        where = f"{name}/{entry.name}"
        try:
            status = entry.stat()  # a link's target
        except OSError as exc:
            reason = "a symbolic link to nothing" if entry.is_symlink() else exc.strerror
            raise InputError(f"cannot read the file ({reason})", file=where) from None
        if stat.S_ISDIR(status.st_mode):
            continue
        if not stat.S_ISREG(status.st_mode):
            raise InputError("is not a file (a pipe or a device?); remove it", file=where)
        members.append(Member(entry.name, where, status.st_size, partial(_open, entry)))
    return members


def _open(path: Path) -> IO[bytes]:
    return path.open("rb")
