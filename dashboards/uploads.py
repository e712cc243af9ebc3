"""What the Data page's uploader was given: which files are new since it was last looked
at, and whether they make one upload (a project or bundle file, or a bundle's CSV files)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from optimizer.io.tables.archive import TEXT_SUFFIXES

UPLOAD_TYPES = ["json", "xlsx", "xlsm", "zip", *(suffix[1:] for suffix in TEXT_SUFFIXES)]
"""The extensions the uploader takes: a project, a bundle file, or a bundle's CSV files."""


class Uploaded(Protocol):
    """A file in the uploader (Streamlit's ``UploadedFile``)."""

    @property
    def name(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def file_id(self) -> str: ...


F = TypeVar("F", bound=Uploaded)


def new_files(last: str, files: Sequence[F]) -> tuple[str, list[F]]:
    """The identities of ``files`` (``name:size:file id``, one a line) to keep for the
    next look, and those of ``files`` that were not in the uploader at the last look
    (``last``). The uploader keeps the files chosen earlier; each is applied once, so a
    file left there is not applied again after the demo is loaded or an undo."""
    tokens = [f"{file.name}:{file.size}:{file.file_id}" for file in files]
    seen = set(last.splitlines())
    fresh = [file for file, token in zip(files, tokens, strict=True) if token not in seen]
    return ("\n".join(tokens) if tokens else last), fresh


def is_csv(name: str) -> bool:
    """Whether an uploaded file is one sheet of a bundle (``.csv``, ``.txt``, ``.tsv``)."""
    return name.lower().endswith(TEXT_SUFFIXES)


def upload_name(names: Sequence[str]) -> str:
    """How an upload is named in messages and its undo step: the file's name, or
    ``7 CSV files``."""
    return names[0] if len(names) == 1 else f"{len(names)} CSV files"


def mixed_upload(names: Sequence[str]) -> str | None:
    """The message for several files chosen together that are not all CSV files, else None."""
    if len(names) < 2 or all(is_csv(name) for name in names):
        return None
    return (
        f"Could not load {', '.join(names)}: several files are read together only when all "
        "are CSV files (.csv, .txt, .tsv), one per sheet of a bundle; upload a project "
        "(.json), a workbook (.xlsx, .xlsm) or a .zip on its own. Nothing was changed."
    )
