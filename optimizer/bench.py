"""Batch runner behind ``carealloc bench INPUT...``; works for any input format.

The inputs are instance files, folders of them, or glob patterns (``'weeks/*.json'``),
in any format ``optimizer.io.load.load_problem`` reads (sub-folders are searched too;
``.md`` and ``.csv`` files are not instances). A folder with an ``instances/`` folder is
a benchmark suite: its instances are in there. A ``best_known.csv`` beside the
instances (in a suite: beside ``instances/``) is optional and gives best-known values:

* one row per instance. The instance name is the column named ``instance`` or
  ``name``, else the **first column** (matched against the file name with or without
  extension, or the path relative to the instances folder).
* The best-known value comes from the first column whose name is one of
  ``best_known``, ``best_ub``, ``best_known_ub``, ``ub``, ``upper_bound``, ``best``,
  ``opt``, ``optimum``, ``makespan`` (any case), else from the first column whose
  name contains ``best``. Empty or non-numeric cells mean "unknown".

Each instance is solved with the same limits; the rows give status, objective,
best known, gap % ((objective − best) / best), bound and seconds. An instance whose
file is not valid input gets a ``BAD INPUT`` row with the message; the rest still run.
With ``out_dir`` each instance's solution is written there as ``<instance>.csv``
(roster or schedule CSV contract) and ``<instance>.json`` (the Result).
"""

from __future__ import annotations

import csv
import fnmatch
import glob
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.errors import CareallocError, InputError

if TYPE_CHECKING:
    from optimizer.model.result import Result

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

BEST_KNOWN_FILE = "best_known.csv"
"""The optional table of best-known values beside the instances."""

NOT_INSTANCES = (".md", ".csv")
"""Files with these extensions in an instance folder are not instances."""

GLOB_CHARACTERS = frozenset("*?[")
"""An input that names no file and holds one of these is a glob pattern."""

OUT_DIR_OPTION = "--out-dir"
"""The field named by errors about the solutions folder (``out_dir`` in Python)."""


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


def find_instances(
    instances_dir: Path, select: str | None = None, skip: Path | None = None
) -> list[Path]:
    """Instance files under ``instances_dir`` in natural order, optionally filtered.

    ``select`` is a comma-separated list of names or glob patterns, matched against
    the file name and the path inside ``instances_dir``, with and without the
    extension (``Instance1,Instance2``, ``Instance1?``, ``j30/j301_1``). Files under
    ``skip`` (the solutions folder) are left out.
    """
    if not instances_dir.is_dir():
        raise InputError("the suite has no 'instances' folder", file=str(instances_dir))
    files = _files_under(instances_dir, skip)
    if select:
        patterns = _patterns(select)
        files = [p for p in files if _matches(p, patterns, instances_dir)]
        if not files:
            raise InputError(
                f"no instance matches '{select}'", file=str(instances_dir), field="--instances"
            )
    return files


def _files_under(folder: Path, skip: Path | None = None) -> list[Path]:
    """The instance files under ``folder`` (not hidden, not ``NOT_INSTANCES``, not under
    ``skip``), in natural order of their path inside ``folder``."""
    skipped = skip.resolve() if skip is not None else None
    files = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and _is_instance_file(p)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (skipped is None or not p.resolve().is_relative_to(skipped))
    ]
    files.sort(key=lambda p: _natural_key(str(p.relative_to(folder))))
    return files


