"""The ``carealloc`` command line (contracts in DESIGN.md).

Exit codes: 0 with a solution (``check``: feasible), 1 without one (``check``: rule
broken), 2 bad input (``bench``: after the run, if an instance was; the rest still
run), 130 after Ctrl-C or SIGTERM (a solve stopped by one still reports and writes its
best first). The last stdout line of ``solve`` is the status line.

The public names are ``app`` (the typer application) and ``main`` (the console-script
entry point); each command lives in ``optimizer.cli.commands``, the parts they share
(consoles, errors, summaries, ...) in the other modules of this package.
"""

from __future__ import annotations

import sys

import typer

from optimizer.cli.commands.bench import bench_command
from optimizer.cli.commands.check import check_command
from optimizer.cli.commands.convert import convert_command
from optimizer.cli.commands.dashboard import dashboard_command
from optimizer.cli.commands.demo import demo_command
from optimizer.cli.commands.intake import intake_command
from optimizer.cli.commands.schema import schema_command
from optimizer.cli.commands.solve import solve_command
from optimizer.cli.console import err
from optimizer.cli.errors import INTERRUPTED
from optimizer.solvers import interrupts

__all__ = ["app", "main"]

app = typer.Typer(
    name="carealloc",
    help="Hospital resource allocation: nurse rostering and case scheduling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Registered in the order `carealloc --help` lists them.
app.command("solve")(solve_command)
app.command("check")(check_command)
app.command("convert")(convert_command)
app.command("demo")(demo_command)
app.command("bench")(bench_command)
app.command("schema")(schema_command)
app.command("intake")(intake_command)
app.command("dashboard")(dashboard_command)


def main() -> None:
    """Console-script entry point. SIGTERM (``kill``, ``timeout``, service managers) is
    handled like Ctrl-C: during a solve it stops the search, which keeps its best
    solution (status line, ``--out``, exit 130); elsewhere the command ends with
    "interrupted" and exit 130 (a solver subprocess stopped, its temporary files
    removed)."""
    interrupts.take_sigterm()
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(INTERRUPTED)
