"""CBC's input and output files: the model written as MPS (with PuLP's renaming), the
MIP start, and the solution read back into the PuLP model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# OR-Tools before PuLP (see runner.py)
import ortools.sat.python.cp_model  # noqa: F401
import pulp

INTEGRALITY_TOLERANCE = 1e-5
_MODEL = "model.mps"


@dataclass(frozen=True)
class CbcFiles:
    """CBC's input and output files in one temporary folder, and PuLP's renaming."""

    folder: Path
    columns: list[pulp.LpVariable]
    variable_names: dict[str, str]
    constraint_names: dict[str, str]

    @property
    def model(self) -> Path:
        return self.folder / _MODEL

    @property
    def start(self) -> Path:
        return self.folder / "start.mst"

    @property
    def solution(self) -> Path:
        return self.folder / "solution.txt"

    @property
    def log(self) -> Path:
        return self.folder / "cbc.log"


def write_cbc_input(
    lp: pulp.LpProblem, command: pulp.COIN_CMD, folder: Path, warm_start: bool
) -> CbcFiles:
    """The model as MPS (PuLP's renaming) and, for a warm start, the MIP start file."""
    columns, variable_names, constraint_names, _ = lp.writeMPS(str(folder / _MODEL), rename=1)
    files = CbcFiles(folder, columns, variable_names, constraint_names)
    if warm_start:
        command.writesol(str(files.start), lp, columns, variable_names, constraint_names)
    return files


def read_cbc_solution(lp: pulp.LpProblem, command: pulp.COIN_CMD, files: CbcFiles) -> bool:
    """Load CBC's values into ``lp``; False unless every integer variable is integral."""
    values = command.readsol_MPS(
        str(files.solution), lp, files.columns, files.variable_names, files.constraint_names
    )[1]
    lp.assignVarsVals(values)
    return all(
        abs(value - round(value)) <= INTEGRALITY_TOLERANCE
        for variable in files.columns
        if variable.cat == pulp.LpInteger and (value := variable.value()) is not None
    )
