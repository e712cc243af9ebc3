"""``carealloc schema``: the JSON Schema of a roster or cases project JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from optimizer.cli.console import out
from optimizer.cli.errors import clean_errors
from optimizer.errors import InputError
from optimizer.io.project import SCHEMA_KEY
from optimizer.model.cases import CaseProblem
from optimizer.model.roster import RosterProblem

SCHEMA_KINDS: dict[str, type[RosterProblem] | type[CaseProblem]] = {
    "roster": RosterProblem,
    "cases": CaseProblem,
}
"""``carealloc schema KIND``: the project JSON model of each problem kind."""

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def project_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12, from the pydantic model) of a ``roster`` or
    ``cases`` project JSON; another kind raises ``InputError``."""
    model = SCHEMA_KINDS.get(kind)
    if model is None:
        raise InputError(f"unknown kind '{kind}'; choose roster or cases", field="KIND")
    schema = model.model_json_schema()
    schema["properties"] = {
        SCHEMA_KEY: {"type": "string", "description": "path or URL of this JSON Schema"},
        **schema["properties"],
    }
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


@clean_errors
def schema_command(
    kind: Annotated[str, typer.Argument(metavar="KIND", help="roster | cases")],
    out_path: Annotated[
        Path | None, typer.Option("--out", help="write the schema to this .json file")
    ] = None,
) -> None:
    """Print the JSON Schema of a project JSON (roster or cases).

    Editors and generators validate project files against it."""
    from optimizer.io.solution import check_output_path

    text = json.dumps(project_schema(kind), indent=2, ensure_ascii=False) + "\n"
    if out_path is None:
        sys.stdout.write(text)
        return
    check_output_path(out_path, "--out", (".json",))
    out_path.write_text(text, encoding="utf-8")
    out.print(f"JSON Schema of a {kind} project written to {out_path}")
