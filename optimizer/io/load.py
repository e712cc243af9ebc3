"""Read any supported input file into a validated problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from optimizer.errors import InputError

FORMATS = ("auto", "json", "curtois", "psplib")


def detect_format(path: Path) -> str:
    """The input format from the file name: ``.json``, Curtois ``.txt``, PSPLIB ``.sm``."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".txt":
        return "curtois"
    if suffix == ".sm":
        return "psplib"
    raise InputError(
        f"cannot tell the format from the extension '{suffix or '(none)'}'; "
        "use .json, .txt (Curtois–Qu) or .sm (PSPLIB), or pass --format",
        file=str(path),
    )


def load_problem(path: str | Path, fmt: str = "auto") -> Any:
    """A ``RosterProblem`` or ``CaseProblem`` from a project JSON or benchmark file."""
    path = Path(path)
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise InputError("is a folder; give a problem file", file=str(path))
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "json":
        from optimizer.io.project import load_project

        return load_project(path)
    if fmt == "curtois":
        from optimizer.io.curtois import read_curtois

        return read_curtois(path)
    from optimizer.io.psplib import read_psplib

    return read_psplib(path)
