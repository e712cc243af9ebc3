"""Why one case is unscheduled or ends late.

Every start time that could work (for a late task: every start that would end by
its due time) is examined in stages:

1. *static* — the task's window, the units it needs against each resource's capacity
   ("it needs 2 XRAY but only 1 exists"), its eligible rooms (an empty room list is
   said to be one) and their openings, named staff on duty, enough qualified people
   on duty: if a stage leaves no start time, that stage is the reason, told apart by
   cause: an absence with its reason ("Ms Jones is unavailable (sick) from ..."), a
   role nobody holds, role holders on duty only while no room opening holds the case,
   or off duty ("no qualified anaesthetist on duty on Tue when Mr Okafor operates");
2. *against the schedule* — with every other task where the schedule put it, each
   remaining (start, room) is blocked by a busy room, a busy named person, too few
   free qualified people (or free ones all past their max minutes), equipment at
   capacity, a person's max minutes, or a
   precedence (named with the other case and the lag). The reasons list each blocker
   with the share of candidate (start, room) pairs it blocks; busy rooms are told
   per room and as the share of start times at which every eligible room is booked
   (a free room elsewhere is not a booked room). If some start is blocked by nothing,
   the explanation says so: the slot was free and the solver did not use it: what
   using it would cost, by rule (the checker scores the schedule with the task moved
   there), or the time limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from optimizer.check.cases import check_cases
from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import (
    blockers,
    candidate_starts,
    find_slot,
    on_duty,
    precedence_range,
    room_candidates,
    static_ok,
)
from optimizer.explain.case_time import day_list, time_span, when
from optimizer.model.cases import (
    Absence,
    CaseProblem,
    Precedence,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
    merge_windows,
)
from optimizer.model.common import Record
from optimizer.model.result import CaseSchedule, ScheduledTask


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


def _limit(problem: CaseProblem, latest: int, late: bool) -> str:
    """The end of the stretch examined: the due time of a late task, else its latest end."""
    return f"its due time {when(problem, latest)}" if late else when(problem, latest)


def _spans(problem: CaseProblem, spans: list[tuple[int, int]], most: int = 3) -> str:
    """Duty stretches as times (as days for abstract time, which has no clock)."""
    if problem.start is None:
        return day_list(problem, [a for a, _ in spans])
    shown = [time_span(problem, a, b) for a, b in spans[:most]]
    if len(spans) > most:
        shown.append(f"{len(spans) - most} more")
    return ", ".join(shown)


def _off_duty(problem: CaseProblem, task: Task, name: str, latest: int, late: bool,
              room_starts: list[int], before: tuple[str, ...]) -> str:  # fmt: skip
    """Why ``name`` is never on duty for a whole start left by the earlier stages.

    ``room_starts``: the starts the window and rooms allow; ``before``: the named
    people already checked (on duty at some of those starts)."""
    person = problem.person(name)
    away = _absences_blocking(problem, task, [person], 1, room_starts)
    if away:
        return _absence_words(problem, person, away[person.id])
    windows = problem.windows_of(person)
    if not windows:
        return f"{person.label} is not on duty at all"
    minutes = task.duration
    if before and any(on_duty(problem, name, t, t + minutes) for t in room_starts):
        others = ", ".join(problem.person(n).label for n in before)
        room = " while a room is open" if problem.needs_room(task) else ""
        scope = f" before {_limit(problem, latest, late)}" if late else ""
        return (
            f"{person.label} and {others} are never on duty together{room} for the "
            f"{minutes}-minute case{scope}"
        )
    inside = [
        (max(w.start, task.release), min(w.end, latest))
        for w in windows
        if w.end > task.release and w.start < latest
    ]
    if not inside:
        return _outside(problem, task, person.label, windows, latest, late)
    if all(b - a < minutes for a, b in inside):
        scope = f"before {_limit(problem, latest, late)}" if late else "within its window"
        return (
            f"{person.label} is on duty for less than {minutes} minutes {scope} "
            f"({_spans(problem, inside)})"
        )
    long = [(a, b) for a, b in inside if b - a >= minutes]
    if late:
        return (
            f"before {_limit(problem, latest, late)}, {person.label} is on duty only "
            f"{_spans(problem, long)}, and no room opening then holds the {minutes}-minute case"
        )
    return (
        f"{person.label} is on duty only {_spans(problem, long)}, and no room opening then "
        f"holds the {minutes}-minute case within its window"
    )


def _outside(problem: CaseProblem, task: Task, label: str, windows: list[Window],
             latest: int, late: bool) -> str:  # fmt: skip
    """A person on duty only before the task's release and/or after its latest end."""
    limit = _limit(problem, latest, late) if late else f"its latest end ({when(problem, latest)})"
    earlier = [w for w in windows if w.end <= task.release]
    later = [w for w in windows if w.start >= latest]
    if later and not earlier:
        return f"{label} is on duty only from {when(problem, later[0].start)}, after {limit}"
    release = when(problem, task.release)
    if earlier and not later:
        return (
            f"{label} is on duty only until {when(problem, earlier[-1].end)}, before the case "
            f"may start ({release})"
        )
    return f"{label} is not on duty between {release} and {limit}"


