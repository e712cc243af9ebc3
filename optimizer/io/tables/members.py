"""The files of a CSV bundle, wherever they are kept (a ZIP, a folder, an upload), and
the parts of an XLSX workbook: each with its name, its place for messages, its size and
a way to read it within a ``ReadBudget``."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import IO

from optimizer.errors import InputError
from optimizer.io.tables.archive import TEXT_SUFFIXES, error_reason
from optimizer.io.tables.read_budget import ReadBudget
from optimizer.io.tables.sheets import BUNDLE_SHEETS


@dataclass(frozen=True)
class Member:
    """One file of a bundle.

    ``name`` is its path inside the bundle (``staff.csv``, ``ward/staff.csv`` in a ZIP),
    ``where`` names it in messages (``ward.zip/staff.csv``), ``size`` is the bytes it
    declares and ``packed`` what they take packed in a ZIP (None elsewhere). ``open``
    gives its bytes as a stream; ``unreadable`` says what failed when that breaks.
    """

    name: str
    where: str
    size: int
    open: Callable[[], IO[bytes]]
    packed: int | None = None
    unreadable: str = "cannot be read"

    @property
    def base(self) -> str:
        """The file name without its folders."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def stem(self) -> str:
        """The file name without folders or extension (``staff`` of ``staff.csv``)."""
        return _stem(self.base)

    @property
    def suffix(self) -> str:
        """The extension, lower case and without the dot (``""`` if there is none)."""
        _, dot, suffix = self.base.rpartition(".")
        return suffix.lower() if dot else ""

    @property
    def sheet(self) -> str:
        """The sheet the file would be (its stem, trimmed, in lower case)."""
        return sheet_of(self.base)

    @property
    def is_text(self) -> bool:
        """Whether the file is read as a sheet (``.csv``, ``.txt``, ``.tsv``)."""
        return self.base.lower().endswith(TEXT_SUFFIXES)


def zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Member:
    """An entry of a ZIP archive (a ZIP bundle, or a part of an XLSX workbook)."""
    return Member(
        info.filename,
        where,
        info.file_size,
        partial(archive.open, info),
        packed=info.compress_size,
        unreadable="cannot be unpacked",
    )


def bytes_member(name: str, data: bytes) -> Member:
    """A file given as bytes (an upload), named by its own name in messages."""
    return Member(name, name, len(data), lambda: io.BytesIO(data))


def is_skipped(base: str) -> bool:
    """Whether a file is left out of a bundle unread: hidden (``.DS_Store``), or the
    owner file Excel keeps beside a file it has open (``~$staff.csv``)."""
    return base.startswith((".", "~$"))


def sheet_of(base: str) -> str:
    """The sheet a file named ``base`` would be: its name without the extension, trimmed,
    in lower case (``staff`` of ``Staff .csv``)."""
    return _stem(base).strip().lower()


def _stem(base: str) -> str:
    stem, dot, _ = base.rpartition(".")
    return stem if dot else base


def is_sheet_file(base: str) -> bool:
    """Whether a file named ``base`` is read as a bundle sheet: a ``.csv``, ``.txt`` or
    ``.tsv`` file named after one (``staff.csv``) that is not skipped (``is_skipped``)."""
    return (
        not is_skipped(base)
        and base.lower().endswith(TEXT_SUFFIXES)
        and sheet_of(base) in BUNDLE_SHEETS
    )


def read_member(member: Member, budget: ReadBudget) -> bytes:
    """A member's bytes, counted against ``budget`` while they are read."""
    chunks: list[bytes] = []
    with _reading(member) as stream:
        while chunk := stream.read(1 << 20):
            budget.take_bytes(len(chunk), member.where)
            chunks.append(chunk)
    return b"".join(chunks)


def read_head(member: Member, budget: ReadBudget, size: int = 4096) -> bytes:
    """A member's first ``size`` bytes (fewer if it is shorter), counted against ``budget``."""
    with _reading(member) as stream:
        head = stream.read(size)
    budget.take_bytes(len(head), member.where)
    return head


BLANK_BYTES = b' \t\r\n,;"' + codecs.BOM_UTF8
"""Bytes of a CSV file with no value: separators, quotes, blank lines, a byte-order mark."""


def is_blank(member: Member, budget: ReadBudget) -> bool:
    """Whether a member holds no value (``BLANK_BYTES`` only); read up to its first value."""
    with _reading(member) as stream:
        while chunk := stream.read(1 << 16):
            budget.take_bytes(len(chunk), member.where)
            if chunk.translate(None, BLANK_BYTES):
                return False
    return True


@contextmanager
def _reading(member: Member) -> Iterator[IO[bytes]]:
    """``member.open()``, its failures (a damaged ZIP member, a file that went away) made
    one ``InputError`` naming the member."""
    try:
        with member.open() as stream:
            yield stream
    except InputError:
        raise
    except Exception as exc:  # zipfile raises several types on a damaged member
        raise InputError(f"{member.unreadable} ({error_reason(exc)})", file=member.where) from None
