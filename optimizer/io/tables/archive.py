"""The ZIP archive under a bundle (an XLSX workbook is one too): opened, and told apart
from the files uploaded by mistake (its entries are read as ``members.zip_member``)."""

from __future__ import annotations

import codecs
import io
import zipfile

from optimizer.errors import InputError

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
"""Files of a CSV bundle read as sheets (Excel's "Text (Tab delimited)" export is ``.txt``)."""

_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
"""The start of an OLE compound file: an old ``.xls``, or any password-protected workbook."""

_CONTROL_BYTES = frozenset(range(9)) | frozenset(range(14, 32))


def error_reason(exc: BaseException) -> str:
    """An exception's text for a message (a ``MemoryError`` has none)."""
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _is_text(data: bytes) -> bool:
    """Whether a file starts like UTF-8 (or BOM-marked UTF-16) text: a CSV, say."""
    sample = data[:4096]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if not sample or any(byte in _CONTROL_BYTES for byte in sample):
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and len(data) > len(sample)  # a character cut
    return True


def _not_a_zip(name: str, data: bytes, what: str) -> InputError:
    """The error for a bundle that is no ZIP archive, saying what it is when it can
    (``what``: ``"xlsx"`` or ``"zip"``, the name's extension)."""
    lead = "not a readable XLSX workbook" if what == "xlsx" else "not a valid ZIP file"
    if data.startswith(_OLE_SIGNATURE):
        reason = (
            "it is password-protected or an old .xls workbook; save it as .xlsx without a password"
        )
    elif data.startswith(b"%PDF"):
        reason = "this is a PDF file"
    elif _is_text(data):
        reason = "this is a text/CSV file, " + (
            "not a workbook; open it in Excel and save it as .xlsx"
            if what == "xlsx"
            else "not a ZIP; put one CSV file per sheet in a ZIP (or upload a workbook)"
        )
    else:
        return InputError(lead + (" (File is not a zip file)" if what == "xlsx" else ""), file=name)
    return InputError(f"{lead}: {reason}", file=name)


def open_zip(name: str, data: bytes, what: str) -> zipfile.ZipFile:
    """The ZIP archive ``data`` (``what``: ``"xlsx"`` or ``"zip"``, for the messages)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_zip(name, data, what) from None
