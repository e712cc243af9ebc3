"""Why no roster exists, in the planner's terms, and what would make one possible.

``diagnose_roster`` finds an irreducible set of hard-rule instances that cannot all
hold (CP-SAT with one assumption per instance, then a deletion filter; see
``optimizer.solvers.cpsat.diagnose``), names it with people, shifts and dates, and
tries single relaxations of its members — lower a hard cover minimum (agency
cover), loosen one contract limit, drop a pin, waive one succession or rest rule,
move leave — keeping those that make the whole problem feasible again. A change
with steps (a limit, a number of agency nurses) is searched for its smallest step
that works: steps grow by doubling, then a bisection finds the smallest.

When not even the conflict is found in time (large wards), the rest of the time goes to
a roster that breaks few rule instances, each as little as it can (``find_correction``):
those rules, loosened as far as that roster needs and checked with the independent
checker, are reported as changes that together give a roster (``relax_together``).

Case problems have no such diagnosis: ``case_conflict_hints`` names the likely causes
that show in the data alone (a case that fits nowhere, an overbooked person, a person
named on more case time than they are on duty, pins that collide).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, StaffMember, Task, merge_windows
from optimizer.model.result import RosterSolution
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, Staff, Unavailability

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance

_ORDER = {
    "min_cover": 0,
    "max_consecutive_work": 1,
    "min_consecutive_work": 1,
    "min_consecutive_off": 1,
    "max_shifts_per_type": 1,
    "max_shifts": 1,
    "min_minutes": 1,
    "max_minutes": 1,
    "max_weekends": 1,
    "pin": 2,
    "succession": 3,
    "unavailable": 4,
}
"""Which relaxations are offered first (mildest and most usual first)."""

_LEAD = {**_ORDER, "succession": 2, "pin": 3}
"""Which conflict leads the one-sentence summary (the rule; the rest say why)."""

_FIXED_ABSENCE = re.compile(r"\bsick", re.IGNORECASE)
"""Absence reasons a planner cannot ask to move (sickness, sick leave)."""

OTHERS_REMAIN = " (other conflicts remain; diagnose again after)"
"""Appended to a change that resolves the named conflict but, proven, not the whole roster."""

NOT_CONFIRMED = (
    " (not confirmed: it resolves the rules named here, but checking the whole roster ran "
    "out of time)"
)
"""Appended to a change whose whole-roster check ran out of time."""

FEASIBLE_BUT_NO_ROSTER = (
    "No roster was found, yet the hard rules can all hold together: the solver stopped "
    "without a roster, and its time limit may be too short. Solve again with a longer one."
)
"""Summary when the solver reported INFEASIBLE but the diagnosis finds a roster exists."""

_AWAY_SHOWN = 5
"""At most this many people on leave are named when a cover minimum cannot be met."""

_RUNS_SHOWN = 3
"""At most this many too long or too short stretches are named for a loosened limit."""


class Conflict(BaseModel):
    """One member of the conflicting set, in the planner's terms."""

    model_config = ConfigDict(frozen=True)

    rule: str
    staff: str | None = None
    days: tuple[int, ...] = ()
    shift: str | None = None
    message: str


class Diagnosis(BaseModel):
    """Result of ``diagnose_roster``.

    ``feasible``: True if the hard rules can all hold, False if they cannot (then
    ``conflicts`` is a set of rules that cannot hold together and ``minimal`` says
    whether it was proven irreducible), None if the time ran out first. ``notes`` say
    what the time limit left unchecked.

    When no conflicting set was found in time, ``relax_together`` may instead list
    changes that *together* give a roster, each as far as a roster found needs it (that
    roster, checked, is the proof). They are not a proven conflict (``conflicts`` stays
    empty): other rules may serve as well. ``fewest`` says no roster breaks fewer rules.
    """

    model_config = ConfigDict(extra="forbid")

    feasible: bool | None
    conflicts: list[Conflict] = Field(default_factory=list)
    relaxations: list[str] = Field(default_factory=list)
    relax_together: list[str] = Field(default_factory=list)
    fewest: bool = False
    minimal: bool = False
    summary: str = ""
    notes: list[str] = Field(default_factory=list)

    def messages(self) -> list[str]:
        """The explanation as lines: summary, each conflicting rule, each option, each
        change of a set that works together, notes."""
        lines = [self.summary] if self.summary else []
        lines += [f"conflicting rule: {conflict.message}" for conflict in self.conflicts]
        lines += [f"option: {relaxation}" for relaxation in self.relaxations]
        lines += [f"change: {change}" for change in self.relax_together]
        lines += [f"note: {note}" for note in self.notes]
        return lines


# -- wording ------------------------------------------------------------------------------


def _day_span(problem: RosterProblem, days: Sequence[int]) -> str:
    """``"Mon 14 Dec"``, ``"14–15 Dec"`` or ``"Mon 14 Dec, Thu 17 Dec"``."""
    parts = []
    for first, last in _runs(sorted(set(days))):
        if first == last:
            parts.append(problem.day_label(first))
            continue
        a, b = problem.date_of(first), problem.date_of(last)
        if a.month == b.month:
            parts.append(f"{a.day}–{b.day} {b:%b}")
        else:
            parts.append(f"{problem.day_label(first)} – {problem.day_label(last)}")
    return ", ".join(parts)


def _name(problem: RosterProblem, staff: str | None) -> str:
    return "" if staff is None else problem.person(staff).label


def _shift(problem: RosterProblem, shift: str | None) -> str:
    return "a day off" if shift is None else problem.shift(shift).label


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d} min"


def _count(number: int, noun: str) -> str:
    """``"1 shift"``, ``"2 shifts"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _either(words: Sequence[str]) -> str:
    """``"Early"``, ``"Early or Late"``, ``"Early, Late or Night"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _leave_shifts(problem: RosterProblem, record: Unavailability) -> str:
    """``" for Night"`` when the leave covers some shifts only, else ``""``."""
    if record.shifts is None:
        return ""
    return " for " + " and ".join(_shift(problem, s) for s in record.shifts)


