"""Apply confirmed requests to a problem: a new, re-validated problem version.

Problems are immutable; ``apply_requests`` returns a new one. Given the previous
solution, it becomes the new version's baseline so that re-solving changes as
little as possible (penalty rules ``baseline_change`` / ``baseline_move``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from llm_intake.requests import AddCase, CoverChange, PinShift, Request, ShiftWish, Unavailable
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

    def unavailable(self, req: Unavailable) -> None:
        first, last = self.span(req.from_, req.to)
        unav = Unavailability(
            staff=req.staff,
            first_day=first,
            last_day=last,
            shifts=tuple(req.shifts) if req.shifts is not None else None,
            reason="intake",
        )
        self.unavailability.append(unav)
        kept = []
        for pin in self.pins:
            if pin.staff == req.staff and pin.shift is not None and unav.covers(pin.day, pin.shift):
                self.changes.append(f"removed pin of {pin.staff} on day {pin.day} ({pin.shift})")
            else:
                kept.append(pin)
        self.pins = kept
        self.changes.append(f"{req.staff} unavailable days {first}–{last}")

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
        self.changes.append(f"{req.staff} request day {day} shift {req.shift} want={req.want}")

    def cover_change(self, req: CoverChange) -> None:
        day = self.day(req.date)
        for i, demand in enumerate(self.cover):
            if (demand.day, demand.shift, demand.skill) == (day, req.shift, req.skill):
                required = req.set_ if req.set_ is not None else demand.required + (req.delta or 0)
                required = max(0, required)
                self.cover[i] = demand.model_copy(
                    update={
                        "required": required,
                        "min_required": min(demand.min_required, required),
                    }
                )
                self.changes.append(
                    f"cover day {day} {req.shift} {req.skill}: {demand.required} → {required}"
                )
                return
        required = max(0, req.set_ if req.set_ is not None else (req.delta or 0))
        self.cover.append(CoverDemand(day=day, shift=req.shift, skill=req.skill, required=required))
        self.changes.append(f"cover day {day} {req.shift} {req.skill}: new demand {required}")

    def pin(self, req: PinShift) -> None:
        day = self.day(req.date)
        if self.p.unavailable(req.staff, day, req.shift) or any(
            u.staff == req.staff and u.covers(day, req.shift) for u in self.unavailability
        ):
            raise InputError(
                f"cannot fix {req.staff} to shift {req.shift} on {req.date}: "
                "they are unavailable then"
            )
        self.pins = [p for p in self.pins if not (p.staff == req.staff and p.day == day)]
        self.pins.append(Pin(staff=req.staff, day=day, shift=req.shift))
        self.changes.append(f"{req.staff} pinned to {req.shift} on day {day}")

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
    for req in requests:
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
            offset = int((dt.datetime.combine(req.date, dt.time()) - problem.start).total_seconds())
            day_start = offset // 60
            if day_start < 0 or day_start >= problem.horizon:
                raise InputError(f"{req.date} is outside the case schedule")
            release = day_start + (AFTERNOON_START if req.part_of_day == "afternoon" else 0)
            end = day_start + (MORNING_END if req.part_of_day == "morning" else 24 * 60)
            deadline = max(release + req.duration_min, min(end, problem.horizon))
        tasks.append(
            Task(
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
        )
        changes.append(f"new task {task_id}: {req.procedure} ({req.duration_min} min)")
    update: dict[str, Any] = {"tasks": tuple(tasks)}
    schedule = previous.schedule if isinstance(previous, Result) else previous
    if schedule is not None:
        update["baseline"] = CaseBaseline(schedule=schedule)
        changes.append(f"baseline: {len(schedule.tasks)} placed tasks of the last schedule")
    return Applied(_revalidate(problem.model_copy(update=update), "cases"), changes)


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
    """Whether any request belongs to ``problem``'s family."""
    roster = isinstance(problem, RosterProblem)
    return any(isinstance(r, AddCase) != roster for r in requests)
