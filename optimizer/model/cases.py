"""The case-scheduling problem: which task runs when, in which room, with whom.

Time is integer minutes from the horizon start (``CaseProblem.start``; ``None``
means abstract time units, as in PSPLIB). Every interval is half-open
``[start, end)``. A placed task occupies ``[start, start + duration)``.

Semantics (the contract shared by every backend and the checker):

* **Tasks** run non-preemptively inside ``[release, deadline or horizon]``. A
  mandatory task must be placed; an ``optional`` one may stay unscheduled at
  ``unscheduled_cost``. Validation refuses a mandatory (or pinned) task that no
  room, opening or team could ever hold; an optional one that can never run is
  valid: it stays out at its cost, and the explanation says why.
* **Team**: each task needs exactly ``len(staff) + sum(team counts)`` distinct people:
  every named person in ``Task.staff`` (no role needed) plus, for each
  ``TeamRequirement``, ``count`` other people who hold that role (a person fills at
  most one slot of a task).
* **Rooms**: a task needs one room iff ``CaseProblem.needs_room(task)`` (its
  ``needs_room``, default: the problem has rooms). The room must be in
  ``Task.rooms`` (if given) and have every capability in ``Task.room_needs``. It
  runs wholly inside one opening of the room, possibly into that opening's
  ``overtime`` minutes. Consecutive tasks in a room are at least the room's
  turnover apart.
* **Staff** work one task at a time, wholly inside one of their (merged)
  availability windows, possibly into the person's ``overtime`` minutes after a
  window's end (the extension stops at the next window's start and at the person's
  ``unavailable`` times), and at most ``max_minutes`` task minutes in total.
* **Resources** (equipment, PSPLIB renewable resources): at every minute the
  units used by running tasks are at most the capacity.
* **Precedences** apply when both tasks are placed:
  ``end(before) + min_lag <= start(after) <= end(before) + max_lag``.
* Tasks of duration 0 are milestones: they use no room time, staff time or
  resources (they still need their room/staff assignment if asked for).
* **Pins** fix a task's start, room and/or people (a pinned task must be placed).

Soft rules (``CASE_PENALTY_RULES``; ``Result.terms`` keys), each an integer cost:

* ``unscheduled``: ``problem.unscheduled_cost(task)`` per optional task left out;
* ``tardiness``: ``weights.tardiness * priority * max(0, end - due)`` per task;
* ``overtime``: ``weights.overtime`` per minute a room's last task in an opening
  ends after that opening's ``end``;
* ``staff_overtime``: ``weights.staff_overtime`` per minute, per person and on-duty
  window, from that window's ``end`` to the latest end of the person's work running
  past it, whichever window that task started in (up to where the overtime stops: a
  task running on into the next window is on duty there);
* ``idle``: ``weights.idle`` per minute a room stands empty between two consecutive
  cases of one opening, beyond the room's turnover (milestones do not count);
* ``makespan``: ``weights.makespan * max(end of placed tasks)`` (0 if none);
* ``baseline_move``: ``baseline.move_weight`` per baseline task now unscheduled
  or placed at another start or room;
* ``baseline_staff``: ``baseline.staff_weight`` per person of a baseline task no
  longer on that task.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from functools import cached_property
from itertools import pairwise
from typing import Literal, NamedTuple, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from optimizer.model.common import (
    MAX_MINUTES,
    MAX_PEOPLE,
    MAX_PRIORITY,
    MAX_UNITS,
    MAX_WEIGHT,
    Id,
    Int,
    Record,
    check_count,
    near_miss,
)
from optimizer.model.result import CaseSchedule

CASE_PENALTY_RULES = (
    "unscheduled",
    "tardiness",
    "overtime",
    "staff_overtime",
    "idle",
    "makespan",
    "baseline_move",
    "baseline_staff",
)
"""Names of the case-scheduling soft rules; ``Result.terms`` and stages use them."""


class Window(Record):
    """A half-open time interval ``[start, end)`` in minutes from the horizon start."""

    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(gt=0, le=MAX_MINUTES)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"window ends ({self.end}) at or before it starts ({self.start})")
        return self

    @property
    def length(self) -> int:
        return self.end - self.start


class Absence(Window):
    """Time off ``[start, end)`` with its reason ("sick", "leave"), which explanations name."""

    reason: str = Field(default="", description="why the person is away")


def merge_windows(windows: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> list[Window]:
    """Sorted, disjoint windows: overlapping or touching ones are merged."""
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Window(start=s, end=e) for s, e in merged]


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


class StaffMember(Record):
    """A person who can be put on tasks. ``available`` None: the whole horizon."""

    id: Id
    name: str = ""
    roles: tuple[Id, ...] = Field(default=(), description="roles / skills held")
    available: tuple[Window, ...] | None = Field(default=None, description="on-duty windows")
    max_minutes: Int | None = Field(
        default=None, ge=0, le=MAX_MINUTES, description="most task minutes in total"
    )
    overtime: Int = Field(
        default=0,
        ge=0,
        le=MAX_MINUTES,
        description="minutes the person may work past the end of an on-duty window, at a cost",
    )
    unavailable: tuple[Window | Absence, ...] = Field(
        default=(),
        description="times off whatever the on-duty windows say (leave, sickness): "
        "no case then, and overtime never reaches into them; an optional ``reason`` "
        "(sick, leave) is named when a case is explained",
    )

    @property
    def label(self) -> str:
        return self.name or self.id


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


class CaseBaseline(Record):
    """A published schedule to stay close to when re-planning.

    Baseline tasks that no longer exist in the problem (cancelled) are ignored.
    """

    schedule: CaseSchedule
    move_weight: Int = Field(default=100, ge=0, le=MAX_WEIGHT, description="per moved/dropped task")
    staff_weight: Int = Field(
        default=10, ge=0, le=MAX_WEIGHT, description="per person taken off a task"
    )


class CaseWeights(Record):
    """Weights of the soft rules (see the module docstring)."""

    unscheduled: Int = Field(
        default=1000, ge=0, le=MAX_WEIGHT, description="per priority unit, if no penalty"
    )
    tardiness: Int = Field(default=1, ge=0, le=MAX_WEIGHT, description="per minute late × priority")
    overtime: Int = Field(
        default=1, ge=0, le=MAX_WEIGHT, description="per room-minute past opening end"
    )
    staff_overtime: Int = Field(
        default=1, ge=0, le=MAX_WEIGHT, description="per person-minute past an on-duty window"
    )
    idle: Int = Field(
        default=0, ge=0, le=MAX_WEIGHT, description="per minute a room stands empty between cases"
    )
    makespan: Int = Field(default=0, ge=0, le=MAX_WEIGHT, description="per minute of the last end")


class _Duty(NamedTuple):
    """A person's time, worked out once (see ``CaseProblem.windows_of``)."""

    windows: tuple[Window, ...]
    work: tuple[tuple[int, int], ...]
    merged: tuple[Window, ...]


