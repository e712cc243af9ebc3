"""Apply confirmed requests to a problem: a new, re-validated problem version.

Problems are immutable; ``apply_requests`` returns a new one. Given the previous
solution, it becomes the new version's baseline so that re-solving changes as
little as possible (penalty rules ``baseline_change`` / ``baseline_move``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from llm_intake.proposal import article
from llm_intake.requests import (
    AddCase,
    CancelCase,
    CoverChange,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
)
from optimizer.errors import InputError, from_validation_error
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import (
    Baseline,
    BaselineShift,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    Unavailability,
    day_runs,
    unrecorded_absences,
)

PRIORITY_WEIGHTS = {"elective": 1, "urgent": 3, "emergency": 10}
"""``AddCase.priority`` → ``Task.priority`` (weight of tardiness and of leaving it out)."""
MORNING_END = 13 * 60
AFTERNOON_START = 12 * 60


@dataclass
class Applied:
    """The new problem version and one line per change made."""

    problem: Any
    changes: list[str] = field(default_factory=list)


def _day_text(date: dt.date) -> str:
    return f"{date:%a %d %b}"


def _span_text(first: dt.date, last: dt.date) -> str:
    """ "Fri 11 Dec" or "Fri 11 Dec – Sun 13 Dec" (as the dashboard forms write it)."""
    return _day_text(first) if first == last else f"{_day_text(first)} – {_day_text(last)}"


def _cut_text(
    asked_first: dt.date, asked_last: dt.date, first: dt.date, last: dt.date, plan: str
) -> str:
    """ " (Mon 14 Dec is after the roster)" when the applied range is shorter than asked."""
    notes = []
    if asked_first < first:
        before = first - dt.timedelta(days=1)
        notes.append(f"{_span_text(asked_first, before)} {_is(asked_first, before)} before")
    if asked_last > last:
        after = last + dt.timedelta(days=1)
        notes.append(f"{_span_text(after, asked_last)} {_is(after, asked_last)} after")
    return f" ({' and '.join(notes)} the {plan})" if notes else ""


def _is(first: dt.date, last: dt.date) -> str:
    return "is" if first == last else "are"


def recorded_note(
    problem: RosterProblem, first: int, last: int, added: Sequence[Unavailability]
) -> str:
    """ " (already recorded)" when ``added`` stores none of the days ``first``..``last``,
    " (Thu 24 Dec – Fri 25 Dec already recorded)" for the days of the span it leaves out."""
    if not added:
        return " (already recorded)"
    new_days = {d for u in added for d in range(u.first_day, u.last_day + 1)}
    known = [d for d in range(first, last + 1) if d not in new_days]
    if not known:
        return ""
    runs = day_runs(known)
    spans = ", ".join(_span_text(problem.date_of(a), problem.date_of(b)) for a, b in runs)
    return f" ({spans} already recorded)"


def minimum_note(before: int | None, after: int | None) -> str:
    """ " (contract minimum 7200 → 6943 min)" when an absence changed it, else ""."""
    return "" if before == after else f" (contract minimum {before} → {after} min)"


def _label(people: Any, person_id: str) -> str:
    """A person's name for messages (the id if unknown)."""
    return next((p.label for p in people if p.id == person_id), person_id)


def _revalidate(problem: Any, source: str) -> Any:
    try:
        return type(problem).model_validate(problem.model_dump())
    except ValidationError as exc:
        raise from_validation_error(exc, file=source) from None


