"""Batch runner behind ``carealloc bench INPUT...``; works for any input format.

The inputs are instance files, folders of them, or glob patterns (``'weeks/*.json'``),
in any format ``optimizer.io.load.load_problem`` reads (sub-folders are searched too;
``.md`` and ``.csv`` files are not instances). A folder that holds a table bundle (a file
named after a bundle sheet: ``staff.csv``, ``tasks.csv``, …) is one instance, named after
the folder and not searched further. A folder with an ``instances/`` folder is a
benchmark suite: its instances are in there. A ``best_known.csv`` beside the
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

Modules, one concept each: ``runner`` (``run_bench``, one instance's row),
``settings`` (the run-wide settings and their check), ``batch`` (``collect_instances``:
the instances of files, folders, suites and glob patterns), ``instance_files`` (a
folder's instance files and bundle folders in natural order, ``--instances``
patterns), ``best_known`` (reading ``best_known.csv``, looking an instance up),
``out_dir`` (the solutions folder), ``rows`` (``BenchRow``, its statuses and cells),
``tables`` (Markdown, CSV, dicts).
"""

from optimizer.bench.batch import GLOB_CHARACTERS, Batch, Instance, Sources, collect_instances
from optimizer.bench.best_known import BEST_KNOWN_COLUMNS, BEST_KNOWN_FILE, read_best_known
from optimizer.bench.instance_files import NOT_INSTANCES, find_instances
from optimizer.bench.out_dir import (
    OUT_DIR_OPTION,
    prepare_out_dir,
    solution_paths,
    write_instance_solution,
)
from optimizer.bench.rows import (
    BAD_INPUT,
    CSV_COLUMNS,
    ERROR,
    INTERRUPTED,
    NOT_RUN,
    NOT_RUN_MESSAGE,
    BenchRow,
    row_cells,
)
from optimizer.bench.runner import run_bench
from optimizer.bench.settings import (
    BENCH_ADVICE,
    PASSED_ON,
    RUN_SETTINGS,
    check_params,
    check_settings,
)
from optimizer.bench.tables import as_dicts, to_markdown, write_csv

__all__ = [
    "BAD_INPUT",
    "BENCH_ADVICE",
    "BEST_KNOWN_COLUMNS",
    "BEST_KNOWN_FILE",
    "CSV_COLUMNS",
    "ERROR",
    "GLOB_CHARACTERS",
    "INTERRUPTED",
    "NOT_INSTANCES",
    "NOT_RUN",
    "NOT_RUN_MESSAGE",
    "OUT_DIR_OPTION",
    "PASSED_ON",
    "RUN_SETTINGS",
    "Batch",
    "BenchRow",
    "Instance",
    "Sources",
    "as_dicts",
    "check_params",
    "check_settings",
    "collect_instances",
    "find_instances",
    "prepare_out_dir",
    "read_best_known",
    "row_cells",
    "run_bench",
    "solution_paths",
    "to_markdown",
    "write_csv",
    "write_instance_solution",
]
