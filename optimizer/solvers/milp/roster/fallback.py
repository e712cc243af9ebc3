"""The roster already in hand when the solver gives no answer of its own.

A hint (the caller's, or a lexicographic stage's previous roster) or the phase-one
start roster that the independent checker accepts, within the stage caps, is a
feasible answer: when the solver runs out of time, crashes, or reports a time-out as
"infeasible", that roster comes back as FEASIBLE instead of nothing; and when it is
strictly cheaper than the solver's roster (a MIP start the solver ignored or lost).
"""

from __future__ import annotations

from optimizer.check.roster import check_roster
from optimizer.model.result import RosterSolution, SolveStatus
from optimizer.model.roster import RosterProblem
from optimizer.solvers.milp.roster.objective import Grid, evaluate, staged_value
from optimizer.solvers.milp.runner import MilpRun
from optimizer.solvers.options import SolveOptions


def checked_hint(problem: RosterProblem, options: SolveOptions) -> Grid | None:
    """The hint as a grid if it breaks no hard rule and no stage cap; else None."""
    hint = options.hint
    if not isinstance(hint, RosterSolution) or not check_roster(problem, hint).feasible:
        return None
    grid = {
        (problem.staff_index[a.staff], a.day): problem.shift_index[a.shift]
        for a in hint.assignments
    }
    terms = evaluate(problem, grid)
    if any(staged_value(terms, weights) > cap for weights, cap in options.stage_caps):
        return None
    return grid


def cheaper(problem: RosterProblem, options: SolveOptions, grid: Grid, found: Grid) -> bool:
    """Whether ``grid`` costs strictly less than ``found`` under the stage weights."""
    weights = options.stage_weights
    mine = staged_value(evaluate(problem, grid), weights)
    return mine < staged_value(evaluate(problem, found), weights)


def kept_message(run: MilpRun, source: str) -> str:
    """Why the answer is the ``source`` roster although the solver found one."""
    solver = "CBC" if run.solver == "cbc" else "HiGHS"
    return (
        f"{run.message}; {solver} found no roster cheaper than the {source} roster; "
        f"this is the {source} roster, which breaks no hard rule"
    )


def message(run: MilpRun, source: str) -> str:
    """Why the answer is the ``source`` roster ("hint" or "phase-one start")."""
    solver = "CBC" if run.solver == "cbc" else "HiGHS"
    if run.status is SolveStatus.INFEASIBLE:
        why = f"{solver} reported infeasible, which the {source} roster disproves"
    else:
        why = run.note or f"{solver} found no roster of its own within the time limit"
    return f"{run.message}; {why}; this is the {source} roster, which breaks no hard rule"
