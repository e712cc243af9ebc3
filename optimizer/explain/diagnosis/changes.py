"""Single changes a planner can make to a roster problem (agency cover, a looser contract
limit, an unpinned shift, a waived succession, moved leave), each as a chain of ever
stronger steps with its words."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optimizer.explain.diagnosis.members import ORDER, available_for
from optimizer.explain.diagnosis.words import (
    as_published,
    count,
    day_runs,
    day_span,
    hours,
    leave_shifts,
    person_name,
    possessive,
    shift_name,
    succession,
    waived_rule,
)
from optimizer.model.roster import CoverDemand, RosterProblem, Unavailability

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance


FIXED_ABSENCE = re.compile(r"\bsick", re.IGNORECASE)
"""Absence reasons a planner cannot ask to move (sickness, sick leave)."""

Candidate = tuple[RosterProblem, frozenset["RuleInstance"], str]
"""(edited problem, instances switched off, what the planner would do)."""


@dataclass(frozen=True)
class Chain:
    """Ever stronger steps of one change, mildest first: when a step restores feasibility
    every later one does too (a higher limit, more agency nurses)."""

    size: int
    step: Callable[[int], Candidate]


def _chain(candidates: Sequence[Candidate]) -> Chain:
    return Chain(len(candidates), lambda i: candidates[i])


def with_contract(problem: RosterProblem, staff: str, **changes: object) -> RosterProblem:
    people = tuple(
        person.model_copy(update={"contract": person.contract.model_copy(update=changes)})
        if person.id == staff
        else person
        for person in problem.staff
    )
    return problem.model_copy(update={"staff": people})


def _minute_values(problem: RosterProblem, now: int, down: bool) -> list[int]:
    """Minute limits beyond ``now``, mildest first: multiples of the shift lengths' common
    divisor (the only totals a roster can reach), down to 0 or up to every day worked
    on the longest shift."""
    unit = math.gcd(*(s.length_minutes for s in problem.shifts))
    if down:
        return list(range((now - 1) // unit * unit, -1, -unit))
    first = now // unit * unit + unit
    most = problem.num_days * max(s.length_minutes for s in problem.shifts)
    return list(range(first, max(first, most) + 1, unit))


def contract_steps(problem: RosterProblem, rule: str, staff: str,
                    shift: str | None) -> list[tuple[object, str]]:  # fmt: skip
    """Every loosening of one contract limit, mildest first: (new field value, wording)."""
    who, name = possessive(person_name(problem, staff)), person_name(problem, staff)
    contract = problem.person(staff).contract
    days = problem.num_days
    if rule == "max_consecutive_work" and contract.max_consecutive_work is not None:
        now = contract.max_consecutive_work
        return [
            (new, f"relax {who} max consecutive working days from {now} to {new}")
            for new in range(now + 1, days + 1)
        ]
    if rule in ("min_consecutive_work", "min_consecutive_off"):
        now = getattr(contract, rule)
        what = "working days" if rule == "min_consecutive_work" else "days off"
        return [
            (new, f"relax {who} min consecutive {what} from {now} to {new}")
            for new in range(now - 1, 0, -1)
        ]
    if rule == "max_shifts_per_type" and shift is not None:
        now = contract.max_shifts_per_type.get(shift, 0)
        label = shift_name(problem, shift) + " shift"
        return [
            (
                {**contract.max_shifts_per_type, shift: new},
                f"allow {name} up to {count(new, label)} (now {now})",
            )
            for new in range(now + 1, days + 1)
        ]
    if rule == "max_shifts" and contract.max_shifts is not None:
        now = contract.max_shifts
        return [
            (new, f"allow {name} up to {count(new, 'shift')} (now {now})")
            for new in range(now + 1, days + 1)
        ]
    if rule == "min_minutes":
        now = contract.min_minutes
        before = " (before leave is credited)" if problem.credited_days(staff) else ""
        return [
            (new, f"lower {who} minimum hours from {hours(now)} to {hours(new)}{before}")
            for new in _minute_values(problem, now, down=True)
        ]
    if rule == "max_minutes" and contract.max_minutes is not None:
        now = contract.max_minutes
        return [
            (new, f"raise {who} maximum hours from {hours(now)} to {hours(new)}")
            for new in _minute_values(problem, now, down=False)
        ]
    if rule == "max_weekends" and contract.max_weekends is not None:
        now = contract.max_weekends
        return [
            (new, f"allow {name} {count(new, 'working weekend')} (now {now})")
            for new in range(now + 1, len(problem.weekends) + 1)
        ]
    return []


def _contract_chain(problem: RosterProblem, rule: str, staff: str,
                    shift: str | None) -> Chain | None:  # fmt: skip
    steps = contract_steps(problem, rule, staff, shift)
    nothing: frozenset[RuleInstance] = frozenset()

    def step(i: int) -> Candidate:
        value, text = steps[i]
        return with_contract(problem, staff, **{rule: value}), nothing, text

    return Chain(len(steps), step) if steps else None


def agency_cover(problem: RosterProblem, demand: CoverDemand, nurses: int, span: str) -> str:
    """``"allow agency cover: 1 ICU-skilled nurse from outside the team on Night Tue 15
    Dec (or lower the hard minimum from 2 to 1)"``."""
    skilled = f"{demand.skill}-skilled " if demand.skill else ""
    floor = demand.min_required
    return (
        f"allow agency cover: {nurses} {skilled}{'nurse' if nurses == 1 else 'nurses'} from "
        f"outside the team on {shift_name(problem, demand.shift)} {span} (or lower the hard "
        f"minimum from {floor} to {floor - nurses})"
    )