class _Roster:
    def __init__(self, problem: RosterProblem) -> None:
        self.p = problem
        self.unavailability = list(problem.unavailability)
        self.requests = list(problem.requests)
        self.pins = list(problem.pins)
        self.cover = list(problem.cover)
        self.changes: list[str] = []
        weights = Counter(r.weight for r in problem.requests)
        self.request_weight = weights.most_common(1)[0][0] if weights else 1

    def day(self, date: dt.date) -> int:
        day = self.p.day_of(date)
        if not 0 <= day < self.p.num_days:
            raise InputError(
                f"{date} is outside the roster ({self.p.start_date} + {self.p.num_days} days)"
            )
        return day

    def span(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        a, b = self.p.day_of(first), self.p.day_of(last)
        if b < 0 or a >= self.p.num_days:
            raise InputError(f"{first}–{last} is outside the roster")
        return max(a, 0), min(b, self.p.num_days - 1)

    def who(self, staff_id: str) -> str:
        return _label(self.p.staff, staff_id)

    def shift_name(self, shift_id: str | None) -> str:
        return next((s.label for s in self.p.shifts if s.id == shift_id), shift_id or "any")

    def on(self, day: int) -> str:
        return _day_text(self.p.date_of(day))

    def unavailable(self, req: Unavailable) -> None:
        """Store the days of ``req`` not already recorded (their credit toward hours only)."""
        first, last = self.span(req.from_, req.to)
        shifts = tuple(req.shifts) if req.shifts is not None else None
        minimum_before = self.minimum(req.staff)
        added = unrecorded_absences(
            self.unavailability, req.staff, first, last, shifts, req.reason or "absence"
        )
        self.unavailability.extend(added)
        self.drop_pins(req.staff, added)
        shift_text = (
            ""
            if shifts is None
            else " for " + "/".join(self.shift_name(s) for s in shifts) + " shifts"
        )
        span = _span_text(self.p.date_of(first), self.p.date_of(last))
        notes = _cut_text(req.from_, req.to, self.p.date_of(first), self.p.date_of(last), "roster")
        notes += recorded_note(self.p, first, last, added)
        notes += minimum_note(minimum_before, self.minimum(req.staff))
        self.changes.append(f"{self.who(req.staff)}: unavailable{shift_text}, {span}{notes}")

    def minimum(self, staff: str) -> int | None:
        """The person's hard minimum of worked minutes with the absences so far (None for
        an unknown id, which validation names later)."""
        if staff not in self.p.staff_index:
            return None
        current = self.p.model_copy(update={"unavailability": tuple(self.unavailability)})
        return current.minimum_minutes(staff)

    def drop_pins(self, staff: str, added: Sequence[Unavailability]) -> None:
        """Pins fixing ``staff`` on a shift the new absences cover go, each with a line."""
        kept = []
        for pin in self.pins:
            shift = pin.shift if pin.staff == staff else None
            if shift is not None and any(u.covers(pin.day, shift) for u in added):
                self.changes.append(
                    f"{self.who(pin.staff)}: no longer fixed to the "
                    f"{self.shift_name(pin.shift)} shift, {self.on(pin.day)}"
                )
            else:
                kept.append(pin)
        self.pins = kept

    def wish(self, req: ShiftWish) -> None:
        day = self.day(req.date)
        self.requests = [
            r
            for r in self.requests
            if not (r.staff == req.staff and r.day == day and r.shift == req.shift)
        ]
        self.requests.append(
            ShiftRequest(
                staff=req.staff, day=day, shift=req.shift, want=req.want, weight=self.request_weight
            )
        )
        if req.shift is None:
            wish = "would like to work" if req.want else "would like a day off"
        else:
            verb = "would like" if req.want else "would rather not work"
            shift = self.shift_name(req.shift)
            wish = f"{verb} {article(shift)} {shift} shift"
        self.changes.append(f"{self.who(req.staff)}: {wish}, {self.on(day)}")

    def cover_change(self, req: CoverChange) -> None:
        day = self.day(req.date)
        self.check_skill_named(req, day)
        for i, demand in enumerate(self.cover):
            if (demand.day, demand.shift, demand.skill) == (day, req.shift, req.skill):
                required = req.set_ if req.set_ is not None else demand.required + (req.delta or 0)
                required = max(0, required)
                self.check_ward_size(req, required, demand.required)
                self.cover[i] = demand.model_copy(
                    update={
                        "required": required,
                        "min_required": min(demand.min_required, required),
                    }
                )
                self.changes.append(self.cover_text(req, day, demand.required, required))
                return
        required = max(0, req.set_ if req.set_ is not None else (req.delta or 0))
        self.check_ward_size(req, required, 0)
        self.cover.append(CoverDemand(day=day, shift=req.shift, skill=req.skill, required=required))
        self.changes.append(self.cover_text(req, day, 0, required))

    def check_skill_named(self, req: CoverChange, day: int) -> None:
        """A change without a skill to a shift whose cover is set per skill is refused.

        A new "any staff" demand next to the skill demands would change nothing the
        planner meant (the skilled staff already fill it); which skill is not guessed.
        """
        if req.skill is not None:
            return
        rows = [c for c in self.cover if (c.day, c.shift) == (day, req.shift)]
        if not rows or any(c.skill is None for c in rows):
            return
        per_skill = ", ".join(f"{c.skill} {c.required}" for c in rows)
        skill = rows[0].skill
        if req.delta is not None:
            more = "more" if req.delta > 0 else "fewer"
            ask = f"which skill needs {req.delta:+d} (e.g. '{abs(req.delta)} {more} {skill}')"
        else:
            ask = f"which skill to set to {req.set_} (e.g. '{req.set_} {skill}')"
        raise InputError(
            f"the {self.shift_name(req.shift)} cover on {_day_text(req.date)} is set per skill "
            f"({per_skill}); say {ask}",
            field="cover",
        )

    def check_ward_size(self, req: CoverChange, required: int, before: int) -> None:
        """A cover raised above the number of staff who could fill it is refused."""
        size = sum(1 for s in self.p.staff if req.skill is None or req.skill in s.skills)
        if required > max(size, before):
            who = f"{size} staff with {req.skill}" if req.skill else f"{size} staff"
            raise InputError(
                f"a cover of {required} on the {self.shift_name(req.shift)} shift of "
                f"{_day_text(req.date)} is more than the {who} on the ward",
                field="cover",
            )

    def cover_text(self, req: CoverChange, day: int, before: int, after: int) -> str:
        """ "+1 RN on Early shifts, Mon 07 Dec (5 → 6)" (as the dashboard forms write it)."""
        who = req.skill or "staff"
        shift = self.shift_name(req.shift)
        if req.delta is not None:
            what = f"{req.delta:+d} {who} on {shift} shifts"
        else:
            what = f"{who} on {shift} shifts set to {req.set_}"
        return f"{what}, {self.on(day)} ({before} → {after})"

    def pin(self, req: PinShift) -> None:
        day = self.day(req.date)
        away = next(
            (u for u in self.unavailability if u.staff == req.staff and u.covers(day, req.shift)),
            None,
        )
        if away is not None:
            raise InputError(
                f"cannot fix {self.who(req.staff)} to the {self.shift_name(req.shift)} shift on "
                f"{_day_text(req.date)}: they are unavailable then ({away.reason})",
                field="pins",
            )
        self.pins = [p for p in self.pins if not (p.staff == req.staff and p.day == day)]
        self.pins.append(Pin(staff=req.staff, day=day, shift=req.shift))
        self.changes.append(
            f"{self.who(req.staff)}: fixed to the {self.shift_name(req.shift)} shift, "
            f"{self.on(day)}"
        )

    def build(self, baseline: RosterSolution | None) -> RosterProblem:
        update: dict[str, Any] = {
            "unavailability": tuple(self.unavailability),
            "requests": tuple(self.requests),
            "pins": tuple(self.pins),
            "cover": tuple(self.cover),
        }
        if baseline is not None:
            weight = self.p.baseline.change_weight if self.p.baseline else 10
            update["baseline"] = Baseline(
                assignments=tuple(
                    BaselineShift(staff=a.staff, day=a.day, shift=a.shift)
                    for a in baseline.assignments
                ),
                change_weight=weight,
            )
            self.changes.append(f"baseline: {len(baseline.assignments)} shifts of the last roster")
        problem: RosterProblem = _revalidate(self.p.model_copy(update=update), "roster")
        return problem


def _apply_roster(
    problem: RosterProblem, requests: list[Request], previous: Result | RosterSolution | None
) -> Applied:
    roster = _Roster(problem)
    for req in requests:
        if isinstance(req, Unavailable):
            roster.unavailable(req)
        elif isinstance(req, ShiftWish):
            roster.wish(req)
        elif isinstance(req, CoverChange):
            roster.cover_change(req)
        elif isinstance(req, PinShift):
            roster.pin(req)
    baseline = previous.roster if isinstance(previous, Result) else previous
    return Applied(roster.build(baseline), roster.changes)


def _apply_cases(
    problem: Any, requests: list[Request], previous: Result | CaseSchedule | None
) -> Applied:
    from optimizer.model.cases import CaseBaseline, Task, TeamRequirement

    tasks = list(problem.tasks)
    changes: list[str] = []
    ids = {t.id for t in tasks}
    schedule = previous.schedule if isinstance(previous, Result) else previous
    cancelled: set[str] = set()
    for req in requests:
        if isinstance(req, Unavailable):
            problem = _case_absence(problem, req, changes)
            continue
        if isinstance(req, CancelCase):
            if req.case not in cancelled:  # the same case twice is cancelled once
                problem = problem.model_copy(update={"tasks": tuple(tasks)})
                problem = _cancel_case(problem, req.case, schedule, changes)
                tasks = list(problem.tasks)
                cancelled.add(req.case)
            continue
        if not isinstance(req, AddCase):
            continue
        n = 1
        while f"intake-{n}" in ids:
            n += 1
        task_id = f"intake-{n}"
        ids.add(task_id)
        release, deadline = 0, None
        if req.date is not None:
            if problem.start is None:
                raise InputError("the case problem has no start date, so a date cannot be used")
            day_start = _minute_of_day(problem, req.date)
            release = max(0, day_start + (AFTERNOON_START if req.part_of_day == "afternoon" else 0))
            end = day_start + (MORNING_END if req.part_of_day == "morning" else 24 * 60)
            end = min(end, problem.horizon)
            if end <= release:
                part = f" ({req.part_of_day})" if req.part_of_day else ""
                raise InputError(f"{req.date}{part} is outside the case schedule")
            deadline = max(release + req.duration_min, end)
        task = Task(
            id=task_id,
            name=req.procedure,
            procedure=req.procedure,
            duration=req.duration_min,
            release=release,
            deadline=deadline,
            priority=PRIORITY_WEIGHTS[req.priority],
            team=tuple(TeamRequirement(role=r, count=c) for r, c in req.roles.items()),
            staff=(req.surgeon,) if req.surgeon else (),
            rooms=(req.room,) if req.room else None,
        )
        when = f" on {_day_text(req.date)}" if req.date is not None else ""
        if misfit := case_misfit(problem, task, req.part_of_day):
            raise InputError(
                f"cannot add the {req.duration_min}-min {req.procedure} case{when}: {misfit}",
                field="tasks",
            )
        tasks.append(task)
        changes.append(f"added case {task_id}: {req.procedure}, {_case_details(problem, req)}")
    update: dict[str, Any] = {"tasks": tuple(tasks)}
    if schedule is not None:
        kept = _without_cases(schedule, cancelled)
        update["baseline"] = CaseBaseline(schedule=kept)
        changes.append(f"baseline: {len(kept.tasks)} placed tasks of the last schedule")
    elif problem.baseline is not None and cancelled:
        kept = _without_cases(problem.baseline.schedule, cancelled)
        update["baseline"] = problem.baseline.model_copy(update={"schedule": kept})
    return Applied(_revalidate(problem.model_copy(update=update), "cases"), changes)


def _without_cases(schedule: CaseSchedule, cancelled: set[str]) -> CaseSchedule:
    """``schedule`` without the cancelled cases (placed or unscheduled)."""
    return schedule.model_copy(
        update={
            "tasks": tuple(t for t in schedule.tasks if t.task not in cancelled),
            "unscheduled": tuple(t for t in schedule.unscheduled if t not in cancelled),
        }
    )


def _cancel_case(
    problem: Any, case_id: str, schedule: CaseSchedule | None, changes: list[str]
) -> Any:
    """The case problem without ``case_id``, as the re-plan's ``CancelCase`` leaves it:
    its pins and the precedences that involve it go with it (an optional case that can
    then no longer be placed goes too). Everything else of the problem stays as it is.
    """
    from optimizer.replan import CancelCase as Cancel
    from optimizer.replan import replan_problem

    if case_id not in problem.task_index:
        raise InputError(
            f"there is no case '{case_id}' in the case problem: a mistyped id, or cancelled "
            "already? nothing is cancelled",
            field="case",
        )
    if len(problem.tasks) == 1:
        raise InputError(
            f"case '{case_id}' is the only case of the problem, which needs at least one; "
            "nothing is cancelled",
            field="case",
        )
    planned, _fixed, dropped = replan_problem(
        problem, schedule or CaseSchedule(), [Cancel(task=case_id)]
    )
    changes.append(_cancel_text(problem, case_id, dropped))
    return problem.model_copy(
        update={
            "tasks": planned.tasks,
            "pins": planned.pins,
            "precedences": planned.precedences,
        }
    )


def _cancel_text(problem: Any, case_id: str, dropped: dict[str, str]) -> str:
    """ "case C013 (Hernia repair) cancelled; its precedence with C014 dropped"."""
    text = f"case {_case_name(problem, case_id)} cancelled"
    linked = [
        p.after if p.before == case_id else p.before
        for p in problem.precedences
        if case_id in (p.before, p.after)
    ]
    if linked:
        many = "s" if len(linked) > 1 else ""
        text += f"; its precedence{many} with {', '.join(dict.fromkeys(linked))} dropped"
    pins = sum(1 for pin in problem.pins if pin.task == case_id)
    if pins:
        text += "; its pin dropped" if pins == 1 else f"; its {pins} pins dropped"
    if dropped:
        gone = ", ".join(_case_name(problem, t) for t in dropped)
        text += f"; left out as it can no longer be placed: {gone}"
    return text


def _case_name(problem: Any, case_id: str) -> str:
    """ "C013 (Hernia repair)": the id with the procedure (or the name, if not the id)."""
    task = problem.task(case_id)
    what = task.procedure or task.label
    return f"{case_id} ({what})" if what and what != case_id else case_id


def _case_details(problem: Any, req: AddCase) -> str:
    """ "60 min, urgent, in Theatre 2 on Mon 07 Dec morning": what was applied (the
    priority when not elective, the room and part of day when given)."""
    parts = [f"{req.duration_min} min"]
    if req.priority != "elective":
        parts.append(req.priority)
    if req.room is not None:
        parts.append(f"in {_label(problem.rooms, req.room)}")
    text = ", ".join(parts)
    if req.date is not None:
        text += f" on {_day_text(req.date)}"
    if req.part_of_day is not None:
        text += f" {req.part_of_day}"
    return text


_PART_RULES = {
    "morning": ("that morning", "a morning case must end by 13:00"),
    "afternoon": ("that afternoon", "an afternoon case starts from 12:00"),
}


def case_misfit(problem: Any, task: Any, part_of_day: str | None = None) -> str | None:
    """Why a new case cannot be placed, in names and days (None when it can); the
    dashboard's added-case form asks it too.

    The same checks the case model makes on validation, which would name minutes and ids;
    a morning or afternoon case names the window it must fit.
    """
    earliest, latest = task.release, problem.latest_end(task)
    then = "that day" if task.deadline is not None else "in the schedule"
    rule = ""
    if part_of_day in _PART_RULES:
        then, rule = _PART_RULES[part_of_day]
    note = f" ({rule})" if rule else ""

    def fits(windows: list[tuple[int, int]]) -> bool:
        return any(min(e, latest) - max(s, earliest) >= task.duration for s, e in windows)

    def can_work(person: Any) -> bool:
        too_long = person.max_minutes is not None and task.duration > person.max_minutes
        return not too_long and fits([(w.start, w.end) for w in problem.windows_of(person)])

    if earliest + task.duration > problem.horizon:
        return "it would end after the case schedule"
    for name in task.staff:
        person = problem.person(name)
        if person.max_minutes is not None and task.duration > person.max_minutes:
            return f"{person.label} works at most {person.max_minutes} min in all"
        if not can_work(person):
            return (
                f"{person.label} is not on duty long enough {then} "
                f"({f'{rule}; ' if rule else ''}{_duty_days(problem, person)})"
            )
    rooms = problem.eligible_rooms(task)
    openings = [(o.start, o.hard_end) for r in rooms for o in problem.openings_of(r)]
    if rooms and not fits(openings):
        names = ", ".join(r.label for r in rooms)
        return f"no opening of {names} holds it {then}{note}"
    for need in task.team:
        people = problem.qualified(task, need.role)
        fitting = [p for p in people if can_work(p)]
        if len(people) >= need.count > len(fitting):
            return (
                f"it needs {need.count} {need.role} but only {len(fitting)} "
                f"{'is' if len(fitting) == 1 else 'are'} on duty long enough {then}{note}"
            )
    return None


def _duty_days(problem: Any, person: Any) -> str:
    """ "on duty Tue 08 Dec, Fri 11 Dec" (the days of the person's windows)."""
    days: list[dt.date] = []
    for window in problem.windows_of(person):
        first = problem.datetime_of(window.start)
        last = problem.datetime_of(max(window.start, window.end - 1))
        if first is None or last is None:
            return "on duty at other times"
        day = first.date()
        while day <= last.date():
            days.append(day)
            day += dt.timedelta(days=1)
    days = sorted(set(days))
    if not days:
        return "never on duty"
    shown = ", ".join(_day_text(d) for d in days[:7])
    return f"on duty {shown}{', …' if len(days) > 7 else ''}"


def _minute_of_day(problem: Any, date: dt.date) -> int:
    """The minute of a case problem at midnight starting ``date`` in the problem's clock
    (the start's time zone; the problem must have a start)."""
    minute: int = problem.minute_of(dt.datetime.combine(date, dt.time()))
    return minute


def _date_at(problem: Any, minute: int) -> dt.date:
    """The calendar day of a minute in the problem's clock (the problem has a start)."""
    moment = problem.datetime_of(minute)
    assert moment is not None
    day: dt.date = moment.date()
    return day


def _case_absence(problem: Any, req: Unavailable, changes: list[str]) -> Any:
    """The case problem with ``req.staff`` away ``from``–``to``: whole calendar days in
    the problem's clock, or from ``from_time`` / until ``to_time`` (cut to the schedule).

    The time becomes the person's ``unavailable`` time as an ``Absence`` with the
    request's reason (no case, and no overtime reaching into it), unless time off
    already holds it. Whole days drop pins fixing them on a case then; part of a day
    over a case fixed with them in time is refused in words.
    """
    from optimizer.model.cases import Absence, merge_windows

    person = next((p for p in problem.staff if p.id == req.staff), None)
    if person is None:
        raise InputError(f"unknown staff '{req.staff}' in the case problem", field="staff")
    if problem.start is None:
        raise InputError("the case problem has no start date, so a date cannot be used")
    off_start, off_end = _absence_span(problem, req)
    timed = req.from_time is not None or req.to_time is not None
    if timed:
        refuse_fixed_case(problem, person, off_start, off_end)
    new = Absence(start=off_start, end=off_end, reason=req.reason or "absence")
    held = any(
        w.start <= off_start and off_end <= w.end
        for w in merge_windows([(w.start, w.end) for w in person.unavailable])
    )
    unavailable = person.unavailable if held else (*person.unavailable, new)
    away = person.model_copy(update={"unavailable": unavailable})
    staff = tuple(away if p is person else p for p in problem.staff)

    def clashes(pin: Any) -> bool:
        if req.staff not in pin.staff or pin.start is None:
            return False
        end = pin.start + problem.task(pin.task).duration
        return pin.start < off_end and off_start < end

    pins = tuple(p for p in problem.pins if not clashes(p))
    for pin in problem.pins:
        if clashes(pin):
            changes.append(f"case {pin.task}: no longer fixed with {person.label}")
    on_duty = [problem.windows_of(p) for p in (person, away)]
    already = sum(w.length for w in on_duty[0]) == sum(w.length for w in on_duty[1])
    if timed:
        from optimizer.explain.case_time import time_span

        span = time_span(problem, off_start, off_end)
        cut = " (already off duty then)" if already else ""
        changes.append(f"{person.label}: unavailable {span} ({new.reason}){cut}")
        return problem.model_copy(update={"staff": staff, "pins": pins})
    applied = (_date_at(problem, off_start), _date_at(problem, off_end - 1))
    cut = _cut_text(req.from_, req.to, *applied, "case schedule")
    if already:
        cut += " (already off duty then)"
    changes.append(f"{person.label}: unavailable, {_span_text(*applied)}{cut}")
    return problem.model_copy(update={"staff": staff, "pins": pins})


def _absence_span(problem: Any, req: Unavailable) -> tuple[int, int]:
    """The minutes ``[start, end)`` of an absence of case staff, cut to the schedule."""
    first = _minute_of_day(problem, req.from_)
    if req.from_time is not None:
        first += req.from_time.hour * 60 + req.from_time.minute
    if req.to_time is not None:
        last = _minute_of_day(problem, req.to) + req.to_time.hour * 60 + req.to_time.minute
    else:
        last = _minute_of_day(problem, req.to + dt.timedelta(days=1))
    off_start, off_end = max(first, 0), min(last, problem.horizon)
    if off_end <= off_start:
        raise InputError(f"{req.from_}–{req.to} is outside the case schedule", field="from")
    return off_start, off_end


def refuse_fixed_case(
    problem: Any,
    person: Any,
    first: int,
    last: int,
    what: str | None = None,
    field: str = "from",
) -> None:
    """Time away ``[first, last)`` over a case fixed in time with the person (a pin with a
    start: started, ran long or pinned) is refused, naming when the absence could be;
    ``what`` words the time away (default: the span as dates)."""
    from optimizer.explain.case_time import time_span, when

    for pin in problem.pins:
        if pin.start is None or pin.task not in problem.task_index:
            continue
        task = problem.task(pin.task)
        pin_end = pin.start + task.duration
        with_them = person.id in pin.staff or person.id in task.staff
        if with_them and pin.start < last and first < pin_end:
            away = what if what is not None else time_span(problem, first, last)
            raise InputError(
                f"{person.label} cannot be away {away}: they are "
                f"on case {task.label}, fixed {time_span(problem, pin.start, pin_end)} "
                f"(started, ran long or pinned); let the absence start at "
                f"{when(problem, pin_end)} or later, or end by {when(problem, pin.start)}",
                field=field,
            )


def apply_requests(
    problem: Any,
    requests: list[Request],
    previous: Result | RosterSolution | CaseSchedule | None = None,
) -> Applied:
    """A new version of ``problem`` with the requests of its family applied.

    ``previous`` (the last solution) becomes the baseline for minimal disruption.
    Raises ``InputError`` when a request cannot hold (date outside the plan, a pin
    on an unavailable day, an unknown id).
    """
    if isinstance(problem, RosterProblem):
        roster_prev = previous if isinstance(previous, Result | RosterSolution) else None
        return _apply_roster(problem, requests, roster_prev)
    case_prev = previous if isinstance(previous, Result | CaseSchedule) else None
    return _apply_cases(problem, requests, case_prev)


def affects(problem: Any, requests: list[Request]) -> bool:
    """Whether any request belongs to ``problem``: a new case to a case problem, a
    cancelled case to the case problem that has it, an absence to the problem the person
    is in, every other request to a roster."""
    roster = isinstance(problem, RosterProblem)
    staff = {p.id for p in problem.staff}
    cases = set() if roster else set(problem.task_index)

    def belongs(req: Request) -> bool:
        if isinstance(req, Unavailable):
            return req.staff in staff
        if isinstance(req, CancelCase):
            return req.case in cases
        return isinstance(req, AddCase) != roster

    return any(belongs(req) for req in requests)
