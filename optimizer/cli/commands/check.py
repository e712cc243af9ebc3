"""``carealloc check``: re-verify a solution against its problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from optimizer.cli.console import out
from optimizer.cli.errors import clean_errors
from optimizer.cli.help_texts import FORMAT_HELP, INPUT_HELP
from optimizer.model.result import CaseSchedule, RosterSolution

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
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="for a feasible solution, also the summary solve prints: measures, costs, "
            "top penalties (why shifts are short, why requests were not granted) or rooms "
            "and case reasons",
        ),
    ] = False,
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
    if explain and report.feasible:
        _print_explanation(problem, solution, report.objective)
    out.print(
        f"feasible={'yes' if report.feasible else 'no'} violations={len(report.violations)} "
        f"objective={report.objective}"
    )
    raise typer.Exit(0 if report.feasible else 1)


def _print_explanation(
    problem: Any, solution: RosterSolution | CaseSchedule, objective: int
) -> None:
    """``solve``'s summary for a checked solution (a roster made by hand, say)."""
    from optimizer.cli.summaries import print_solution
    from optimizer.model.result import Result, SolveStatus

    if isinstance(solution, RosterSolution):
        result = Result(status=SolveStatus.FEASIBLE, objective=objective, roster=solution)
    else:
        result = Result(status=SolveStatus.FEASIBLE, objective=objective, schedule=solution)
    print_solution(problem, result.model_copy(update={"backend": "check"}), lexicographic=False)
