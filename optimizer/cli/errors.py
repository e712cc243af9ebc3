"""How the CLI reports errors and interrupts: messages on stderr, exit codes 2 and 130."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.text import Text

from optimizer.cli.console import err
from optimizer.cli.params import RUN_OPTIONS
from optimizer.errors import CareallocError, InputError

P = ParamSpec("P")
R = TypeVar("R")

MAX_LISTED_ERRORS = 20
"""At most this many problems of a table bundle are listed, then how many more there are."""

INTERRUPTED = 130
"""Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells use): outside a solve at
once, during one after the best solution found is reported and written."""


def cli_message(exc: CareallocError) -> str:
    """The error as the CLI shows it: a run option is named as its ``--option``."""
    if (
        isinstance(exc, InputError)
        and exc.field in RUN_OPTIONS
        and (exc.file is None or exc.field == "fmt")
    ):
        option = RUN_OPTIONS[exc.field]
        return str(InputError(exc.message, file=exc.file, line=exc.line, field=option))
    return str(exc)


def error_lines(exc: CareallocError) -> tuple[list[str], int]:
    """The error as the CLI lists it, and how many problems are left out: each problem
    of a table bundle (the first ``MAX_LISTED_ERRORS``, each with its place), else the
    one message."""
    from optimizer.io.tables.cells import TableErrors

    if not isinstance(exc, TableErrors) or len(exc.errors) < 2:
        return [cli_message(exc)], 0
    shown = exc.errors[:MAX_LISTED_ERRORS]
    return [str(error.as_input_error()) for error in shown], len(exc.errors) - len(shown)


def print_error(exc: CareallocError) -> None:
    """``error: …`` on stderr, one line per problem, then how many were not listed."""
    lines, hidden = error_lines(exc)
    for line in lines:
        err.print(Text.assemble(("error:", "bold red"), f" {line}"))
    if hidden:
        err.print(f"(and {hidden} more problem(s))")


def clean_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn our own errors into messages on stderr and exit code 2, and an interrupt
    (Ctrl-C, SIGTERM) outside a solve into "interrupted" and exit code 130."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(INTERRUPTED) from None
        except CareallocError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        except OSError as exc:  # a file we were told to read or write
            where = f"{exc.filename}: " if exc.filename else ""
            err.print(Text.assemble(("error:", "bold red"), f" {where}{exc.strerror or exc}"))
            raise typer.Exit(2) from None

    return wrapper
