"""The one entry point: ``solve(problem, backend=..., ...) -> Result``."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from rich.progress import Progress

from optimizer.errors import CareallocError, InputError, SolverUnavailableError
from optimizer.model.common import MAX_WEIGHT
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers import BACKENDS, FAMILY_BACKENDS
from optimizer.solvers.options import (
    MAX_WORKERS,
    SolutionCallback,
    SolveOptions,
    check_callback_options,
    check_run_options,
    is_whole_in,
)


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
        hint: an earlier Result or solution to warm-start from: a ``RosterSolution``
            for a roster, a ``CaseSchedule`` for cases (another kind raises
            ``InputError``); an empty one counts as no hint.
        on_solution: called with each improving solution (objective, bound, seconds).
        log: print the backend's own search log (``True`` or ``False``).
        stage_weights / stage_caps: one stage of a lexicographic solve (see
            ``SolveOptions``); normally left unset.
        **params: extra backend parameters, passed through unchanged.
    """
    check_backend(backend)
    time_limit, workers, seed = check_run_options(time_limit, workers, seed)
    on_solution, log = check_callback_options(on_solution, log)
    family = _check_problem(problem, backend, stage_weights, stage_caps)
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        hint=check_hint(hint, family),
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


def check_backend(backend: object) -> None:
    """Raise ``InputError`` unless ``backend`` is one of ``BACKENDS``."""
    if backend not in BACKENDS:
        raise InputError(
            f"unsupported backend '{backend}'; choose one of {', '.join(BACKENDS)}",
            field="backend",
        )


def problem_family(problem: object) -> str:
    """``"roster"`` or ``"cases"``; anything else raises ``InputError``."""
    if isinstance(problem, RosterProblem):
        return "roster"
    from optimizer.model.cases import CaseProblem

    if isinstance(problem, CaseProblem):
        return "cases"
    hint = (
        "validate a parsed project with optimizer.io.project.problem_from_data(data)"
        if isinstance(problem, dict)
        else "read a file with optimizer.io.load.load_problem(path)"
    )
    raise InputError(
        f"problem must be a RosterProblem or CaseProblem, got {type(problem).__name__}; {hint}",
        field="problem",
    )


def _check_problem(
    problem: object,
    backend: str = "cpsat",
    stage_weights: dict[str, int] | None = None,
    stage_caps: Sequence[tuple[dict[str, int], int]] = (),
) -> str:
    """The problem's type, and whether ``backend`` and the stage rules fit its family;
    returns the family."""
    family = problem_family(problem)
    if backend not in FAMILY_BACKENDS[family]:
        what = "rostering" if family == "roster" else "case scheduling"
        raise InputError(
            f"backend '{backend}' does not do {what}; use {' or '.join(FAMILY_BACKENDS[family])}",
            field="backend",
        )
    _check_stage_rules(family, stage_weights, stage_caps)
    return family


def check_hint(hint: object, family: str) -> RosterSolution | CaseSchedule | None:
    """The warm start for a ``family`` problem: the solution in ``hint`` (a Result
    holding one, or the solution itself); None for no hint or an empty one.

    A hint of the wrong kind raises ``InputError`` (it would silently count as a warm
    start and switch off the constructions that run only without one).
    """
    if isinstance(hint, Result):
        hint = hint.roster if hint.roster is not None else hint.schedule
    if hint is None:
        return None
    expected = RosterSolution if family == "roster" else CaseSchedule
    if not isinstance(hint, expected):
        what = "roster" if family == "roster" else "case"
        how = f"; build one with {expected.__name__}.model_validate(data)"
        raise InputError(
            f"a {what} problem takes a {expected.__name__} (or a Result holding one) as "
            f"hint, got {type(hint).__name__}{how if isinstance(hint, dict) else ''}",
            field="hint",
        )
    if isinstance(hint, RosterSolution):
        return hint if hint.assignments else None
    return hint if hint.tasks or hint.unscheduled else None


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


