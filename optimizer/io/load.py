"""Read any supported input file into a validated problem."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

from optimizer.errors import InputError
from optimizer.model import Problem
from optimizer.model.cases import CaseProblem
from optimizer.model.roster import RosterProblem

FORMATS = ("auto", "json", "bundle", "curtois", "psplib")
BUNDLE_SUFFIXES = (".xlsx", ".xlsm", ".zip")
"""A workbook, or a ZIP of ``<sheet>.csv`` files, in the dashboard's table layout (a
folder of such files is a bundle too)."""
BUNDLE_KINDS = "an .xlsx or .xlsm workbook, a .zip of CSV files (one per sheet) or a folder of them"
"""What a table bundle may be, in words (``BUNDLE_SUFFIXES``, or a folder)."""
CSV_UTF8_HINT = 'save it as UTF-8 (in Excel: "CSV UTF-8")'


def decode_utf8(data: bytes, source: str, hint: str = "save it as UTF-8") -> str:
    """``data`` as text: UTF-8 with an optional BOM, newlines made ``\\n``.

    Other encodings (Latin-1, Windows-1252) raise one ``InputError`` naming the
    source and the line of the first byte that is not UTF-8.
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    wide = wide_encoding(data)
    if wide:
        raise InputError(f"the file is {wide} text, not UTF-8; {hint}", file=source, line=1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"the file must be UTF-8 text (byte 0x{data[exc.start]:02x} is not UTF-8); {hint}",
            file=source,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``data`` starts with that encoding's byte-order
    mark, or (without one) has NUL bytes where that encoding puts them in plain text:
    every second (UTF-16) or three of every four (UTF-32) bytes. Else None."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    sample = data[:4096]
    if b"\0" not in sample:
        return None
    zeros = [sample[offset::4].count(0) / len(sample[offset::4] or b"-") for offset in range(4)]
    if sum(share > 0.9 for share in zeros) == 3:
        return "UTF-32"
    halves = [(zeros[0] + zeros[2]) / 2, (zeros[1] + zeros[3]) / 2]
    return "UTF-16" if max(halves) > 0.5 and min(halves) < 0.1 else None


def read_bytes(path: Path) -> bytes:
    """A file's bytes; an unreadable file raises ``InputError``."""
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = {FileNotFoundError: "file not found", IsADirectoryError: "it is a folder"}.get(
            type(exc), exc.strerror or str(exc)
        )
        raise InputError(f"cannot read the file ({reason})", file=str(path)) from None


def read_text(path: Path, hint: str = "save it as UTF-8") -> str:
    """A UTF-8 text file's contents (see ``decode_utf8``); unreadable files raise ``InputError``."""
    return decode_utf8(read_bytes(path), str(path), hint)


def detect_format(path: Path) -> str:
    """The input format from the file name: ``.json``, a table bundle (``.xlsx``,
    ``.xlsm``, ``.zip`` or a folder), Curtois ``.txt``, PSPLIB ``.sm``."""
    if path.is_dir():
        return "bundle"
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in BUNDLE_SUFFIXES:
        return "bundle"
    if suffix == ".txt":
        return "curtois"
    if suffix == ".sm":
        return "psplib"
    one_sheet = (
        " (a bundle's CSV files are read together: give their folder)"
        if suffix in (".csv", ".tsv")
        else ""
    )
    raise InputError(
        f"cannot tell the format from the extension '{suffix or '(none)'}'{one_sheet}; "
        "use .json, .xlsm, .xlsx or .zip (tables) or a folder of CSV files, .txt (Curtois–Qu) "
        "or .sm (PSPLIB), or name the format (fmt= in Python, --format on the command line)",
        file=str(path),
    )


def as_path(path: object) -> Path:
    """``path`` (a ``str`` or ``os.PathLike``) as a ``Path``; anything else raises
    ``InputError`` naming field ``path``."""
    if isinstance(path, str | os.PathLike):
        try:
            return Path(path)
        except TypeError:  # an os.PathLike of bytes
            pass
    raise InputError(
        f"needs a file path (str or pathlib.Path), got {_type_name(path)}", field="path"
    )


def _type_name(value: object) -> str:
    """``value``'s type name for a message ('None' for None)."""
    return "None" if value is None else type(value).__name__


def load_problem(path: str | Path, fmt: str = "auto") -> Problem:
    """A ``RosterProblem`` or ``CaseProblem`` from a project JSON, a table bundle (the
    dashboard's XLSX or CSV-ZIP layout, or a folder of its CSV files) or a benchmark file.

    ``fmt``: one of ``FORMATS`` (``"auto"`` reads the file extension; a folder is a
    bundle). Bad input raises ``InputError`` naming the file, line or argument
    (``path``, ``fmt``).
    """
    path = as_path(path)
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}", field="fmt")
    if path.is_dir():
        return _load_folder(path, fmt)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "json":
        from optimizer.io.project import problem_from_data, read_json

        data = read_json(path)
        check_project_keys(data, str(path))
        return problem_from_data(data, str(path))
    if fmt == "bundle":
        from optimizer.io.tables.bundle import read_bundle

        if path.suffix.lower() not in BUNDLE_SUFFIXES:
            raise InputError(f"a bundle must be {BUNDLE_KINDS}", file=str(path), field="fmt")

        return read_bundle(str(path), read_bytes(path))
    if fmt == "curtois":
        from optimizer.io.curtois import read_curtois

        return read_curtois(path)
    from optimizer.io.psplib import read_psplib

    return read_psplib(path)


