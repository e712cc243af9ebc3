"""The draft of a re-plan: a mutable copy of the problem's parts while the changes are
applied, the planner's words for its cases, people and changes, and the new problem
built from it.

The steps that change a draft live in their own modules; ``prepare`` runs them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.explain.case_time import time_span
from optimizer.model.cases import (
    CaseBaseline,
    CasePin,
    CaseProblem,
    Precedence,
    Room,
    StaffMember,
    Task,
    Window,
)
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.replan.changes import RoomClosed, StaffUnavailable


class Draft:
    """Mutable copy of a problem's parts while changes are applied."""

    def __init__(self, problem: CaseProblem, published: CaseSchedule) -> None:
        self.problem = problem
        self.published = published.by_task()
        self.tasks: dict[str, Task] = {t.id: t for t in problem.tasks}
        self.rooms: dict[str, Room] = {r.id: r for r in problem.rooms}
        self.windows: dict[str, list[tuple[int, int]]] = {  # on duty, before any time off
            p.id: [
                (w.start, w.end)
                for w in problem.windows_of(p.model_copy(update={"unavailable": ()}))
            ]
            for p in problem.staff
        }
        self.away: dict[str, list[Window]] = {p.id: list(p.unavailable) for p in problem.staff}
        self.pins: dict[str, CasePin] = {pin.task: pin for pin in problem.pins}
        self.fixed: dict[str, ScheduledTask] = {}
        self.ends: dict[str, int] = {}
        self.closures: list[RoomClosed] = []
        self.closed: set[str] = set()  # rooms closed for all their opening time
        self.offs: list[StaffUnavailable] = []
        self.cancelled: set[str] = set()
        self.limits: dict[str, tuple[int, int]] = {}  # raised max_minutes: id -> (old, new)

    def check_known_task(self, task_id: str) -> None:
        """Refuse a case that is unknown or already cancelled."""
        if task_id in self.cancelled:
            raise InputError(
                f"case '{task_id}' is already cancelled by an earlier change", field="task"
            )
        if task_id not in self.tasks:
            raise InputError(f"unknown case '{task_id}'", field="task")

    def label(self, task_id: str) -> str:
        """The case's label as it stands in the original problem or the changes."""
        return self.tasks[task_id].label if task_id in self.tasks else task_id

    def who(self, name: str) -> str:
        """ "Sam (S1)", or "'S1'" for someone without a name."""
        person = self.problem.person(name)
        return f"{person.name} ({name})" if person.name else f"'{name}'"

    def change_span(self, change: RoomClosed | StaffUnavailable) -> str:
        """The change's interval, with its reason unless that is the default."""
        span = time_span(self.problem, change.start, change.end)
        default = "closed" if isinstance(change, RoomClosed) else "unavailable"
        return span if change.reason in ("", default) else f"{span} ({change.reason})"

    def build(self, baseline: CaseBaseline | None, validate: bool = True) -> CaseProblem:
        """The new problem (validated unless ``validate`` is false)."""
        staff = tuple(
            p.model_copy(
                update={
                    "available": None
                    if p.available is None and self._whole(p)
                    else tuple(Window(start=a, end=b) for a, b in self.windows[p.id]),
                    "unavailable": tuple(self.away[p.id]),
                    "max_minutes": self.limits.get(p.id, (0, p.max_minutes))[1],
                }
            )
            for p in self.problem.staff
        )
        data = {
            **{k: getattr(self.problem, k) for k in type(self.problem).model_fields},
            "tasks": tuple(self.tasks.values()),
            "rooms": tuple(self.rooms.values()),
            "staff": staff,
            "pins": tuple(p for t, p in self.pins.items() if t in self.tasks),
            "precedences": self.kept_precedences(),
            "baseline": baseline,
        }
        if not validate:
            return CaseProblem.model_construct(**data)
        try:
            return CaseProblem.model_validate({k: _dump(v) for k, v in data.items()})
        except ValidationError as exc:
            raise from_validation_error(exc) from None

    def kept_precedences(self) -> tuple[Precedence, ...]:
        """The precedences between cases still in the problem: a case taken out
        (cancelled or dropped) takes its precedences with it, both ways."""
        return tuple(
            p for p in self.problem.precedences if p.before in self.tasks and p.after in self.tasks
        )

    def _whole(self, person: StaffMember) -> bool:
        """Whether ``person`` is on duty over the whole horizon."""
        return self.windows[person.id] == [(0, self.problem.horizon)]


def _dump(value: Any) -> Any:
    """``value`` as plain data for validation (models dumped, tuples as lists)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value
