"""The ``carealloc`` command line (contracts in DESIGN.md).

Exit codes: 0 with a solution (``check``: feasible), 1 without one (``check``: rule
broken), 2 bad input. The last stdout line of ``solve`` is the status line.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from optimizer.errors import CareallocError
from optimizer.model.result import ProgressPoint, Result
from optimizer.model.roster import RosterProblem

app = typer.Typer(
    name="carealloc",
    help="Hospital resource allocation: nurse rostering and case scheduling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def clean_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn our own errors into one message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CareallocError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True)
            raise typer.Exit(2) from None

    return wrapper


class _LiveProgress:
    """A one-line live display of incumbent, bound and elapsed time (stderr)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err.is_terminal
        self.start = time.perf_counter()
        self.latest: ProgressPoint | None = None
        self._live = Live(get_renderable=self._render, console=err, refresh_per_second=4)

    def _render(self) -> Text:
        elapsed = time.perf_counter() - self.start
        if self.latest is None:
            return Text(f"searching… {elapsed:5.1f} s", style="dim")
        gap = ""
        if self.latest.bound is not None:
            rel = max(0, self.latest.objective - self.latest.bound) / max(1, self.latest.objective)
            gap = f"  gap {100 * rel:.1f} %"
        return Text(
            f"incumbent {self.latest.objective}  bound {self.latest.bound}{gap}  {elapsed:5.1f} s"
        )

    def __call__(self, point: ProgressPoint) -> None:
        self.latest = point

    def __enter__(self) -> _LiveProgress:
        if self.enabled:
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._live.__exit__(None, None, None)


def _family(problem: Any) -> str:
    return "roster" if isinstance(problem, RosterProblem) else "cases"


def _print_roster_summary(problem: RosterProblem, result: Result, top: int) -> None:
    from optimizer.explain.roster import RULE_LABELS, penalty_breakdown, roster_kpis

    assert result.roster is not None
    kpis = roster_kpis(problem, result.roster)
    table = Table(title=f"{problem.name}: {problem.num_days} days, {len(problem.staff)} staff")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("coverage met", f"{kpis.coverage_met_pct:.1f} %")
    table.add_row("requests granted", f"{kpis.requests_granted_pct:.1f} %")
    table.add_row("shifts worked", str(kpis.shifts_worked))
    table.add_row("nights per person (min–max)", f"{kpis.nights.minimum}–{kpis.nights.maximum}")
    table.add_row(
        "weekends per person (min–max)", f"{kpis.weekends.minimum}–{kpis.weekends.maximum}"
    )
    for rule, cost in sorted(kpis.cost_by_rule.items(), key=lambda item: -item[1]):
        table.add_row(RULE_LABELS.get(rule, rule), str(cost))
    out.print(table)
    penalties = penalty_breakdown(problem, result.roster)
    if penalties:
        out.print(f"Top penalties ({min(top, len(penalties))} of {len(penalties)}):")
        for penalty in penalties[:top]:
            out.print(f"  • {penalty.message}")


def _print_cases_summary(problem: Any, result: Result) -> None:
    from optimizer.explain.cases import room_summary

    rows = room_summary(problem, result)
    if not rows:
        return
    table = Table(title="Rooms")
    columns = list(rows[0].keys())
    for column in columns:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    out.print(table)


def _explain_infeasible(problem: Any) -> None:
    if not isinstance(problem, RosterProblem):
        return
    from optimizer.explain.diagnosis import diagnose_roster

    diagnosis = diagnose_roster(problem)
    for line in diagnosis.messages():
        out.print(f"  • {line}")


def _run_solve(
    problem: Any,
    *,
    backend: str,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    quiet: bool,
) -> Result:
    from optimizer.solve import solve

    with _LiveProgress(enabled=not quiet) as progress:
        return solve(
            problem,
            backend=backend,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            on_solution=progress,
        )


@app.command("solve")
@clean_errors
def solve_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="project JSON, .txt, .sm")],
    fmt: Annotated[str, typer.Option("--format", help="auto | json | curtois | psplib")] = "auto",
    backend: Annotated[str, typer.Option(help="cpsat | milp")] = "cpsat",
    time_limit: Annotated[float | None, typer.Option(help="seconds")] = None,
    workers: Annotated[int | None, typer.Option(help="search workers (default: all cores)")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed")] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="write .csv (contract) or .json (Result)")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no live progress, no summary")] = False,
) -> None:
    """Solve a roster or case-scheduling problem."""
    from optimizer.io.load import load_problem
    from optimizer.io.solution import write_solution

    problem = load_problem(input_file, fmt)
    result = _run_solve(
        problem, backend=backend, time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
    )
    if result.status.has_solution:
        if out_path is not None:
            write_solution(result, out_path)
        if not quiet and isinstance(problem, RosterProblem):
            _print_roster_summary(problem, result, top=10)
    elif result.status.value == "INFEASIBLE":
        out.print("The hard rules cannot all hold:")
        _explain_infeasible(problem)
    else:
        out.print(f"No solution found within the time limit. {result.message}".strip())
    out.print(result.summary_line())
    raise typer.Exit(0 if result.status.has_solution else 1)


@app.command("check")
@clean_errors
def check_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT")],
    solution_file: Annotated[Path, typer.Argument(metavar="SOLUTION", help=".csv or .json")],
    fmt: Annotated[str, typer.Option("--format")] = "auto",
) -> None:
    """Re-verify a solution: every broken hard rule and the recomputed objective."""
    from optimizer.check import check
    from optimizer.io.load import load_problem
    from optimizer.io.solution import read_solution

    problem = load_problem(input_file, fmt)
    solution = read_solution(solution_file, _family(problem))
    report = check(problem, solution)
    for violation in report.violations:
        out.print(f"VIOLATION {violation.rule}: {violation.message}")
    out.print(
        f"feasible={'yes' if report.feasible else 'no'} violations={len(report.violations)} "
        f"objective={report.objective}"
    )
    raise typer.Exit(0 if report.feasible else 1)


@app.command("demo")
@clean_errors
def demo_command(
    time_limit: Annotated[float, typer.Option(help="seconds per solve")] = 30.0,
    workers: Annotated[int | None, typer.Option()] = None,
    seed: Annotated[int | None, typer.Option()] = None,
    quiet: Annotated[bool, typer.Option(help="no live progress")] = False,
) -> None:
    """Roster the demo ward (and schedule the demo surgical week) and explain the result."""
    from optimizer.demo.ward import generate_ward

    ward = generate_ward()
    out.print(f"Rostering {ward.name} ({len(ward.staff)} staff, {ward.num_days} days)…")
    result = _run_solve(
        ward, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
    )
    if result.status.has_solution:
        _print_roster_summary(ward, result, top=10)
    out.print(result.summary_line())
    code = 0 if result.status.has_solution else 1

    surgery = _demo_surgery()
    if surgery is not None:
        out.print("Scheduling the demo surgical week…")
        cases = _run_solve(
            surgery, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
        )
        if cases.status.has_solution:
            _print_cases_summary(surgery, cases)
        out.print(cases.summary_line())
        code = max(code, 0 if cases.status.has_solution else 1)
    raise typer.Exit(code)


def _demo_surgery() -> Any:
    try:
        from optimizer.demo.surgery import generate_surgical_week
    except ImportError:
        return None
    return generate_surgical_week()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