@dataclass(frozen=True)
class _Starts:
    """The start times left after the static stages: within the task's window and its
    rooms' openings, and of those, with its named staff on duty."""

    rooms: list[int]
    named: list[int]


def _role_reason(problem: CaseProblem, task: Task, need: TeamRequirement, left: _Starts,
                 latest: int, late: bool) -> Reason:  # fmt: skip
    """Why too few holders of ``need.role`` are on duty at every start left: nobody (or
    too few) holds the role, they are away, they are on duty only when no room opening
    holds the case, or they are off duty (when the named staff operate)."""
    people = problem.qualified(task, need.role)
    role = need.role.replace("_", " ")
    if len(people) < need.count:
        return Reason(code=f"role_missing:{need.role}", message=_missing(problem, task, need))
    code = f"role_off_duty:{need.role}"
    away = _absences_blocking(problem, task, people, need.count, left.rooms)
    if away:
        only = _holders(people, role) if len(people) == 1 else None
        words = [_absence_words(problem, problem.person(n), w, only) for n, w in away.items()]
        return Reason(code=code, message=" and ".join(words))
    limit = _limit(problem, latest, late)
    together = _together(problem, people, need.count, task.release, latest, task.duration)
    if (
        problem.needs_room(task)
        and together
        and not _enough_at(problem, people, need.count, left.rooms, task.duration)
    ):
        who = _holders(people, role)
        if need.count > 1:
            who = f"{need.count} of {who} are on duty together"
        else:
            who += " is on duty" if len(people) == 1 else " are on duty"
        scope = f"before {limit}, " if late else ""
        return Reason(
            code=code,
            message=f"{scope}{who} only {_spans(problem, together)}, and no room opening "
            f"then holds the {task.duration}-minute case",
        )
    named = ", ".join(problem.person(n).label for n in task.staff)
    when_named = f" when {named} operates" if named else ""
    count = "no" if need.count == 1 else f"fewer than {need.count}"
    plural = "" if need.count == 1 else "s"
    period = f"ending by {limit}" if late else f"on {day_list(problem, left.named)}"
    return Reason(
        code=code,
        message=f"{count} qualified {role}{plural} on duty for {task.duration} minutes "
        f"{period}{when_named}",
    )


def _missing(problem: CaseProblem, task: Task, need: TeamRequirement) -> str:
    """Nobody, or fewer people than the case needs, hold the role (besides its named staff)."""
    people = problem.qualified(task, need.role)
    role = need.role.replace("_", " ")
    named = [problem.person(n).label for n in task.staff if need.role in problem.person(n).roles]
    besides = f" besides {', '.join(named)} (named on the case)" if named else ""
    if not people:
        return f"no staff member{besides} holds the role {role}"
    holds = "holds" if len(people) == 1 else "hold"
    return (
        f"only {len(people)} staff member{'s' if len(people) > 1 else ''}{besides} {holds} "
        f"the role {role} ({', '.join(p.label for p in people)}), and the case needs "
        f"{need.count}"
    )


def _holders(people: list[StaffMember], role: str) -> str:
    """The holders of a role: "Dr A (the only anaesthetist)", "the anaesthetists (Dr A,
    Dr B)" or "the 5 anaesthetists"."""
    if len(people) == 1:
        return f"{people[0].label} (the only {role})"
    if len(people) <= 3:
        return f"the {role}s ({', '.join(p.label for p in people)})"
    return f"the {len(people)} {role}s"