def _unavailable(problem: RosterProblem, ref: int, days: Sequence[int]) -> str:
    record = problem.unavailability[ref]
    return (
        f"{_name(problem, record.staff)} is unavailable ({record.reason})"
        f"{_leave_shifts(problem, record)} on {_day_span(problem, days)}"
    )


# -- successions ----------------------------------------------------------------------------


def _succession_pairs(problem: RosterProblem, staff: str | None, first: int, last: int,
                      core: Sequence[RuleInstance]) -> list[tuple[str, str]]:  # fmt: skip
    """The shift pairs (on ``first``, on ``last``) the rule forbids, narrowed to the shifts
    the other rules of ``core`` point at (pins of the person, hard minimums that day)."""
    gap = last - first
    if gap == 1:
        pairs = problem.forbidden_successions()
    else:
        pairs = {(a, b) for a, b, k in problem.forbidden_later_successions() if k == gap}

    def pointed_at(day: int) -> set[str | None]:
        pinned = {
            m.shift for m in core if m.rule == "pin" and m.staff == staff and m.days == (day,)
        }
        return pinned or {m.shift for m in core if m.rule == "min_cover" and m.days == (day,)}

    before, after = pointed_at(first), pointed_at(last)
    narrowed = [
        (a, b) for a, b in pairs if (not before or a in before) and (not after or b in after)
    ]
    order = problem.shift_index
    return sorted(narrowed or pairs, key=lambda pair: (order[pair[0]], order[pair[1]]))


def _overlap(problem: RosterProblem, first: str, second: str, gap: int) -> bool:
    """True if ``second``, ``gap`` days after ``first``, starts before ``first`` ends."""
    return gap * 24 * 60 + problem.shift(second).start - problem.shift(first).end < 0


def _pair_kind(problem: RosterProblem, first: str, second: str, gap: int) -> str:
    """Which rule forbids ``second`` ``gap`` days after ``first``."""
    shift = problem.shift(first)
    if gap == 1 and second in shift.forbidden_next:
        return "forbidden succession"
    overlap = _overlap(problem, first, second, gap)
    if shift.min_rest_hours is None:
        return "overlapping shifts"
    rest = f"rest rule: {shift.min_rest_hours:g} h after {shift.label}"
    return f"{rest}; the shifts overlap" if overlap else rest


def _succession(problem: RosterProblem, staff: str | None, days: Sequence[int],
                core: Sequence[RuleInstance]) -> tuple[str, list[str], bool]:  # fmt: skip
    """(``"Early on Tue 15 Dec after Night on Mon 14 Dec"``, the rules that forbid it,
    whether the shifts overlap so that no waiver can allow them)."""
    first, last = days[0], days[-1]
    pairs = _succession_pairs(problem, staff, first, last, core)
    if not pairs:
        when = f"{problem.day_label(last)} after {problem.day_label(first)}"
        return f"these shifts on {when}", ["rest rule"], False
    gap = last - first
    kinds = list(dict.fromkeys(_pair_kind(problem, a, b, gap) for a, b in pairs))
    overlap = all(_overlap(problem, a, b, gap) for a, b in pairs)
    before, after = problem.day_label(first), problem.day_label(last)
    firsts = list(dict.fromkeys(_shift(problem, a) for a, _ in pairs))
    seconds = list(dict.fromkeys(_shift(problem, b) for _, b in pairs))
    if len(firsts) == 1 or len(seconds) == 1:
        return f"{_either(seconds)} on {after} after {_either(firsts)} on {before}", kinds, overlap
    each = _either([f"{_shift(problem, b)} after {_shift(problem, a)}" for a, b in pairs])
    return f"{each} ({before} then {after})", kinds, overlap


def _waived_rule(kinds: Sequence[str]) -> str:
    if all(kind == "forbidden succession" for kind in kinds):
        return "forbidden succession"
    if all(kind.startswith("rest rule") for kind in kinds):
        return "rest rule"
    return "succession and rest rules"


# -- conflict members -------------------------------------------------------------------------


def _contract_text(problem: RosterProblem, rule: str, who: str, contract: Contract,
                   shift: str | None) -> str:  # fmt: skip
    """A contract limit as a sentence."""
    if rule == "max_shifts_per_type":
        limit = contract.max_shifts_per_type.get(shift or "", 0)
        label = _shift(problem, shift)
        if limit == 0:
            return f"{who} may not work {label} shifts"
        return f"{who} may work at most {_count(limit, label + ' shift')}"
    if rule == "max_shifts":
        if not contract.max_shifts:
            return f"{who} may not work any shifts"
        return f"{who} may work at most {_count(contract.max_shifts, 'shift')}"
    if rule == "max_weekends":
        if not contract.max_weekends:
            return f"{who} may not work at weekends"
        return f"{who} may work at most {_count(contract.max_weekends, 'weekend')}"
    texts: dict[str, Callable[[], str]] = {
        "min_minutes": lambda: f"{who} must work at least {_hours(contract.min_minutes)}",
        "max_minutes": lambda: f"{who} may work at most {_hours(contract.max_minutes or 0)}",
        "max_consecutive_work": lambda: (
            f"{who} may work at most {_count(contract.max_consecutive_work or 0, 'day')} in a row"
        ),
        "min_consecutive_work": lambda: (
            f"{who} must work at least {_count(contract.min_consecutive_work, 'day')} in a row"
        ),
        "min_consecutive_off": lambda: (
            f"{who} needs at least {_count(contract.min_consecutive_off, 'day')} off in a row"
        ),
    }
    return texts[rule]() if rule in texts else f"{rule} ({who})"