def _load_folder(folder: Path, fmt: str) -> Problem:
    """A folder read as a table bundle, one CSV file per sheet (the only format a folder
    can hold)."""
    if fmt not in ("auto", "bundle"):
        raise InputError(
            f"is a folder: a folder is read only as a table bundle (one CSV file per sheet), "
            f"not as {fmt}; give the {fmt} file itself, or choose the format bundle (or auto)",
            file=str(folder),
            field="fmt",
        )
    from optimizer.io.tables.bundle import read_folder

    return read_folder(folder)


def load_roster(path: str | Path, fmt: str = "auto") -> RosterProblem:
    """``load_problem`` for a file that must hold a roster problem."""
    problem = load_problem(path, fmt)
    if not isinstance(problem, RosterProblem):
        raise InputError("holds a case problem, not a roster", file=str(path))
    return problem


def load_cases(path: str | Path, fmt: str = "auto") -> CaseProblem:
    """``load_problem`` for a file that must hold a case problem."""
    problem = load_problem(path, fmt)
    if not isinstance(problem, CaseProblem):
        raise InputError("holds a roster problem, not a case problem", file=str(path))
    return problem


def _fields(kind: str) -> tuple[list[str], set[str]]:
    """A problem kind's required fields (``start_date``, ``tasks``, …) and all its fields."""
    fields = (RosterProblem if kind == "roster" else CaseProblem).model_fields
    return [name for name, info in fields.items() if info.is_required()], set(fields)


def check_project_keys(data: Any, source: str) -> None:
    """Raise ``InputError`` naming ``source`` when a JSON object without ``kind`` is not
    a carealloc project (none of a roster's or case problem's required keys, e.g. an
    instance of another format) or is a case problem missing ``"kind": "cases"``."""
    if not isinstance(data, dict) or "kind" in data or "status" in data:
        return  # validated (or refused as a result) by problem_from_data
    (roster, _), (cases, case_fields) = _fields("roster"), _fields("cases")
    roster_only = [key for key in roster if key not in case_fields]  # not "staff"
    if any(key in data for key in cases) and not any(key in data for key in roster_only):
        raise InputError(
            f'it has {", ".join(k for k in cases if k in data)} but no "kind", so it would be '
            'read as a roster; add "kind": "cases" for a case problem (see docs/cases.md)',
            file=source,
            field="kind",
        )
    if any(key in data for key in roster):
        return
    keys = ", ".join(list(data)[:6]) + (f" and {len(data) - 6} more" if len(data) > 6 else "")
    raise InputError(
        'not a carealloc project: it has no "kind" and none of a roster\'s keys '
        f"({', '.join(roster)}) or a case problem's ({', '.join(cases)}); its keys are "
        f'{keys or "(none)"}. A project JSON looks like {{"kind": "roster", '
        '"start_date": "2026-12-07", "num_days": 28, "shifts": [...], "staff": [...]} '
        "(see docs/formats.md and data/demo_ward.json)",
        file=source,
    )


MAX_INT_DIGITS = 100
"""Longer whole numbers are refused in every input format (no field needs more; Python
would refuse over 4,300 digits with a traceback)."""


def too_many_digits(text: str) -> str | None:
    """The message for a whole number of more than ``MAX_INT_DIGITS`` digits, else None."""
    digits = len(text.strip().lstrip("+-"))
    if digits <= MAX_INT_DIGITS:
        return None
    return f"the number {text.strip()[:20]}… has {digits} digits; it is far too large"


def is_whole_number(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts ``²``, which ``int`` rejects)."""
    return text.isascii() and text.isdigit()