def _together(problem: CaseProblem, people: list[StaffMember], count: int, release: int,
              latest: int, minutes: int) -> list[tuple[int, int]]:  # fmt: skip
    """The stretches within ``[release, latest)`` made of whole ``minutes``-long cases
    that ``count`` of ``people`` may each work (on duty or in overtime)."""
    events: list[tuple[int, int]] = []
    for person in people:
        for w in problem.merged_work_windows_of(person):
            first, last = max(w.start, release), min(w.end, latest) - minutes
            if first <= last:
                events += [(first, 1), (last + 1, -1)]
    spans: list[tuple[int, int]] = []
    level, opened = 0, 0
    for time, step in sorted(events):
        if step > 0 and level + step >= count > level:
            opened = time
        elif step < 0 and level >= count > level + step:
            spans.append((opened, time - 1 + minutes))
        level += step
    return [(w.start, w.end) for w in merge_windows(spans)]


def _enough_at(problem: CaseProblem, people: list[StaffMember], count: int, starts: list[int],
               minutes: int) -> bool:  # fmt: skip
    """Whether ``count`` of ``people`` are on duty for a whole case at one of ``starts``."""
    return any(sum(on_duty(problem, p.id, t, t + minutes) for p in people) >= count for t in starts)


def _absences_blocking(problem: CaseProblem, task: Task, people: list[StaffMember], count: int,
                       starts: list[int]) -> dict[str, list[Window]]:  # fmt: skip
    """Per person of ``people``, their absences within ``starts``' reach, when these
    absences are what keeps fewer than ``count`` on duty at every one of ``starts``
    (without them enough would be on duty at one); else empty."""
    minutes = task.duration
    if minutes == 0 or not starts or not any(p.unavailable for p in people):
        return {}
    present = {
        p.id: problem.merged_work_windows_of(p.model_copy(update={"unavailable": ()}))
        for p in people
    }

    def may_work(name: str, start: int) -> bool:
        return any(w.start <= start and start + minutes <= w.end for w in present[name])

    if not any(sum(may_work(p.id, t) for p in people) >= count for t in starts):
        return {}
    low, high = starts[0], starts[-1] + minutes
    found = {p.id: [u for u in p.unavailable if u.start < high and low < u.end] for p in people}
    return {name: away for name, away in found.items() if away}


def _absence_words(
    problem: CaseProblem, person: StaffMember, away: list[Window], who: str | None = None
) -> str:
    """The person's absences with their reasons (if any): "Ms Jones is unavailable
    (sick) from Mon 07 Dec 09:10 to 20:00" (``who`` in place of the name if given)."""
    parts = []
    for window in away:
        reason = window.reason if isinstance(window, Absence) else ""
        why = f"({reason}) " if reason and reason != "unavailable" else ""
        parts.append(f"{why}{_from_to(problem, window.start, window.end)}")
    return f"{who or person.label} is unavailable {' and '.join(parts)}"


def _from_to(problem: CaseProblem, start: int, end: int) -> str:
    """``from Mon 07 Dec 09:10 to 20:00``, ``... to Tue 08 Dec 06:00`` or ``from t=70 to t=720``."""
    first, last = problem.datetime_of(start), problem.datetime_of(end)
    if first is None or last is None:
        return f"from t={start} to t={end}"
    if first.date() == last.date():
        return f"from {when(problem, start)} to {last:%H:%M}"
    return f"from {when(problem, start)} to {when(problem, end)}"


def _static_reasons(
    problem: CaseProblem, task: Task, latest: int, starts: list[int], late: bool = False
) -> list[Reason]:
    """Reasons that hold whatever the other tasks do (empty if some start passes).

    ``latest`` is the latest end examined: the due time of a ``late`` task, else the
    task's latest end."""
    limit = _limit(problem, latest, late)
    if not starts:
        message = (
            f"its due time {when(problem, latest)} is less than {task.duration} minutes after "
            f"its earliest start {when(problem, task.release)}"
            if late
            else f"its window {when(problem, task.release)}–{when(problem, latest)} is "
            f"shorter than its {task.duration} minutes"
        )
        return [Reason(code="window_too_short", message=message)]
    never = [*_above_capacity(problem, task), *_no_room(problem, task)]
    if never:
        return never
    if problem.needs_room(task):
        rooms = problem.eligible_rooms(task)
        starts = [t for t in starts if room_candidates(problem, task, t)]
        if not starts:
            names = ", ".join(r.id for r in rooms)
            return [
                Reason(
                    code="room_hours",
                    message=f"no opening of its rooms ({names}) holds {task.duration} minutes "
                    f"between {when(problem, task.release)} and {limit}",
                )
            ]
    room_starts = starts
    end = task.duration
    for i, name in enumerate(task.staff):
        on = [t for t in starts if task.duration == 0 or on_duty(problem, name, t, t + end)]
        if not on:
            message = _off_duty(problem, task, name, latest, late, room_starts, task.staff[:i])
            return [Reason(code="staff_off_duty", message=message)]
        starts = on
    for need in task.team:
        people = problem.qualified(task, need.role)
        ok = [
            t
            for t in starts
            if task.duration == 0
            or sum(on_duty(problem, p.id, t, t + end) for p in people) >= need.count
        ]
        if not ok:
            left = _Starts(room_starts, starts)
            return [_role_reason(problem, task, need, left, latest, late)]
        starts = ok
    if not any(static_ok(problem, task, t) for t in starts):
        scope = f" before {limit}" if late else ""
        return [
            Reason(
                code="team_off_duty",
                message=f"the needed team is never on duty together for the whole case{scope}",
            )
        ]
    return []


