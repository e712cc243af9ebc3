"""Lexicographic priorities instead of weights: optimise one group of penalty rules
at a time and keep each stage's result as a hard cap for the later ones.

Default stages (rosters): (1) uncovered demand, (2) over-staffing, (3) requests
and changes to the published roster; (cases): (1) cases left out, (2) lateness,
(3) room and staff overtime, (4) idle room time, the last finish and changes to the
published schedule. Within a stage the rules' own
weights still apply (``under_weight`` per missing person, request weights, ...),
multiplied by the stage's multiplier. Each stage runs until proven optimal or its
time box ends; its value (the best found) becomes the cap
``sum(multiplier * cost) <= value``. Penalty rules that no stage lists (possible with
your own ``stages``) form one more stage after the others (multiplier 1 each), so they
are optimised too, last; it is skipped when they already cost nothing. The message
names them ("rules in no stage: ...").

The returned Result is on the plain weighted scale, so the independent checker
agrees with it: ``objective`` = sum of the plain cost per rule (``terms``) of the
final roster (or schedule). ``bound`` is None (a lexicographic optimum bounds
nothing on the weighted scale); ``status`` is OPTIMAL only when every stage was
proven optimal or costs 0 (the result is then lexicographically optimal), FEASIBLE
otherwise.
``message`` lists each stage's value and status; ``progress`` holds one point per
stage (cumulative seconds, plain objective), and ``on_solution`` is called with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.model.roster import RosterProblem
from optimizer.solve import penalty_rules, problem_family, solve
from optimizer.solvers import interrupts

DEFAULT_STAGES: tuple[dict[str, int], ...] = (
    {"under_cover": 1},
    {"over_cover": 1},
    {"shift_on_request": 1, "shift_off_request": 1, "baseline_change": 1},
)
"""Uncovered demand first, then over-staffing, then requests and re-planning changes."""

DEFAULT_CASE_STAGES: tuple[dict[str, int], ...] = (
    {"unscheduled": 1},
    {"tardiness": 1},
    {"overtime": 1, "staff_overtime": 1},
    {"idle": 1, "makespan": 1, "baseline_move": 1, "baseline_staff": 1},
)
"""Every case that can be done first, then on time, then within hours, then the rest."""


def _check_stages(stages: Sequence[Mapping[str, int]], family: str) -> list[dict[str, int]]:
    """The stages as dicts; ``InputError`` on a rule outside ``family``'s penalty rules."""
    known = penalty_rules(family)
    if not stages:
        raise InputError("give at least one lexicographic stage", field="stages")
    checked = []
    for i, stage in enumerate(stages):
        where = f"stages[{i}]"
        if not stage:
            raise InputError("a lexicographic stage needs at least one rule", field=where)
        for rule, multiplier in stage.items():
            if rule not in known:
                raise InputError(
                    f"unknown penalty rule '{rule}'; known: {', '.join(known)}",
                    field=where,
                )
            if not isinstance(multiplier, int) or multiplier <= 0:
                raise InputError(
                    f"the multiplier of '{rule}' must be a positive integer, got {multiplier!r}",
                    field=where,
                )
        checked.append(dict(stage))
    return checked


def _rules_in_no_stage(stages: Sequence[Mapping[str, int]], family: str) -> dict[str, int]:
    """``family``'s penalty rules that no stage lists, each with multiplier 1."""
    listed = {rule for stage in stages for rule in stage}
    return {rule: 1 for rule in penalty_rules(family) if rule not in listed}


def _stage_value(terms: Mapping[str, int], stage: Mapping[str, int]) -> int:
    """``sum(multiplier * cost)`` of one stage's rules."""
    return sum(multiplier * terms.get(rule, 0) for rule, multiplier in stage.items())


def _describe(stage: Mapping[str, int], value: int | None, status: SolveStatus) -> str:
    rules = "+".join(rule if m == 1 else f"{m}*{rule}" for rule, m in stage.items())
    return f"{rules}={value} ({status.value})"


