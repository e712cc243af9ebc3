"""Project JSON: a roster or case problem as one validated JSON document.

The document's ``kind`` field says which family it holds (``"roster"`` or
``"cases"``). Results are stored as ``Result`` JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem

PROBLEM_KINDS = ("roster", "cases")


def _problem_class(kind: str) -> type[BaseModel]:
    if kind == "roster":
        return RosterProblem
    from optimizer.model.cases import CaseProblem

    return CaseProblem


def read_json(path: Path) -> Any:
    """Parse a JSON file; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", file=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno) from None


def problem_from_data(data: Any, source: str = "<data>") -> Any:
    """Validate a parsed project document into a ``RosterProblem`` or ``CaseProblem``."""
    if not isinstance(data, dict):
        raise InputError("a project must be a JSON object", file=source)
    kind = data.get("kind", "roster")
    if kind not in PROBLEM_KINDS:
        raise InputError(
            f"unknown problem kind '{kind}'; expected one of {', '.join(PROBLEM_KINDS)}",
            file=source,
            field="kind",
        )
    try:
        return _problem_class(kind).model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, file=source) from None


def load_project(path: str | Path) -> Any:
    """Read and validate a project JSON file (roster or case problem)."""
    path = Path(path)
    return problem_from_data(read_json(path), str(path))


def problem_to_json(problem: BaseModel) -> str:
    """Compact, human-diffable JSON for a problem (defaults left out, ``kind`` kept)."""
    data = problem.model_dump(mode="json", exclude_defaults=True)
    data = {"kind": getattr(problem, "kind", "roster"), **data}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def save_project(problem: BaseModel, path: str | Path) -> None:
    """Write a problem as project JSON."""
    Path(path).write_text(problem_to_json(problem), encoding="utf-8")


def load_result(path: str | Path) -> Result:
    """Read a ``Result`` JSON file written by ``carealloc solve --out X.json``."""
    path = Path(path)
    data = read_json(path)
    if isinstance(data, dict) and "kind" in data and "status" not in data:
        what = "case-scheduling" if data["kind"] == "cases" else str(data["kind"])
        raise InputError(
            f"this is a {what} problem, not a result: give the .csv or .json "
            "that 'carealloc solve --out' wrote",
            file=str(path),
        )
    try:
        return Result.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, file=str(path)) from None


def save_result(result: Result, path: str | Path) -> None:
    """Write a ``Result`` as JSON."""
    Path(path).write_text(result.model_dump_json(indent=1) + "\n", encoding="utf-8")
