"""A ZIP bundle (one ``<sheet>.csv`` per sheet): its entries made the members of a CSV
bundle (``csv_bundle``), after the checks only a ZIP needs: a workbook renamed ``.zip``,
folder entries and macOS extras, symbolic links."""

from __future__ import annotations

import stat
import zipfile

from optimizer.errors import InputError
from optimizer.io.tables.archive import open_zip
from optimizer.io.tables.csv_bundle import csv_sheets
from optimizer.io.tables.members import Member, is_skipped, zip_member
from optimizer.io.tables.sheet_rows import Sheet


def zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """(title, where, rows) of every ``.csv``, ``.txt`` or ``.tsv`` file in a ZIP, read
    as ``csv_bundle.csv_sheets`` reads them; each is named ``<name>/<its path>``."""
    with open_zip(name, data, "zip") as archive:
        return csv_sheets(_members(name, archive), "ZIP")


def _is_link(info: zipfile.ZipInfo) -> bool:
    """Whether a ZIP member is a symbolic link (made on Unix: the mode is in its attributes)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _members(name: str, archive: zipfile.ZipFile) -> list[Member]:
    """The files of a ZIP bundle; a workbook renamed ``.zip`` or a link is refused."""
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        raise InputError(
            "this is an Excel workbook, not a ZIP of CSV files: rename it to .xlsx", file=name
        )
    members: list[Member] = []
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or info.filename.startswith("__MACOSX") or is_skipped(base):
            continue
        where = f"{name}/{info.filename}"
        if _is_link(info):
            raise InputError(
                "is a symbolic link, not a file; put the file itself in the ZIP", file=where
            )
        members.append(zip_member(archive, info, where))
    return members
