"""Which MILP solver a solve uses: CBC or HiGHS, from the parameters, the environment
and what is installed; a setting of the solver not in use is refused."""

from __future__ import annotations

import importlib.util
import os

from optimizer.errors import InputError, SolverUnavailableError
from optimizer.solvers.milp.params import check_params
from optimizer.solvers.options import SolveOptions

SOLVERS = ("cbc", "highs")
SOLVER_ENV = "CAREALLOC_MILP_SOLVER"


def highs_available() -> bool:
    """True when the ``highspy`` package can be imported."""
    return importlib.util.find_spec("highspy") is not None


def choose_solver(options: SolveOptions) -> str:
    """``"cbc"`` or ``"highs"`` from ``params['solver']`` and what is installed."""
    check_params(options.params)
    given = options.params.get("solver")
    from_env = not given and bool(os.environ.get(SOLVER_ENV))
    chosen = given or os.environ.get(SOLVER_ENV) or "auto"
    name = str(chosen).strip().lower()
    if name not in ("auto", *SOLVERS):
        choices = f"choose auto, {' or '.join(SOLVERS)}"
        if from_env:
            raise InputError(
                f"unsupported MILP solver '{name}' in the {SOLVER_ENV} environment variable; "
                f"{choices}, or unset it"
            )
        raise InputError(f"unsupported MILP solver '{name}'; {choices}", field="solver")
    if name == "auto":
        name = "highs" if highs_available() else "cbc"
    elif name == "highs" and not highs_available():
        where = f" (by {SOLVER_ENV}=highs)" if from_env else ""
        instead = (
            f"set {SOLVER_ENV}=cbc or unset it"
            if from_env
            else "use solver='cbc' in Python, --param solver=cbc on the CLI"
        )
        raise SolverUnavailableError(
            f"the HiGHS solver was requested{where} but the 'highspy' package is not "
            f"installed; install it with: pip install 'carealloc[highs]' (or {instead})"
        )
    _check_settings_fit(options, name)
    return name


_SETTINGS_OF = {"cbc": ("cbc_options", "cbc_path"), "highs": ("highs_options",)}
_LABEL = {"cbc": "CBC", "highs": "HiGHS"}


def _check_settings_fit(options: SolveOptions, solver: str) -> None:
    """Refuse a setting of the solver not in use, which it would silently ignore."""
    for other, names in _SETTINGS_OF.items():
        given = [name for name in names if options.params.get(name) is not None]
        if other == solver or not given:
            continue
        switch = f", or choose {_LABEL[other]} with solver={other}"
        if other == "highs" and not highs_available():
            switch = " (HiGHS is not installed)"
        raise InputError(
            f"'{given[0]}' is a {_LABEL[other]} setting, but this solve uses "
            f"{_LABEL[solver]}; remove it{switch}",
            field=given[0],
        )