def unpin(problem: RosterProblem, member: RuleInstance) -> str:
    """``"unpin Sam Lee on Tue 15 Dec (Early)"``; for a day kept as published (a re-plan's
    kept day): ``"release Sam Lee from the published Early on Tue 15 Dec"``."""
    label = "day off" if member.shift is None else shift_name(problem, member.shift)
    if as_published(problem, member.ref):
        who, span = person_name(problem, member.staff), day_span(problem, member.days)
        return f"release {who} from the published {label} on {span}"
    return (
        f"unpin {person_name(problem, member.staff)} on {day_span(problem, member.days)} ({label})"
    )


def move_leave(problem: RosterProblem, record: Unavailability, days: Sequence[int]) -> str:
    """``"ask Jo Park to move the annual leave on Tue 15 Dec"``."""
    what = f"{record.reason}{leave_shifts(problem, record)}"
    return (
        f"ask {person_name(problem, record.staff)} to move the {what} on {day_span(problem, days)}"
    )


def waiver(problem: RosterProblem, who: str, shifts: str, kinds: Sequence[str]) -> str:
    """``"waive the rest rule once for Ana Silva: Early on Tue 15 Dec after Night on …"``."""
    return f"waive the {waived_rule(kinds)} once for {who}: {shifts}"


def _cover_chains(problem: RosterProblem, group: Sequence[RuleInstance]) -> Iterator[Chain]:
    """Agency cover for one day of the group or for all its days: from the shortfall the
    day already has (qualified staff not on leave) up to the whole hard minimum."""
    head = group[0]
    assert head.ref is not None
    demand = problem.cover[head.ref]
    floor = demand.min_required
    subsets = [[member] for member in group] + ([list(group)] if len(group) > 1 else [])
    for subset in subsets:
        refs = [member.ref for member in subset if member.ref is not None]
        shortfall = max(
            problem.cover[r].min_required - available_for(problem, problem.cover[r])[0]
            for r in refs
        )
        span = day_span(problem, [d for member in subset for d in member.days])
        agency = list(range(max(1, shortfall), floor + 1))

        def step(i: int, refs: list[int] = refs, span: str = span,
                 agency: list[int] = agency) -> Candidate:  # fmt: skip
            k = agency[i]
            cover = list(problem.cover)
            for r in refs:
                cover[r] = cover[r].model_copy(update={"min_required": floor - k})
            text = agency_cover(problem, demand, k, span)
            return problem.model_copy(update={"cover": tuple(cover)}), frozenset(), text

        if agency:
            yield Chain(len(agency), step)


def chains(problem: RosterProblem, group: Sequence[RuleInstance],
            core: Sequence[RuleInstance]) -> Iterator[Chain]:  # fmt: skip
    """Single relaxations of one conflict, mildest first, as chains of steps."""
    head = group[0]
    who = person_name(problem, head.staff)
    if head.rule == "min_cover" and head.ref is not None:
        yield from _cover_chains(problem, group)
    elif head.rule in ORDER and ORDER[head.rule] == 1 and head.staff is not None:
        chain = _contract_chain(problem, head.rule, head.staff, head.shift)
        if chain is not None:
            yield chain
    elif head.rule == "pin":
        for member in group:
            yield _chain([(problem, frozenset([member]), unpin(problem, member))])
    elif head.rule == "succession":
        shifts, kinds, overlaps = succession(problem, head.staff, head.days, core)
        if overlaps:
            return  # nobody can work two shifts at once
        yield _chain([(problem, frozenset(group), waiver(problem, who, shifts, kinds))])
    elif head.rule == "unavailable" and head.ref is not None:
        record = problem.unavailability[head.ref]
        if FIXED_ABSENCE.search(record.reason):
            return  # nobody can be asked to move a sickness
        subsets = [[member] for member in group] + ([list(group)] if len(group) > 1 else [])
        for subset in subsets:
            text = move_leave(problem, record, [d for member in subset for d in member.days])
            yield _chain([(problem, frozenset(subset), text)])


def without(problem: RosterProblem, disabled: frozenset[RuleInstance]) -> RosterProblem:
    """``problem`` without the disabled pins and leave days (successions stay)."""
    pins = {m.ref for m in disabled if m.rule == "pin"}
    days_off: dict[int, set[int]] = {}
    for member in disabled:
        if member.rule == "unavailable" and member.ref is not None:
            days_off.setdefault(member.ref, set()).update(member.days)
    if not pins and not days_off:
        return problem
    leave: list[Unavailability] = []
    for ref, record in enumerate(problem.unavailability):
        kept = [
            d
            for d in range(record.first_day, record.last_day + 1)
            if d not in days_off.get(ref, set())
        ]
        for first, last in day_runs(kept):
            leave.append(record.model_copy(update={"first_day": first, "last_day": last}))
    return problem.model_copy(
        update={
            "pins": tuple(pin for i, pin in enumerate(problem.pins) if i not in pins),
            "unavailability": tuple(leave),
        }
    )
