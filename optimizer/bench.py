"""Benchmark runner behind ``carealloc bench SUITE_DIR``; works for any input format.

A suite is a folder with

* ``instances/`` — the instance files, any format ``optimizer.io.load.load_problem``
  reads (sub-folders are searched too);
* ``best_known.csv`` — one row per instance. The instance name is the column
  named ``instance`` or ``name``, else the **first column** (matched against the
  file name with or without extension, or the path relative to ``instances/``).
  The best-known value comes from the first column whose name is one of
  ``best_known``, ``best_ub``, ``best_known_ub``, ``ub``, ``upper_bound``, ``best``,
  ``opt``, ``optimum``, ``makespan`` (any case), else from the first column whose
  name contains ``best``. Empty or non-numeric cells mean "unknown".

Each instance is solved with the same limits; the rows give status, objective,
best known, gap % ((objective − best) / best), bound and seconds.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from optimizer.errors import CareallocError, InputError

BEST_KNOWN_COLUMNS = (
    "best_known",
    "best_ub",
    "best_known_ub",
    "ub",
    "upper_bound",
    "best",
    "opt",
    "optimum",
    "makespan",
)
RUN_SETTINGS = ("backend", "time_limit", "workers")
"""``solve`` arguments that ``run_bench`` passes the same for every instance."""

CSV_COLUMNS = ("instance", "status", "objective", "best_known", "gap_pct", "bound", "seconds")


@dataclass(frozen=True)
class BenchRow:
    """One solved instance."""

    instance: str
    status: str
    objective: int | None
    best_known: int | None
    bound: int | None
    seconds: float
    message: str = ""

    @property
    def gap_pct(self) -> float | None:
        """(objective − best known) / |best known| in percent (None if unknown)."""
        if self.objective is None or self.best_known is None:
            return None
        return 100.0 * (self.objective - self.best_known) / max(1, abs(self.best_known))


def _natural_key(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def _number(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return round(value)


def read_best_known(path: Path) -> dict[str, int | None]:
    """Instance name → best-known value from a suite's ``best_known.csv``."""
    from optimizer.io.load import CSV_UTF8_HINT, read_text

    rows = list(csv.reader(io.StringIO(read_text(path, CSV_UTF8_HINT))))
    if not rows or not rows[0]:
        raise InputError("the best-known file is empty (expected a header row)", file=str(path))
    header = [name.strip().lower() for name in rows[0]]
    # PSPLIB's table starts with a ``set`` column: prefer a column named instance/name.
    key = next((header.index(name) for name in ("instance", "name") if name in header), 0)
    column = next((header.index(name) for name in BEST_KNOWN_COLUMNS if name in header), None)
    if column is None:
        column = next((i for i, name in enumerate(header) if "best" in name), None)
    if column is None or column == key:
        raise InputError(
            "no best-known column: expected one named "
            + ", ".join(BEST_KNOWN_COLUMNS)
            + " (or containing 'best') after the instance-name column",
            file=str(path),
            line=1,
        )
    values: dict[str, int | None] = {}
    for row in rows[1:]:
        if not row or row[0].startswith("#") or key >= len(row) or not row[key].strip():
            continue
        values[row[key].strip()] = _number(row[column]) if column < len(row) else None
    return values


def find_instances(instances_dir: Path, select: str | None = None) -> list[Path]:
    """Instance files under ``instances_dir`` in natural order, optionally filtered.

    ``select`` is a comma-separated list of names or glob patterns, matched against
    the file name and the path inside ``instances_dir``, with and without the
    extension (``Instance1,Instance2``, ``Instance1?``, ``j30/j301_1``).
    """
    if not instances_dir.is_dir():
        raise InputError("the suite has no 'instances' folder", file=str(instances_dir))
    files = [
        p
        for p in instances_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in (".md", ".csv")
    ]
    files.sort(key=lambda p: _natural_key(str(p.relative_to(instances_dir))))
    if select:
        patterns = [s.strip() for s in select.split(",") if s.strip()]
        files = [p for p in files if _matches(p, patterns, instances_dir)]
        if not files:
            raise InputError(
                f"no instance matches '{select}'", file=str(instances_dir), field="--instances"
            )
    return files


def _matches(path: Path, patterns: Sequence[str], instances_dir: Path) -> bool:
    relative = path.relative_to(instances_dir)
    names = (path.stem, path.name, relative.as_posix(), relative.with_suffix("").as_posix())
    return any(fnmatch.fnmatch(name, pat) for pat in patterns for name in names)


def _lookup(best: dict[str, int | None], path: Path, instances_dir: Path) -> int | None:
    relative = path.relative_to(instances_dir)
    for key in (path.stem, path.name, str(relative), str(relative.with_suffix(""))):
        if key in best:
            return best[key]
    return None


def _default_loader(path: Path) -> Any:
    from optimizer.io.load import load_problem

    return load_problem(path)


def check_suite(suite: Path) -> None:
    """Raise ``InputError`` unless ``suite`` is a folder."""
    if suite.is_file():
        raise InputError(
            "is a file, not a suite folder (expected a folder with instances/ and best_known.csv)",
            file=str(suite),
        )
    if not suite.is_dir():
        raise InputError("the suite folder does not exist", file=str(suite))


PASSED_ON = ("seed", "log", "on_solution")
"""``solve`` arguments ``run_bench`` passes to every solve from its ``params``."""

BENCH_ADVICE = {
    "backend": "use --backend",
    "time_limit": "use --time-limit",
    "workers": "use --workers",
    "hint": "a hint fits one problem, not every instance of a suite",
    "stage_weights": "a bench solves the weighted objective (stages: solve_lexicographic)",
    "stage_caps": "a bench solves the weighted objective (stages: solve_lexicographic)",
}
"""How to set the other ``solve`` arguments instead of passing them as parameters."""


