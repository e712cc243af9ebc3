"""The settings of a whole bench run, and checking them before any instance runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from optimizer.errors import InputError

RUN_SETTINGS = ("backend", "time_limit", "workers")
"""``solve`` arguments that ``run_bench`` passes the same for every instance."""

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
