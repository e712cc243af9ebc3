"""The published roster as the baseline of a roster what-if: attached as a move
penalty, repaired to fit the changes, kept when the re-plan finds nothing better, and
re-plans costed by the checker."""

from __future__ import annotations

from typing import Any

from dashboards.whatif.problem_copy import rebuild
from optimizer.errors import InputError
from optimizer.model.result import Assignment, Result, RosterSolution
from optimizer.model.roster import Baseline, BaselineShift, RosterProblem


def baseline_roster(
    problem: RosterProblem, result: Result, weight: int | None = None
) -> RosterProblem:
    """The problem with ``result``'s roster as the published baseline; each changed
    staff-day costs ``weight``, by default the ward's own ``change_weight`` (else the
    model's default)."""
    if result.roster is None:
        raise InputError("there is no roster to keep close to: solve the roster first")
    shifts = tuple(
        BaselineShift(staff=a.staff, day=a.day, shift=a.shift) for a in result.roster.assignments
    )
    baseline = problem.baseline or Baseline()
    update: dict[str, Any] = {"assignments": shifts}
    if weight is not None:
        update["change_weight"] = weight
    return rebuild(problem, baseline=baseline.model_copy(update=update))


def repaired_roster(problem: RosterProblem, published: Result) -> RosterSolution | None:
    """The published roster made to fit the changed ``problem``: a staff-day the person
    is now unavailable for is left open (a day off) and a pinned staff-day takes its pin.

    A warm start for the re-plan and the plan to keep when the solver finds nothing
    better in time (``keep_better``). With soft cover it is usually feasible; the
    checker decides.
    """
    if published.roster is None:
        return None
    pinned = {(p.staff, p.day): p.shift for p in problem.pins}
    kept = [
        a
        for a in published.roster.assignments
        if (a.staff, a.day) not in pinned
        and a.staff in problem.staff_index
        and a.shift in problem.shift_index
        and a.day < problem.num_days
        and not problem.unavailable(a.staff, a.day, a.shift)
    ]
    kept += [
        Assignment(staff=staff, day=day, shift=shift)
        for (staff, day), shift in pinned.items()
        if shift is not None
    ]
    return RosterSolution(assignments=tuple(sorted(kept, key=lambda a: (a.day, a.staff))))


KEPT_PUBLISHED = (
    "Keeping the published roster, with the absence's shifts left open, was better than "
    "what the solver found in time (penalty {kept} against {found}): it is shown instead. "
    "A longer time limit may find a better re-plan."
)


def keep_better(
    problem: RosterProblem, result: Result | None, repaired: RosterSolution | None
) -> tuple[Result | None, str]:
    """The re-plan's ``result``, or the ``repaired`` published roster when the checker
    finds it feasible and cheaper (or the solve found no roster); then with a note.

    The kept roster is costed by the checker and reported FEASIBLE (never proven
    optimal), with the solver's bound and time.
    """
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    if repaired is None or (result is not None and result.status is SolveStatus.INFEASIBLE):
        return result, ""
    if result is not None and result.status is SolveStatus.OPTIMAL:
        return result, ""
    report = check(problem, repaired)
    found = result.objective if result is not None and result.status.has_solution else None
    if not report.feasible or (found is not None and report.objective >= found):
        return result, ""
    kept = Result(
        status=SolveStatus.FEASIBLE,
        objective=report.objective,
        bound=result.bound if result is not None else None,
        seconds=result.seconds if result is not None else 0.0,
        backend=result.backend if result is not None else "cpsat",
        roster=repaired,
        terms=report.cost_by_rule(),
    )
    shown = "none" if found is None else str(found)
    return kept, KEPT_PUBLISHED.format(kept=report.objective, found=shown)


def costed_for(problem: RosterProblem, result: Result) -> Result:
    """``result`` (solved on a stand-in of ``problem``, e.g. ``only_the_changes``) with
    its objective and terms from the checker on ``problem``; FEASIBLE, no bound (it is
    not proven optimal for ``problem``)."""
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    if result.roster is None or not result.status.has_solution:
        return result
    report = check(problem, result.roster)
    update = {
        "objective": report.objective,
        "terms": report.cost_by_rule(),
        "bound": None,
        "status": SolveStatus.FEASIBLE,
    }
    return result.model_copy(update=update)


def checked_baseline(problem: RosterProblem, published: Result) -> tuple[Result, list[str]]:
    """The published roster as it stands under the changes of ``problem`` (the
    ``repaired_roster``: an absent person's shifts left open, pins taken), costed by the
    checker against ``problem`` — the baseline of the what-if KPIs, INFEASIBLE when it
    breaks hard rules — and those rules in the checker's words, each once (none when
    the planner could keep it). One check for both."""
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    roster = repaired_roster(problem, published)
    if roster is None:
        return Result(status=SolveStatus.UNKNOWN), []
    report = check(problem, roster)
    status = SolveStatus.FEASIBLE if report.feasible else SolveStatus.INFEASIBLE
    result = Result(
        status=status, objective=report.objective, roster=roster, terms=report.cost_by_rule()
    )
    return result, list(dict.fromkeys(v.message for v in report.violations))


def published_under_changes(problem: RosterProblem, published: Result) -> Result:
    """The baseline roster of :func:`checked_baseline`."""
    return checked_baseline(problem, published)[0]


def baseline_breaks(problem: RosterProblem, published: Result) -> list[str]:
    """The hard rules the baseline of :func:`checked_baseline` breaks."""
    return checked_baseline(problem, published)[1]
