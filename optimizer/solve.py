"""The one entry point: ``solve(problem, backend=..., ...) -> Result``."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from rich.progress import Progress

from optimizer.errors import InputError, SolverUnavailableError
from optimizer.model.common import MAX_WEIGHT
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers import BACKENDS, FAMILY_BACKENDS
from optimizer.solvers.options import SolutionCallback, SolveOptions, check_run_options


def solve(
    problem: Any,
    backend: str = "cpsat",
    time_limit: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    hint: Result | RosterSolution | CaseSchedule | None = None,
    on_solution: SolutionCallback | None = None,
    log: bool = False,
    stage_weights: dict[str, int] | None = None,
    stage_caps: Sequence[tuple[dict[str, int], int]] = (),
    **params: Any,
) -> Result:
    """Solve a rostering or case-scheduling problem.

    Args:
        problem: a ``RosterProblem`` or ``CaseProblem``.
        backend: ``"cpsat"`` (default) or ``"milp"``.
        time_limit: seconds; None means until proven optimal.
        workers: parallel search workers; None uses every core.
        seed: random seed; with ``workers=1`` the run is reproducible.
        hint: an earlier Result or solution to warm-start from.
        on_solution: called with each improving solution (objective, bound, seconds).
        log: print the backend's own search log.
        stage_weights / stage_caps: one stage of a lexicographic solve (see
            ``SolveOptions``); normally left unset.
        **params: extra backend parameters, passed through unchanged.
    """
    if backend not in BACKENDS:
        raise InputError(
            f"unsupported backend '{backend}'; choose one of {', '.join(BACKENDS)}",
            field="backend",
        )
    check_run_options(time_limit, workers, seed)
    family = "roster" if isinstance(problem, RosterProblem) else "cases"
    if backend not in FAMILY_BACKENDS[family]:
        what = "rostering" if family == "roster" else "case scheduling"
        raise InputError(
            f"backend '{backend}' does not do {what}; use {' or '.join(FAMILY_BACKENDS[family])}",
            field="backend",
        )
    _check_stage_rules(family, stage_weights, stage_caps)
    if isinstance(hint, Result):
        hint = hint.roster if hint.roster is not None else hint.schedule
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        hint=hint,
        on_solution=on_solution,
        log=log,
        params=dict(params),
        stage_weights=stage_weights,
        stage_caps=tuple(stage_caps),
    )
    module_name = f"optimizer.solvers.{backend}.{family}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(("optimizer", "ortools", "pulp")):
            raise SolverUnavailableError(
                f"backend '{backend}' cannot solve {family} problems here: {exc}"
            ) from exc
        raise
    result: Result = module.solve(problem, options)
    return result


def penalty_rules(family: str) -> tuple[str, ...]:
    """The soft-rule names of a problem family (keys of ``Result.terms``)."""
    if family == "roster":
        return ROSTER_PENALTY_RULES
    from optimizer.model.cases import CASE_PENALTY_RULES

    return CASE_PENALTY_RULES


def _check_stage_rules(
    family: str,
    stage_weights: dict[str, int] | None,
    stage_caps: Sequence[tuple[dict[str, int], int]],
) -> None:
    known = penalty_rules(family)
    groups = [stage_weights or {}, *(weights for weights, _ in stage_caps)]
    for rule, multiplier in (item for group in groups for item in group.items()):
        if rule not in known:
            raise InputError(
                f"unknown penalty rule '{rule}' for {family} problems; known: {', '.join(known)}",
                field="stage_weights",
            )
        if isinstance(multiplier, bool) or not isinstance(multiplier, int):
            raise InputError(
                f"the multiplier of '{rule}' must be a whole number, got {multiplier!r}",
                field="stage_weights",
            )
        if not 0 <= multiplier <= MAX_WEIGHT:
            raise InputError(
                f"the multiplier of '{rule}' must be between 0 and {MAX_WEIGHT}, got {multiplier}",
                field="stage_weights",
            )


def _solve_one(args: tuple[Any, dict[str, Any]]) -> Result:
    problem, kwargs = args
    return solve(problem, **kwargs)


def solve_many(
    problems: Sequence[Any],
    *,
    processes: int | None = None,
    show_progress: bool = True,
    **kwargs: Any,
) -> list[Result]:
    """Solve a batch in a process pool; Results come back in input order.

    ``kwargs`` go to ``solve`` for every problem (``on_solution`` is not allowed:
    callbacks do not cross process boundaries). Each solve gets one worker
    unless ``workers`` is given.
    """
    if "on_solution" in kwargs:
        raise InputError("solve_many does not take on_solution", field="on_solution")
    kwargs.setdefault("workers", 1)
    jobs = [(problem, kwargs) for problem in problems]
    results: list[Result | None] = [None] * len(jobs)

    with (
        ProcessPoolExecutor(max_workers=processes) as pool,
        Progress(disable=not show_progress, transient=True) as bar,
    ):
        task = bar.add_task("solving", total=len(jobs))
        futures = {pool.submit(_solve_one, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.advance(task)
    return [r for r in results if r is not None]
