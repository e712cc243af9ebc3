"""``--param NAME=VALUE`` backend parameters, and the run options they may not set."""

from __future__ import annotations

import json
from typing import Any

from optimizer.errors import InputError

RUN_OPTIONS = {
    "backend": "--backend",
    "time_limit": "--time-limit",
    "workers": "--workers",
    "seed": "--seed",
    "fmt": "--format",
}
"""Python run-option names (``InputError.field``) and the CLI options that set them."""


def parse_params(pairs: list[str], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; values are read as JSON when they parse (numbers, booleans).

    A name ``solve`` takes itself (``seed``, ``time_limit``, ...) is refused, naming the
    option to use, unless the command passes it on (``keep``); our model switches'
    values are checked (``optimizer.solve.check_params``).
    """
    from optimizer.solve import check_params

    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"'{pair}' must look like NAME=VALUE", field="--param")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    kept = {name: params.pop(name) for name in keep if name in params}
    advice = {name: f"use {option}" for name, option in RUN_OPTIONS.items()}
    return {**check_params(params, advice, field="--param"), **kept}