def _is_instance_file(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() not in NOT_INSTANCES


def _patterns(select: str) -> list[str]:
    return [s.strip() for s in select.split(",") if s.strip()]


def _matches(path: Path, patterns: Sequence[str], instances_dir: Path) -> bool:
    relative = path.relative_to(instances_dir)
    names = (path.stem, path.name, relative.as_posix(), relative.with_suffix("").as_posix())
    return any(fnmatch.fnmatch(name, pat) for pat in patterns for name in names)


def _lookup(best: Mapping[str, int | None], path: Path, instances_dir: Path) -> int | None:
    relative = path.relative_to(instances_dir)
    for key in (path.stem, path.name, str(relative), str(relative.with_suffix(""))):
        if key in best:
            return best[key]
    return None


def _default_loader(path: Path) -> Any:
    from optimizer.io.load import load_problem

    return load_problem(path)


@dataclass(frozen=True)
class Instance:
    """One instance of a batch: its row name, its file and best-known value (or None)."""

    name: str
    path: Path
    best_known: int | None = None


@dataclass(frozen=True)
class Batch:
    """The instances of a run and the best-known tables they were looked up in."""

    instances: tuple[Instance, ...]
    best_known_files: tuple[Path, ...]

    @property
    def best_known_given(self) -> bool:
        """Whether any ``best_known.csv`` was found (else every best known is unknown)."""
        return bool(self.best_known_files)


Sources = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
"""What ``run_bench`` takes: one file, folder or glob pattern, or several."""


def collect_instances(
    sources: Sources, select: str | None = None, skip: Path | None = None
) -> Batch:
    """The instances named by ``sources`` (files, folders, suites, glob patterns), in
    the order given (a folder's in natural order), each file once.

    ``select`` filters them as in ``find_instances``; files under ``skip`` (the
    solutions folder) are left out. A source that names nothing, a ``select`` that
    matches nothing, two files that would get one row name, or an unreadable
    ``best_known.csv`` raise ``InputError``. An empty folder gives no instances.
    """
    tables: dict[Path, dict[str, int | None]] = {}
    found: list[Instance] = []
    for source in _source_list(sources):
        found += _source_instances(Path(source), tables, skip)
    instances = _named_once(_each_file_once(found))
    if select:
        patterns = _patterns(select)
        instances = [item for item in instances if _selects(item, patterns)]
        if not instances:
            raise InputError(f"no instance matches '{select}'", field="--instances")
    return Batch(tuple(instances), tuple(tables))


def _source_list(sources: Sources) -> list[str | os.PathLike[str]]:
    if isinstance(sources, str | os.PathLike):
        return [sources]
    return list(sources)


def _source_instances(
    path: Path, tables: dict[Path, dict[str, int | None]], skip: Path | None
) -> list[Instance]:
    """The instances of one source: a folder (or suite), a file, or a glob pattern."""
    if path.is_dir():
        suite = path / "instances"
        root = suite if suite.is_dir() else path
        _check_not_in_out_dir(root, skip)
        best = _best_known_table(path / BEST_KNOWN_FILE, tables)
        return [
            Instance(str(file.relative_to(root).with_suffix("")), file, _lookup(best, file, root))
            for file in _files_under(root, skip)
        ]
    if path.is_file():
        return [_file_instance(path, tables)]
    if GLOB_CHARACTERS & set(str(path)):
        matches = sorted(glob.glob(str(path), recursive=True), key=_natural_key)
        if not matches:
            raise InputError("no file or folder matches this pattern", file=str(path))
        found: list[Instance] = []
        for match in map(Path, matches):
            if match.is_dir() or _is_instance_file(match):
                found += _source_instances(match, tables, skip)
        return found
    raise InputError(
        "no such file or folder (give instance files, folders of them, or a glob pattern)",
        file=str(path),
    )


def _check_not_in_out_dir(folder: Path, out_dir: Path | None) -> None:
    """Refuse an instance folder that is (or is inside) the solutions folder: the
    solutions would be taken for instances by the next run."""
    if out_dir is not None and folder.resolve().is_relative_to(out_dir.resolve()):
        raise InputError(
            f"the instance folder {folder} is the solutions folder or inside it, so the next run "
            "would take the solutions for instances; choose another folder",
            file=str(out_dir),
            field=OUT_DIR_OPTION,
        )


def _file_instance(path: Path, tables: dict[Path, dict[str, int | None]]) -> Instance:
    """A file given on its own: named by its stem; its best known from a
    ``best_known.csv`` in its folder, or beside the ``instances`` folder it is in."""
    folder = path.parent
    table = folder / BEST_KNOWN_FILE
    if not table.is_file() and folder.name == "instances":
        table = folder.parent / BEST_KNOWN_FILE
    best = _best_known_table(table, tables)
    return Instance(path.stem, path, _lookup(best, path, folder))


def _best_known_table(
    path: Path, tables: dict[Path, dict[str, int | None]]
) -> dict[str, int | None]:
    """The best-known values in ``path`` ({} when there is no such file), read once."""
    if not path.is_file():
        return {}
    if path not in tables:
        tables[path] = read_best_known(path)
    return tables[path]


def _each_file_once(found: Sequence[Instance]) -> list[Instance]:
    """``found`` without repeats of a file (given twice, or by a file and its folder)."""
    seen: set[Path] = set()
    unique: list[Instance] = []
    for item in found:
        key = item.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _named_once(found: Sequence[Instance]) -> list[Instance]:
    """Files that share a row name (``ward.json``, ``ward.xlsx``) keep their extension in
    it; two that still share one raise ``InputError`` (their solutions would clash)."""
    counts = Counter(item.name for item in found)
    first: dict[str, Instance] = {}
    named: list[Instance] = []
    for item in found:
        name = item.name + item.path.suffix if counts[item.name] > 1 else item.name
        if name in first:
            raise InputError(
                f"two instances would both be named '{item.name}' ({first[name].path} and "
                f"{item.path}); rename one or bench them in separate runs",
                file=str(item.path),
            )
        first[name] = item
        named.append(Instance(name, item.path, item.best_known))
    return named


def _selects(item: Instance, patterns: Sequence[str]) -> bool:
    name = Path(item.name).as_posix()
    bare = name.removesuffix(item.path.suffix)
    names = (item.path.stem, item.path.name, name, bare, bare + item.path.suffix)
    return any(fnmatch.fnmatch(text, pat) for pat in patterns for text in names)


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
    benchmark suites, glob patterns; see ``collect_instances``): one row each, in order.

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