def _describe(problem: RosterProblem, rule: str, staff: str | None, days: Sequence[int],
              shift: str | None, ref: int | None,
              core: Sequence[RuleInstance] = ()) -> str:  # fmt: skip
    """One conflict member as a sentence (``core``: the set it belongs to)."""
    who = _name(problem, staff)
    span = _day_span(problem, days)
    if rule == "min_cover" and ref is not None:
        demand = problem.cover[ref]
        skilled = f"{demand.skill}-skilled staff" if demand.skill else "staff"
        if len(days) > 1:
            return (
                f"{_shift(problem, shift)} shifts {span} need at least {demand.min_required} "
                f"{skilled} each (hard minimum)"
            )
        return (
            f"{_shift(problem, shift)} shift {span} needs at least {demand.min_required} "
            f"{skilled} (hard minimum)"
        )
    if rule == "unavailable" and ref is not None:
        return _unavailable(problem, ref, days)
    if rule == "pin":
        return f"{who} is pinned to {_shift(problem, shift)} on {span}"
    if rule == "succession":
        shifts, kinds, _overlaps = _succession(problem, staff, days, core)
        return f"{who} may not work {shifts} ({'; '.join(kinds)})"
    if staff is None:
        return f"{rule} ({span})".strip()
    return _contract_text(problem, rule, who, problem.person(staff).contract, shift)


def _available(problem: RosterProblem, demand: CoverDemand) -> tuple[int, list[tuple[Staff, int]]]:
    """(how many staff can work the demand's shift, the qualified staff away and the index
    of the leave record that keeps each away)."""
    qualified = [p for p in problem.staff if demand.skill is None or demand.skill in p.skills]
    away = []
    for person in qualified:
        for ref, record in enumerate(problem.unavailability):
            if record.staff == person.id and record.covers(demand.day, demand.shift):
                away.append((person, ref))
                break
    return len(qualified) - len(away), away


# -- relaxations ----------------------------------------------------------------------------

Candidate = tuple[RosterProblem, frozenset["RuleInstance"], str]
"""(edited problem, instances switched off, what the planner would do)."""


@dataclass(frozen=True)
class _Chain:
    """Ever stronger steps of one change, mildest first: when a step restores feasibility
    every later one does too (a higher limit, more agency nurses)."""

    size: int
    step: Callable[[int], Candidate]


def _chain(candidates: Sequence[Candidate]) -> _Chain:
    return _Chain(len(candidates), lambda i: candidates[i])


def _with_contract(problem: RosterProblem, staff: str, **changes: object) -> RosterProblem:
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


def _contract_steps(problem: RosterProblem, rule: str, staff: str,
                    shift: str | None) -> list[tuple[object, str]]:  # fmt: skip
    """Every loosening of one contract limit, mildest first: (new field value, wording)."""
    who, name = _possessive(_name(problem, staff)), _name(problem, staff)
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
        label = _shift(problem, shift) + " shift"
        return [
            (
                {**contract.max_shifts_per_type, shift: new},
                f"allow {name} up to {_count(new, label)} (now {now})",
            )
            for new in range(now + 1, days + 1)
        ]
    if rule == "max_shifts" and contract.max_shifts is not None:
        now = contract.max_shifts
        return [
            (new, f"allow {name} up to {_count(new, 'shift')} (now {now})")
            for new in range(now + 1, days + 1)
        ]
    if rule == "min_minutes":
        now = contract.min_minutes
        return [
            (new, f"lower {who} minimum hours from {_hours(now)} to {_hours(new)}")
            for new in _minute_values(problem, now, down=True)
        ]
    if rule == "max_minutes" and contract.max_minutes is not None:
        now = contract.max_minutes
        return [
            (new, f"raise {who} maximum hours from {_hours(now)} to {_hours(new)}")
            for new in _minute_values(problem, now, down=False)
        ]
    if rule == "max_weekends" and contract.max_weekends is not None:
        now = contract.max_weekends
        return [
            (new, f"allow {name} {_count(new, 'working weekend')} (now {now})")
            for new in range(now + 1, len(problem.weekends) + 1)
        ]
    return []


def _contract_chain(problem: RosterProblem, rule: str, staff: str,
                    shift: str | None) -> _Chain | None:  # fmt: skip
    steps = _contract_steps(problem, rule, staff, shift)
    nothing: frozenset[RuleInstance] = frozenset()

    def step(i: int) -> Candidate:
        value, text = steps[i]
        return _with_contract(problem, staff, **{rule: value}), nothing, text

    return _Chain(len(steps), step) if steps else None


def _agency(problem: RosterProblem, demand: CoverDemand, nurses: int, span: str) -> str:
    """``"allow agency cover: 1 ICU-skilled nurse from outside the team on Night Tue 15
    Dec (or lower the hard minimum from 2 to 1)"``."""
    skilled = f"{demand.skill}-skilled " if demand.skill else ""
    floor = demand.min_required
    return (
        f"allow agency cover: {nurses} {skilled}{'nurse' if nurses == 1 else 'nurses'} from "
        f"outside the team on {_shift(problem, demand.shift)} {span} (or lower the hard "
        f"minimum from {floor} to {floor - nurses})"
    )


def _unpin(problem: RosterProblem, member: RuleInstance) -> str:
    """``"unpin Sam Lee on Tue 15 Dec (Early)"``."""
    label = "day off" if member.shift is None else _shift(problem, member.shift)
    return f"unpin {_name(problem, member.staff)} on {_day_span(problem, member.days)} ({label})"


def _move_leave(problem: RosterProblem, record: Unavailability, days: Sequence[int]) -> str:
    """``"ask Jo Park to move the annual leave on Tue 15 Dec"``."""
    what = f"{record.reason}{_leave_shifts(problem, record)}"
    return f"ask {_name(problem, record.staff)} to move the {what} on {_day_span(problem, days)}"


def _waiver(problem: RosterProblem, who: str, shifts: str, kinds: Sequence[str]) -> str:
    """``"waive the rest rule once for Ana Silva: Early on Tue 15 Dec after Night on …"``."""
    return f"waive the {_waived_rule(kinds)} once for {who}: {shifts}"


