"""Staff members and their contracts (working-time rules)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, field_validator, model_validator

from optimizer.model.common import MAX_DAYS, MAX_MINUTES, Id, Int, Record


class Contract(Record):
    """Working-time rules for one staff member (all hard)."""

    min_minutes: Int = Field(default=0, ge=0, le=MAX_MINUTES)
    max_minutes: Int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    max_shifts: Int | None = Field(default=None, ge=0, le=MAX_DAYS, description="total shifts")
    max_shifts_per_type: dict[Id, Int] = Field(
        default_factory=dict, description="shift id -> most shifts of that type; 0 forbids it"
    )
    min_consecutive_work: Int = Field(default=1, ge=1, le=MAX_DAYS)
    max_consecutive_work: Int | None = Field(default=None, ge=1, le=MAX_DAYS)
    min_consecutive_off: Int = Field(default=1, ge=1, le=MAX_DAYS)
    max_weekends: Int | None = Field(default=None, ge=0, le=MAX_DAYS)

    @field_validator("max_shifts_per_type")
    @classmethod
    def _limits_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        for shift, limit in value.items():
            if not 0 <= limit <= MAX_DAYS:
                raise ValueError(
                    f"max shifts for '{shift}' must be between 0 and {MAX_DAYS}, got {limit}"
                )
        return value

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.max_minutes is not None and self.min_minutes > self.max_minutes:
            raise ValueError(
                f"min_minutes {self.min_minutes} exceeds max_minutes {self.max_minutes}"
            )
        if (
            self.max_consecutive_work is not None
            and self.min_consecutive_work > self.max_consecutive_work
        ):
            raise ValueError(
                f"min_consecutive_work {self.min_consecutive_work} exceeds "
                f"max_consecutive_work {self.max_consecutive_work}"
            )
        return self


class Staff(Record):
    """A person who can be rostered."""

    id: Id
    name: str = ""
    grade: str = ""
    skills: tuple[Id, ...] = ()
    contract: Contract = Field(default_factory=Contract)

    @field_validator("skills")
    @classmethod
    def _skills_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # a skill typed twice is held once: cover counts each person once per demand
        return tuple(dict.fromkeys(value))

    @property
    def label(self) -> str:
        return self.name or self.id
