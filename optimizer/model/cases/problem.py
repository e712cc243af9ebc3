"""The whole case-scheduling instance: its parts, lookups over them, and the cross-checks
run once when it is built (``checks``, ``task_checks``, ``pin_checks``)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from optimizer.model.cases.checks import (
    baseline_errors,
    duplicate_id_errors,
    opening_overlap_errors,
    precedence_errors,
    room_resource_id_errors,
)
from optimizer.model.cases.costs import CaseBaseline, CaseWeights
from optimizer.model.cases.pin_checks import pin_errors
from optimizer.model.cases.resources import Opening, Resource, Room
from optimizer.model.cases.staff import Duty, StaffMember, work_out_duty
from optimizer.model.cases.task_checks import task_errors
from optimizer.model.cases.tasks import CasePin, Precedence, Task
from optimizer.model.cases.windows import Window
from optimizer.model.common import MAX_MINUTES, Int, Record, check_count


class CaseProblem(Record):
    """A complete, cross-validated case-scheduling instance.

    Lookups (indexes, a member's windows, a room's openings) are worked out once per
    problem and cached; ``model_copy`` starts the copy with no cache.
    """

    kind: Literal["cases"] = "cases"
    name: str = "cases"
    start: dt.datetime | None = Field(
        default=None, description="wall-clock time of minute 0; None: abstract time units"
    )
    horizon: Int = Field(gt=0, le=MAX_MINUTES, description="every task ends by this minute")
    tasks: tuple[Task, ...]
    rooms: tuple[Room, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    resources: tuple[Resource, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    turnover: Int = Field(
        default=0, ge=0, le=MAX_MINUTES, description="default minutes between cases in a room"
    )
    weights: CaseWeights = Field(default_factory=CaseWeights)
    pins: tuple[CasePin, ...] = ()
    baseline: CaseBaseline | None = None

    @field_validator("tasks", "rooms", "staff", mode="before")
    @classmethod
    def _not_too_many(cls, value: object, info: ValidationInfo) -> object:
        words = {"tasks": "tasks", "rooms": "rooms", "staff": "staff members"}
        return check_count(value, words[str(info.field_name)])

    @field_validator("tasks")
    @classmethod
    def _some_tasks(cls, value: tuple[Task, ...]) -> tuple[Task, ...]:
        # Not Field(min_length=1): that also fires, confusingly, when a task is invalid.
        if not value:
            raise ValueError("at least one task is needed")
        return value

    @field_validator("start", mode="before")
    @classmethod
    def _date_is_midnight(cls, value: object) -> object:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime.combine(value, dt.time())
        if isinstance(value, str) and len(value.strip()) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time())
        return value

    def __copy__(self) -> Self:
        """A shallow copy without the cached lookups (``model_copy(update=...)`` would
        otherwise keep indexes and windows of the original's tasks, rooms or staff)."""
        copied = super().__copy__()
        for name in [k for k in copied.__dict__ if k not in type(self).model_fields]:
            del copied.__dict__[name]
        return copied

    # -- lookups -----------------------------------------------------------------

    @cached_property
    def _duty_cache(self) -> dict[str, Duty]:
        return {}

    @cached_property
    def _openings_cache(self) -> dict[str, tuple[Opening, ...]]:
        return {}

    @cached_property
    def task_index(self) -> dict[str, int]:
        return {t.id: i for i, t in enumerate(self.tasks)}

    @cached_property
    def room_index(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.rooms)}

    @cached_property
    def staff_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.staff)}

    @cached_property
    def resource_index(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.resources)}

    def task(self, task_id: str) -> Task:
        return self.tasks[self.task_index[task_id]]

    def room(self, room_id: str) -> Room:
        return self.rooms[self.room_index[room_id]]

    def person(self, staff_id: str) -> StaffMember:
        return self.staff[self.staff_index[staff_id]]

    def resource(self, resource_id: str) -> Resource:
        return self.resources[self.resource_index[resource_id]]

    def needs_room(self, task: Task) -> bool:
        return task.needs_room if task.needs_room is not None else bool(self.rooms)

    def eligible_rooms(self, task: Task) -> list[Room]:
        """Rooms the task may use (empty if it needs none)."""
        if not self.needs_room(task):
            return []
        needs = set(task.room_needs)
        allowed = None if task.rooms is None else set(task.rooms)
        return [
            r for r in self.rooms if (allowed is None or r.id in allowed) and needs <= r.features
        ]

    def qualified(self, task: Task, role: str) -> list[StaffMember]:
        """People holding ``role`` who are not named on the task."""
        named = set(task.staff)
        return [p for p in self.staff if role in p.roles and p.id not in named]

    def candidates(self, task: Task) -> list[StaffMember]:
        """Everyone who could be on the task (named or holding a needed role)."""
        roles = {r.role for r in task.team}
        named = set(task.staff)
        return [p for p in self.staff if p.id in named or roles & set(p.roles)]

    def latest_end(self, task: Task) -> int:
        return self.horizon if task.deadline is None else min(task.deadline, self.horizon)

    def turnover_of(self, room: Room) -> int:
        return self.turnover if room.turnover is None else room.turnover

    def openings_of(self, room: Room) -> list[Opening]:
        """The room's openings (the whole horizon if none are given), sorted (cached
        for the problem's own rooms)."""
        own = self.room_index.get(room.id)
        if own is None or self.rooms[own] is not room:
            return self._sorted_openings(room)
        cached = self._openings_cache.get(room.id)
        if cached is None:
            cached = self._openings_cache[room.id] = tuple(self._sorted_openings(room))
        return list(cached)

    def _sorted_openings(self, room: Room) -> list[Opening]:
        if not room.openings:
            return [Opening(start=0, end=self.horizon)]
        return sorted(room.openings, key=lambda o: o.start)

    def windows_of(self, person: StaffMember) -> list[Window]:
        """The person's merged on-duty windows (the whole horizon if not given), less
        their ``unavailable`` times."""
        return list(self._duty(person).windows)

    def work_windows_of(self, person: StaffMember) -> list[tuple[int, int]]:
        """Per on-duty window of ``windows_of``: ``(start, end + overtime)``, the
        overtime cut at the next window's start and at the next unavailable time."""
        return list(self._duty(person).work)

    def merged_work_windows_of(self, person: StaffMember) -> list[Window]:
        """Where the person may work at all: on duty or in overtime, merged."""
        return list(self._duty(person).merged)

    def _duty(self, person: StaffMember) -> Duty:
        """``person``'s windows, work windows and merged work windows: cached for the
        problem's own staff (a changed copy of a person is worked out each time)."""
        own = self.staff_index.get(person.id)
        if own is None or self.staff[own] is not person:
            return work_out_duty(person, self.horizon)
        cached = self._duty_cache.get(person.id)
        if cached is None:
            cached = self._duty_cache[person.id] = work_out_duty(person, self.horizon)
        return cached

    def unscheduled_cost(self, task: Task) -> int:
        if task.unscheduled_penalty is not None:
            return task.unscheduled_penalty
        return self.weights.unscheduled * task.priority

    def must_schedule(self, task: Task) -> bool:
        return not task.optional or any(pin.task == task.id for pin in self.pins)

    def pin_of(self, task_id: str) -> CasePin | None:
        return next((pin for pin in self.pins if pin.task == task_id), None)

    def datetime_of(self, minute: int) -> dt.datetime | None:
        """Wall-clock time of a minute, or None for abstract time units."""
        return None if self.start is None else self.start + dt.timedelta(minutes=minute)

    def minute_of(self, when: dt.datetime) -> int:
        """Minutes from the horizon start to ``when`` (needs ``start``). A ``when``
        without a time zone is read in the start's (a planner's wall-clock time)."""
        if self.start is None:
            raise ValueError("this problem has no start datetime")
        if (when.tzinfo is None) != (self.start.tzinfo is None):
            when = when.replace(tzinfo=self.start.tzinfo)
        return int((when - self.start).total_seconds() // 60)

    # -- validation: each rule family in its own module, run once ----------------

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        errors = duplicate_id_errors(self) + room_resource_id_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        for room in self.rooms:
            errors += opening_overlap_errors(self, room)
        for task in self.tasks:
            errors += task_errors(self, task)
        errors += precedence_errors(self)
        errors += pin_errors(self)
        errors += baseline_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self
