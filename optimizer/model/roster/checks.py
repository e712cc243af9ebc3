"""Cross-reference checks of a roster problem: ids unique, and every id and day that a
contract, cover demand, absence, request, pin or baseline names is known and in the
horizon. ``cross_reference_errors`` returns the messages in a fixed order (empty: none)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from optimizer.model.common import near_miss

if TYPE_CHECKING:
    from optimizer.model.roster.problem import RosterProblem


def cross_reference_errors(problem: RosterProblem) -> list[str]:
    """Every duplicate id, unknown reference and day outside the horizon."""
    refs = _References(problem)
    for kind, ids in (("shift", refs.shift_ids), ("staff", refs.staff_ids)):
        for dup, count in Counter(ids).items():
            if count > 1:
                refs.errors.append(f"{kind} id '{dup}' is used {count} times")
    _shift_and_contract_errors(refs)
    _cover_errors(refs)
    _absence_and_request_errors(refs)
    _pin_errors(refs)
    _baseline_errors(refs)
    return refs.errors


class _References:
    """The problem's known ids and names, the messages so far, and the checks that
    add to them with a planner's wording (names, shift labels, dates)."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.errors: list[str] = []
        self.shift_ids = [s.id for s in problem.shifts]
        self.staff_ids = [p.id for p in problem.staff]
        self.known_shifts, self.known_staff = set(self.shift_ids), set(self.staff_ids)
        self.skills = {s for p in problem.staff for s in p.skills}
        self.names = {p.id: p.name for p in problem.staff if p.name}
        self.labels = {s.id: s.label for s in problem.shifts}
        self.shift_names = {s.id: s.name for s in problem.shifts}

    def who(self, staff: str) -> str:
        """``Jo Park ('n1')``, or ``'n1'`` for a person without a name."""
        return f"{self.names[staff]} ('{staff}')" if staff in self.names else f"'{staff}'"

    def on(self, day: int) -> str:
        """The day as the planner reads it (``Tue 15 Dec``)."""
        try:
            return self.problem.day_label(day)
        except OverflowError:  # past year 9999: day_ok says what is wrong
            return f"day {day}"

    def shift_name(self, shift: str | None) -> str:
        return "a day off" if shift is None else self.labels.get(shift, f"'{shift}'")

    def day_ok(self, day: int, where: str) -> None:
        problem = self.problem
        if day >= problem.num_days:
            last = problem.num_days - 1
            try:
                dates = f" ({problem.date_of(day)}) is outside the horizon 0–{last} "
                dates += f"({problem.start_date} to {problem.date_of(last)})"
            except OverflowError:  # past year 9999: the days alone say it
                dates = f" is outside the horizon 0–{last}"
            self.errors.append(f"{where}: day {day}{dates}")

    def shift_ok(self, shift: str | None, where: str) -> None:
        if shift is not None and shift not in self.known_shifts:
            hint = near_miss(shift, self.shift_ids, self.shift_names, "shift")
            self.errors.append(f"{where}: unknown shift '{shift}'{hint}")

    def staff_ok(self, staff: str, where: str) -> None:
        if staff not in self.known_staff:
            hint = near_miss(staff, self.staff_ids, self.names, "staff")
            self.errors.append(f"{where}: unknown staff '{staff}'{hint}")


def _shift_and_contract_errors(refs: _References) -> None:
    """Shifts named by ``forbidden_next`` and by contracts' ``max_shifts_per_type``."""
    for shift in refs.problem.shifts:
        for nxt in shift.forbidden_next:
            refs.shift_ok(nxt, f"shift '{shift.id}' forbidden_next")
    for person in refs.problem.staff:
        for shift_id in person.contract.max_shifts_per_type:
            refs.shift_ok(shift_id, f"staff '{person.id}' contract max_shifts_per_type")


def _cover_errors(refs: _References) -> None:
    """Each demand: day, shift, a skill somebody holds, and no second demand alike."""
    seen_cover: set[tuple[int, str, str | None]] = set()
    for i, demand in enumerate(refs.problem.cover):
        where = f"cover[{i}] ({refs.shift_name(demand.shift)} on {refs.on(demand.day)})"
        refs.day_ok(demand.day, where)
        refs.shift_ok(demand.shift, where)
        if demand.skill is not None and demand.skill not in refs.skills:
            refs.errors.append(f"{where}: demand for skill '{demand.skill}' that nobody has")
        key = (demand.day, demand.shift, demand.skill)
        if key in seen_cover:
            skill = "any skill" if demand.skill is None else f"skill '{demand.skill}'"
            refs.errors.append(f"{where}: duplicate demand for {skill}")
        seen_cover.add(key)


def _absence_and_request_errors(refs: _References) -> None:
    """Each absence and request: staff, day(s) and shift(s) known."""
    for i, unav in enumerate(refs.problem.unavailability):
        where = f"unavailability[{i}] of {refs.who(unav.staff)}"
        refs.staff_ok(unav.staff, where)
        refs.day_ok(unav.last_day, where)
        for shift_id in unav.shifts or ():
            refs.shift_ok(shift_id, where)
    for i, req in enumerate(refs.problem.requests):
        where = f"requests[{i}] of {refs.who(req.staff)} ({refs.on(req.day)})"
        refs.staff_ok(req.staff, where)
        refs.day_ok(req.day, where)
        refs.shift_ok(req.shift, where)


def _pin_errors(refs: _References) -> None:
    """Each pin: known, one per staff-day, and not onto a shift the person is away from."""
    pinned: dict[tuple[str, int], str | None] = {}
    for i, pin in enumerate(refs.problem.pins):
        where = f"pins[{i}] of {refs.who(pin.staff)} ({refs.on(pin.day)})"
        refs.staff_ok(pin.staff, where)
        refs.day_ok(pin.day, where)
        refs.shift_ok(pin.shift, where)
        if (pin.staff, pin.day) in pinned:
            first = refs.shift_name(pinned[(pin.staff, pin.day)])
            second = refs.shift_name(pin.shift)
            both = f"{first} both times" if first == second else f"{first} and {second}"
            refs.errors.append(f"{where}: the day is pinned twice ({both})")
        pinned.setdefault((pin.staff, pin.day), pin.shift)
        if (
            pin.shift is not None
            and pin.staff in refs.known_staff
            and pin.shift in refs.known_shifts
        ):
            for unav in refs.problem.unavailability:
                if unav.staff == pin.staff and unav.covers(pin.day, pin.shift):
                    refs.errors.append(
                        f"{where}: pinned to {refs.shift_name(pin.shift)} on a day "
                        f"{refs.names.get(pin.staff, 'the person')} is unavailable "
                        f"({unav.reason})"
                    )
                    break


def _baseline_errors(refs: _References) -> None:
    """Each published shift: known, and one per staff-day."""
    if refs.problem.baseline is None:
        return
    published: dict[tuple[str, int], str] = {}
    for i, worked in enumerate(refs.problem.baseline.assignments):
        where = f"baseline[{i}] of {refs.who(worked.staff)} ({refs.on(worked.day)})"
        refs.staff_ok(worked.staff, where)
        refs.day_ok(worked.day, where)
        refs.shift_ok(worked.shift, where)
        earlier = published.get((worked.staff, worked.day))
        if earlier is not None:
            refs.errors.append(
                f"{where}: the day is in the baseline twice "
                f"({refs.shift_name(earlier)} and {refs.shift_name(worked.shift)})"
            )
        published.setdefault((worked.staff, worked.day), worked.shift)
