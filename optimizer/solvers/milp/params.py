"""The MILP backend's extra parameters (``options.params``): names and values are
checked before anything is built or solved, one ``InputError`` naming the parameter.

``None`` means "not set" for every parameter (its default applies).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Mapping
from typing import Any

from optimizer.errors import InputError

KNOWN_PARAMS = (
    "solver",
    "cbc_path",
    "gap_rel",
    "gap_abs",
    "cbc_options",
    "highs_options",
    "phase_one",
)


def check_params(params: Mapping[str, Any]) -> None:
    """Refuse unknown names and values of the wrong type or range."""
    for name, value in params.items():
        if name not in KNOWN_PARAMS:
            raise InputError(
                f"unknown MILP parameter '{name}'; known: {', '.join(KNOWN_PARAMS)}",
                field=name,
            )
        rule = _RULES.get(name)
        if value is not None and rule is not None:
            problem = rule(value)
            if problem:
                raise InputError(
                    f"MILP parameter '{name}' must be {problem}, got {value!r}", field=name
                )


def _real(value: object) -> float | None:
    """A finite number's value (``bool`` is not a number here); else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _fraction(value: object) -> str:
    number = _real(value)
    return "" if number is not None and 0 <= number <= 1 else "a number from 0 to 1"


def _non_negative(value: object) -> str:
    number = _real(value)
    return "" if number is not None and number >= 0 else "a number of at least 0"


def _text(value: object) -> str:
    return "" if isinstance(value, str) else "text"


def _path(value: object) -> str:
    return "" if isinstance(value, str | os.PathLike) else "the path of a CBC binary"


_CBC_OWN = ("sec", "seconds", "threads", "randomcbcseed", "ratio", "allow")
"""CBC options set from the solve's own settings (time limit, workers, seed, gaps)."""


def _options(value: object) -> str:
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        items = [str(item) for item in value]
    else:
        return 'a list of CBC options as text, e.g. ["proximity on"]'
    for item in items:
        name = item.strip().lstrip("-").split(" ")[0].lower()
        if name in _CBC_OWN:
            return (
                f"CBC options other than '{name}', which the solve sets itself (use the "
                "time limit, workers, seed or gap_rel / gap_abs settings)"
            )
    return ""


def _highs_options(value: object) -> str:
    ok = isinstance(value, Mapping) and all(
        isinstance(name, str) and isinstance(item, bool | int | float | str)
        for name, item in value.items()
    )
    return "" if ok else 'HiGHS options by name, e.g. {"mip_heuristic_effort": 0.3}'


def _boolean(value: object) -> str:
    return "" if isinstance(value, bool) else "true or false"


_RULES: dict[str, Callable[[object], str]] = {
    "solver": _text,
    "cbc_path": _path,
    "gap_rel": _fraction,
    "gap_abs": _non_negative,
    "cbc_options": _options,
    "highs_options": _highs_options,
    "phase_one": _boolean,
}
