"""The ``carealloc`` command line (contracts in DESIGN.md).

Exit codes: 0 with a solution (``check``: feasible), 1 without one (``check``: rule
broken), 2 bad input (``bench``: after the run, if an instance was; the rest still
run), 130 after Ctrl-C or SIGTERM (a solve stopped by one still reports and writes its
best first). The last stdout line of ``solve`` is the status line.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from optimizer.errors import CareallocError, InputError
from optimizer.io.project import SCHEMA_KEY
from optimizer.model.cases import CaseProblem
from optimizer.model.result import ProgressPoint, Result
from optimizer.model.roster import RosterProblem
from optimizer.solvers import interrupts

if TYPE_CHECKING:
    from optimizer.bench import Batch, BenchRow

app = typer.Typer(
    name="carealloc",
    help="Hospital resource allocation: nurse rostering and case scheduling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# No markup: messages hold user text such as "carealloc[highs]" or "[ICU]".
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
PIPE_WIDTH = 160
"""Table width when stdout is a file or pipe (rich would wrap tables at 80 columns)."""


def widen_for_pipes(console: Console, environ: Mapping[str, str]) -> None:
    """Give ``console`` ``PIPE_WIDTH`` columns when it writes to a file or pipe (a file
    has no width) and ``COLUMNS`` does not set one."""
    if not console.is_terminal and "COLUMNS" not in environ:
        console.width = PIPE_WIDTH


widen_for_pipes(out, os.environ)

INPUT_HELP = (
    "project JSON (roster or case problem), table bundle (.xlsx/.xlsm, or .zip of CSVs, as the "
    "dashboard writes them), Curtois–Qu .txt or PSPLIB .sm"
)
FORMAT_HELP = (
    "auto (from the extension) | json | bundle (.xlsx/.zip tables) | curtois | psplib; "
    "a bundle may also be an .xlsm workbook"
)

P = ParamSpec("P")
R = TypeVar("R")


RUN_OPTIONS = {
    "backend": "--backend",
    "time_limit": "--time-limit",
    "workers": "--workers",
    "seed": "--seed",
    "fmt": "--format",
}
"""Python run-option names (``InputError.field``) and the CLI options that set them."""


INTAKE_EXTRA = ("rapidfuzz", "dateparser")
"""Modules of the optional ``intake`` extra, imported when the intake first runs."""


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


MAX_LISTED_ERRORS = 20
"""At most this many problems of a table bundle are listed, then how many more there are."""


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


INTERRUPTED = 130
"""Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells use): outside a solve at
once, during one after the best solution found is reported and written."""


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
    table.add_section()  # the costs below are penalty points, not counts
    for rule, cost in sorted(kpis.cost_by_rule.items(), key=lambda item: -item[1]):
        table.add_row(f"cost: {RULE_LABELS.get(rule, rule).lower()}", str(cost))
    out.print(table)
    penalties = penalty_breakdown(problem, result.roster)
    if penalties:
        out.print(f"Top penalties ({min(top, len(penalties))} of {len(penalties)}):")
        for penalty in penalties[:top]:
            out.print(f"  • {penalty.message}")


def _print_cases_summary(problem: Any, result: Result) -> None:
    from rich import box

    from optimizer.explain.case_time import weekday_time, when
    from optimizer.explain.case_utilisation import room_summary

    week = problem.horizon <= 7 * 1440  # within one week the weekday names the day
    header = ("room", "cases", "booked", "open", "use %", "overtime", "idle", "first", "last")
    rows = []
    for row in room_summary(problem, result, weekday_time if week else when):
        rows.append(
            (
                row.name or row.room,
                str(row.cases),
                row.booked,
                row.open,
                f"{row.utilisation_pct:.1f}",
                str(row.overtime_minutes),
                str(row.idle_minutes),
                row.first_start,
                row.last_end,
            )
        )
    # Only the room names give way on a narrow terminal; the numbers stay whole.
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]
    room_width = max(8, out.width - sum(widths[1:]) - 2 * len(header))
    title = f"{getattr(problem, 'name', 'cases')}: rooms (overtime and idle in minutes)"
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    fits = room_width >= widths[0]
    table.add_column("room", overflow="ellipsis", no_wrap=True, width=None if fits else room_width)
    for column in header[1:]:
        table.add_column(column, justify="right", no_wrap=True)
    for cells in rows:
        table.add_row(*cells)
    out.print(table)


def _print_case_costs(problem: Any, result: Result) -> None:
    """The cost per rule in the planner's words, and who works overtime."""
    from optimizer.explain.case_reasons import RULE_WORDS
    from optimizer.explain.case_utilisation import staff_utilisation

    costs = [f"{RULE_WORDS.get(rule, rule)} {cost}" for rule, cost in result.terms.items() if cost]
    if costs:
        out.print("Costs: " + ", ".join(costs))
    if result.schedule is not None:
        overtime = [
            f"{person.name} {person.overtime_minutes} min"
            for person in staff_utilisation(problem, result.schedule)
            if person.overtime_minutes
        ]
        if overtime:
            out.print("Staff overtime: " + ", ".join(overtime))