def _above_capacity(problem: CaseProblem, task: Task) -> list[Reason]:
    """Each resource the task needs more units of than exist (a milestone uses none)."""
    reasons = []
    for resource_id, units in task.resources.items():
        capacity = problem.resource(resource_id).capacity
        if task.duration and units > capacity:
            name = problem.resource(resource_id).name or resource_id
            there = f"only {capacity} exist{'s' if capacity == 1 else ''}"
            message = f"it needs {units} {name} but {there if capacity else 'none exists'}"
            reasons.append(Reason(code=f"equipment_capacity:{resource_id}", message=message))
    return reasons


def _no_room(problem: CaseProblem, task: Task) -> list[Reason]:
    """The task needs a room but none may hold it: its room list is empty, or no room
    (of the list) has the capabilities it needs."""
    if not problem.needs_room(task) or problem.eligible_rooms(task):
        return []
    if task.rooms is not None and not task.rooms:
        message = "its room list is empty, so no room may hold it"
        return [Reason(code="room_list_empty", message=message)]
    needs = ", ".join(task.room_needs) or "any"
    among = "" if task.rooms is None else f" among its rooms ({', '.join(task.rooms)})"
    return [Reason(code="room_type", message=f"no room{among} has the capabilities ({needs})")]


def case_label(problem: CaseProblem, task_id: str) -> str:
    """A case's label, with its id when it has no name or shares its name."""
    return label_among(problem.task(task_id), problem.tasks)


def label_among(task: Task, cases: Iterable[Task]) -> str:
    """``task``'s label, with its id when it has no name or shares its name with
    another of ``cases`` (e.g. the cases before and after a re-plan)."""
    if task.name and all(t.name != task.name or t.id == task.id for t in cases):
        return task.name
    return task.id if task.label == task.id else f"{task.label} ({task.id})"


def _precedence_codes(problem: CaseProblem, task: Task, occ: Occupancy, start: int) -> list[str]:
    """``precedence:<index>`` for each precedence with a placed task that ``start`` breaks."""
    codes = []
    for i, prec in enumerate(problem.precedences):
        low: int | None
        high: int | None
        if prec.after == task.id and prec.before in occ.placed:
            end = occ.placed[prec.before].end
            low = end + prec.min_lag
            high = None if prec.max_lag is None else end + prec.max_lag
        elif prec.before == task.id and prec.after in occ.placed:
            begin = occ.placed[prec.after].start - task.duration
            high = begin - prec.min_lag
            low = None if prec.max_lag is None else begin - prec.max_lag
        else:
            continue
        if (low is not None and start < low) or (high is not None and start > high):
            codes.append(f"precedence:{i}")
    return codes


def _lag_words(prec: Precedence) -> str:
    """``min_lag`` (and ``max_lag``) as words: "at least 7 min ", "7 to 30 min ", ""."""
    if prec.max_lag is not None:
        return f"{prec.min_lag} to {prec.max_lag} min "
    return f"at least {prec.min_lag} min " if prec.min_lag else ""


def _precedence_message(
    problem: CaseProblem, task: Task, prec: Precedence, schedule: CaseSchedule
) -> str:
    """The precedence in the planner's words, with the other case's time."""
    placed = schedule.by_task()
    lag = _lag_words(prec)
    if prec.after == task.id:
        other = placed[prec.before]
        return (
            f"it must start {lag}after {case_label(problem, prec.before)} ends "
            f"({when(problem, other.end)})"
        )
    other = placed[prec.after]
    return (
        f"it must end {lag}before {case_label(problem, prec.after)} starts "
        f"({when(problem, other.start)})"
    )


