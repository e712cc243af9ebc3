"""Running a bench: every instance of a batch loaded and solved into one row each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.bench.batch import Instance, Sources, collect_instances
from optimizer.bench.out_dir import prepare_out_dir, write_instance_solution
from optimizer.bench.rows import (
    BAD_INPUT,
    ERROR,
    INTERRUPTED,
    NOT_RUN,
    NOT_RUN_MESSAGE,
    BenchRow,
)
from optimizer.bench.settings import RUN_SETTINGS, check_settings
from optimizer.errors import CareallocError, InputError

if TYPE_CHECKING:
    from optimizer.model.result import Result


def _default_loader(path: Path) -> Any:
    from optimizer.io.load import load_problem

    return load_problem(path)


def run_bench(
    sources: Sources,
    *,
    time_limit: float | None = 60.0,
    workers: int | None = None,
    select: str | None = None,
    backend: str = "cpsat",
    loader: Callable[[Path], Any] = _default_loader,
    on_row: Callable[[BenchRow], None] | None = None,
    out_dir: str | Path | None = None,
    **params: Any,
) -> list[BenchRow]:
    """Solve every selected instance of ``sources`` (instance files, folders of them,
    folders of a table bundle's CSV files, benchmark suites, glob patterns; see
    ``collect_instances``): one row each, in order.

    Without a ``best_known.csv`` the best-known values (and gaps) are unknown. An
    instance whose file is not valid input gives a row with status ``BAD_INPUT`` and
    the message (so does a problem the backend does not solve, a case problem on
    ``milp``), one that fails otherwise a row with status ``ERROR``; the others still
    run. A bad setting for the whole run (a ``params`` entry, the backend, time limit or
    workers) is not the instance's fault: its ``InputError`` ends the run at the first
    instance. With ``out_dir`` (a folder, created if missing) each instance's solution
    is written there as ``<instance>.csv`` and its Result as ``<instance>.json`` (no
    CSV without a solution; a row without a Result leaves neither, and older ones are
    removed so that no one takes them for this run's).

    Ctrl-C (or SIGTERM, see ``optimizer.solvers.interrupts``) stops the running solve:
    its row has status ``INTERRUPTED`` (with the best solution found by then), and every
    later instance gets a ``NOT RUN`` row.
    """
    from optimizer.solvers import interrupts

    check_settings(backend, time_limit, workers, params)
    folder = Path(out_dir) if out_dir is not None else None
    batch = collect_instances(sources, select, skip=folder)
    if folder is not None:
        prepare_out_dir(folder, batch)
    rows: list[BenchRow] = []
    with interrupts.stoppable():
        for instance in batch.instances:
            result: Result | None = None
            if interrupts.interrupted():
                row = BenchRow(
                    instance.name, NOT_RUN, None, instance.best_known, None, 0.0, NOT_RUN_MESSAGE
                )
            else:
                row, result = _bench_row(instance, loader, backend, time_limit, workers, params)
            if folder is not None:
                write_instance_solution(folder, instance.name, result)
            rows.append(row)
            if on_row is not None:
                on_row(row)
    return rows


def _bench_row(
    instance: Instance,
    loader: Callable[[Path], Any],
    backend: str,
    time_limit: float | None,
    workers: int | None,
    params: Mapping[str, Any],
) -> tuple[BenchRow, Result | None]:
    """Load and solve one instance: its row (``BAD_INPUT`` or ``ERROR`` if it failed,
    ``INTERRUPTED`` if an interrupt stopped it) and its Result (None if it failed)."""
    from optimizer.solve import solve
    from optimizer.solvers import interrupts

    name, best_value = instance.name, instance.best_known
    try:
        problem = loader(instance.path)
        result = solve(problem, backend=backend, time_limit=time_limit, workers=workers, **params)
    except CareallocError as exc:
        # The settings were checked before the first instance: an error naming the
        # backend now is this problem's family (a case problem on milp), a row of its own.
        run_wide = {*params, *RUN_SETTINGS} - {"backend"}
        if isinstance(exc, InputError) and exc.field in run_wide:
            raise
        status = BAD_INPUT if isinstance(exc, InputError) else ERROR
        return BenchRow(name, status, None, best_value, None, 0.0, str(exc)), None
    status = INTERRUPTED if interrupts.interrupted() else result.status.value
    row = BenchRow(
        name,
        status,
        result.objective,
        best_value,
        result.bound,
        round(result.seconds, 2),
        result.message,
    )
    return row, result
