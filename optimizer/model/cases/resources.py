"""Where and with what a case runs: rooms with their openings, and shared equipment."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from optimizer.model.common import MAX_MINUTES, MAX_UNITS, Id, Int, Record


class Opening(Record):
    """When a room is open: cases run in ``[start, end + overtime)``.

    Minutes past ``end`` are overtime (penalty rule ``overtime``).
    """

    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(gt=0, le=MAX_MINUTES)
    overtime: Int = Field(
        default=0, ge=0, le=MAX_MINUTES, description="minutes the room may run past end"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"opening ends ({self.end}) at or before it starts ({self.start})")
        return self

    @property
    def hard_end(self) -> int:
        return self.end + self.overtime


class Room(Record):
    """An operating room / procedure room. No openings: open the whole horizon."""

    id: Id
    name: str = ""
    type: Id | None = None
    capabilities: tuple[Id, ...] = ()
    openings: tuple[Opening, ...] = ()
    turnover: Int | None = Field(
        default=None,
        ge=0,
        le=MAX_MINUTES,
        description="minutes between cases; None: the problem's turnover",
    )

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def features(self) -> set[str]:
        """Type and capabilities, matched against ``Task.room_needs``."""
        return set(self.capabilities) | ({self.type} if self.type else set())


class Resource(Record):
    """Shared equipment (or a PSPLIB renewable resource) with a capacity in units."""

    id: Id
    name: str = ""
    capacity: Int = Field(ge=0, le=MAX_UNITS)


Equipment = Resource