def check_settings(
    backend: str,
    time_limit: float | None,
    workers: int | None,
    params: Mapping[str, Any] | None = None,
) -> None:
    """Raise ``InputError`` naming the setting unless backend, time limit, workers and
    ``params`` (``PASSED_ON`` arguments such as ``seed``, backend parameters and our
    switches, with their values) are usable: checked before any instance, as ``solve``
    would for each."""
    from optimizer.solve import check_backend
    from optimizer.solve import check_params as check_switches
    from optimizer.solvers.options import check_callback_options, check_run_options

    given = dict(params or {})
    check_backend(backend)
    check_run_options(time_limit, workers, None)
    try:  # bench takes its seed as --param seed=N: the message names that, not --seed
        check_run_options(None, None, given.get("seed"))
    except InputError as exc:
        raise InputError(exc.message, field="--param seed") from None
    check_callback_options(given.get("on_solution"), given.get("log", False))
    rest = {name: value for name, value in given.items() if name not in PASSED_ON}
    check_params(backend, check_switches(rest, BENCH_ADVICE))


def check_params(backend: str, params: Mapping[str, Any]) -> None:
    """Raise ``InputError`` naming the parameter unless ``backend`` takes it
    (``optimizer.solve.check_backend_params``)."""
    from optimizer.solve import check_backend_params

    check_backend_params(backend, params)


def run_bench(
    suite_dir: str | Path,
    *,
    time_limit: float | None = 60.0,
    workers: int | None = None,
    select: str | None = None,
    backend: str = "cpsat",
    loader: Callable[[Path], Any] = _default_loader,
    on_row: Callable[[BenchRow], None] | None = None,
    **params: Any,
) -> list[BenchRow]:
    """Solve every selected instance of a suite; one row each, in natural order.

    An instance that fails to load or solve gives a row with status ``ERROR``
    and the message; the others still run. A bad setting for the whole run (a
    ``params`` entry, the backend, time limit or workers) is not the instance's
    fault: its ``InputError`` ends the run at the first instance.

    Ctrl-C (or SIGTERM, see ``optimizer.solvers.interrupts``) stops the running solve:
    its row has status ``INTERRUPTED`` (with the best solution found by then), and every
    later instance gets a ``NOT RUN`` row.
    """
    from optimizer.solvers import interrupts

    suite = Path(suite_dir)
    check_settings(backend, time_limit, workers, params)
    check_suite(suite)
    best = read_best_known(suite / "best_known.csv")
    instances_dir = suite / "instances"
    rows: list[BenchRow] = []
    with interrupts.stoppable():
        for path in find_instances(instances_dir, select):
            name = str(path.relative_to(instances_dir).with_suffix(""))
            best_value = _lookup(best, path, instances_dir)
            if interrupts.interrupted():
                row = BenchRow(name, NOT_RUN, None, best_value, None, 0.0, "not run: interrupted")
            else:
                row = _bench_row(
                    name, best_value, path, loader, backend, time_limit, workers, params
                )
            rows.append(row)
            if on_row is not None:
                on_row(row)
    return rows


INTERRUPTED = "INTERRUPTED"
"""The status of the row whose solve Ctrl-C or SIGTERM stopped (its best is shown)."""

NOT_RUN = "NOT RUN"
"""The status of the rows after an interrupted one."""


def _bench_row(
    name: str,
    best_value: int | None,
    path: Path,
    loader: Callable[[Path], Any],
    backend: str,
    time_limit: float | None,
    workers: int | None,
    params: Mapping[str, Any],
) -> BenchRow:
    """Load and solve one instance: its row (``ERROR`` if it failed, ``INTERRUPTED`` if
    an interrupt stopped it)."""
    from optimizer.solve import solve
    from optimizer.solvers import interrupts

    try:
        problem = loader(path)
        result = solve(problem, backend=backend, time_limit=time_limit, workers=workers, **params)
    except CareallocError as exc:
        if isinstance(exc, InputError) and exc.field in {*params, *RUN_SETTINGS}:
            raise
        return BenchRow(name, "ERROR", None, best_value, None, 0.0, str(exc))
    status = INTERRUPTED if interrupts.interrupted() else result.status.value
    return BenchRow(
        name,
        status,
        result.objective,
        best_value,
        result.bound,
        round(result.seconds, 2),
        result.message,
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def row_cells(row: BenchRow) -> list[str]:
    """The row as display strings in ``CSV_COLUMNS`` order."""
    return [
        row.instance,
        row.status,
        _cell(row.objective),
        _cell(row.best_known),
        _cell(row.gap_pct),
        _cell(row.bound),
        _cell(row.seconds),
    ]


def to_markdown(rows: Sequence[BenchRow], title: str | None = None) -> str:
    """A Markdown table (with an optional heading line before it)."""
    lines = [f"{title}\n"] if title else []
    lines.append("| " + " | ".join(CSV_COLUMNS).replace("gap_pct", "gap %") + " |")
    lines.append("|" + "---|" * len(CSV_COLUMNS))
    lines += ["| " + " | ".join(row_cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_csv(rows: Sequence[BenchRow], path: str | Path) -> None:
    """The rows as CSV with ``CSV_COLUMNS`` (plus ``message``)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CSV_COLUMNS, "message"])
        for row in rows:
            writer.writerow([*row_cells(row), row.message])


def as_dicts(rows: Sequence[BenchRow]) -> list[dict[str, Any]]:
    """Rows as plain dicts (with ``gap_pct``), e.g. for JSON."""
    return [{**asdict(row), "gap_pct": row.gap_pct} for row in rows]
