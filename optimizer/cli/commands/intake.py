"""``carealloc intake``: free text to a change proposal (``llm_intake`` does the work)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.errors import clean_errors
from optimizer.errors import CareallocError, InputError

INTAKE_EXTRA = ("rapidfuzz", "dateparser")
"""Modules of the optional ``intake`` extra, imported when the intake first runs."""


@clean_errors
def intake_command(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="the free-text request(s)")],
    problem: Annotated[
        list[Path] | None,
        typer.Option("--problem", help="project JSON or table bundle (repeatable)"),
    ] = None,
    today: Annotated[str, typer.Option(help="reference date YYYY-MM-DD")] = "",
    parser: Annotated[str, typer.Option(help="rules | llm")] = "rules",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="apply to a new problem file")] = False,
    out_path: Annotated[Path | None, typer.Option("--out", help="new problem JSON")] = None,
    previous: Annotated[
        Path | None, typer.Option(help="last Result JSON: baseline for minimal disruption")
    ] = None,
    llm_base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server (or CAREALLOC_LLM_BASE_URL)")
    ] = None,
    llm_model: Annotated[str | None, typer.Option(help="model name sent to the server")] = None,
    llm_dialect: Annotated[
        str | None, typer.Option(help="json_schema | json_object | prompt")
    ] = None,
    llm_timeout: Annotated[
        float | None,
        typer.Option(help="seconds for the whole LLM answer (the one re-ask included)"),
    ] = None,
    pseudonymise: Annotated[
        bool, typer.Option(help="replace staff names before text goes to the LLM")
    ] = False,
) -> None:
    """Free text → a change proposal (nothing changes without --apply)."""
    from llm_intake.command import run_intake
    from optimizer.io.solution import check_not_input

    if not today:
        raise InputError("--today YYYY-MM-DD is required", field="--today")
    if out_path is not None:  # the input files stay untouched (docs/intake.md)
        check_not_input(out_path, [*(problem or []), *([previous] if previous else [])], "--out")
    try:
        code = run_intake(
            text,
            problem or [],
            today,
            parser=parser,
            as_json=as_json,
            apply=apply,
            out=out_path,
            previous=previous,
            llm_base_url=llm_base_url,
            llm_model=llm_model,
            llm_dialect=llm_dialect,
            llm_timeout=llm_timeout,
            pseudonymise=pseudonymise,
        )
    except ModuleNotFoundError as exc:
        if exc.name not in INTAKE_EXTRA:
            raise
        raise CareallocError(
            f"the intake needs: pip install 'carealloc[intake]' ({exc.name} is missing)"
        ) from None
    raise typer.Exit(code)