def _print_case_reasons(problem: Any, result: Result, top: int) -> None:
    """The costliest ``top`` cases left out or ending late, each with its reasons."""
    from optimizer.explain.case_reasons import explain_task

    if result.schedule is None:
        return
    placed = result.schedule.by_task()
    costs: dict[str, int] = {}
    for task in problem.tasks:
        item = placed.get(task.id)
        if item is None:
            costs[task.id] = problem.unscheduled_cost(task)
        elif task.due is not None and item.end > task.due:
            costs[task.id] = problem.weights.tardiness * task.priority * (item.end - task.due)
    if not costs:
        return
    ranked = sorted(costs, key=lambda task_id: -costs[task_id])
    shown = f"{min(top, len(ranked))} of {len(ranked)}"
    out.print(f"Cases left out or late ({shown}, costliest first):")
    for task_id in ranked[:top]:
        found = explain_task(problem, result.schedule, task_id)
        if found is not None:
            out.print(f"  • {found.message} (cost {costs[task_id]})")


CANNOT_HOLD = "The hard rules cannot all hold"
"""Heading of the reasons an INFEASIBLE solve prints."""

DIAGNOSIS_SECONDS = 60.0
"""The diagnosis's time limit when ``solve`` has none (it runs until done otherwise)."""


def diagnosis_seconds(time_limit: float | None) -> float:
    """The infeasibility diagnosis gets the solve's ``--time-limit`` (per stage with
    ``--lexicographic``), or ``DIAGNOSIS_SECONDS`` without one."""
    return DIAGNOSIS_SECONDS if time_limit is None else time_limit


def _infeasibility_lines(
    problem: Any, result: Result, time_limit: float | None, workers: int | None, seed: int | None
) -> tuple[str, list[str]]:
    """Why there is no solution, as a heading and lines: the roster diagnosis (on the
    solve's workers and seed: reproducible when the solve is), or for case problems what
    the solver reported and the likely causes the data shows."""
    if isinstance(problem, RosterProblem):
        from optimizer.explain.diagnosis import diagnose_roster

        diagnosis = diagnose_roster(
            problem,
            diagnosis_seconds(time_limit),
            proven_infeasible=True,
            workers=workers,
            seed=seed,
        )
        if diagnosis.feasible is True:  # the solver stopped early: never "cannot all hold"
            return diagnosis.summary, []
        return CANNOT_HOLD, diagnosis.messages()
    from optimizer.explain.diagnosis import case_conflict_hints
    from optimizer.solvers.messages import INFEASIBLE

    specific = bool(result.message) and result.message != INFEASIBLE
    reported = result.message if specific else "no schedule places every mandatory and pinned case"
    lines = [f"solver ({result.backend or 'cpsat'}): {reported}"]
    hints = case_conflict_hints(problem)
    lines += [f"likely cause: {hint}" for hint in hints]
    if not hints and not specific:
        lines.append(
            "no single case is impossible on its own: the mandatory cases compete for the "
            'same rooms, people, equipment or time; mark some optional ("optional": true) '
            "or unpin them so that a schedule may leave cases out"
        )
    lines.append(
        "the rule-by-rule diagnosis (smallest conflicting set, relaxations) covers rosters "
        "only; see docs/diagnosis.md"
    )
    return CANNOT_HOLD, lines


NO_LIMIT_NOTE = (
    "note: no --time-limit: the solve runs until the result is proven optimal, which can "
    "take very long (Ctrl+C stops it)"
)
"""Printed on stderr by ``solve`` without ``--time-limit`` (unless ``--quiet``)."""


