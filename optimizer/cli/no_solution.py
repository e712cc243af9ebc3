"""What a solve without a solution prints: why the hard rules clash, or what stopped it."""

from __future__ import annotations

from typing import Any

from optimizer.cli.console import out
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem
from optimizer.solvers import interrupts

CANNOT_HOLD = "The hard rules cannot all hold"
"""Heading of the reasons an INFEASIBLE solve prints."""

DIAGNOSIS_SECONDS = 60.0
"""The diagnosis's time limit when ``solve`` has none (it runs until done otherwise)."""


def diagnosis_seconds(time_limit: float | None) -> float:
    """The infeasibility diagnosis gets the solve's ``--time-limit`` (per stage with
    ``--lexicographic``), or ``DIAGNOSIS_SECONDS`` without one."""
    return DIAGNOSIS_SECONDS if time_limit is None else time_limit


def infeasibility_lines(
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


def print_no_solution(
    problem: Any, result: Result, time_limit: float | None, workers: int | None, seed: int | None
) -> None:
    """Why a solve has no solution: the hard rules that clash, or the time limit (the
    solve's ``time_limit``, ``workers`` and ``seed`` are the diagnosis's too)."""
    if result.status.value == "INFEASIBLE" and not interrupts.interrupted():
        heading, lines = infeasibility_lines(problem, result, time_limit, workers, seed)
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
