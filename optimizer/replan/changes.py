"""The changes a re-plan applies and what it reports back.

Changes: ``AddCase``, ``CancelCase``, ``StaffUnavailable``, ``RoomClosed``,
``CaseOverrun`` (one ``Change`` union, told apart by ``kind``); the outcome:
``ReplanOutcome`` with its ``Move`` records.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from optimizer.model.cases import CaseProblem, Task
from optimizer.model.common import MAX_MINUTES, Id, Int, Record
from optimizer.model.result import Result


class AddCase(Record):
    """A new case to fit in."""

    kind: Literal["add_case"] = "add_case"
    task: Task


class CancelCase(Record):
    """A case that will not happen (it must not have started)."""

    kind: Literal["cancel_case"] = "cancel_case"
    task: Id


class StaffUnavailable(Record):
    """A person is off duty during ``[start, end)`` (sickness, an emergency, ...)."""

    kind: Literal["staff_unavailable"] = "staff_unavailable"
    staff: Id
    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(gt=0, le=MAX_MINUTES)
    reason: str = "unavailable"


class RoomClosed(Record):
    """A room cannot be used during ``[start, end)`` (equipment failure, cleaning, ...)."""

    kind: Literal["room_closed"] = "room_closed"
    room: Id
    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(gt=0, le=MAX_MINUTES)
    reason: str = "closed"


class CaseOverrun(Record):
    """A published case ran long (or short): it actually ends at ``actual_end``."""

    kind: Literal["case_overrun"] = "case_overrun"
    task: Id
    actual_end: Int = Field(gt=0, le=MAX_MINUTES)


Change = Annotated[
    AddCase | CancelCase | StaffUnavailable | RoomClosed | CaseOverrun,
    Field(discriminator="kind"),
]

MoveKind = Literal[
    "added", "unscheduled", "cancelled", "dropped", "placed", "moved", "restaffed", "extended"
]
"""``unscheduled``: a case added by the changes that the re-plan could not place."""


class Move(Record):
    """One task whose placement differs from the published schedule."""

    task: str
    label: str
    kind: MoveKind
    old_start: int | None = None
    new_start: int | None = None
    old_room: str | None = None
    new_room: str | None = None
    staff_removed: tuple[str, ...] = ()
    staff_added: tuple[str, ...] = ()
    message: str = ""


class ReplanOutcome(BaseModel):
    """The re-planned problem, its solve result and the exact list of moves.

    ``notes`` say what the re-plan could not do or keep: no schedule at all (with the
    likely causes), a ``max_minutes`` raised because started cases already pass it, the
    precedences dropped with a case taken out, or nothing to list."""

    model_config = ConfigDict(extra="forbid")

    problem: CaseProblem
    result: Result
    moves: list[Move] = Field(default_factory=list)
    fixed: list[str] = Field(default_factory=list, description="tasks pinned as started")
    dropped: dict[str, str] = Field(
        default_factory=dict, description="tasks taken out as unplaceable -> reason"
    )
    notes: list[str] = Field(
        default_factory=list,
        description="why there is no new schedule, when there is none; max_minutes raised "
        "for started cases; precedences dropped",
    )

    def messages(self) -> list[str]:
        """The notes, then one line per move."""
        return [*self.notes, *(m.message for m in self.moves)]
