"""What ``cbc_run.py`` and ``highs_run.py`` hand back to ``runner.run``, and the note for
a solver that was never started."""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.model.result import SolveStatus

TOO_LATE = "the time limit ended before the solver could start"


@dataclass
class SolverAnswer:
    """One solver's answer, before the common post-processing in ``runner.run``."""

    status: SolveStatus
    bound: int | None = None
    note: str = ""
    failed: bool = False
    detail: str = ""
    """Appended to ``solver=NAME`` in the message (HiGHS's own status)."""
