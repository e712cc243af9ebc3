"""The cases to place: a task with its team, an order between two tasks, a pin."""

from __future__ import annotations

from collections import Counter
from typing import Self

from pydantic import Field, field_validator, model_validator

from optimizer.model.common import (
    MAX_MINUTES,
    MAX_PEOPLE,
    MAX_PRIORITY,
    MAX_UNITS,
    MAX_WEIGHT,
    Id,
    Int,
    Record,
)


class TeamRequirement(Record):
    """``count`` distinct people holding ``role`` (a role or skill id)."""

    role: Id
    count: Int = Field(default=1, ge=1, le=MAX_PEOPLE)


class Task(Record):
    """One case or procedure to place."""

    id: Id
    name: str = Field(default="", description="display name, e.g. the patient/case label")
    procedure: str = ""
    duration: Int = Field(ge=0, le=MAX_MINUTES, description="minutes")
    release: Int = Field(default=0, ge=0, le=MAX_MINUTES, description="earliest start")
    due: Int | None = Field(
        default=None, ge=0, le=MAX_MINUTES, description="soft: ends later cost tardiness"
    )
    deadline: Int | None = Field(default=None, ge=0, le=MAX_MINUTES, description="hard: latest end")
    priority: Int = Field(
        default=1, ge=0, le=MAX_PRIORITY, description="weight of tardiness and unscheduling"
    )
    optional: bool = Field(default=False, description="may stay unscheduled at a penalty")
    unscheduled_penalty: Int | None = Field(
        default=None,
        ge=0,
        le=MAX_WEIGHT * MAX_PRIORITY,
        description="cost if left out; default weights.unscheduled × priority",
    )
    team: tuple[TeamRequirement, ...] = Field(default=(), description="people needed by role")
    staff: tuple[Id, ...] = Field(default=(), description="named people who must attend")
    needs_room: bool | None = Field(
        default=None, description="None: a room is needed iff the problem has rooms"
    )
    rooms: tuple[Id, ...] | None = Field(default=None, description="eligible room ids (None: any)")
    room_needs: tuple[Id, ...] = Field(
        default=(), description="room type/capabilities the room must all have"
    )
    resources: dict[Id, Int] = Field(
        default_factory=dict, description="resource/equipment id -> units used while running"
    )

    @field_validator("resources")
    @classmethod
    def _positive_units(cls, value: dict[str, int]) -> dict[str, int]:
        for resource, units in value.items():
            if not 0 <= units <= MAX_UNITS:
                raise ValueError(
                    f"resource '{resource}' units must be between 0 and {MAX_UNITS}, got {units}"
                )
        return {k: v for k, v in value.items() if v > 0}

    @model_validator(mode="after")
    def _time_window(self) -> Self:
        if self.deadline is not None:
            if self.deadline < self.release:
                raise ValueError(
                    f"task '{self.id}': deadline {self.deadline} is before its release "
                    f"{self.release}"
                )
            if self.release + self.duration > self.deadline:
                raise ValueError(
                    f"task '{self.id}': duration {self.duration} does not fit between release "
                    f"{self.release} and deadline {self.deadline}"
                )
        for dup, count in Counter(self.staff).items():
            if count > 1:
                raise ValueError(f"task '{self.id}': named staff '{dup}' listed {count} times")
        for dup, count in Counter(r.role for r in self.team).items():
            if count > 1:
                raise ValueError(f"task '{self.id}': role '{dup}' required {count} times")
        return self

    @property
    def label(self) -> str:
        return self.name or self.procedure or self.id

    @property
    def team_size(self) -> int:
        return len(self.staff) + sum(r.count for r in self.team)


class Precedence(Record):
    """``end(before) + min_lag <= start(after) [<= end(before) + max_lag]``."""

    before: Id
    after: Id
    min_lag: Int = Field(default=0, ge=-MAX_MINUTES, le=MAX_MINUTES)
    max_lag: Int | None = Field(default=None, ge=-MAX_MINUTES, le=MAX_MINUTES)

    @model_validator(mode="after")
    def _lags(self) -> Self:
        if self.before == self.after:
            raise ValueError(f"precedence of task '{self.before}' on itself")
        if self.max_lag is not None and self.max_lag < self.min_lag:
            raise ValueError(
                f"precedence '{self.before}' → '{self.after}': max_lag {self.max_lag} "
                f"< min_lag {self.min_lag}"
            )
        return self


class CasePin(Record):
    """Hard: fix parts of a task's placement. A pinned task must be placed.

    ``staff`` are people who must be on the task (list the whole team to fix it).
    """

    task: Id
    start: Int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    room: Id | None = None
    staff: tuple[Id, ...] = ()