def _less(windows: list[Window], away: tuple[Window, ...]) -> list[Window]:
    """``windows`` (sorted, disjoint) less the ``away`` times, in one sweep."""
    offs = merge_windows([(w.start, w.end) for w in away])
    kept: list[tuple[int, int]] = []
    first = 0
    for window in windows:
        while first < len(offs) and offs[first].end <= window.start:
            first += 1
        start = window.start
        for off in offs[first:]:
            if off.start >= window.end:
                break
            if start < off.start:
                kept.append((start, off.start))
            start = max(start, off.end)
        if start < window.end:
            kept.append((start, window.end))
    return [Window(start=a, end=b) for a, b in kept]


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
    def _duty_cache(self) -> dict[str, _Duty]:
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

    def _duty(self, person: StaffMember) -> _Duty:
        """``person``'s windows, work windows and merged work windows: cached for the
        problem's own staff (a changed copy of a person is worked out each time)."""
        own = self.staff_index.get(person.id)
        if own is None or self.staff[own] is not person:
            return self._work_out_duty(person)
        cached = self._duty_cache.get(person.id)
        if cached is None:
            cached = self._duty_cache[person.id] = self._work_out_duty(person)
        return cached

    def _work_out_duty(self, person: StaffMember) -> _Duty:
        if person.available is None:
            duty = [Window(start=0, end=self.horizon)]
        else:
            duty = merge_windows([(w.start, w.end) for w in person.available])
        windows = _less(duty, person.unavailable)
        stops = sorted([w.start for w in windows[1:]] + [u.start for u in person.unavailable])
        work = []
        for w in windows:
            after = bisect_left(stops, w.end)  # the first stop at or after the window's end
            limit = min(stops[after], self.horizon) if after < len(stops) else self.horizon
            work.append((w.start, max(w.end, min(w.end + person.overtime, limit))))
        return _Duty(tuple(windows), tuple(work), tuple(merge_windows(work)))

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

    # -- validation --------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        errors: list[str] = []
        for kind, ids in (
            ("task", [t.id for t in self.tasks]),
            ("room", [r.id for r in self.rooms]),
            ("staff", [p.id for p in self.staff]),
            ("resource", [r.id for r in self.resources]),
        ):
            for dup, count in Counter(ids).items():
                if count > 1:
                    errors.append(f"{kind} id '{dup}' is used {count} times")
        errors += self._check_room_resource_ids()
        if errors:
            raise ValueError("; ".join(errors))
        for room in self.rooms:
            errors += self._check_room(room)
        for task in self.tasks:
            errors += self._check_task(task)
        errors += self._check_precedences()
        errors += self._check_pins()
        errors += self._check_baseline()
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def _check_room_resource_ids(self) -> list[str]:
        """A room and a resource may not share an id (a schedule lists both by id)."""
        resources = {resource.id for resource in self.resources}
        return [
            f"room '{room.id}' and resource '{room.id}' share an id: give one of them another "
            "id (schedules list rooms and resources by id)"
            for room in self.rooms
            if room.id in resources
        ]

    def _check_room(self, room: Room) -> list[str]:
        errors = []
        openings = self.openings_of(room)
        for first, second in pairwise(openings):
            if second.start < first.hard_end:
                errors.append(
                    f"room '{room.id}': openings starting at {first.start} and {second.start} "
                    f"overlap (including overtime)"
                )
        return errors

    def _check_task(self, task: Task) -> list[str]:
        """Unknown ids, and for a case that must be placed, whatever rules out every
        placement. An optional case that can never run is no error: it stays out at
        its penalty, and the explanation of the schedule says why."""
        errors = self._check_task_ids(task)
        if errors or not self.must_schedule(task):
            return errors
        return self._check_task_fits(task)

    def _check_task_ids(self, task: Task) -> list[str]:
        where = f"task '{task.id}'"
        errors = [
            f"{where}: unknown staff '{name}'{self._near_staff(name)}"
            for name in task.staff
            if name not in self.staff_index
        ]
        errors += [
            f"{where}: unknown room '{room_id}'{self._near_room(room_id)}"
            for room_id in task.rooms or ()
            if room_id not in self.room_index
        ]
        errors += [
            f"{where}: unknown resource '{resource_id}'"
            for resource_id in task.resources
            if resource_id not in self.resource_index
        ]
        return errors

    def _near_staff(self, unknown: str) -> str:
        """What an unknown staff id was probably meant to be (``near_miss``)."""
        return near_miss(unknown, self.staff_index, {p.id: p.name for p in self.staff}, "staff")

    def _near_room(self, unknown: str) -> str:
        return near_miss(unknown, self.room_index, {r.id: r.name for r in self.rooms}, "room")

    def _near_task(self, unknown: str) -> str:
        return near_miss(unknown, self.task_index, {t.id: t.name for t in self.tasks}, "task")

    def _check_task_fits(self, task: Task) -> list[str]:
        where = f"task '{task.id}'"
        if task.release + task.duration > self.horizon:
            return [
                f"{where}: release {task.release} + duration {task.duration} exceeds the "
                f"horizon {self.horizon}"
            ]
        errors = [
            f"{where}: needs {units} of resource '{resource_id}' whose capacity is "
            f"{self.resource(resource_id).capacity}"
            for resource_id, units in task.resources.items()
            if units > self.resource(resource_id).capacity
        ]
        earliest, latest = task.release, self.latest_end(task)

        def fits(windows: list[tuple[int, int]]) -> bool:
            return any(min(e, latest) - max(s, earliest) >= task.duration for s, e in windows)

        def too_long(person: StaffMember) -> bool:
            return person.max_minutes is not None and task.duration > person.max_minutes

        def on_duty(person: StaffMember) -> bool:
            return task.duration == 0 or fits(
                [(w.start, w.end) for w in self.merged_work_windows_of(person)]
            )

        errors += self._check_task_room(task, fits)
        for name in task.staff:
            person = self.person(name)
            if too_long(person):
                errors.append(
                    f"{where}: named staff '{name}' may work at most {person.max_minutes} "
                    f"minutes (max_minutes), less than its duration {task.duration}"
                )
            elif not on_duty(person):
                errors.append(
                    f"{where}: named staff '{name}' has no availability window of "
                    f"{task.duration} minutes within [{earliest}, {latest}]"
                )
        for need in task.team:
            people = self.qualified(task, need.role)
            if len(people) < need.count:
                errors.append(
                    f"{where}: needs {need.count} '{need.role}' but only {len(people)} "
                    f"staff hold that role" + (" besides the named staff" if task.staff else "")
                )
                continue
            short = [p for p in people if too_long(p)]
            fitting = [p for p in people if not too_long(p) and on_duty(p)]
            if len(fitting) < need.count:
                limits = (
                    f" and max_minutes of at least {task.duration} ({len(short)} of the "
                    f"{len(people)} who hold that role {'has' if len(short) == 1 else 'have'} "
                    f"max_minutes below {task.duration})"
                    if short
                    else ""
                )
                errors.append(
                    f"{where}: needs {need.count} '{need.role}' but only {len(fitting)} "
                    f"have an availability window of {task.duration} minutes within "
                    f"[{earliest}, {latest}]" + limits
                )
        return errors

    def _check_task_room(
        self, task: Task, fits: Callable[[list[tuple[int, int]]], bool]
    ) -> list[str]:
        """A case that needs a room has an eligible one, and (unless a milestone, which
        takes no room time) an opening of one holds it."""
        if not self.needs_room(task):
            return []
        where = f"task '{task.id}'"
        if not self.rooms:
            return [f"{where} needs a room (needs_room: true), but the problem has no rooms"]
        if task.rooms is not None and not task.rooms:
            return [
                f"{where}: its room list is empty (rooms: []); list the rooms it may use, "
                "or leave the list out to allow any room"
            ]
        rooms = self.eligible_rooms(task)
        if not rooms:
            wanted = ", ".join(task.room_needs) or "any"
            listed = "" if task.rooms is None else f" among {', '.join(task.rooms)}"
            return [f"{where}: no room{listed} has the capabilities ({wanted})"]
        if task.duration == 0 or any(
            fits([(o.start, o.hard_end) for o in self.openings_of(r)]) for r in rooms
        ):
            return []
        return [
            f"{where}: duration {task.duration} fits in no opening of its eligible rooms "
            f"({', '.join(r.id for r in rooms)}) within [{task.release}, {self.latest_end(task)}]"
        ]

    def _check_precedences(self) -> list[str]:
        errors: list[str] = []
        successors: dict[str, list[str]] = {}
        for i, prec in enumerate(self.precedences):
            where = f"precedences[{i}] ('{prec.before}' → '{prec.after}')"
            unknown = [t for t in (prec.before, prec.after) if t not in self.task_index]
            for task_id in unknown:
                errors.append(f"{where}: unknown task '{task_id}'{self._near_task(task_id)}")
            if not unknown:
                successors.setdefault(prec.before, []).append(prec.after)
        cycle = _find_cycle(successors)
        if cycle:
            errors.append("cyclic precedences: " + " → ".join(f"'{t}'" for t in cycle))
        return errors

    def _check_pins(self) -> list[str]:
        errors: list[str] = []
        seen: set[str] = set()
        for i, pin in enumerate(self.pins):
            where = f"pins[{i}] of task '{pin.task}'"
            if pin.task not in self.task_index:
                errors.append(f"{where}: unknown task '{pin.task}'{self._near_task(pin.task)}")
                continue
            if pin.task in seen:
                errors.append(f"{where}: the task is pinned twice")
            seen.add(pin.task)
            task = self.task(pin.task)
            found: list[str] = []
            if pin.start is not None and not (
                task.release <= pin.start and pin.start + task.duration <= self.latest_end(task)
            ):
                found.append(
                    f"{where}: start {pin.start} is outside the task's window "
                    f"[{task.release}, {self.latest_end(task)}]"
                )
            if pin.room is not None:
                if pin.room not in self.room_index:
                    found.append(f"{where}: unknown room '{pin.room}'{self._near_room(pin.room)}")
                elif pin.room not in {r.id for r in self.eligible_rooms(task)}:
                    found.append(f"{where}: room '{pin.room}' is not eligible for the task")
            candidates = {p.id for p in self.candidates(task)}
            for name in pin.staff:
                if name not in self.staff_index:
                    found.append(f"{where}: unknown staff '{name}'{self._near_staff(name)}")
                elif name not in candidates:
                    found.append(f"{where}: staff '{name}' is not qualified for the task")
            if len(set(pin.staff)) > task.team_size:
                found.append(
                    f"{where}: {len(set(pin.staff))} people pinned to a team of {task.team_size}"
                )
            if not found and task.duration > 0:
                found += self._check_pin_room(where, pin, task)
                found += self._check_pin_staff(where, pin, task)
            errors += found
        return errors

    def _check_pin_room(self, where: str, pin: CasePin, task: Task) -> list[str]:
        """A pinned start and/or room must leave an opening (overtime included) for the task."""
        if not self.needs_room(task) or (pin.start is None and pin.room is None):
            return []
        rooms = [self.room(pin.room)] if pin.room is not None else self.eligible_rooms(task)
        if pin.start is None:
            earliest, latest = task.release, self.latest_end(task)
        else:
            earliest, latest = pin.start, pin.start + task.duration
        for room in rooms:
            for opening in self.openings_of(room):
                if min(opening.hard_end, latest) - max(opening.start, earliest) >= task.duration:
                    return []
        names = ", ".join(f"'{r.id}'" for r in rooms)
        which = f"room {names}" if pin.room is not None else f"its eligible rooms ({names})"
        if pin.start is None:
            return [
                f"{where}: no opening of {which} (overtime included) holds its "
                f"{task.duration} minutes within [{earliest}, {latest}]"
            ]
        return [
            f"{where}: at start {pin.start} its {task.duration} minutes [{earliest}, {latest}) "
            f"fit in no opening of {which} (overtime included)"
        ]

    def _check_pin_staff(self, where: str, pin: CasePin, task: Task) -> list[str]:
        """Named and pinned people must be on duty (overtime included) for the whole
        pinned case."""
        errors: list[str] = []
        if pin.start is not None:
            earliest, latest = pin.start, pin.start + task.duration
        else:
            earliest, latest = task.release, self.latest_end(task)
        for name in dict.fromkeys([*task.staff, *pin.staff]):
            if pin.start is None and name in task.staff:
                continue  # the task's own check covers named staff without a pinned start
            windows = self.merged_work_windows_of(self.person(name))
            if any(min(w.end, latest) - max(w.start, earliest) >= task.duration for w in windows):
                continue
            kind = "named" if name in task.staff else "pinned"
            span = (
                f"for the whole of [{earliest}, {latest})"
                if pin.start is not None
                else f"for {task.duration} minutes within [{earliest}, {latest}]"
            )
            errors.append(f"{where}: {kind} staff '{name}' is not on duty {span}")
        return errors

    def _check_baseline(self) -> list[str]:
        errors: list[str] = []
        if self.baseline is None:
            return errors
        for placed in self.baseline.schedule.tasks:
            where = f"baseline task '{placed.task}'"
            if placed.room is not None and placed.room not in self.room_index:
                errors.append(f"{where}: unknown room '{placed.room}'")
            for name in placed.staff:
                if name not in self.staff_index:
                    errors.append(f"{where}: unknown staff '{name}'")
        return errors


def _find_cycle(successors: dict[str, list[str]]) -> list[str]:
    """One cycle (first node repeated at the end) in a directed graph, or []."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in successors:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            nexts = successors.get(node, [])
            if i < len(nexts):
                stack[-1] = (node, i + 1)
                nxt = nexts[i]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return []
