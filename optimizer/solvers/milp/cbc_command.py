"""The CBC command for a solve: which binary, its limits, seed and extra options.

``cbc_options`` are read by CBC in a dry run first, and an option it rejects is an
error rather than silently dropped.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess

# OR-Tools before PuLP (see runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

from optimizer.errors import InputError, SolverUnavailableError
from optimizer.solvers.milp.integer_objective import INTEGRAL_GAP
from optimizer.solvers.milp.parent_death import die_with_parent
from optimizer.solvers.options import SEED_LIMIT, SolveOptions

CBC_PATH_ENV = "CAREALLOC_CBC_PATH"
CBC_DRY_RUN_SECONDS = 5.0
"""At most this long for CBC to read ``cbc_options`` and quit (``_cbc_refusal``)."""


def cbc_seed(seed: int) -> int:
    """CBC's ``randomCbcSeed`` for our seed: CBC reads 0 as "seed from the time of day",
    so seeds map to 1 … 2**31 - 1 (0 → 1, 1 → 2, …; the last one wraps to 1)."""
    return seed % (SEED_LIMIT - 1) + 1


def cbc_command(
    options: SolveOptions, log_path: str | None, warm_start: bool = False
) -> pulp.COIN_CMD:
    """A CBC command for these options; raises when no CBC binary can run.

    Its time limit counts elapsed (wall-clock) time, as our deadline does.
    """
    path = options.params.get("cbc_path")
    source = "" if path else f" (from {CBC_PATH_ENV})"
    path = path or os.environ.get(CBC_PATH_ENV)
    if not path:
        path, source = pulp.PULP_CBC_CMD.pulp_cbc_path, ""
    extra = options.params.get("cbc_options") or []
    extra = [extra] if isinstance(extra, str) else [str(option) for option in extra]
    user_options = tuple(extra)
    if options.seed is not None:
        extra.append(f"randomCbcSeed {cbc_seed(options.seed)}")
    command = pulp.COIN_CMD(
        path=str(path),
        msg=False,
        timeLimit=options.time_limit,
        # "threads 1" switches CBC to its threaded search, whose one worker sometimes
        # never starts (seen: a 0.4 s proof ran to the time limit in 8 of 300 runs).
        threads=options.num_workers if options.num_workers > 1 else None,
        gapRel=options.params.get("gap_rel"),
        gapAbs=options.params.get("gap_abs") or INTEGRAL_GAP,
        timeMode="elapsed",
        options=extra,
        warmStart=warm_start,
        logPath=log_path,
    )
    if not command.available():
        raise SolverUnavailableError(
            f"the CBC solver binary '{path}'{source} is missing or not executable; reinstall "
            f"PuLP (it bundles CBC), point {CBC_PATH_ENV} at a CBC binary, or install HiGHS "
            "with: pip install 'carealloc[highs]' and pass solver='highs'"
        )
    refusal = _cbc_refusal(str(path), user_options) if user_options else ""
    if refusal:
        raise InputError(f"CBC rejected {list(user_options)!r}: {refusal}", field="cbc_options")
    return command


def split_options(options: tuple[str, ...] | list[str]) -> list[str]:
    """CBC's arguments for options such as ``"proximity on"`` (``-proximity on``)."""
    return [part for option in options for part in f"-{option}".split()]


_CBC_COMPLAINT = re.compile(
    r"^(No match for |Short match for |String of .* is illegal |.* was provided for .* "
    r"valid range is |<Possible options for )"
)
"""Lines CBC 2.10 prints for an option name it does not know, or a value it rejects
(it then carries on without the option)."""


@functools.lru_cache(maxsize=64)
def _cbc_refusal(path: str, options: tuple[str, ...]) -> str:
    """What CBC says against ``options`` when it reads them and quits; "" when it takes
    them all (or the dry run could not run: the real run then reports the trouble)."""
    try:
        done = subprocess.run(
            [path, *split_options(options), "-quit"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            timeout=CBC_DRY_RUN_SECONDS,
            preexec_fn=die_with_parent(),  # only prctl: see parent_death.py
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = (line.strip().rstrip(">").strip() for line in done.stdout.splitlines())
    return "; ".join(line for line in lines if _CBC_COMPLAINT.match(line))