@dataclass
class _Tally:
    """What blocks the candidate (start, room) pairs; busy rooms also per room and per
    start (a start is room-blocked only when every room is busy then)."""

    codes: Counter[str] = field(default_factory=Counter)
    pairs: int = 0
    room_seen: Counter[str] = field(default_factory=Counter)  # room -> candidate starts
    room_busy: Counter[str] = field(default_factory=Counter)  # room -> starts it is busy
    starts: int = 0  # candidate starts with a room
    all_busy: int = 0  # ... at which every room is busy

    def rooms_message(self, names: str, pct: str) -> str:
        if len(self.room_seen) <= 1:
            return f"its eligible rooms ({names}) are booked at {pct}"
        each = ", ".join(
            f"{room} at {self.room_busy[room] / seen:.0%}" for room, seen in self.room_seen.items()
        )
        return (
            f"its eligible rooms ({names}) are all booked at once at "
            f"{self.all_busy / max(1, self.starts):.0%} of the possible times ({each})"
        )


def _blocker_message(
    problem: CaseProblem,
    task: Task,
    code: str,
    share: float,
    schedule: CaseSchedule,
    tally: _Tally,
) -> str:
    pct = f"{share:.0%} of the possible times"
    kind, _, what = code.partition(":")
    if kind == "room_busy":
        return tally.rooms_message(", ".join(r.id for r in problem.eligible_rooms(task)), pct)
    if kind == "staff_busy":
        return f"{problem.person(what).label} is on other cases at {pct}"
    if kind == "max_minutes":
        person = problem.person(what)
        return f"{person.label} would exceed max {person.max_minutes} working minutes"
    if kind == "role_max_minutes":
        return _role_limit_words(problem, task, what, share)
    if kind == "role_short":
        return f"no free qualified {what.replace('_', ' ')} at {pct}"
    if kind == "equipment":
        resource = problem.resource(what)
        return f"{resource.name or resource.id} at capacity ({resource.capacity}) at {pct}"
    if kind == "precedence" and what:
        prec = problem.precedences[int(what)]
        return f"{_precedence_message(problem, task, prec, schedule)}, which rules out {pct}"
    if kind == "precedence":
        return f"its precedences with placed tasks rule out {pct}"
    return f"{code} at {pct}"


def _role_limit_words(problem: CaseProblem, task: Task, role_id: str, share: float) -> str:
    """The role's free holders would all pass their ``max_minutes`` (worded as for
    named staff; the share only when some times are free of it)."""
    people = problem.qualified(task, role_id)
    role = role_id.replace("_", " ")
    times = "" if share >= 1 else f" at {share:.0%} of the possible times"
    if len(people) == 1:
        limit = people[0].max_minutes
        return f"{_holders(people, role)} would exceed max {limit} working minutes{times}"
    limits = ", ".join(f"{p.label} {p.max_minutes}" for p in people if p.max_minutes is not None)
    return f"every free {role} would exceed their max working minutes ({limits}){times}"


