"""``carealloc demo``: roster the demo ward, schedule the demo surgical week, explain both."""

from __future__ import annotations

from typing import Annotated

import typer

from optimizer.cli.console import out
from optimizer.cli.errors import INTERRUPTED, clean_errors
from optimizer.cli.no_solution import print_no_solution
from optimizer.cli.run import run_solve, solve_exit_code
from optimizer.cli.summaries import print_cases_summary, print_roster_summary
from optimizer.solvers import interrupts


@clean_errors
def demo_command(
    time_limit: Annotated[float, typer.Option(help="seconds per solve")] = 30.0,
    workers: Annotated[int | None, typer.Option()] = None,
    seed: Annotated[int | None, typer.Option()] = None,
    quiet: Annotated[bool, typer.Option(help="no live progress")] = False,
) -> None:
    """Roster the demo ward (and schedule the demo surgical week) and explain the result."""
    from optimizer.demo.surgery import generate_surgical_week
    from optimizer.demo.ward import generate_ward

    ward = generate_ward()
    with interrupts.stoppable():  # Ctrl-C stops the search, keeps its best
        out.print(f"Rostering {ward.name} ({len(ward.staff)} staff, {ward.num_days} days)…")
        result = run_solve(
            ward, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
        )
        if result.status.has_solution:
            print_roster_summary(ward, result, top=10)
        else:
            print_no_solution(ward, result, time_limit, workers, seed)
        code = solve_exit_code(result)
        out.print(result.summary_line())
        if code == INTERRUPTED:
            raise typer.Exit(code)  # the surgical week is not started

        surgery = generate_surgical_week()
        out.print(f"Scheduling {surgery.name}…")
        cases = run_solve(
            surgery, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
        )
        if cases.status.has_solution:
            print_cases_summary(surgery, cases)
        else:
            print_no_solution(surgery, cases, time_limit, workers, seed)
        code = max(code, solve_exit_code(cases))
        out.print(cases.summary_line())
    raise typer.Exit(code)