def parse_params(pairs: list[str], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; values are read as JSON when they parse (numbers, booleans).

    A name ``solve`` takes itself (``seed``, ``time_limit``, ...) is refused, naming the
    option to use, unless the command passes it on (``keep``); our model switches'
    values are checked (``optimizer.solve.check_params``).
    """
    from optimizer.solve import check_params

    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"'{pair}' must look like NAME=VALUE", field="--param")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    kept = {name: params.pop(name) for name in keep if name in params}
    advice = {name: f"use {option}" for name, option in RUN_OPTIONS.items()}
    return {**check_params(params, advice, field="--param"), **kept}


def _run_solve(
    problem: Any,
    *,
    backend: str,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    quiet: bool,
    lexicographic: bool = False,
    params: dict[str, Any] | None = None,
) -> Result:
    from optimizer.solve import solve

    with _LiveProgress(enabled=not quiet) as progress:
        if lexicographic:
            from optimizer.lexicographic import solve_lexicographic

            return solve_lexicographic(
                problem,
                backend=backend,
                time_limit_per_stage=time_limit,
                workers=workers,
                seed=seed,
                on_solution=progress,
                **(params or {}),
            )
        return solve(
            problem,
            backend=backend,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            on_solution=progress,
            **(params or {}),
        )


@app.command("solve")
@clean_errors
def solve_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help=INPUT_HELP)],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
    backend: Annotated[str, typer.Option(help="cpsat | milp")] = "cpsat",
    time_limit: Annotated[
        float | None,
        typer.Option(
            help="seconds (default: none, the solve runs until proven optimal); an "
            "infeasibility diagnosis gets as long again (60 s without a limit)"
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="search workers (default: all cores)")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed")] = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="write .csv (contract) or .json (Result); with no solution only the .json "
            "(an older file there is removed)",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no live progress, no summary")] = False,
    lexicographic: Annotated[
        bool,
        typer.Option(
            help="priorities, not weights (limit per stage): roster: cover, then "
            "over-staffing, then requests; cases: left out, late, overtime, then the rest"
        ),
    ] = False,
    param: Annotated[
        list[str] | None,
        typer.Option(
            help="backend parameter NAME=VALUE, repeatable (e.g. roster_staffwise=false; "
            "with --backend milp: solver=cbc)"
        ),
    ] = None,
) -> None:
    """Solve a roster or case-scheduling problem."""
    from optimizer.io.load import load_problem
    from optimizer.io.solution import (
        SOLUTION_SUFFIXES,
        check_not_input,
        check_output_path,
    )
    from optimizer.solve import check_solve_call

    if out_path is not None:  # before the solve too, so no result (or input) is lost
        check_not_input(out_path, [input_file], "--out")
        check_output_path(out_path, "--out", SOLUTION_SUFFIXES)
    problem = load_problem(input_file, fmt)
    params = parse_params(param or [])
    if time_limit is None and not quiet:
        check_solve_call(problem, backend, time_limit, workers, seed, params)  # then the note
        err.print(NO_LIMIT_NOTE)
    with interrupts.stoppable():  # Ctrl-C from here on stops the search, keeps its best
        result = _run_solve(
            problem,
            backend=backend,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            quiet=quiet,
            lexicographic=lexicographic,
            params=params,
        )
        if out_path is not None:
            _write_out(result, out_path)
        if result.status.has_solution:
            if not quiet:
                _print_solution(problem, result, lexicographic)
        else:
            _print_no_solution(problem, result, time_limit, workers, seed)
        code = _exit_code(result)
        out.print(result.summary_line())
    raise typer.Exit(code)


def _print_solution(problem: Any, result: Result, lexicographic: bool) -> None:
    """The summary of a solve with a solution: tables, costs, the lexicographic stages."""
    if isinstance(problem, RosterProblem):
        _print_roster_summary(problem, result, top=10)
    elif isinstance(problem, CaseProblem):
        if problem.rooms:
            _print_cases_summary(problem, result)
        _print_case_costs(problem, result)
        _print_case_reasons(problem, result, top=10)
    if lexicographic and "lexicographic: " in result.message:
        out.print(f"Stages: {result.message.partition('lexicographic: ')[2]}")


def _exit_code(result: Result) -> int:
    """0 with a solution, 1 without; ``INTERRUPTED`` (130) after Ctrl-C or SIGTERM, said
    on stderr unless the no-solution message said it (call within ``stoppable``)."""
    if not interrupts.interrupted():
        return 0 if result.status.has_solution else 1
    if not result.message.startswith("interrupted:"):
        err.print(f"interrupted: {interrupts.reason()} came after the solve had ended")
    elif result.status.has_solution:
        err.print(result.message.partition("; lexicographic: ")[0])
    return INTERRUPTED


def _write_out(result: Result, path: Path) -> None:
    """Write ``--out``: the solution; without one the Result JSON still (its status says
    why), while a CSV is not written and one left there by an earlier run is removed, so
    that no one takes it for this run's."""
    from optimizer.io.solution import write_solution

    if result.status.has_solution or path.suffix.lower() == ".json":
        write_solution(result, path)
        return
    note = f"no solution, so {path} was not written"
    if path.exists():
        path.unlink()
        note += (
            "; the file an earlier run left there was removed, so it is not taken for this run's"
        )
    err.print(note)


def _print_no_solution(
    problem: Any, result: Result, time_limit: float | None, workers: int | None, seed: int | None
) -> None:
    """Why a solve has no solution: the hard rules that clash, or the time limit (the
    solve's ``time_limit``, ``workers`` and ``seed`` are the diagnosis's too)."""
    if result.status.value == "INFEASIBLE" and not interrupts.interrupted():
        heading, lines = _infeasibility_lines(problem, result, time_limit, workers, seed)
        out.print(heading + (":" if lines else "" if heading.endswith(".") else "."))
        for line in lines:
            out.print(f"  • {line}")
    else:
        message = (result.message or "").strip()
        out.print(
            message[:1].upper() + message[1:]
            if message
            else "No solution found within the time limit."
        )


@app.command("check")
@clean_errors
def check_command(
    input_file: Annotated[
        Path, typer.Argument(metavar="INPUT", help=f"the problem that was solved: {INPUT_HELP}")
    ],
    solution_file: Annotated[
        Path,
        typer.Argument(
            metavar="SOLUTION",
            help="the solution: .csv (staff,day,shift or task,start,end,staff,resources) "
            "or Result .json, as 'carealloc solve --out' writes them",
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
) -> None:
    """Re-verify a solution: every broken hard rule and the recomputed objective."""
    from optimizer.check import check
    from optimizer.io.load import load_problem
    from optimizer.io.solution import read_solution

    problem = load_problem(input_file, fmt)
    solution = read_solution(solution_file, problem)
    report = check(problem, solution)
    for violation in report.violations[:MAX_LISTED_VIOLATIONS]:
        out.print(f"VIOLATION {violation.rule}: {violation.message}")
    if len(report.violations) > MAX_LISTED_VIOLATIONS:
        out.print(_more_violations([v.rule for v in report.violations[MAX_LISTED_VIOLATIONS:]]))
    out.print(
        f"feasible={'yes' if report.feasible else 'no'} violations={len(report.violations)} "
        f"objective={report.objective}"
    )
    raise typer.Exit(0 if report.feasible else 1)


MAX_LISTED_VIOLATIONS = 50
"""``check`` lists at most this many broken rules, then counts the rest by rule."""


def _more_violations(rules: list[str]) -> str:
    """The line after the listed violations: ``… and 2,950 more (2 kinds: pin 2,900,
    cover 50)``, the rules of those left out counted, most first."""
    from collections import Counter

    kinds = Counter(rules).most_common()
    counts = ", ".join(f"{rule} {count:,}" for rule, count in kinds)
    plural = "s" if len(kinds) > 1 else ""
    return f"… and {len(rules):,} more ({len(kinds)} kind{plural}: {counts})"


@app.command("demo")
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
        result = _run_solve(
            ward, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
        )
        if result.status.has_solution:
            _print_roster_summary(ward, result, top=10)
        else:
            _print_no_solution(ward, result, time_limit, workers, seed)
        code = _exit_code(result)
        out.print(result.summary_line())
        if code == INTERRUPTED:
            raise typer.Exit(code)  # the surgical week is not started

        surgery = generate_surgical_week()
        out.print(f"Scheduling {surgery.name}…")
        cases = _run_solve(
            surgery, backend="cpsat", time_limit=time_limit, workers=workers, seed=seed, quiet=quiet
        )
        if cases.status.has_solution:
            _print_cases_summary(surgery, cases)
        else:
            _print_no_solution(surgery, cases, time_limit, workers, seed)
        code = max(code, _exit_code(cases))
        out.print(cases.summary_line())
    raise typer.Exit(code)


BENCH_INPUT_HELP = (
    "instance files, folders of them or glob patterns, in any format solve reads; a folder "
    "with instances/ is a benchmark suite; a best_known.csv beside the instances is optional"
)
BAD_INPUT_EXIT = 2
"""Exit code of ``bench`` when an instance was bad input (the others still ran)."""


@app.command("bench")
@clean_errors
def bench_command(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help=BENCH_INPUT_HELP)],
    time_limit: Annotated[float, typer.Option(help="seconds per instance")] = 60.0,
    workers: Annotated[int | None, typer.Option(help="search workers (default: all cores)")] = None,
    seed: Annotated[
        int | None, typer.Option(help="seed of every solve (with --workers 1: reproducible)")
    ] = None,
    instances: Annotated[
        str | None, typer.Option(help="comma-separated names or globs, e.g. Instance1,Instance2")
    ] = None,
    backend: Annotated[str, typer.Option(help="cpsat | milp")] = "cpsat",
    out_md: Annotated[
        Path | None, typer.Option("--out-md", help="write the table as Markdown")
    ] = None,
    out_csv: Annotated[
        Path | None, typer.Option("--out-csv", help="write the table as CSV")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="write each instance's solution here: <instance>.csv and <instance>.json "
            "(the Result)",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(help="backend parameter NAME=VALUE, repeatable (e.g. roster_staffwise=false)"),
    ] = None,
) -> None:
    """Solve a batch of instances (your own or a benchmark suite): one row each.

    With a best_known.csv also the gap to the best-known values.

    Exit 2 if an instance was bad input (its row says why; the others still run)."""
    from optimizer.bench import (
        CSV_COLUMNS,
        check_settings,
        collect_instances,
        prepare_out_dir,
        row_cells,
        run_bench,
        to_markdown,
        write_csv,
    )
    from optimizer.io.solution import check_output_path

    # Bad options and files fail before the table starts.
    params = _bench_params(param or [], seed)
    check_settings(backend, time_limit, workers, params)
    batch = collect_instances(inputs, instances, skip=out_dir)
    tables = {"--out-md": out_md, "--out-csv": out_csv}
    _check_tables_are_no_input(batch, tables)
    if not batch.instances:
        where = ", ".join(str(path) for path in inputs)
        raise InputError(
            "no instance files found (.md and .csv files are not instances)", file=where
        )
    if out_dir is not None:  # first: the tables may go into it
        prepare_out_dir(out_dir, batch)
        _check_tables_are_no_solution(batch, tables, out_dir)
    for option, path in tables.items():
        if path is not None:
            check_output_path(path, option)

    table = Table(*(c.replace("gap_pct", "gap %") for c in CSV_COLUMNS))
    with interrupts.stoppable():  # Ctrl-C stops the running solve; its row is marked
        try:
            with Live(table, console=out, transient=False):
                rows = run_bench(
                    inputs,
                    time_limit=time_limit,
                    workers=workers,
                    select=instances,
                    backend=backend,
                    on_row=lambda row: table.add_row(*row_cells(row)),
                    out_dir=out_dir,
                    **params,
                )
        finally:  # the last frame of the table ends without a line break (an error too)
            if not out.is_terminal:
                out.line()
        title = f"time limit {time_limit:g} s, workers {workers or 'all'}, backend {backend}"
        if seed is not None:
            title += f", seed {seed}"
        if param:
            title += ", " + ", ".join(param)
        if out_md is not None:
            out_md.write_text(to_markdown(rows, title=title), encoding="utf-8")
        if out_csv is not None:
            write_csv(rows, out_csv)
        _print_bench_summary(rows, batch.best_known_given, out_dir)
        code = _bench_exit_code(rows)
    raise typer.Exit(code)


def _bench_params(pairs: list[str], seed: int | None) -> dict[str, Any]:
    """``--param`` pairs (``seed=N`` among them) and ``--seed``, which may not both
    give the seed."""
    from optimizer.bench import PASSED_ON
    from optimizer.solvers.options import check_run_options

    params = parse_params(pairs, keep=PASSED_ON)
    if seed is None:
        return params
    if "seed" in params:
        raise InputError(
            "the seed is given twice (also as --param seed=); give it once", field="--seed"
        )
    check_run_options(None, None, seed)  # its field 'seed' is shown as --seed
    return {**params, "seed": seed}


def _check_tables_are_no_input(batch: Batch, tables: Mapping[str, Path | None]) -> None:
    """Refuse a ``--out-md``/``--out-csv`` that is an input file (a best-known table)."""
    from optimizer.io.solution import check_not_input

    inputs = [*batch.best_known_files, *(instance.path for instance in batch.instances)]
    for option, path in tables.items():
        if path is not None:
            check_not_input(path, inputs, option)


def _check_tables_are_no_solution(
    batch: Batch, tables: Mapping[str, Path | None], out_dir: Path
) -> None:
    """Refuse a ``--out-md``/``--out-csv`` that is an instance's solution in ``out_dir``."""
    from optimizer.bench import solution_paths

    solutions = {
        path.resolve()
        for instance in batch.instances
        for path in solution_paths(out_dir, instance.name)
    }
    for option, path in tables.items():
        if path is not None and path.resolve() in solutions:
            raise InputError(
                "is also an instance's solution in --out-dir; choose another name",
                file=str(path),
                field=option,
            )


def _print_bench_summary(
    rows: list[BenchRow], best_known_given: bool, out_dir: Path | None
) -> None:
    """Why instances failed or were cut, whether best-known values were given, what was
    written, and the closing ``instances=N with_solution=M`` line."""
    from optimizer.bench import BAD_INPUT, ERROR, NOT_RUN
    from optimizer.bench import INTERRUPTED as INTERRUPTED_ROW

    for row in rows:
        if row.status in (ERROR, BAD_INPUT, INTERRUPTED_ROW):
            out.print(f"{row.instance}: {row.message}")
    skipped = sum(1 for row in rows if row.status == NOT_RUN)
    if skipped:
        out.print(f"not run (interrupted): {skipped} instance(s)")
    if not best_known_given:
        out.print(
            "no best-known values were given (no best_known.csv beside the instances): "
            "best known and gap % are unknown"
        )
    solved = sum(1 for row in rows if row.objective is not None)
    if out_dir is not None:
        results = sum(1 for row in rows if row.status not in (ERROR, BAD_INPUT, NOT_RUN))
        out.print(f"written to {out_dir}: {solved} solution CSV(s), {results} Result JSON(s)")
    bad = sum(1 for row in rows if row.status == BAD_INPUT)
    out.print(
        f"instances={len(rows)} with_solution={solved}" + (f" bad_input={bad}" if bad else "")
    )


def _bench_exit_code(rows: list[BenchRow]) -> int:
    """130 after an interrupt, 2 if an instance was bad input, else 0 when every
    instance has a solution and 1 when one has none (call within ``stoppable``)."""
    from optimizer.bench import BAD_INPUT

    if interrupts.interrupted():
        return INTERRUPTED
    if any(row.status == BAD_INPUT for row in rows):
        return BAD_INPUT_EXIT
    return 0 if all(row.objective is not None for row in rows) else 1


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


@app.command("schema")
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


@app.command("intake")
@clean_errors
def intake_command(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="the free-text request(s)")],
    problem: Annotated[
        list[Path] | None, typer.Option("--problem", help="project JSON (repeatable)")
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


@app.command("dashboard")
@clean_errors
def dashboard_command(
    port: Annotated[int, typer.Option(help="port to serve on", min=1, max=65535)] = 8501,
    address: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    headless: Annotated[bool, typer.Option(help="do not open a browser window")] = True,
) -> None:
    """Start the planner dashboard (Streamlit) with the demo hospital loaded."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("dashboards")
    if spec is None or not spec.submodule_search_locations:
        raise CareallocError("the dashboards package is not installed")
    if importlib.util.find_spec("streamlit") is None:
        raise CareallocError("the dashboard needs: pip install 'carealloc[dashboard]'")
    app_path = Path(next(iter(spec.submodule_search_locations))) / "app.py"
    _check_port_free(address, port)
    out.print(f"carealloc dashboard: http://{address}:{port}  (Ctrl+C stops it)")
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless", str(headless).lower(), "--server.address", address,
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    sys.stdout.flush()
    os.execv(sys.executable, command)  # streamlit replaces this process (signals reach it)


def _check_port_free(address: str, port: int) -> None:
    """Fail with one message if the dashboard could not listen on ``address:port``."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((address, port))
        except OSError as exc:
            raise InputError(
                f"cannot listen on {address}:{port} ({exc.strerror or exc}); "
                "pick another --port or --address",
                field="--port",
            ) from None


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


if __name__ == "__main__":
    main()