INTERRUPTED = "INTERRUPTED"
"""The status of the row whose solve Ctrl-C or SIGTERM stopped (its best is shown)."""

NOT_RUN = "NOT RUN"
"""The status of the rows after an interrupted one."""

NOT_RUN_MESSAGE = "not run: interrupted"

BAD_INPUT = "BAD INPUT"
"""The status of an instance whose file (or problem) is not valid input; the row's
message says why (the CLI then ends with exit code 2)."""

ERROR = "ERROR"
"""The status of an instance whose solve failed for another reason (e.g. a missing
solver); the row's message says why."""


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


def solution_paths(out_dir: Path, name: str) -> tuple[Path, Path]:
    """Where ``out_dir`` gets an instance's solution CSV and Result JSON."""
    return out_dir / f"{name}.csv", out_dir / f"{name}.json"


def prepare_out_dir(out_dir: Path, batch: Batch) -> None:
    """Create the solutions folder (its parent must exist) unless a solution there would
    overwrite an input file or it cannot be written; ``InputError`` names ``--out-dir``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            "is a file; give a folder for the solutions", file=str(out_dir), field=OUT_DIR_OPTION
        )
    _check_overwrites_no_input(out_dir, batch)
    if not out_dir.exists():
        if not out_dir.parent.is_dir():
            raise InputError(
                f"the folder {out_dir.parent} does not exist; create it first",
                file=str(out_dir),
                field=OUT_DIR_OPTION,
            )
        _check_writable(out_dir.parent, out_dir)
        out_dir.mkdir()
    _check_writable(out_dir, out_dir)


def _check_overwrites_no_input(out_dir: Path, batch: Batch) -> None:
    """Refuse a solutions folder where an instance's solution is an input file."""
    inputs = {item.path.resolve(): item.path for item in batch.instances}
    inputs |= {path.resolve(): path for path in batch.best_known_files}
    for instance in batch.instances:
        for path in solution_paths(out_dir, instance.name):
            if path.resolve() in inputs:
                raise InputError(
                    f"the solution {path} would overwrite the input file "
                    f"{inputs[path.resolve()]}; choose another folder",
                    file=str(out_dir),
                    field=OUT_DIR_OPTION,
                )


def _check_writable(folder: Path, out_dir: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot create files in the folder {folder} (no write permission)",
            file=str(out_dir),
            field=OUT_DIR_OPTION,
        )


def write_instance_solution(out_dir: Path, name: str, result: Result | None) -> None:
    """Write ``<name>.json`` (the Result) and, with a solution, ``<name>.csv`` into
    ``out_dir``; a file of an earlier run that this run does not write is removed."""
    from optimizer.io.solution import write_solution

    table, record = solution_paths(out_dir, name)
    table.parent.mkdir(parents=True, exist_ok=True)  # a name may hold a sub-folder
    if result is not None:
        write_solution(result, record)
    else:
        record.unlink(missing_ok=True)
    if result is not None and result.status.has_solution:
        write_solution(result, table)
    else:
        table.unlink(missing_ok=True)


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