def _cover_chains(problem: RosterProblem, group: Sequence[RuleInstance]) -> Iterator[_Chain]:
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
            problem.cover[r].min_required - _available(problem, problem.cover[r])[0] for r in refs
        )
        span = _day_span(problem, [d for member in subset for d in member.days])
        agency = list(range(max(1, shortfall), floor + 1))

        def step(i: int, refs: list[int] = refs, span: str = span,
                 agency: list[int] = agency) -> Candidate:  # fmt: skip
            k = agency[i]
            cover = list(problem.cover)
            for r in refs:
                cover[r] = cover[r].model_copy(update={"min_required": floor - k})
            text = _agency(problem, demand, k, span)
            return problem.model_copy(update={"cover": tuple(cover)}), frozenset(), text

        if agency:
            yield _Chain(len(agency), step)


def _chains(problem: RosterProblem, group: Sequence[RuleInstance],
            core: Sequence[RuleInstance]) -> Iterator[_Chain]:  # fmt: skip
    """Single relaxations of one conflict, mildest first, as chains of steps."""
    head = group[0]
    who = _name(problem, head.staff)
    if head.rule == "min_cover" and head.ref is not None:
        yield from _cover_chains(problem, group)
    elif head.rule in _ORDER and _ORDER[head.rule] == 1 and head.staff is not None:
        chain = _contract_chain(problem, head.rule, head.staff, head.shift)
        if chain is not None:
            yield chain
    elif head.rule == "pin":
        for member in group:
            yield _chain([(problem, frozenset([member]), _unpin(problem, member))])
    elif head.rule == "succession":
        shifts, kinds, overlaps = _succession(problem, head.staff, head.days, core)
        if overlaps:
            return  # nobody can work two shifts at once
        yield _chain([(problem, frozenset(group), _waiver(problem, who, shifts, kinds))])
    elif head.rule == "unavailable" and head.ref is not None:
        record = problem.unavailability[head.ref]
        if _FIXED_ABSENCE.search(record.reason):
            return  # nobody can be asked to move a sickness
        subsets = [[member] for member in group] + ([list(group)] if len(group) > 1 else [])
        for subset in subsets:
            text = _move_leave(problem, record, [d for member in subset for d in member.days])
            yield _chain([(problem, frozenset(subset), text)])


def _without(problem: RosterProblem, disabled: frozenset[RuleInstance]) -> RosterProblem:
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
        for first, last in _runs(kept):
            leave.append(record.model_copy(update={"first_day": first, "last_day": last}))
    return problem.model_copy(
        update={
            "pins": tuple(pin for i, pin in enumerate(problem.pins) if i not in pins),
            "unavailability": tuple(leave),
        }
    )


