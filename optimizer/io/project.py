"""Project JSON: a roster or case problem as one validated JSON document.

The document's ``kind`` field says which family it holds (``"roster"`` or
``"cases"``). Results are stored as ``Result`` JSON.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.io.load import decode_utf8, read_text, too_many_digits
from optimizer.model import Problem
from optimizer.model.cases import CaseProblem
from optimizer.model.common import MAX_TEXT
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem

PROBLEM_KINDS = ("roster", "cases")

SCHEMA_KEY = "$schema"
"""Where an editor finds the file's JSON Schema (``carealloc schema``); not problem data."""


def _problem_class(kind: str) -> type[RosterProblem] | type[CaseProblem]:
    return RosterProblem if kind == "roster" else CaseProblem


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a key given twice is an error, not last-wins; so is a key
    or text longer than ``MAX_TEXT`` (``_check_length``)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        _check_length(key, value)
        if key in data:
            raise InputError(f"the key '{key}' appears twice in one object; give it once")
        data[key] = value
    return data


def _check_length(key: str, value: Any) -> None:
    """Refuse a key, or a text given under it (alone or in a list), of more than
    ``MAX_TEXT`` characters: the longest cell a table bundle takes, so a JSON project
    holds no text a bundle could not."""
    texts = value if isinstance(value, list) else [value]
    longest = max((len(t) for t in [key, *texts] if isinstance(t, str)), default=0)
    if longest > MAX_TEXT:
        raise InputError(
            f"a text of {longest:,} characters; at most {MAX_TEXT:,} are allowed",
            field=key if len(key) <= MAX_TEXT else f"{key[:20]}…",
        )


def _reject_constant(name: str) -> Any:
    """``parse_constant``: ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON numbers."""
    raise InputError(f"'{name}' is not a number JSON allows; give a finite number")


def _parse_int(text: str) -> int:
    message = too_many_digits(text)
    if message:
        raise InputError(message)
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"the number {text[:20]} is too large (it would be infinite)")
    return value


def parse_json(data: str | bytes, source: str = "<data>") -> Any:
    """Parse JSON text or UTF-8 bytes (a BOM is fine) strictly; errors name ``source``.

    Rejects duplicate keys, ``NaN``/``Infinity``, overlong numbers and
    over-deep nesting with one ``InputError`` each.
    """
    text = decode_utf8(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno) from None
    except InputError as exc:
        raise InputError(exc.message, file=source, field=exc.field) from None
    except RecursionError:
        raise InputError("the JSON is nested too deeply to be a project", file=source) from None


def read_json(path: Path) -> Any:
    """Parse a JSON file strictly (see ``parse_json``); errors name the file and line."""
    return parse_json(read_text(path), str(path))


def problem_from_data(data: Any, source: str = "<data>") -> Problem:
    """Validate a parsed project document into a ``RosterProblem`` or ``CaseProblem``."""
    if not isinstance(data, dict):
        raise InputError("a project must be a JSON object", file=source)
    if "status" in data and "kind" not in data:
        raise InputError(
            "this is a result (written by 'carealloc solve --out'), not a problem: "
            "give the project JSON that was solved",
            file=source,
        )
    data = _without_schema_reference(data, source)
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


def _without_schema_reference(data: dict[str, Any], source: str) -> dict[str, Any]:
    """The document without its ``"$schema"`` reference, which must be a string."""
    if SCHEMA_KEY not in data:
        return data
    if not isinstance(data[SCHEMA_KEY], str):
        raise InputError(
            "must be a string: the path or URL of the file's JSON Schema",
            file=source,
            field=SCHEMA_KEY,
        )
    return {key: value for key, value in data.items() if key != SCHEMA_KEY}


def load_project(path: str | Path) -> Problem:
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
