"""Independent roster checker: every hard rule and the recomputed objective.

Written from the rules in ``optimizer.model.roster`` alone; it shares no code with
any backend, so a backend bug cannot hide behind a checker bug of the same shape.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.model.result import RosterSolution
from optimizer.model.roster import RosterProblem


def _leave_note(full: int, minimum: int) -> str:
    """`` (7200 less leave)`` when credited leave lowered the minimum, else nothing."""
    return f" ({full} less leave)" if minimum < full else ""


def _runs(worked: list[bool], value: bool) -> Iterator[tuple[int, int]]:
    """(first, last) day of every maximal run of ``value`` in ``worked``."""
    start: int | None = None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            yield start, day - 1
            start = None


def _days_count(number: int) -> str:
    """``1 day``, ``2 days``."""
    return f"{number} day" if number == 1 else f"{number} days"


class _RosterChecker:
    """Walks one roster against one problem, collecting violations and penalties."""

    def __init__(self, problem: RosterProblem, solution: RosterSolution) -> None:
        self.problem = problem
        self.report = CheckReport()
        self.shift_of: dict[tuple[str, int], str] = {}
        self._read(solution)

    # -- helpers -----------------------------------------------------------------

    def _name(self, staff_id: str) -> str:
        return self.problem.person(staff_id).label

    def _day(self, day: int) -> str:
        return self.problem.day_label(day)

    def _days(self, first: int, last: int) -> str:
        return self._day(first) if first == last else f"{self._day(first)} – {self._day(last)}"

    def _violate(self, rule: str, message: str, **fields: Any) -> None:
        self.report.violations.append(Violation(rule=rule, message=message, **fields))

    def _penalise(self, rule: str, cost: int, message: str, **fields: Any) -> None:
        if cost > 0:
            self.report.penalties.append(
                Penalty(rule=rule, cost=cost, message=f"{message} ({cost})", **fields)
            )

    def _read(self, solution: RosterSolution) -> None:
        problem = self.problem
        for assignment in solution.assignments:
            key = (assignment.staff, assignment.day)
            if assignment.staff not in problem.staff_index:
                self._violate("unknown_staff", f"unknown staff '{assignment.staff}' in the roster")
            elif assignment.shift not in problem.shift_index:
                self._violate("unknown_shift", f"unknown shift '{assignment.shift}' in the roster")
            elif not 0 <= assignment.day < problem.num_days:
                self._violate(
                    "outside_horizon",
                    f"{self._name(assignment.staff)}: day {assignment.day} is outside the horizon",
                    staff=assignment.staff,
                    days=(assignment.day,),
                )
            elif key in self.shift_of:
                self._violate(
                    "one_shift_per_day",
                    f"{self._name(assignment.staff)} has two shifts on {self._day(assignment.day)}",
                    staff=assignment.staff,
                    days=(assignment.day,),
                )
            else:
                self.shift_of[key] = assignment.shift

    def _worked(self, staff_id: str) -> list[bool]:
        return [(staff_id, d) in self.shift_of for d in range(self.problem.num_days)]

    # -- hard rules ----------------------------------------------------------------

    def check_unavailability(self) -> None:
        for unav in self.problem.unavailability:
            for day in range(unav.first_day, unav.last_day + 1):
                shift = self.shift_of.get((unav.staff, day))
                if shift is not None and unav.covers(day, shift):
                    self._violate(
                        "unavailable",
                        f"{self._name(unav.staff)} works {self.problem.shift(shift).label} on "
                        f"{self._day(day)} but is unavailable ({unav.reason})",
                        staff=unav.staff,
                        days=(day,),
                        shift=shift,
                    )

    def check_pins(self) -> None:
        for pin in self.problem.pins:
            actual = self.shift_of.get((pin.staff, pin.day))
            if actual != pin.shift:
                wanted = "a day off" if pin.shift is None else self.problem.shift(pin.shift).label
                self._violate(
                    "pin",
                    f"{self._name(pin.staff)} is pinned to {wanted} on {self._day(pin.day)}",
                    staff=pin.staff,
                    days=(pin.day,),
                    shift=pin.shift,
                )

    def check_successions(self) -> None:
        """Next-day pairs, and rest rules that reach ``k >= 2`` days ahead."""
        later: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for first, second, k in self.problem.forbidden_later_successions():
            later[first].append((second, k))
        forbidden = self.problem.forbidden_successions()
        for (staff_id, day), shift in self.shift_of.items():
            following = self.shift_of.get((staff_id, day + 1))
            if following is not None and (shift, following) in forbidden:
                self._succession(staff_id, day, shift, day + 1, following)
            for second, k in later.get(shift, ()):
                if self.shift_of.get((staff_id, day + k)) == second:
                    self._succession(staff_id, day, shift, day + k, second)

    def _succession(self, staff_id: str, day: int, shift: str, later: int, second: str) -> None:
        self._violate(
            "succession",
            f"{self._name(staff_id)}: {self.problem.shift(second).label} on "
            f"{self._day(later)} may not follow {self.problem.shift(shift).label} "
            f"on {self._day(day)}",
            staff=staff_id,
            days=(day, later),
            shift=second,
        )

    def check_contracts(self) -> None:
        problem = self.problem
        for person in problem.staff:
            contract = person.contract
            shifts = [self.shift_of[(person.id, d)] for d in range(problem.num_days)
                      if (person.id, d) in self.shift_of]  # fmt: skip
            counts = Counter(shifts)
            for shift_id, limit in contract.max_shifts_per_type.items():
                if counts[shift_id] > limit:
                    self._violate(
                        "max_shifts_per_type",
                        f"{person.label} works {counts[shift_id]} "
                        f"{problem.shift(shift_id).label} shifts; the contract allows {limit}",
                        staff=person.id,
                        shift=shift_id,
                        amount=counts[shift_id] - limit,
                    )
            if contract.max_shifts is not None and len(shifts) > contract.max_shifts:
                self._violate(
                    "max_shifts",
                    f"{person.label} works {len(shifts)} shifts; the contract allows "
                    f"{contract.max_shifts}",
                    staff=person.id,
                    amount=len(shifts) - contract.max_shifts,
                )
            minutes = sum(problem.shift(s).length_minutes for s in shifts)
            minimum = problem.minimum_minutes(person.id)
            if minutes < minimum:
                self._violate(
                    "min_minutes",
                    f"{person.label} works {minutes} minutes; the contract needs at least "
                    f"{minimum}{_leave_note(contract.min_minutes, minimum)}",
                    staff=person.id,
                    amount=minimum - minutes,
                )
            if contract.max_minutes is not None and minutes > contract.max_minutes:
                self._violate(
                    "max_minutes",
                    f"{person.label} works {minutes} minutes; the contract allows at most "
                    f"{contract.max_minutes}",
                    staff=person.id,
                    amount=minutes - contract.max_minutes,
                )
            self._check_runs(person.id)
            self._check_weekends(person.id)

    def _check_runs(self, staff_id: str) -> None:
        contract = self.problem.person(staff_id).contract
        worked = self._worked(staff_id)
        last_day = self.problem.num_days - 1
        for first, last in _runs(worked, True):
            length = last - first + 1
            touches_border = first == 0 or last == last_day
            if contract.max_consecutive_work is not None and length > contract.max_consecutive_work:
                self._violate(
                    "max_consecutive_work",
                    f"{self._name(staff_id)} works {length} days in a row "
                    f"({self._days(first, last)}); the contract allows "
                    f"{contract.max_consecutive_work}",
                    staff=staff_id,
                    days=tuple(range(first, last + 1)),
                    amount=length - contract.max_consecutive_work,
                )
            if length < contract.min_consecutive_work and not touches_border:
                self._violate(
                    "min_consecutive_work",
                    f"{self._name(staff_id)} works only {_days_count(length)} in a row "
                    f"({self._days(first, last)}); the contract needs "
                    f"{contract.min_consecutive_work}",
                    staff=staff_id,
                    days=tuple(range(first, last + 1)),
                    amount=contract.min_consecutive_work - length,
                )
        for first, last in _runs(worked, False):
            length = last - first + 1
            if first == 0 or last == last_day:
                continue
            if length < contract.min_consecutive_off:
                self._violate(
                    "min_consecutive_off",
                    f"{self._name(staff_id)} has only {_days_count(length)} off in a row "
                    f"({self._days(first, last)}); the contract needs "
                    f"{contract.min_consecutive_off}",
                    staff=staff_id,
                    days=tuple(range(first, last + 1)),
                    amount=contract.min_consecutive_off - length,
                )

    def _check_weekends(self, staff_id: str) -> None:
        limit = self.problem.person(staff_id).contract.max_weekends
        if limit is None:
            return
        worked = [
            days
            for days in self.problem.weekends
            if any((staff_id, d) in self.shift_of for d in days)
        ]
        if len(worked) > limit:
            self._violate(
                "max_weekends",
                f"{self._name(staff_id)} works {len(worked)} weekends; the contract allows {limit}",
                staff=staff_id,
                days=tuple(d for days in worked for d in days),
                amount=len(worked) - limit,
            )

    # -- coverage (hard floor and soft target) -----------------------------------

    def check_cover(self) -> None:
        problem = self.problem
        on_shift: dict[tuple[int, str], list[str]] = defaultdict(list)
        for (staff_id, day), shift in self.shift_of.items():
            on_shift[(day, shift)].append(staff_id)
        for demand in problem.cover:
            working = on_shift.get((demand.day, demand.shift), [])
            if demand.skill is None:
                count = len(working)
            else:
                count = sum(demand.skill in problem.person(s).skills for s in working)
            who = "staff" if demand.skill is None else demand.skill
            when = f"{problem.shift(demand.shift).label} shift {self._day(demand.day)}"
            fields = {"day": demand.day, "shift": demand.shift, "skill": demand.skill}
            if count < demand.min_required:
                self._violate(
                    "min_cover",
                    f"{when}: {count} {who} on duty; at least {demand.min_required} are required",
                    days=(demand.day,),
                    shift=demand.shift,
                    amount=demand.min_required - count,
                )
            if count < demand.required:
                short = demand.required - count
                self._penalise(
                    "under_cover",
                    short * demand.under_weight,
                    f"{when}: {short} {who} short",
                    amount=short,
                    **fields,
                )
            elif count > demand.required:
                extra = count - demand.required
                self._penalise(
                    "over_cover",
                    extra * demand.over_weight,
                    f"{when}: {extra} {who} more than needed",
                    amount=extra,
                    **fields,
                )

    # -- requests and re-planning --------------------------------------------------

    def check_requests(self) -> None:
        for request in self.problem.requests:
            actual = self.shift_of.get((request.staff, request.day))
            matches = actual is not None and (request.shift is None or actual == request.shift)
            if request.want == matches:
                continue
            when = self._day(request.day)
            if request.shift is None:
                wish = f"to work on {when}" if request.want else f"a day off on {when}"
            else:
                label = self.problem.shift(request.shift).label
                wish = f"{label} on {when}" if request.want else f"no {label} on {when}"
            self._penalise(
                "shift_on_request" if request.want else "shift_off_request",
                request.weight,
                f"{self._name(request.staff)}: request for {wish} not granted",
                staff=request.staff,
                day=request.day,
                shift=request.shift,
            )

    def check_baseline(self) -> None:
        baseline = self.problem.baseline
        if baseline is None:
            return
        published = {(a.staff, a.day): a.shift for a in baseline.assignments}
        for person in self.problem.staff:
            for day in range(self.problem.num_days):
                before = published.get((person.id, day))
                after = self.shift_of.get((person.id, day))
                if before != after:
                    old = "off" if before is None else self.problem.shift(before).label
                    new = "off" if after is None else self.problem.shift(after).label
                    self._penalise(
                        "baseline_change",
                        baseline.change_weight,
                        f"{person.label} on {self._day(day)}: {old} → {new}",
                        staff=person.id,
                        day=day,
                        shift=after,
                    )


def check_roster(problem: RosterProblem, solution: RosterSolution) -> CheckReport:
    """Every broken hard rule of ``solution`` and its recomputed objective."""
    checker = _RosterChecker(problem, solution)
    checker.check_unavailability()
    checker.check_pins()
    checker.check_successions()
    checker.check_contracts()
    checker.check_cover()
    checker.check_requests()
    checker.check_baseline()
    return checker.report