def _as_list(problems: object) -> list[Any]:
    """``problems`` as a list, in order; one problem or a non-iterable raises ``InputError``."""
    from optimizer.model.cases import CaseProblem

    wanted = "problems must be a list (or other iterable) of problems"
    if isinstance(problems, RosterProblem | CaseProblem):
        raise InputError(
            f"{wanted}, got one {type(problems).__name__}; for one problem use solve(problem)",
            field="problems",
        )
    if isinstance(problems, str | bytes) or not isinstance(problems, Iterable):
        raise InputError(f"{wanted}, got {type(problems).__name__}", field="problems")
    return list(problems)


def _solve_one(args: tuple[Any, dict[str, Any]]) -> Result:
    problem, kwargs = args
    return solve(problem, **kwargs)


class BatchError(CareallocError):
    """Some solves of a ``solve_many`` batch failed while running; the rest finished.

    ``results`` is in input order with ``None`` where a solve failed; ``errors`` maps
    those positions to their exceptions.
    """

    def __init__(self, results: list[Result | None], errors: dict[int, BaseException]) -> None:
        self.results = results
        self.errors = errors
        first = min(errors)
        super().__init__(
            f"{len(errors)} of {len(results)} solves failed (problems "
            f"{', '.join(map(str, sorted(errors)))}); problems[{first}]: "
            f"{type(errors[first]).__name__}: {errors[first]}; the finished Results are in "
            "BatchError.results"
        )


def solve_many(
    problems: Iterable[Any],
    *,
    processes: int | None = None,
    show_progress: bool = True,
    **kwargs: Any,
) -> list[Result]:
    """Solve a batch (a list, or any iterable, of problems) in a process pool; Results
    come back in input order.

    ``kwargs`` go to ``solve`` for every problem (``on_solution`` is not allowed:
    callbacks do not cross process boundaries). Each solve gets one worker
    unless ``workers`` is given.

    Every problem is checked before any solve starts (its type, whether the backend
    does its family and the hint fits it, the run options): a bad one raises
    ``InputError`` with field ``problems[i]``. A solve that still fails while running
    (e.g. CP-SAT refusing a parameter) does not stop the others: when all have
    finished, ``BatchError`` is raised, holding every finished Result in input order.
    """
    if "on_solution" in kwargs:
        raise InputError("solve_many does not take on_solution", field="on_solution")
    if processes is not None and not is_whole_in(processes, 1, MAX_WORKERS):
        raise InputError(
            f"processes must be at least 1 and at most {MAX_WORKERS}, got {processes!r} "
            "(leave it unset for one per core)",
            field="processes",
        )
    batch = _as_list(problems)
    kwargs.setdefault("workers", 1)
    check_backend(kwargs.get("backend", "cpsat"))
    check_run_options(kwargs.get("time_limit"), kwargs.get("workers"), kwargs.get("seed"))
    check_callback_options(None, kwargs.get("log", False))
    per_problem = {k: kwargs[k] for k in ("backend", "stage_weights", "stage_caps") if k in kwargs}
    for i, problem in enumerate(batch):
        try:
            check_hint(kwargs.get("hint"), _check_problem(problem, **per_problem))
        except InputError as exc:
            raise InputError(exc.message, field=f"problems[{i}]") from None
    if not batch:
        return []
    results: list[Result | None] = [None] * len(batch)
    errors: dict[int, BaseException] = {}
    with (
        ProcessPoolExecutor(max_workers=None if processes is None else int(processes)) as pool,
        Progress(disable=not show_progress, transient=True) as bar,
    ):
        task = bar.add_task("solving", total=len(batch))
        futures = {pool.submit(_solve_one, (problem, kwargs)): i for i, problem in enumerate(batch)}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except Exception as exc:  # kept: the other solves go on
                errors[futures[future]] = exc
            bar.advance(task)
    if errors:
        raise BatchError(results, errors) from errors[min(errors)]
    return [result for result in results if result is not None]