def solve_lexicographic(
    problem: RosterProblem | CaseProblem,
    stages: Sequence[Mapping[str, int]] | None = None,
    *,
    backend: str = "cpsat",
    time_limit_per_stage: float | None = 10.0,
    **solve_kwargs: Any,
) -> Result:
    """Optimise ``stages`` in order, each capped by the ones before (see module doc).

    ``solve_kwargs`` go to every stage's ``solve`` (workers, seed, params, ...);
    ``time_limit``, ``stage_weights`` and ``stage_caps`` are set per stage here.
    """
    for reserved in ("time_limit", "stage_weights", "stage_caps"):
        if reserved in solve_kwargs:
            raise InputError(
                f"'{reserved}' is set per stage by solve_lexicographic "
                "(use time_limit_per_stage for the time box)",
                field=reserved,
            )
    family = problem_family(problem)
    if stages is None:
        stages = DEFAULT_STAGES if family == "roster" else DEFAULT_CASE_STAGES
    checked = _check_stages(stages, family)
    with interrupts.stoppable():
        return _solve_stages(problem, checked, backend, time_limit_per_stage, solve_kwargs)


def _solve_stages(
    problem: RosterProblem | CaseProblem,
    checked: list[dict[str, int]],
    backend: str,
    time_limit_per_stage: float | None,
    solve_kwargs: dict[str, Any],
) -> Result:
    """The stages in order (see ``solve_lexicographic``); an interrupt ends them after the
    stage it stopped, whose result is kept."""
    rest = _rules_in_no_stage(checked, problem_family(problem))
    on_solution = solve_kwargs.pop("on_solution", None)
    caps: list[tuple[dict[str, int], int]] = []
    best: Result | None = None
    notes: list[str] = []
    progress: list[ProgressPoint] = []
    seconds = 0.0
    all_optimal = True
    every = [*checked, rest] if rest else checked
    for number, stage in enumerate(every):
        label = "" if number < len(checked) else "rules in no stage: "
        if label and best is not None and _stage_value(best.terms, stage) == 0:
            notes.append(label + _describe(stage, 0, SolveStatus.OPTIMAL))  # costs are >= 0
            continue
        if best is not None:  # the previous stage's roster or schedule
            solve_kwargs["hint"] = best.roster if best.roster is not None else best.schedule
        result = solve(
            problem,
            backend=backend,
            time_limit=time_limit_per_stage,
            stage_weights=stage,
            stage_caps=list(caps),
            **solve_kwargs,
        )
        seconds += result.seconds
        if not result.status.has_solution or result.objective is None:
            if best is None:
                result.seconds = round(seconds, 3)
                return result  # infeasible, or nothing found in the first time box
            notes.append(label + _describe(stage, None, result.status))
            all_optimal = False
            break
        # A stage that costs 0 is optimal (costs are >= 0), proven or not.
        status = SolveStatus.OPTIMAL if result.objective == 0 else result.status
        all_optimal = all_optimal and status is SolveStatus.OPTIMAL
        caps.append((stage, result.objective))
        notes.append(label + _describe(stage, result.objective, status))
        best = result
        point = ProgressPoint(seconds=round(seconds, 3), objective=sum(result.terms.values()))
        progress.append(point)
        if on_solution is not None:
            on_solution(point)
        if interrupts.interrupted():
            all_optimal = all_optimal and number == len(every) - 1  # stages were left out
            break
    assert best is not None
    message = "lexicographic: " + "; ".join(notes)
    if interrupts.interrupted():
        message = interrupts.marked(message, has_solution=True)
    return Result(
        status=SolveStatus.OPTIMAL if all_optimal else SolveStatus.FEASIBLE,
        objective=sum(best.terms.values()),
        bound=None,
        seconds=round(seconds, 3),
        backend=best.backend,
        roster=best.roster,
        schedule=best.schedule,
        progress=progress,
        terms=dict(best.terms),
        message=message,
    )
