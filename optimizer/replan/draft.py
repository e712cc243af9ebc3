"""Building the re-planning problem: the changes applied to a copy of the problem.

``prepare`` fixes the started cases, applies the changes (refusing contradictions),
pins what cannot move, takes closed rooms out of the cases' rooms and the optional
cases that can no longer be placed out of the problem; ``new_baseline`` makes the
published schedule the new problem's baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.explain.case_reasons import static_reasons
from optimizer.explain.case_time import time_span, when
from optimizer.model.cases import (
    Absence,
    CaseBaseline,
    CasePin,
    CaseProblem,
    Opening,
    Precedence,
    Room,
    StaffMember,
    Task,
    Window,
    merge_windows,
)
from optimizer.model.result import CaseSchedule, Result, ScheduledTask
from optimizer.replan.changes import (
    AddCase,
    CancelCase,
    CaseOverrun,
    Change,
    RoomClosed,
    StaffUnavailable,
)

# -- interval arithmetic -------------------------------------------------------------


def _close_opening(opening: Opening, start: int, end: int) -> list[Opening]:
    """The parts of an opening outside ``[start, end)`` (overtime-only rests dropped)."""
    if opening.hard_end <= start or opening.start >= end:
        return [opening]
    parts = []
    if opening.start < start:
        regular_end = min(opening.end, start)
        parts.append(
            Opening(
                start=opening.start,
                end=regular_end,
                overtime=min(start, opening.hard_end) - regular_end,
            )
        )
    if end < opening.end:
        parts.append(Opening(start=end, end=opening.end, overtime=opening.overtime))
    return parts


def _run_on(openings: Sequence[Opening], start: int, end: int) -> tuple[Opening, ...]:
    """A room's (sorted) openings once its case started at ``start`` ran until ``end``.

    The opening the case started in gets overtime up to ``end``. A later opening the
    case ran into starts at ``end`` instead (the afternoon list waits for the morning
    case; the room's turnover still follows it); one whose regular hours the case ran
    past goes, its overtime kept as overtime of the case's opening."""
    home = next((o for o in openings if o.start <= start < o.hard_end), None)
    if home is None:  # the published case ran outside every opening: nothing to stretch
        return tuple(openings)
    later = [o for o in openings if start < o.start < end]
    swallowed = [o for o in later if o.end <= end]
    hard_end = max([home.hard_end, end, *(o.hard_end for o in swallowed)])
    kept = []
    for opening in openings:
        if opening is home:
            opening = opening.model_copy(update={"overtime": hard_end - opening.end})
        elif opening in swallowed:
            continue
        elif opening in later:
            opening = opening.model_copy(update={"start": end})
        kept.append(opening)
    return tuple(kept)


def _overlap(span: tuple[int, int], start: int, end: int) -> bool:
    """Whether a non-empty ``span`` overlaps ``[start, end)``."""
    return span[0] < span[1] and span[0] < end and start < span[1]


# -- building the new problem ----------------------------------------------------------


def schedule_of(published: Result | CaseSchedule) -> CaseSchedule:
    if isinstance(published, Result):
        if published.schedule is None:
            raise InputError("the published result holds no case schedule", field="published")
        return published.schedule
    return published


class _Draft:
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

    def fix_started(self, now: int | None) -> None:
        if now is None:
            return
        for task_id, item in self.published.items():
            if task_id in self.tasks and item.start < now:
                self.fixed[task_id] = item

    def apply(self, change: Change) -> None:
        if isinstance(change, AddCase):
            if change.task.id in self.tasks:
                raise InputError(f"case '{change.task.id}' already exists", field="task")
            self.tasks[change.task.id] = change.task
            self.cancelled.discard(change.task.id)
        elif isinstance(change, CancelCase):
            self._known_task(change.task)
            if change.task in self.fixed:
                raise InputError(
                    f"case '{change.task}' has already started and cannot be cancelled",
                    field="task",
                )
            del self.tasks[change.task]
            self.pins.pop(change.task, None)
            self.cancelled.add(change.task)
        elif isinstance(change, StaffUnavailable):
            self._staff_off(change)
        elif isinstance(change, RoomClosed):
            self._room_closed(change)
        else:
            self._overrun(change)

    def _known_task(self, task_id: str) -> None:
        if task_id in self.cancelled:
            raise InputError(
                f"case '{task_id}' is already cancelled by an earlier change", field="task"
            )
        if task_id not in self.tasks:
            raise InputError(f"unknown case '{task_id}'", field="task")

    def _label(self, task_id: str) -> str:
        """The case's label as it stands in the original problem or the changes."""
        return self.tasks[task_id].label if task_id in self.tasks else task_id

    def _check_interval(self, start: int, end: int) -> None:
        if end <= start:
            raise InputError(
                f"the interval ends ({when(self.problem, end)}) before it starts "
                f"({when(self.problem, start)})",
                field="end",
            )

    def _staff_off(self, change: StaffUnavailable) -> None:
        if change.staff not in self.windows:
            raise InputError(f"unknown staff '{change.staff}'", field="staff")
        self._check_interval(change.start, change.end)
        for task_id, item in self.fixed.items():
            end = self.ends.get(task_id, item.end)
            if change.staff in item.staff and item.start < change.end and change.start < end:
                raise InputError(
                    f"{self._who(change.staff)} is on started case '{task_id}' "
                    f"({time_span(self.problem, item.start, end)}) during the requested "
                    f"unavailability ({time_span(self.problem, change.start, change.end)}); "
                    f"start it after the case ends ({when(self.problem, end)})",
                    field="start",
                )
        self.away[change.staff].append(_time_off(change))
        self.offs.append(change)

    def _who(self, name: str) -> str:
        """ "Sam (S1)", or "'S1'" for someone without a name."""
        person = self.problem.person(name)
        return f"{person.name} ({name})" if person.name else f"'{name}'"

    def _check_not_away(self, task_id: str, item: ScheduledTask, end: int) -> None:
        """An overrun case keeps its team until ``end``: none of them may be away then."""
        for name in item.staff:
            for off in self.away.get(name, ()):
                if item.start < off.end and off.start < end:
                    raise InputError(
                        f"case '{task_id}' ran until {when(self.problem, end)} with "
                        f"{self._who(name)}, who is unavailable "
                        f"{time_span(self.problem, off.start, off.end)}; start the "
                        f"unavailability after the case ends ({when(self.problem, end)})",
                        field="start",
                    )

    def _span(self, change: RoomClosed | StaffUnavailable) -> str:
        """The change's interval, with its reason unless that is the default."""
        span = time_span(self.problem, change.start, change.end)
        default = "closed" if isinstance(change, RoomClosed) else "unavailable"
        return span if change.reason in ("", default) else f"{span} ({change.reason})"

    def _closure_clash(self, closure: RoomClosed, task_id: str, item: ScheduledTask) -> None:
        """A started case may not run in a room while it is closed (either order)."""
        end = self.ends.get(task_id, item.end)
        if item.room != closure.room or not (item.start < closure.end and closure.start < end):
            return
        ran = " (it ran long)" if task_id in self.ends else ""
        fix = " or correct the case's actual end" if task_id in self.ends else ""
        raise InputError(
            f"room '{closure.room}' holds started case '{task_id}' ({self._label(task_id)}) "
            f"{time_span(self.problem, item.start, end)}{ran} during the requested closure "
            f"{self._span(closure)}; start the closure after the case ends "
            f"({when(self.problem, end)}){fix}",
            field="start",
        )

    def _room_closed(self, change: RoomClosed) -> None:
        if change.room not in self.rooms:
            raise InputError(f"unknown room '{change.room}'", field="room")
        self._check_interval(change.start, change.end)
        for task_id, item in self.fixed.items():
            self._closure_clash(change, task_id, item)
        self.closures.append(change)
        if change.room in self.closed:
            return
        room = self.rooms[change.room]
        openings = self.problem.openings_of(room)
        new = [part for o in openings for part in _close_opening(o, change.start, change.end)]
        if not new:  # no opening left: the room stays (the plan names it), no case uses it
            self.closed.add(change.room)
            return
        self.rooms[change.room] = room.model_copy(update={"openings": tuple(new)})

    def _overrun(self, change: CaseOverrun) -> None:
        self._known_task(change.task)
        item = self.published.get(change.task)
        if item is None:
            raise InputError(f"case '{change.task}' is not in the published schedule", field="task")
        end, label = change.actual_end, self._label(change.task)
        if end <= item.start:
            raise InputError(
                f"case '{change.task}' ({label}) started at {when(self.problem, item.start)}; "
                f"its actual end ({when(self.problem, end)}) must be later",
                field="actual_end",
            )
        if end > self.problem.horizon:
            raise InputError(
                f"case '{change.task}' ({label}): its actual end ({when(self.problem, end)}) is "
                f"after the end of the schedule ({when(self.problem, self.problem.horizon)})",
                field="actual_end",
            )
        self._check_not_away(change.task, item, end)
        self.ends[change.task] = end
        for closure in self.closures:
            self._closure_clash(closure, change.task, item)
        for other_id, other in self.fixed.items():
            if other_id != change.task:
                self._started_clash(change.task, item, other_id, other)
        task = self.tasks[change.task]
        update: dict[str, Any] = {"duration": end - item.start}
        if task.deadline is not None and task.deadline < end:
            update["deadline"] = end
        self.tasks[change.task] = task.model_copy(update=update)
        self.fixed[change.task] = item
        for name in item.staff:
            if name in self.windows:
                self._keep_on(name, item.start, end)
        if item.room is not None and item.room in self.rooms:
            room = self.rooms[item.room]
            if room.openings:
                openings = _run_on(self.problem.openings_of(room), item.start, end)
                self.rooms[item.room] = room.model_copy(update={"openings": openings})

    def _started_clash(self, a_id: str, a: ScheduledTask, b_id: str, b: ScheduledTask) -> None:
        """Two started cases (one ran long) may not share a room or a person at once."""
        (first_id, first), (second_id, second) = sorted(
            ((a_id, a), (b_id, b)), key=lambda pair: pair[1].start
        )
        first_end = self.ends.get(first_id, first.end)
        same_room = first.room is not None and first.room == second.room
        turnover = 0
        if same_room and first.room in self.rooms:
            turnover = self.problem.turnover_of(self.rooms[first.room])
        shared = [n for n in first.staff if n in second.staff]
        if same_room and second.start < first_end + turnover:
            where = f"in the same room {first.room}" + (
                f" (turnover {turnover} min)" if turnover else ""
            )
            latest = second.start - turnover
        elif shared and second.start < first_end:
            where, latest = f"with the same {self._who(shared[0])}", second.start
        else:
            return
        raise InputError(
            f"case '{first_id}' ({self._label(first_id)}) runs until "
            f"{when(self.problem, first_end)}, but started case '{second_id}' "
            f"({self._label(second_id)}) began at {when(self.problem, second.start)} {where}; "
            f"cases that have started cannot overlap: the actual end of '{first_id}' must be "
            f"{when(self.problem, latest)} at the latest",
            field="actual_end",
        )

    def check_pins(self) -> None:
        """A planner's pin that a closure or an absence makes impossible is refused."""
        for task_id, pin in self.pins.items():
            if task_id in self.fixed or task_id not in self.tasks:
                continue
            duration = self.tasks[task_id].duration
            span = (0, 0) if pin.start is None else (pin.start, pin.start + duration)
            for closure in self.closures:
                if closure.room == pin.room and (
                    closure.room in self.closed or _overlap(span, closure.start, closure.end)
                ):
                    what = f"the closure of room {closure.room} {self._span(closure)}"
                    self._pin_clash(task_id, pin, what, "closure")
            people = {*self.tasks[task_id].staff, *pin.staff}
            for off in self.offs:
                if off.staff in people and _overlap(span, off.start, off.end):
                    what = f"{self._who(off.staff)} unavailable {self._span(off)}"
                    self._pin_clash(task_id, pin, what, "unavailability")
            for ran_id in self.ends:
                self._overrun_pin_clash(ran_id, task_id, pin, span, people)

    def _overrun_pin_clash(
        self, ran_id: str, task_id: str, pin: CasePin, span: tuple[int, int], people: set[str]
    ) -> None:
        """A case that ran long may not run into a planner's pinned time in its room
        (turnover included) or with a person the pinned case needs."""
        item, end = self.fixed[ran_id], self.ends[ran_id]
        turnover = 0
        if item.room is not None and item.room in self.rooms:
            turnover = self.problem.turnover_of(self.rooms[item.room])
        in_room = item.room is not None and pin.room == item.room
        shared = [name for name in item.staff if name in people]
        if in_room and _overlap(span, item.start, end + turnover):
            where = f"in room {item.room}" + (f" (turnover {turnover} min)" if turnover else "")
        elif shared and _overlap(span, item.start, end):
            where = f"with {self._who(shared[0])}"
        else:
            return
        what = (
            f"case '{ran_id}' ({self._label(ran_id)}) running until "
            f"{when(self.problem, end)} {where}"
        )
        self._pin_clash(task_id, pin, what, "case's actual end")

    def _pin_clash(self, task_id: str, pin: CasePin, what: str, kind: str) -> None:
        parts = []
        if pin.start is not None:
            duration = self.tasks[task_id].duration
            parts.append(time_span(self.problem, pin.start, pin.start + duration))
        if pin.room is not None:
            parts.append(f"in room {pin.room}")
        if pin.staff:
            parts.append("with " + ", ".join(self._who(name) for name in pin.staff))
        raise InputError(
            f"{what} clashes with the pin of case '{task_id}' ({self._label(task_id)}: "
            f"{' '.join(parts)}); move or remove the pin, or revise the {kind}",
            field="pins",
        )

    def close_rooms(self) -> dict[str, str]:
        """Take the rooms closed for all their opening time out of every case's rooms.

        An optional case left with no room is taken out (returned: id -> reason); a
        mandatory one makes the closure invalid."""
        dropped: dict[str, str] = {}
        for task_id, task in list(self.tasks.items()):
            eligible = [r.id for r in self.problem.eligible_rooms(task)]
            shut = [r for r in eligible if r in self.closed]
            if not shut:
                continue
            if len(shut) < len(eligible):
                keep = [r for r in task.rooms or eligible if r not in self.closed]
                self.tasks[task_id] = task.model_copy(update={"rooms": tuple(keep)})
                continue
            closures = "; ".join(
                f"{c.room} closed {self._span(c)}" for c in self.closures if c.room in shut
            )
            reason = f"no opening at all is left in its rooms ({closures})"
            if not task.optional or task_id in self.pins:
                raise InputError(
                    f"case '{task_id}' ({task.label}) must be scheduled, but {reason}; mark "
                    "it optional or close the rooms for less time",
                    field="room",
                )
            dropped[task_id] = reason
            del self.tasks[task_id]
        return dropped

    def raise_limits(self) -> dict[str, str]:
        """Facts beat plans: a person whose started cases (one ran long) already pass
        their ``max_minutes`` keeps them, their limit raised to those minutes. No other
        case can have them: an optional case naming them (or pinned to them) is taken out
        (returned: id -> reason); a mandatory one is an ``InputError``."""
        dropped: dict[str, str] = {}
        for person in self.problem.staff:
            worked = self._worked(person.id)
            if person.max_minutes is None or worked <= person.max_minutes:
                continue
            self.limits[person.id] = (person.max_minutes, worked)
            dropped.update(self._over_limit(person, worked))
        return dropped

    def limit_notes(self) -> list[str]:
        """One note per person whose ``max_minutes`` the re-plan raised."""
        return [
            f"{self.problem.person(name).label}'s max working minutes are raised from {old} "
            f"to {new} for this re-plan: their started cases ({self._started_by(name)}) "
            f"already take {new} minutes"
            for name, (old, new) in self.limits.items()
        ]

    def _started_by(self, name: str) -> str:
        """The labels of the started cases ``name`` works on."""
        return ", ".join(self._label(t) for t, item in self.fixed.items() if name in item.staff)

    def _worked(self, name: str) -> int:
        """The minutes ``name`` works on started cases (actual durations)."""
        return sum(
            self.tasks[task_id].duration
            for task_id, item in self.fixed.items()
            if name in item.staff and task_id in self.tasks
        )

    def _over_limit(self, person: StaffMember, worked: int) -> dict[str, str]:
        """The cases left without ``person``, who already works ``worked`` minutes."""
        reason = (
            f"{person.label} already works {worked} minutes on started cases "
            f"({self._started_by(person.id)}), "
            f"more than their max {person.max_minutes} working minutes"
        )
        dropped: dict[str, str] = {}
        for task_id, task in list(self.tasks.items()):
            pin = self.pins.get(task_id)
            people = {*task.staff, *(pin.staff if pin else ())}
            if task_id in self.fixed or task.duration == 0 or person.id not in people:
                continue
            if not task.optional or pin is not None:
                raise InputError(
                    f"case '{task_id}' ({task.label}) must be scheduled with "
                    f"{self._who(person.id)}, but {reason}; mark it optional, name someone "
                    "else, or correct the started cases' actual ends",
                    field="actual_end",
                )
            dropped[task_id] = reason
            del self.tasks[task_id]
        return dropped

    def release_after(self, now: int | None) -> None:
        """No case that has not started may start before ``now``; a case that must be
        placed and no longer fits before its deadline is refused."""
        if now is None:
            return
        for task_id, task in list(self.tasks.items()):
            if task_id not in self.fixed and task.release < now:
                self._check_deadline(task, now)
                self.tasks[task_id] = task.model_copy(update={"release": now})

    def _check_deadline(self, task: Task, now: int) -> None:
        """A mandatory (or pinned) case whose deadline leaves no room for it after
        ``now``; an optional one is dropped later, with the reason."""
        if task.deadline is None or task.deadline >= now + task.duration:
            return
        if task.optional and task.id not in self.pins:
            return
        about = [task.label] if task.label != task.id else []
        if task.id not in self.problem.task_index:
            about.append("added")
        where = f"case '{task.id}'" + (f" ({', '.join(about)})" if about else "")
        deadline, at = when(self.problem, task.deadline), when(self.problem, now)
        if task.deadline < now:
            rule = f"its deadline {deadline} is before now ({at})"
        else:
            rule = (
                f"its {task.duration} minutes no longer fit between now ({at}) and its "
                f"deadline {deadline}"
            )
        raise InputError(
            f"{where}: {rule}; give it a later deadline, or mark it optional", field="task"
        )

    def pin_fixed(self) -> None:
        for task_id, item in self.fixed.items():
            self.pins[task_id] = CasePin(
                task=task_id, start=item.start, room=item.room, staff=item.staff
            )

    def build(self, baseline: CaseBaseline | None, validate: bool = True) -> CaseProblem:
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

    def _keep_on(self, name: str, start: int, end: int) -> None:
        """Keep ``name`` on an overrunning case ``[start, end)``.

        As far as the person's work windows reach (each on-duty window plus its
        overtime), nothing changes: the problem charges the staff overtime rule
        (``_charged``). Beyond that reach the on-duty window before each stretch is
        lengthened so that its overtime ends where the stretch ends (facts beat plans):
        every window the case reaches still charges its overtime in full, the minutes
        beyond are not charged, and no overtime is left after the case's end."""
        person = self.problem.person(name)
        now = person.model_copy(
            update={
                "available": [Window(start=a, end=b) for a, b in self.windows[name]],
                "unavailable": self.away[name],
            }
        )
        if self._charged(now, start, end) is not None:
            return
        merged = merge_windows([*self.windows[name], *self._stretch(now, start, end)])
        self.windows[name] = [(w.start, w.end) for w in merged]

    def _stretch(self, person: StaffMember, start: int, end: int) -> list[tuple[int, int]]:
        """On-duty time to add so ``person`` may work ``[start, end)``: per stretch
        ``[a, b)`` of it beyond their work windows' reach, the window whose overtime
        ends at ``a`` runs on until ``b`` less that overtime (with no such window, the
        stretch itself is on duty)."""
        duty, work_ends = self.problem.windows_of(person), self.problem.work_windows_of(person)
        work = list(zip(duty, work_ends, strict=True))
        reach = [(w.start, w.end) for w in self.problem.merged_work_windows_of(person)]
        added, at = [], start
        for reach_start, reach_end in [*reach, (end, end)]:
            a, b = at, min(reach_start, end)
            at = max(at, reach_end)
            if a >= b:
                continue
            before = [window.end for window, (_, work_end) in work if work_end == a]
            added.append((a, b) if not before else (before[-1], b - (a - before[-1])))
        return added

    def _charged(self, person: StaffMember, start: int, end: int) -> int | None:
        """The staff overtime the problem charges for a case ``[start, end)`` of
        ``person`` (who works nothing else then), or None when they may not work it:
        per on-duty window the case reaches (it starts before the window's overtime
        ends and ends after the window), the minutes from the window's end to the
        case's end, counted up to the overtime's end."""
        reach = self.problem.merged_work_windows_of(person)
        if not any(w.start <= start and end <= w.end for w in reach):
            return None
        duty = self.problem.windows_of(person)
        work = self.problem.work_windows_of(person)
        return sum(
            max(0, min(end, work_end) - window.end)
            for window, (_, work_end) in zip(duty, work, strict=True)
            if start < work_end
        )

    def _whole(self, person: StaffMember) -> bool:
        return self.windows[person.id] == [(0, self.problem.horizon)]


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _drop_unplaceable(draft: _Draft, now: int | None) -> dict[str, str]:
    """Take out optional, unfixed tasks that can no longer be placed at all (one the
    problem could never place stays in: it is left out at its cost, as before)."""
    trial = draft.build(None, validate=False)
    dropped: dict[str, str] = {}
    for task in list(draft.tasks.values()):
        if task.id in draft.fixed or trial.must_schedule(task) or _never(draft.problem, task.id):
            continue
        unknown = [n for n in task.staff if n not in trial.staff_index] or [
            r for r in task.rooms or () if r not in trial.room_index
        ]
        if unknown or any(r not in trial.resource_index for r in task.resources):
            continue  # validation names the bad reference
        latest = trial.latest_end(task)
        if task.release + task.duration > latest:
            after = "" if now is None else f" after {when(trial, now)}"
            dropped[task.id] = f"its window closes{after} before {task.duration} minutes fit"
            continue
        reasons = static_reasons(trial, task)
        if reasons:
            dropped[task.id] = reasons[0].message
    for task_id in dropped:
        del draft.tasks[task_id]
    return dropped


def _never(problem: CaseProblem, task_id: str) -> bool:
    """Whether ``problem`` (before the changes) could never place the case either."""
    if task_id not in problem.task_index:
        return False
    task = problem.task(task_id)
    return task.release + task.duration > problem.latest_end(task) or bool(
        static_reasons(problem, task)
    )


def _check_now(problem: CaseProblem, now: int | None) -> None:
    """``now`` lies within the schedule: from its start to its end (the horizon)."""
    if now is None or 0 <= now <= problem.horizon:
        return
    span = time_span(problem, 0, problem.horizon)
    raise InputError(
        f"now ({now} minutes from the start) is outside the schedule: it must lie within "
        f"0 to {problem.horizon} minutes ({span})",
        field="now",
    )


def prepare(
    problem: CaseProblem, schedule: CaseSchedule, changes: Sequence[Change], now: int | None
) -> tuple[_Draft, dict[str, str]]:
    """The changes applied and the unplaceable optional cases taken out (id -> reason)."""
    _check_now(problem, now)
    draft = _Draft(problem, schedule)
    draft.fix_started(now)
    for change in changes:
        draft.apply(change)
    draft.release_after(now)
    draft.pin_fixed()
    draft.check_pins()
    dropped = draft.close_rooms()
    dropped.update(draft.raise_limits())
    dropped.update(_drop_unplaceable(draft, now))
    return draft, dropped


def new_baseline(
    draft: _Draft,
    schedule: CaseSchedule,
    dropped: dict[str, str],
    move_weight: int,
    staff_weight: int,
) -> CaseBaseline:
    kept = CaseSchedule(
        tasks=tuple(it for it in schedule.tasks if it.task in draft.tasks or it.task in dropped),
        unscheduled=tuple(t for t in schedule.unscheduled if t in draft.tasks),
    )
    return CaseBaseline(schedule=kept, move_weight=move_weight, staff_weight=staff_weight)


def _time_off(change: StaffUnavailable) -> Window:
    """The absence as time off, carrying its reason when the change gives one."""
    if change.reason == StaffUnavailable.model_fields["reason"].default:
        return Window(start=change.start, end=change.end)
    return Absence(start=change.start, end=change.end, reason=change.reason)
