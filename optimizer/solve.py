"""The one entry point: ``solve(problem, backend=..., ...) -> Result``."""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import signal
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing.synchronize import Event as EventType
from types import FrameType
from typing import Any, SupportsFloat

from rich.progress import Progress

from optimizer.errors import CareallocError, InputError, SolverUnavailableError
from optimizer.model import Problem
from optimizer.model.common import MAX_WEIGHT
from optimizer.model.result import CaseSchedule, Result, RosterSolution, SolveStatus
from optimizer.model.roster import ROSTER_PENALTY_RULES, RosterProblem
from optimizer.solvers import BACKENDS, FAMILY_BACKENDS, interrupts
from optimizer.solvers.options import (
    MAX_WORKERS,
    SolutionCallback,
    SolveOptions,
    check_callback_options,
    check_run_options,
    is_bool,
    is_whole_in,
    real_value,
)


def solve(
    problem: Problem,
    backend: str = "cpsat",
    time_limit: SupportsFloat | None = None,
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
        **params: backend parameters (CP-SAT's by name, the MILP settings) and our model
            switches (``model_switches()``); each is checked before any solve.

    Ctrl-C during the call stops the search and returns the best solution found by
    then, its ``message`` starting with ``interrupted:`` (``optimizer.solvers.interrupts``).
    """
    check_backend(backend)
    seconds, workers, seed = check_run_options(time_limit, workers, seed)
    on_solution, log = check_callback_options(on_solution, log)
    family = _check_problem(problem, backend, stage_weights, stage_caps)
    options = SolveOptions(
        time_limit=seconds,
        workers=workers,
        seed=seed,
        hint=check_hint(hint, family),
        on_solution=on_solution,
        log=log,
        params=check_params(params),
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
    check_backend_params(backend, options.params)
    with interrupts.stoppable():
        result: Result = module.solve(problem, options)
        return _noted(result)


def check_solve_call(
    problem: object,
    backend: object,
    time_limit: object,
    workers: object,
    seed: object,
    params: Mapping[str, Any],
) -> None:
    """Raise ``InputError`` for what ``solve`` would refuse before any work (backend,
    time limit, workers, seed, the problem's family, the parameters), so that a caller
    can check a call before it announces the solve."""
    check_backend(backend)
    check_run_options(time_limit, workers, seed)
    _check_problem(problem, str(backend))
    check_backend_params(str(backend), check_params(dict(params)))


def _noted(result: Result) -> Result:
    """``result`` saying so in its message when Ctrl-C or SIGTERM stopped the search; a
    search stopped before any solution has no other reason worth giving."""
    if not interrupts.interrupted():
        return result
    if result.status is SolveStatus.UNKNOWN:
        message = interrupts.note(has_solution=False)
    else:
        message = interrupts.marked(result.message, result.status.has_solution)
    return result.model_copy(update={"message": message})


def check_backend_params(backend: str, params: Mapping[str, Any]) -> None:
    """Raise ``InputError`` naming the parameter unless ``backend`` takes it: the MILP
    settings, or our model switches and CP-SAT parameters (names and values, tried on
    an empty model). Checked before any work, whichever path the solve takes."""
    if backend == "milp":
        from optimizer.solvers.milp.params import check_params as check_milp

        check_milp(params)
        return
    from optimizer.solvers.cpsat.runner import check_params as check_cpsat

    switches = model_switches()
    check_cpsat({name: value for name, value in params.items() if name not in switches})


def model_switches() -> dict[str, Any]:
    """Our own model switches, passed like backend parameters, with their defaults."""
    from optimizer.solvers.cpsat.cases import CASE_SWITCHES
    from optimizer.solvers.cpsat.roster import TUNING_DEFAULTS

    return {**TUNING_DEFAULTS, **CASE_SWITCHES}


def solve_arguments() -> frozenset[str]:
    """The names ``solve`` takes itself (``seed``, ``hint``, ...): never backend parameters."""
    return frozenset(
        name
        for name, parameter in inspect.signature(solve).parameters.items()
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD
    )


def check_params(
    params: Mapping[str, Any],
    advice: Mapping[str, str] | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    """``params`` as a backend gets them, or ``InputError`` naming the parameter.

    A name ``solve`` takes itself is refused with ``advice`` on how to set it instead
    (``{"seed": "use --seed"}``; ``field`` overrides the parameter's name as the error's
    field). Our model switches' values are checked and made plain: an on/off switch takes
    ``True`` or ``False`` (NumPy's too, never text such as ``"False"``), or ``"auto"``
    where that is its default; a share is a number above 0 and at most 1.
    """
    own = solve_arguments()
    for name in params:
        if name in own:
            how = (advice or {}).get(name, f"it is set only from Python: solve(..., {name}=...)")
            raise InputError(f"'{name}' is not a backend parameter; {how}", field=field or name)
    switches = model_switches() if params else {}
    return {
        name: _switch_value(name, value, switches[name]) if name in switches else value
        for name, value in params.items()
    }


def _switch_value(name: str, value: object, default: object) -> object:
    """A model switch's value, plain; ``InputError`` unless it is one the switch takes."""
    if isinstance(default, float):  # a share of the time limit
        share = real_value(value)
        if share is None or not 0 < share <= 1:
            raise InputError(
                f"{name} must be a number above 0 and at most 1 (a share of the time "
                f"limit), got {value!r}",
                field=name,
            )
        return share
    if not isinstance(default, bool) and default != "auto":
        return value
    if is_bool(value):
        return bool(value)
    if default == "auto" and isinstance(value, str) and value == "auto":
        return value
    allowed = "true or false" + (" (or auto, the default)" if default == "auto" else "")
    raise InputError(f"{name} must be {allowed}, got {value!r}", field=name)


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
    caps = _stage_shapes(stage_weights, stage_caps)
    groups = [stage_weights or {}, *(weights for weights, _ in caps)]
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


def _stage_shapes(stage_weights: object, stage_caps: object) -> list[tuple[Mapping[str, Any], int]]:
    """``stage_caps`` as a list, once both are of the right shape (``InputError`` if not):
    ``stage_weights`` a dict of rule -> multiplier, each cap a (such dict, whole number)."""
    if stage_weights is not None and not isinstance(stage_weights, Mapping):
        raise InputError(
            f"stage_weights must be a dict of penalty rule -> multiplier, got {stage_weights!r}",
            field="stage_weights",
        )
    caps = list(stage_caps) if isinstance(stage_caps, list | tuple) else None
    if caps is None or not all(
        isinstance(cap, list | tuple)
        and len(cap) == 2
        and isinstance(cap[0], Mapping)
        and is_whole_in(cap[1], 0, 2**63 - 1)
        for cap in caps
    ):
        raise InputError(
            "stage_caps must be a list of (dict of penalty rule -> multiplier, cap) pairs, "
            f"got {stage_caps!r}",
            field="stage_caps",
        )
    return [(weights, int(cap)) for weights, cap in caps]


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


def _solve_one(args: tuple[Any, dict[str, Any]]) -> Result | None:
    """One solve of a batch, in a worker process; None once the batch was interrupted."""
    problem, kwargs = args
    if interrupts.interrupted() or (_batch_cancel is not None and _batch_cancel.is_set()):
        return None
    return solve(problem, **kwargs)


_batch_cancel: EventType | None = None
"""In a batch worker process: set by the parent when the batch is interrupted."""


def _start_worker(cancel: EventType) -> None:
    """Set up a batch worker process: Ctrl-C between two solves does nothing (within a
    solve it stops the search, see ``interrupts``), and once the parent sets ``cancel``
    the running search stops and no further solve starts."""
    global _batch_cancel
    _batch_cancel = cancel
    interrupts.fresh_process()
    signal.signal(signal.SIGINT, _between_solves)

    def watch() -> None:
        cancel.wait()
        interrupts.stop_everything("Ctrl-C")

    threading.Thread(target=watch, name="carealloc batch cancel", daemon=True).start()


def _between_solves(signum: int, frame: FrameType | None) -> None:
    """A batch worker's SIGINT handler outside its solves: the parent decides."""


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


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a ``solve_many`` batch: the running solves stopped and kept their
    best solution (their message starts with ``interrupted:``), the queued ones never ran.

    A ``KeyboardInterrupt``; ``results`` is in input order with ``None`` for a solve
    that never ran or failed, ``errors`` maps failed positions to their exceptions.
    """

    def __init__(self, results: list[Result | None], errors: dict[int, BaseException]) -> None:
        self.results = results
        self.errors = errors
        kept = sum(result is not None for result in results)
        super().__init__(
            f"interrupted: {kept} of {len(results)} solves have a Result "
            "(BatchInterrupted.results); the others never ran or failed"
        )


def solve_many(
    problems: Iterable[Problem],
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
    does its family and the hint fits it, the run options and our model switches): a
    bad one raises
    ``InputError`` with field ``problems[i]``; so does a backend parameter CP-SAT (or
    the MILP backend) refuses, with its name as the field. A solve that still fails
    while running (e.g. a solver crash) does not stop the others: when all have
    finished, ``BatchError`` is raised, holding every finished Result in input order.

    Ctrl-C (a ``KeyboardInterrupt`` here) cancels the solves not yet started, stops the
    running ones (each keeps its best solution) and raises ``BatchInterrupted`` (a
    ``KeyboardInterrupt``) holding their Results in input order; a second Ctrl-C stops
    waiting for them.
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
    backend_params = check_params({k: v for k, v in kwargs.items() if k not in solve_arguments()})
    check_backend_params(kwargs.get("backend", "cpsat"), backend_params)
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
    context = multiprocessing.get_context()
    cancel = context.Event()
    pool = ProcessPoolExecutor(
        max_workers=None if processes is None else int(processes),
        mp_context=context,
        initializer=_start_worker,
        initargs=(cancel,),
    )
    futures: dict[Future[Result | None], int] = {}
    try:
        with Progress(disable=not show_progress, transient=True) as bar:
            task = bar.add_task("solving", total=len(batch))
            for i, problem in enumerate(batch):
                futures[pool.submit(_solve_one, (problem, kwargs))] = i
            for future in as_completed(futures):
                _collect(future, futures[future], results, errors)
                bar.advance(task)
    except KeyboardInterrupt:
        cancel.set()
        _gather_stopped(pool, futures, results, errors)
        raise BatchInterrupted(results, errors) from None
    finally:
        pool.shutdown(wait=not cancel.is_set(), cancel_futures=True)
    if errors:
        raise BatchError(results, errors) from errors[min(errors)]
    return [result for result in results if result is not None]


def _collect(
    future: Future[Result | None],
    i: int,
    results: list[Result | None],
    errors: dict[int, BaseException],
) -> None:
    """Put a finished solve's Result (or its exception) at position ``i``."""
    error = future.exception()  # (a Ctrl-C while waiting here raises in this thread)
    if error is None:
        results[i] = future.result()
    else:  # kept: the other solves go on
        errors[i] = error


def _gather_stopped(
    pool: ProcessPoolExecutor,
    futures: dict[Future[Result | None], int],
    results: list[Result | None],
    errors: dict[int, BaseException],
) -> None:
    """After Ctrl-C: cancel the queued solves and wait for the running ones, which stop
    at once with their best solution; a second Ctrl-C stops the waiting."""
    pool.shutdown(wait=False, cancel_futures=True)
    try:
        for future, i in futures.items():
            if not future.cancelled():
                _collect(future, i, results, errors)
    except KeyboardInterrupt:
        pass