def _runs(days: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _has_roster(problem: RosterProblem, time_limit: float) -> bool | None:
    """Whether the hard rules of ``problem`` can all hold, by the full CP-SAT roster model
    (much faster at finding a roster than the assumption model), stopped at its first
    roster; the roster is re-checked. Soft rules are dropped: they cannot make it fail.

    One worker and a fixed seed: the answer does not depend on the machine's load."""
    from optimizer.check.roster import check_roster
    from optimizer.model.result import SolveStatus
    from optimizer.solve import solve

    hard = problem.model_copy(
        update={
            "cover": tuple(
                c.model_copy(update={"under_weight": 0, "over_weight": 0}) for c in problem.cover
            ),
            "requests": (),
            "baseline": None,
        }
    )
    result = solve(
        hard,
        backend="cpsat",
        time_limit=max(0.05, time_limit),
        workers=1,
        seed=0,
        roster_staffwise=False,
        stop_after_first_solution=True,
    )
    if result.status is SolveStatus.INFEASIBLE:
        return False
    if result.roster is not None and check_roster(hard, result.roster).feasible:
        return True
    return None


class _Clock:
    """The diagnosis's time: a deadline shared fairly by the conflict's groups."""

    def __init__(self, deadline: float, groups: int) -> None:
        self.deadline = deadline
        self.groups_left = max(1, groups)
        self.group_deadline = deadline

    def next_group(self) -> None:
        """Start the next group: its share is what is left over the groups still to test."""
        now = time.monotonic()
        self.group_deadline = now + max(0.0, self.deadline - now) / self.groups_left
        self.groups_left = max(1, self.groups_left - 1)

    def left(self) -> float:
        """Seconds left for the current group."""
        return self.group_deadline - time.monotonic()


@dataclass
class _Search:
    """Smallest passing step of a chain: ``found`` passes, every step up to ``failed``
    fails; ``timed_out`` when a check ran out of time first."""

    found: int | None = None
    failed: int = -1
    timed_out: bool = False


def _smallest(size: int, test: Callable[[int], bool | None], start: int = 0) -> _Search:
    """Smallest step ``i >= start`` with ``test(i)`` True, for a ``test`` that is False
    up to some step and True from there: steps ``start``, +1, +3, +7, … then bisection."""
    out = _Search(failed=start - 1)
    probe, jump = start, 1
    while out.found is None:
        verdict = test(probe)
        if verdict is None:
            out.timed_out = True
            return out
        if verdict:
            out.found = probe
        else:
            out.failed = probe
            if probe >= size - 1:
                return out
            probe, jump = min(size - 1, probe + jump), 2 * jump
    while out.found - out.failed > 1:
        middle = (out.failed + out.found) // 2
        verdict = test(middle)
        if verdict is None:
            out.timed_out = True  # `found` still passes; a milder step may too
            return out
        if verdict:
            out.found = middle
        else:
            out.failed = middle
    return out


@dataclass
class _Option:
    """What one chain offers: ``kind`` is ``whole`` (the roster works), ``unconfirmed``
    (the whole-roster check ran out of time), ``local`` (proven: other conflicts remain)
    or ``untested`` (no time to test it)."""

    kind: str
    text: str


class _Relaxer:
    """Tests the chains of each conflict group against the named conflict, then the
    whole problem."""

    def __init__(self, problem: RosterProblem, core: Sequence[RuleInstance], clock: _Clock) -> None:
        self.problem = problem
        self.core = list(core)
        self.clock = clock

    def local(self, candidate: Candidate) -> bool | None:
        from optimizer.solvers.cpsat.diagnose import is_feasible

        edited, disabled, _text = candidate
        if self.clock.left() <= 0:
            return None
        return is_feasible(edited, disabled, only=self.core, time_limit=self.clock.left())

    def whole(self, candidate: Candidate) -> bool | None:
        from optimizer.solvers.cpsat.diagnose import is_feasible

        edited, disabled, _text = candidate
        if self.clock.left() <= 0:
            return None
        if any(member.rule == "succession" for member in disabled):
            # one waived succession has no RosterProblem form: the assumption model
            return is_feasible(edited, disabled, time_limit=self.clock.left())
        return _has_roster(_without(edited, disabled), self.clock.left())

    def chain(self, chain: _Chain) -> _Option | None:
        """The chain's mildest step that restores the whole roster, else what is known."""
        local = _smallest(chain.size, lambda i: self.local(chain.step(i)))
        if local.found is None:  # no step resolves the named conflict, or no time to see
            return _Option("untested", "") if local.timed_out else None
        whole = _smallest(chain.size, lambda i: self.whole(chain.step(i)), start=local.found)
        if whole.found is not None:
            text = chain.step(whole.found)[2]
            if whole.found > local.found:
                text += self.why_more(chain.step(whole.failed))
            return _Option("whole", text)
        if whole.timed_out:
            return _Option("unconfirmed", chain.step(whole.failed + 1)[2] + NOT_CONFIRMED)
        return _Option("local", chain.step(local.found)[2] + OTHERS_REMAIN)

    def why_more(self, milder: Candidate) -> str:
        """Why the step just milder than the one offered is not enough: rules outside the
        named conflict that still clash with it."""
        from optimizer.solvers.cpsat.diagnose import find_core

        edited = _without(milder[0], milder[1])
        core = find_core(edited, self.clock.left()).core if self.clock.left() > 0 else []
        extra = [member for member in core if member not in set(self.core)]
        if not extra:
            return " (less resolves the rules named here, not the whole roster)"
        reasons = [
            _describe(edited, g[0].rule, g[0].staff, _days(g), g[0].shift, g[0].ref, core)
            for g in _groups(edited, extra)[:2]
        ]
        return " (less is not enough because " + _and(reasons) + ")"

    def group(self, group: Sequence[RuleInstance]) -> _Option | None:
        """The best option of one conflict group (one per group)."""
        self.clock.next_group()
        best: _Option | None = None
        for chain in _chains(self.problem, group, self.core):
            option = self.chain(chain)
            if option is None:
                continue
            if option.kind == "whole":
                return option  # chains come mildest first
            if best is None or _KINDS.index(option.kind) < _KINDS.index(best.kind):
                best = option
        return best


_KINDS = ("whole", "unconfirmed", "local", "untested")


def _days(group: Sequence[RuleInstance]) -> list[int]:
    return sorted({d for member in group for d in member.days})


def _groups(problem: RosterProblem, core: Sequence[RuleInstance]) -> list[list[RuleInstance]]:
    """Members that read as one conflict: the days of one leave record, one person's
    pins to the same shift, hard minimums of the same shift, skill and size."""
    groups: dict[tuple[object, ...], list[RuleInstance]] = {}
    for member in core:
        if member.rule == "unavailable":
            key: tuple[object, ...] = (member.rule, member.ref)
        elif member.rule == "pin":
            key = (member.rule, member.staff, member.shift)
        elif member.rule == "min_cover" and member.ref is not None:
            demand = problem.cover[member.ref]
            key = (member.rule, demand.shift, demand.skill, demand.min_required)
        else:
            key = (member.rule, member.staff, member.days, member.shift, member.ref)
        groups.setdefault(key, []).append(member)
    return sorted(groups.values(), key=lambda g: (_ORDER.get(g[0].rule, 9), g[0]))


def _cover_reason(problem: RosterProblem, head: RuleInstance, lead: Conflict,
                  others: list[Conflict]) -> tuple[str, list[Conflict]]:  # fmt: skip
    """How many can work a hard minimum's shift, naming everyone on leave the count
    reflects, and the other members still to name."""
    assert head.ref is not None
    demand = problem.cover[head.ref]
    available, away = _available(problem, demand)
    if len(lead.days) > 1 or available >= demand.min_required:
        them = "them all" if len(lead.days) > 1 else "it"
        return f"; the {available} qualified staff not on leave cannot cover {them}", others
    text = (
        "; none is available"
        if available == 0
        else f"; only {available} {'is' if available == 1 else 'are'} available"
    )
    if not away:
        return text, others
    named = [_unavailable(problem, ref, [demand.day]) for _person, ref in away[:_AWAY_SHOWN]]
    if len(away) > _AWAY_SHOWN:
        more = len(away) - _AWAY_SHOWN
        named.append(f"{more} more {'person is' if more == 1 else 'people are'} on leave")
    gone = {person.id for person, _ref in away}
    rest = [
        c
        for c in others
        if not (c.rule == "unavailable" and c.staff in gone and demand.day in c.days)
    ]
    return f"{text} because {_and(named)}", rest


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _summary(problem: RosterProblem, conflicts: Sequence[Conflict], options: Sequence[str],
             groups: Sequence[Sequence[RuleInstance]], complete: bool) -> str:  # fmt: skip
    order = sorted(range(len(conflicts)), key=lambda i: _LEAD.get(conflicts[i].rule, 9))
    lead, others = conflicts[order[0]], [conflicts[i] for i in order[1:]]
    text = lead.message
    head = groups[order[0]][0]
    joiner = " because "
    if head.rule == "min_cover" and head.ref is not None:
        reason, others = _cover_reason(problem, head, lead, others)
        text += reason
        joiner = " and " if " because " in reason else joiner
    if others:
        shown = [c.message for c in others[:3]]
        if len(others) > 3:
            shown.append(f"{_count(len(others) - 3, 'more rule')}")
        text += joiner + _and(shown)
    text += _no_mix_of_shifts(problem, [lead, *others])
    if options:
        text += ": " + ", or ".join(options[:2])
    elif complete:
        text += ": no single change resolves it; relax several of these rules together"
    else:
        text += ": no single change was confirmed in time; try a longer time limit"
    return text


def _no_mix_of_shifts(problem: RosterProblem, conflicts: Sequence[Conflict]) -> str:
    """`` (no mix of Jo Park's 8 h and 10 h shifts adds up to 33 h 20 min)`` when a
    person's minimum and maximum hours are both in the conflict and no number of their
    shifts (at most one a day) totals between them; else ``""``."""

    def staff_of(rule: str) -> set[str]:
        return {c.staff for c in conflicts if c.rule == rule and c.staff is not None}

    for person in map(problem.person, sorted(staff_of("min_minutes") & staff_of("max_minutes"))):
        low, high = person.contract.min_minutes or 0, person.contract.max_minutes
        if high is None or low > high:
            continue
        allowed = person.contract.max_shifts_per_type
        lengths = sorted({t.length_minutes for t in problem.shifts if allowed.get(t.id) != 0})
        totals = {0}
        for _day in range(problem.num_days):
            grown = totals | {t + n for t in totals for n in lengths if t + n <= high}
            if grown == totals:
                break
            totals = grown
        if lengths and not any(low <= t <= high for t in totals):
            kinds = _and([_hours(n) for n in lengths])
            span = _hours(low) if low == high else f"between {_hours(low)} and {_hours(high)}"
            return f" (no mix of {person.label}'s {kinds} shifts adds up to {span})"
    return ""


# -- several rules relaxed together ------------------------------------------------------


def _stretches(problem: RosterProblem, runs: Sequence[tuple[int, int]], noun: str) -> str:
    """``" (a 1-day break on Sat 12 Dec)"``, ``" (4-day stretches on 8–11 Dec and 18–21
    Dec)"``: the runs by length, at most ``_RUNS_SHOWN`` named, then how many in all."""
    if not runs:
        return ""
    by_length: dict[int, list[str]] = {}
    for first, last in runs[:_RUNS_SHOWN]:
        span = _day_span(problem, range(first, last + 1))
        by_length.setdefault(last - first + 1, []).append(span)
    nouns = noun + ("es" if noun.endswith("ch") else "s")
    parts = [
        f"{'an' if length in (8, 11, 18) or 80 <= length < 90 else 'a'} {length}-day {noun} "
        f"on {spans[0]}"
        if len(spans) == 1
        else f"{length}-day {nouns} on {_and(spans)}"
        for length, spans in by_length.items()
    ]
    if len(runs) > _RUNS_SHOWN:
        parts.append(f"{len(runs)} in all")
    return f" ({'; '.join(parts)})"


def _contract_change(problem: RosterProblem, shift_of: dict[tuple[str, int], str],
                     member: RuleInstance) -> tuple[RosterProblem, str]:  # fmt: skip
    """One contract limit loosened as far as the roster needs, and the words."""
    assert member.staff is not None
    staff, rule = member.staff, member.rule
    contract = problem.person(staff).contract
    days = problem.num_days
    shifts = [shift_of[staff, d] for d in range(days) if (staff, d) in shift_of]
    on = _runs([d for d in range(days) if (staff, d) in shift_of])
    off = _runs([d for d in range(days) if (staff, d) not in shift_of])
    where = ""
    if rule == "max_consecutive_work":
        longest = contract.max_consecutive_work or 0
        value: object = max(b - a + 1 for a, b in on)
        where = _stretches(problem, [(a, b) for a, b in on if b - a + 1 > longest], "stretch")
    elif rule in ("min_consecutive_work", "min_consecutive_off"):
        # runs touching either end of the horizon are exempt
        runs = [(a, b) for a, b in (on if rule == "min_consecutive_work" else off)
                if a > 0 and b < days - 1]  # fmt: skip
        value = min(b - a + 1 for a, b in runs)
        short = [(a, b) for a, b in runs if b - a + 1 < getattr(contract, rule)]
        where = _stretches(problem, short, "stretch" if rule == "min_consecutive_work" else "break")
    elif rule == "max_shifts_per_type":
        assert member.shift is not None
        value = {**contract.max_shifts_per_type, member.shift: shifts.count(member.shift)}
    elif rule == "max_shifts":
        value = len(shifts)
    elif rule in ("min_minutes", "max_minutes"):
        value = sum(problem.shift(s).length_minutes for s in shifts)
    else:
        value = sum(any((staff, d) in shift_of for d in group) for group in problem.weekends)
    text = next(
        (words for step, words in _contract_steps(problem, rule, staff, member.shift)
         if step == value),
        _describe(problem, rule, staff, (), member.shift, None),
    )  # fmt: skip
    return _with_contract(problem, staff, **{rule: value}), text + where


def _change(problem: RosterProblem, shift_of: dict[tuple[str, int], str],
            member: RuleInstance) -> tuple[RosterProblem, str]:  # fmt: skip
    """What the roster needs of one rule it breaks: the problem with a limit or hard
    minimum loosened that far (pins, leave and successions: unchanged), and the words."""
    day = member.days[0] if member.days else 0
    if member.rule == "min_cover" and member.ref is not None:
        demand = problem.cover[member.ref]
        staffed = sum(
            shift_of.get((person.id, demand.day)) == demand.shift
            for person in problem.staff
            if demand.skill is None or demand.skill in person.skills
        )
        cover = list(problem.cover)
        cover[member.ref] = demand.model_copy(update={"min_required": staffed})
        text = _agency(problem, demand, demand.min_required - staffed, problem.day_label(day))
        return problem.model_copy(update={"cover": tuple(cover)}), text
    worked = None if member.staff is None else shift_of.get((member.staff, day))
    if member.rule == "pin":
        instead = "has the day off" if worked is None else f"works {_shift(problem, worked)}"
        return problem, f"{_unpin(problem, member)}, who then {instead}"
    if member.rule == "unavailable" and member.ref is not None:
        record = problem.unavailability[member.ref]
        text = f"{_move_leave(problem, record, member.days)} (to work {_shift(problem, worked)})"
        return problem, text
    if member.rule == "succession" and member.staff is not None:
        later = member.days[-1]
        first, second = worked, shift_of.get((member.staff, later))
        assert first is not None and second is not None
        shifts = (
            f"{_shift(problem, second)} on {problem.day_label(later)} after "
            f"{_shift(problem, first)} on {problem.day_label(day)}"
        )
        kinds = [_pair_kind(problem, first, second, later - day)]
        return problem, _waiver(problem, _name(problem, member.staff), shifts, kinds)
    return _contract_change(problem, shift_of, member)


def relaxed_for(problem: RosterProblem, roster: RosterSolution,
                broken: Sequence[RuleInstance]) -> tuple[RosterProblem, list[str]]:  # fmt: skip
    """``problem`` with each rule instance ``roster`` breaks loosened as far as the roster
    needs, and each change in words (mildest kind first). A waived succession has no
    problem form: the roster still breaks exactly those."""
    shift_of = roster.by_staff_day()
    relaxed, texts = problem, []
    index = problem.staff_index
    for member in sorted(
        broken, key=lambda m: (_ORDER.get(m.rule, 9), index.get(m.staff or "", -1), m)
    ):
        relaxed, text = _change(relaxed, shift_of, member)
        texts.append(text)
    return _without(relaxed, frozenset(broken)), texts


def _checked_changes(problem: RosterProblem, roster: RosterSolution,
                     broken: Sequence[RuleInstance]) -> list[str] | None:  # fmt: skip
    """The changes of ``relaxed_for``, or None unless the independent checker passes the
    roster on the problem so relaxed (bar the waived successions)."""
    from optimizer.check.roster import check_roster

    relaxed, texts = relaxed_for(problem, roster, broken)
    waived = {(m.staff, m.days) for m in broken if m.rule == "succession"}
    report = check_roster(relaxed, roster)
    if any(v.rule != "succession" or (v.staff, v.days) not in waived for v in report.violations):
        return None
    return texts


_ALL_OR_NOTHING = ("pin", "unavailable", "succession")
"""Rules kept or broken whole: no amount to make milder."""


def _relax_together(problem: RosterProblem, time_limit: float, spent: str,
                    proven_infeasible: bool) -> Diagnosis | None:  # fmt: skip
    """When no conflicting set was found in time: rules that, relaxed together as far as a
    roster found needs, give that roster (None if none was found and checked in time)."""
    from optimizer.check.roster import check_roster
    from optimizer.solvers.cpsat.correction import find_correction

    def keep(member: RuleInstance) -> bool:  # nobody can be asked to move a sickness
        return member.rule == "unavailable" and bool(
            member.ref is not None
            and _FIXED_ABSENCE.search(problem.unavailability[member.ref].reason)
        )

    found = find_correction(problem, time_limit, keep=keep, rank=_ORDER)
    if found.roster is None:
        return None
    if found.feasible is True:
        if not check_roster(problem, found.roster).feasible:
            return None
        summary = (
            FEASIBLE_BUT_NO_ROSTER if proven_infeasible else "The hard rules can all hold together."
        )
        return Diagnosis(feasible=True, summary=summary)
    changes = _checked_changes(problem, found.roster, found.broken)
    if changes is None:
        return None
    if proven_infeasible or found.feasible is False:
        summary = f"No smallest conflict could be isolated within {spent}"
    else:
        summary = f"Could not decide within {spent} whether the hard rules can all hold"
    notes = []
    if not found.fewest:
        notes.append(
            "not proven the fewest: a longer time limit may find fewer or milder changes, or "
            "a smallest conflicting set"
        )
    if not found.mildest and any(m.rule not in _ALL_OR_NOTHING for m in found.broken):
        notes.append(
            "the amounts are not proven the smallest: a longer time limit may find milder ones"
        )
    return Diagnosis(
        feasible=found.feasible,
        relax_together=changes,
        fewest=found.fewest,
        summary=summary + ", but relaxing these rules together gives a roster:",
        notes=notes,
    )


def diagnose_roster(
    problem: RosterProblem,
    time_limit: float = 20.0,
    *,
    proven_infeasible: bool = False,
    core_share: float = 0.6,
) -> Diagnosis:
    """Name a smallest conflicting set of hard rules and relaxations that restore feasibility.

    ``core_share`` of ``time_limit`` (about 60 %) goes to finding and minimising the
    conflict, the rest to testing relaxations (each tested on the whole problem); a check
    that runs out of time is reported as not confirmed, never as failed. If not even the
    conflict is found, the rest goes to a roster that breaks few rules, each as little as
    it can: those rules, relaxed together that far, are reported (``relax_together``).
    ``proven_infeasible``: the caller's solve reported INFEASIBLE (the wording then never
    contradicts it).
    """
    from optimizer.solvers.cpsat.diagnose import CoreResult, find_core

    started = time.monotonic()
    found = find_core(problem, core_share * time_limit) if core_share > 0 else CoreResult(None)
    if found.feasible is True:
        summary = (
            FEASIBLE_BUT_NO_ROSTER if proven_infeasible else "The hard rules can all hold together."
        )
        return Diagnosis(feasible=True, summary=summary)
    if found.feasible is None:
        spent = f"{time.monotonic() - started:.0f} s"
        left = started + time_limit - time.monotonic()
        together = _relax_together(problem, left, spent, proven_infeasible) if left > 0 else None
        if together is not None:
            return together
        summary = (
            f"Which hard rules clash could not be found within {spent}; try a longer time limit."
            if proven_infeasible
            else f"Could not decide within {spent} whether the hard rules can all hold; "
            "try a longer time limit."
        )
        return Diagnosis(feasible=None, summary=summary)
    groups = _groups(problem, found.core)
    conflicts = [
        Conflict(
            rule=group[0].rule,
            staff=group[0].staff,
            days=tuple(_days(group)),
            shift=group[0].shift,
            message=_describe(
                problem,
                group[0].rule,
                group[0].staff,
                _days(group),
                group[0].shift,
                group[0].ref,
                found.core,
            ),
        )
        for group in groups
    ]
    relaxer = _Relaxer(problem, found.core, _Clock(started + time_limit, len(groups)))
    chosen = [relaxer.group(group) for group in groups]
    by_kind = {
        kind: [o.text for o in chosen if o is not None and o.kind == kind] for kind in _KINDS
    }
    options = by_kind["whole"] + by_kind["unconfirmed"]
    if not by_kind["whole"]:
        options += by_kind["local"]
    notes = []
    if not found.minimal:
        notes.append(
            "not every check finished in time: these rules cannot all hold, but a smaller "
            "conflicting set may exist"
        )
    untested = len(by_kind["untested"])
    if untested:
        notes.append(
            f"{_count(untested, 'conflicting rule')} could not be tested for a fix in time; "
            "a longer time limit may show more options"
        )
    complete = not untested and not by_kind["unconfirmed"]
    return Diagnosis(
        feasible=False,
        conflicts=conflicts,
        relaxations=options,
        minimal=found.minimal,
        summary=_summary(problem, conflicts, options, groups, complete),
        notes=notes,
    )


# -- case problems ---------------------------------------------------------------------------


def case_conflict_hints(problem: CaseProblem, limit: int = 5) -> list[str]:
    """Likely reasons a case problem has no schedule, read from the data (no solve).

    The rule-by-rule diagnosis above covers rosters only. For case problems this names
    mandatory cases that fit nowhere whatever the others do, people named on more
    mandatory minutes than their ``max_minutes`` or than they are on duty (while their
    cases' rooms are open), and pinned cases that overlap in one room or for one person;
    at most ``limit`` lines. Empty when no single cause shows: the mandatory cases then
    compete for rooms, people, equipment or time together.
    """
    from optimizer.explain.case_reasons import static_reasons

    must = [task for task in problem.tasks if problem.must_schedule(task)]
    impossible = {task.id: static_reasons(problem, task) for task in must}
    hints = [f"{task.label}: {reason.message}" for task in must for reason in impossible[task.id]]
    hints += _overbooked_people(problem, must)
    hints += _duty_shortfalls(problem, must, {name for name, why in impossible.items() if why})
    hints += _overlapping_pins(problem)
    if len(hints) > limit:
        hints = [*hints[: limit - 1], f"… and {len(hints) - limit + 1} more"]
    return hints


def _people_on(problem: CaseProblem, task: Task) -> set[str]:
    """Named staff of the task plus those pinned to it."""
    pin = problem.pin_of(task.id)
    return set(task.staff) | set(pin.staff if pin is not None else ())


def _overbooked_people(problem: CaseProblem, must: Sequence[Task]) -> list[str]:
    hints = []
    for person in problem.staff:
        if person.max_minutes is None:
            continue
        minutes = sum(task.duration for task in must if person.id in _people_on(problem, task))
        if minutes > person.max_minutes:
            hints.append(
                f"{person.label} is named on {minutes} minutes of mandatory cases but may "
                f"work at most {person.max_minutes} (max_minutes)"
            )
    return hints


def _duty_shortfalls(problem: CaseProblem, must: Sequence[Task], impossible: set[str]) -> list[str]:
    """People named on more mandatory case minutes than they are on duty while a room for
    those cases is open (each case needs both for its whole length).

    A person with a case in ``impossible`` (already named as fitting nowhere) is left out."""
    hints = []
    for person in problem.staff:
        theirs = [task for task in must if person.id in _people_on(problem, task)]
        if not theirs or any(task.id in impossible for task in theirs):
            continue
        named = sum(task.duration for task in theirs)
        rooms = all(problem.needs_room(task) for task in theirs)
        usable = _usable_minutes(problem, person, theirs if rooms else [])
        if named > usable:
            hints.append(
                f"{person.label} is named on {named} minutes of mandatory cases but is on duty "
                f"only {usable} minutes" + (" while their rooms are open" if rooms else "")
            )
    return hints


def _usable_minutes(problem: CaseProblem, person: StaffMember, tasks: Sequence[Task]) -> int:
    """The person's on-duty minutes, within the openings (overtime included) of the
    ``tasks``' eligible rooms if any are given."""
    duty = [(w.start, min(w.end, problem.horizon)) for w in problem.windows_of(person)]
    if not tasks:
        return sum(max(0, b - a) for a, b in duty)
    spans = {
        (o.start, min(o.hard_end, problem.horizon))
        for task in tasks
        for room in problem.eligible_rooms(task)
        for o in problem.openings_of(room)
        if o.start < problem.horizon
    }
    return sum(
        max(0, min(b, w.end) - max(a, w.start)) for a, b in duty for w in merge_windows(list(spans))
    )


def _overlapping_pins(problem: CaseProblem) -> list[str]:
    """Pairs of cases pinned to start times that collide in one room or for one person."""
    timed = [
        (problem.task(pin.task), pin, pin.start)
        for pin in problem.pins
        if pin.start is not None and problem.task(pin.task).duration > 0
    ]
    hints = []
    for i, (first, first_pin, a) in enumerate(timed):
        for second, second_pin, b in timed[i + 1 :]:
            room = first_pin.room if first_pin.room == second_pin.room else None
            gap = problem.turnover_of(problem.room(room)) if room is not None else 0
            if not (a < b + second.duration + gap and b < a + first.duration + gap):
                continue
            shared = sorted(_people_on(problem, first) & _people_on(problem, second))
            if room is not None:
                where = f"room {problem.room(room).label}"
            elif shared:
                where = ", ".join(problem.person(name).label for name in shared)
            else:
                continue
            hints.append(
                f"{first.label} and {second.label} are pinned to overlapping times "
                f"({when(problem, a)} and {when(problem, b)}) for {where}"
            )
    return hints
