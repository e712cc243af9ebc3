"""Solutions and solve results shared by every backend."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from optimizer.model.common import MAX_DAYS, MAX_MINUTES, Id, Int, Record


class SolveStatus(StrEnum):
    """Outcome of a solve, independent of the backend."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"

    @property
    def has_solution(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class Assignment(Record):
    """One worked shift."""

    staff: Id
    day: Int = Field(ge=0, lt=MAX_DAYS)
    shift: Id


class RosterSolution(Record):
    """A roster: the worked shifts; every other staff-day is a day off."""

    assignments: tuple[Assignment, ...] = ()

    def by_staff_day(self) -> dict[tuple[str, int], str]:
        return {(a.staff, a.day): a.shift for a in self.assignments}


class ScheduledTask(Record):
    """One placed task: [start, end) in minutes from the horizon start."""

    task: Id
    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(ge=0, le=MAX_MINUTES)
    room: Id | None = None
    staff: tuple[Id, ...] = ()
    resources: tuple[Id, ...] = Field(
        default=(), description="equipment / capacity resources used (not the room)"
    )


class CaseSchedule(Record):
    """A case schedule: placed tasks; optional tasks left out are listed."""

    tasks: tuple[ScheduledTask, ...] = ()
    unscheduled: tuple[Id, ...] = ()

    def by_task(self) -> dict[str, ScheduledTask]:
        return {t.task: t for t in self.tasks}


class ProgressPoint(Record):
    """One improving solution seen during a solve."""

    seconds: float
    objective: int
    bound: int | None = None


class Result(BaseModel):
    """What ``solve()`` returns, whatever the backend and problem family.

    ``roster`` is set for rostering problems, ``schedule`` for case scheduling.
    """

    model_config = ConfigDict(extra="forbid")

    status: SolveStatus
    objective: int | None = None
    bound: int | None = None
    seconds: float = 0.0
    backend: str = "cpsat"
    roster: RosterSolution | None = None
    schedule: CaseSchedule | None = None
    progress: list[ProgressPoint] = Field(default_factory=list)
    terms: dict[str, int] = Field(
        default_factory=dict, description="cost per penalty rule, from the backend's own values"
    )
    message: str = ""

    @property
    def gap(self) -> float | None:
        """Relative gap (objective - bound) / max(1, |objective|), or None."""
        if self.objective is None or self.bound is None:
            return None
        return max(0, self.objective - self.bound) / max(1, abs(self.objective))

    def summary_line(self) -> str:
        """The CLI's last stdout line (contract in DESIGN.md)."""
        obj = "none" if self.objective is None else str(self.objective)
        bound = "none" if self.bound is None else str(self.bound)
        return (
            f"status={self.status.value} objective={obj} bound={bound} seconds={self.seconds:.2f}"
        )
