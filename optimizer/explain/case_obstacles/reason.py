"""The records of a case explanation: one reason, and all of one case's reasons."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from optimizer.model.common import Record
from optimizer.model.result import ScheduledTask


class Reason(Record):
    """One cause, with the share of candidate (start, room) pairs it blocks."""

    code: str
    message: str
    share: float | None = Field(default=None, description="fraction of candidates blocked")


class TaskExplanation(Record):
    """Why one task is unscheduled or late."""

    task: str
    label: str
    status: Literal["unscheduled", "late"]
    minutes_late: int = 0
    reasons: tuple[Reason, ...] = ()
    free_slot: ScheduledTask | None = Field(
        default=None, description="a placement nothing blocks, if one exists"
    )

    @property
    def message(self) -> str:
        head = (
            f"{self.label}: not scheduled"
            if self.status == "unscheduled"
            else f"{self.label}: ends {self.minutes_late} min late"
        )
        return head + " — " + "; ".join(r.message for r in self.reasons)
