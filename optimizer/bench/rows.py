"""One row per instance of a bench: its type, its statuses and its display cells."""

from __future__ import annotations

from dataclasses import dataclass

CSV_COLUMNS = ("instance", "status", "objective", "best_known", "gap_pct", "bound", "seconds")

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