def explain_task(
    problem: CaseProblem, schedule: CaseSchedule, task_id: str
) -> TaskExplanation | None:
    """Why ``task_id`` is unscheduled or late in ``schedule`` (None if neither)."""
    task = problem.task(task_id)
    placed = schedule.by_task().get(task_id)
    if placed is None:
        status: Literal["unscheduled", "late"] = "unscheduled"
        latest, late = problem.latest_end(task), 0
    elif task.due is not None and placed.end > task.due:
        status, latest, late = "late", task.due, placed.end - task.due
    else:
        return None
    occ = Occupancy.of(problem, schedule, skip=task_id)
    base = dict(task=task_id, label=task.label, status=status, minutes_late=late)
    starts = candidate_starts(problem, task, task.release, latest, occ)
    static = _static_reasons(problem, task, latest, starts, status == "late")
    if static:
        return TaskExplanation(**base, reasons=tuple(static))
    prec = precedence_range(problem, task, occ)
    tally = _Tally()
    for start in starts:
        if not static_ok(problem, task, start):
            continue
        busy: list[bool] = []  # per room candidate at this start
        for cand in room_candidates(problem, task, start):
            codes, _ = blockers(problem, task, cand, occ, prec)
            if not codes:
                slot = find_slot(problem, task, occ, latest)
                where = f"a slot was free at {when(problem, start)}" + (
                    f" in {cand.room}" if cand.room else ""
                )
                return TaskExplanation(
                    **base,
                    reasons=(
                        Reason(
                            code="free_slot",
                            message=f"{where} — {_why_unused(problem, schedule, task, slot)}",
                            share=0.0,
                        ),
                    ),
                    free_slot=slot,
                )
            if "precedence" in codes:
                codes = [c for c in codes if c != "precedence"] + (
                    _precedence_codes(problem, task, occ, start) or ["precedence"]
                )
            tally.pairs += 1
            tally.codes.update(set(codes))
            if cand.room is not None:
                busy.append("room_busy" in codes)
                tally.room_seen[cand.room] += 1
                tally.room_busy[cand.room] += "room_busy" in codes
        if busy:
            tally.starts += 1
            tally.all_busy += all(busy)
    reasons = [
        Reason(
            code=code,
            message=_blocker_message(problem, task, code, n / tally.pairs, schedule, tally),
            share=n / tally.pairs,
        )
        for code, n in sorted(tally.codes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return TaskExplanation(**base, reasons=tuple(reasons))


def _why_unused(
    problem: CaseProblem, schedule: CaseSchedule, task: Task, slot: ScheduledTask | None
) -> str:
    """Why the solver left a free slot unused: what using it would cost, by rule, as
    the checker scores the schedule with the task moved there."""
    unclear = "the solver did not use it (time limit or a costlier trade-off elsewhere)"
    before = check_cases(problem, schedule)
    if slot is None or not before.feasible:
        return unclear
    others = tuple(item for item in schedule.tasks if item.task != task.id)
    moved = CaseSchedule(
        tasks=(*others, slot),
        unscheduled=tuple(t for t in schedule.unscheduled if t != task.id),
    )
    after = check_cases(problem, moved)
    if not after.feasible:
        return unclear
    before_costs, after_costs = before.cost_by_rule(), after.cost_by_rule()
    changes = {
        rule: after_costs.get(rule, 0) - before_costs.get(rule, 0)
        for rule in dict.fromkeys([*before_costs, *after_costs])
    }
    delta = sum(changes.values())
    if delta < 0:
        return "the solver did not use it (time limit)"
    if delta == 0:
        return "using it would cost the same (a tie)"
    parts = ", ".join(
        f"{RULE_WORDS.get(rule, rule)} {change:+d}"
        for rule, change in sorted(changes.items(), key=lambda kv: -abs(kv[1]))
        if change
    )
    return f"using it would cost {delta} more ({parts})"


RULE_WORDS = {
    "unscheduled": "left-out cases",
    "tardiness": "lateness",
    "overtime": "room overtime",
    "staff_overtime": "staff overtime",
    "idle": "idle room time",
    "makespan": "last finish",
    "baseline_move": "moved cases",
    "baseline_staff": "people moved",
}
"""The planner's words for the case penalty rules."""


def static_reasons(problem: CaseProblem, task: Task) -> list[Reason]:
    """Why ``task`` can never be placed whatever the other tasks do (empty: it can),
    its pin (start, room, people) included."""
    latest = problem.latest_end(task)
    starts = candidate_starts(problem, task, task.release, latest, None, grid=False)
    return _static_reasons(problem, task, latest, starts) or _pin_reasons(problem, task, starts)


def _pin_reasons(problem: CaseProblem, task: Task, starts: list[int]) -> list[Reason]:
    """The task's pin, if no start passing the static stages also honours it."""
    pin = problem.pin_of(task.id)
    if pin is None:
        return []
    if pin.start is not None:
        starts = [pin.start]
    end = task.duration
    for start in starts:
        if task.duration and not (
            static_ok(problem, task, start)
            and all(on_duty(problem, name, start, start + end) for name in pin.staff)
        ):
            continue
        rooms = [cand.room for cand in room_candidates(problem, task, start)]
        if not problem.needs_room(task) or (pin.room is None and rooms) or pin.room in rooms:
            return []
    parts = [f"at {when(problem, pin.start)}"] if pin.start is not None else []
    if pin.room is not None:
        parts.append(f"in room {problem.room(pin.room).label}")
    if pin.staff:
        parts.append("with " + ", ".join(problem.person(name).label for name in pin.staff))
    opening = "a room opening holds it and " if problem.needs_room(task) else ""
    return [
        Reason(
            code="pin",
            message=f"its pin ({' '.join(parts)}) leaves no time when {opening}the whole "
            "team is on duty for the case",
        )
    ]
