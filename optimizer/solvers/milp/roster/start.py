"""A first roster for CBC, whose own heuristics often find none on contract-heavy rosters.

Without hard cover minimums, every hard rule concerns one person, so the problem
without cover splits into independent per-person problems that CBC solves in
seconds. Each person is rewarded (weight 1) for working shifts that have demand,
and keeps their own requests. The result is feasible for the full problem and
becomes its MIP start (and the answer, should CBC find nothing better in time). If
even this relaxation is infeasible, so is the problem.
"""

from __future__ import annotations

from dataclasses import replace

from optimizer.model.result import RosterSolution, SolveStatus
from optimizer.model.roster import RosterProblem, ShiftRequest
from optimizer.solvers.options import SolveOptions

MIN_SECONDS = 1.5
MAX_SECONDS = 15.0
SHARE = 0.25
MAX_FRACTION = 0.5
"""Phase one gets SHARE of the time limit, within [MIN_SECONDS, MAX_SECONDS] and never
more than MAX_FRACTION of it: the main solve needs time to build its model and start."""


def applies(problem: RosterProblem, options: SolveOptions, solver: str) -> bool:
    """Only for CBC, without a hint, without hard cover minimums, unless switched off."""
    return (
        solver == "cbc"
        and options.hint is None
        and options.params.get("phase_one") is not False
        and not any(demand.min_required > 0 for demand in problem.cover)
    )


def relaxed_problem(problem: RosterProblem) -> RosterProblem:
    """The problem without cover; working a shift with demand earns a request."""
    wishes = tuple(
        ShiftRequest(staff=person.id, day=demand.day, shift=demand.shift, want=True, weight=1)
        for demand in problem.cover
        if demand.required > 0 and demand.under_weight > 0
        for person in problem.staff
        if demand.skill is None or demand.skill in person.skills
    )
    return problem.model_copy(
        update={"cover": (), "requests": problem.requests + wishes, "baseline": None}
    )


def budget(options: SolveOptions) -> float:
    """Seconds for phase one."""
    if options.time_limit is None:
        return MAX_SECONDS
    share = max(MIN_SECONDS, min(MAX_SECONDS, SHARE * options.time_limit))
    return min(share, MAX_FRACTION * options.time_limit)


def phase_one_options(options: SolveOptions) -> SolveOptions:
    """The caller's options for the relaxed solve: own time box, no callbacks or stages."""
    return replace(
        options,
        time_limit=budget(options),
        hint=None,
        on_solution=None,
        log=False,
        stage_weights=None,
        stage_caps=(),
        params={**options.params, "phase_one": False},
    )


def first_roster(
    status: SolveStatus, roster: RosterSolution | None
) -> tuple[bool, RosterSolution | None]:
    """(proven infeasible?, a start roster if one was found) from the relaxed solve."""
    return status is SolveStatus.INFEASIBLE, roster if status.has_solution else None
