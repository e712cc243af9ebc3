"""Why no roster exists, in the planner's terms, and what would make one possible.

``diagnose_roster`` finds an irreducible set of hard-rule instances that cannot all
hold (CP-SAT with one assumption per instance, then a deletion filter; see
``optimizer.solvers.cpsat.diagnose``), names it with people, shifts and dates, and
tries single relaxations of its members — lower a hard cover minimum (agency
cover), loosen one contract limit step by step, drop a pin, waive one rest rule,
move leave — keeping those that make the whole problem feasible again.

Case problems have no such diagnosis: ``case_conflict_hints`` names the likely causes
that show in the data alone (a case that fits nowhere, an overbooked person, a person
named on more case time than they are on duty, pins that collide).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, StaffMember, Task, merge_windows
from optimizer.model.roster import Contract, RosterProblem

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
    whether it was proven irreducible), None if the time ran out first.
    """

    model_config = ConfigDict(extra="forbid")

    feasible: bool | None
    conflicts: list[Conflict] = Field(default_factory=list)
    relaxations: list[str] = Field(default_factory=list)
    minimal: bool = False
    summary: str = ""

    def messages(self) -> list[str]:
        """The explanation as lines: summary, each conflicting rule, each option."""
        lines = [self.summary] if self.summary else []
        lines += [f"conflicting rule: {conflict.message}" for conflict in self.conflicts]
        lines += [f"option: {relaxation}" for relaxation in self.relaxations]
        return lines


# -- wording ------------------------------------------------------------------------------


def _day_span(problem: RosterProblem, days: Sequence[int]) -> str:
    """``"Mon 14 Dec"``, ``"14–15 Dec"`` or ``"Mon 14 Dec, Thu 17 Dec"``."""
    days = sorted(set(days))
    if not days:
        return ""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for first, last in runs:
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


def _minute_steps(problem: RosterProblem, now: int, down: bool) -> list[int]:
    """Candidate minute limits beyond ``now``, mildest first: multiples of the shift
    lengths' common divisor (the only totals a roster can reach), 1–6 steps away, then
    in growing jumps."""
    unit = math.gcd(*(s.length_minutes for s in problem.shifts))
    steps = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48)
    if down:
        first = (now - 1) // unit * unit
        values = [first - (k - 1) * unit for k in steps]
        return sorted({max(0, v) for v in values}, reverse=True)
    first = now // unit * unit + unit
    return [first + (k - 1) * unit for k in steps]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _describe(problem: RosterProblem, rule: str, staff: str | None, days: Sequence[int],
              shift: str | None, ref: int | None) -> str:  # fmt: skip
    """One conflict member as a sentence."""
    who = _name(problem, staff)
    when = _day_span(problem, days)
    contract = problem.person(staff).contract if staff is not None else Contract()
    if rule == "min_cover" and ref is not None:
        demand = problem.cover[ref]
        skilled = f"{demand.skill}-skilled staff" if demand.skill else "staff"
        if len(days) > 1:
            return (
                f"{_shift(problem, shift)} shifts {when} need at least {demand.min_required} "
                f"{skilled} each (hard minimum)"
            )
        return (
            f"{_shift(problem, shift)} shift {when} needs at least {demand.min_required} "
            f"{skilled} (hard minimum)"
        )
    if rule == "unavailable" and ref is not None:
        return f"{who} is unavailable ({problem.unavailability[ref].reason}) on {when}"
    if rule == "pin":
        return f"{who} is pinned to {_shift(problem, shift)} on {when}"
    if rule == "succession":
        first, second = problem.day_label(days[0]), problem.day_label(days[-1])
        return f"{who}'s shift on {second} may not follow the one on {first} (rest rule)"
    texts: dict[str, Callable[[], str]] = {
        "max_shifts_per_type": lambda: (
            f"{who} may work at most {contract.max_shifts_per_type.get(shift or '', 0)} "
            f"{_shift(problem, shift)} shifts"
        ),
        "max_shifts": lambda: f"{who} may work at most {contract.max_shifts} shifts",
        "min_minutes": lambda: f"{who} must work at least {_hours(contract.min_minutes)}",
        "max_minutes": lambda: f"{who} may work at most {_hours(contract.max_minutes or 0)}",
        "max_consecutive_work": lambda: (
            f"{who} may work at most {contract.max_consecutive_work} days in a row"
        ),
        "min_consecutive_work": lambda: (
            f"{who} must work at least {contract.min_consecutive_work} days in a row"
        ),
        "min_consecutive_off": lambda: (
            f"{who} needs at least {contract.min_consecutive_off} days off in a row"
        ),
        "max_weekends": lambda: f"{who} may work at most {contract.max_weekends} weekends",
    }
    return texts[rule]() if rule in texts else f"{rule} ({who} {when})".strip()


# -- relaxations ----------------------------------------------------------------------------

Candidate = tuple[RosterProblem, frozenset["RuleInstance"], str]
"""(edited problem, instances switched off, what the planner would do)."""


def _with_contract(problem: RosterProblem, staff: str, **changes: object) -> RosterProblem:
    people = tuple(
        person.model_copy(update={"contract": person.contract.model_copy(update=changes)})
        if person.id == staff
        else person
        for person in problem.staff
    )
    return problem.model_copy(update={"staff": people})


def _contract_candidates(problem: RosterProblem, rule: str, staff: str,
                         shift: str | None) -> Iterator[tuple[RosterProblem, str]]:  # fmt: skip
    who = _possessive(_name(problem, staff))
    contract = problem.person(staff).contract
    if rule == "max_consecutive_work" and contract.max_consecutive_work is not None:
        now = contract.max_consecutive_work
        for new in range(now + 1, min(now + 5, problem.num_days) + 1):
            edited = _with_contract(problem, staff, max_consecutive_work=new)
            yield edited, f"relax {who} max consecutive working days from {now} to {new}"
    elif rule == "min_consecutive_work":
        now = contract.min_consecutive_work
        for new in range(now - 1, 0, -1):
            edited = _with_contract(problem, staff, min_consecutive_work=new)
            yield edited, f"relax {who} min consecutive working days from {now} to {new}"
    elif rule == "min_consecutive_off":
        now = contract.min_consecutive_off
        for new in range(now - 1, 0, -1):
            edited = _with_contract(problem, staff, min_consecutive_off=new)
            yield edited, f"relax {who} min consecutive days off from {now} to {new}"
    elif rule == "max_shifts_per_type" and shift is not None:
        now = contract.max_shifts_per_type.get(shift, 0)
        for new in range(now + 1, min(now + 5, problem.num_days) + 1):
            limits = {**contract.max_shifts_per_type, shift: new}
            edited = _with_contract(problem, staff, max_shifts_per_type=limits)
            label = _shift(problem, shift)
            yield edited, f"allow {_name(problem, staff)} up to {new} {label} shifts (now {now})"
    elif rule == "max_shifts" and contract.max_shifts is not None:
        now = contract.max_shifts
        for new in range(now + 1, min(now + 5, problem.num_days) + 1):
            edited = _with_contract(problem, staff, max_shifts=new)
            yield edited, f"allow {_name(problem, staff)} up to {new} shifts (now {now})"
    elif rule == "min_minutes":
        now = contract.min_minutes
        for new in _minute_steps(problem, now, down=True):
            yield (
                _with_contract(problem, staff, min_minutes=new),
                f"lower {who} minimum hours from {_hours(now)} to {_hours(new)}",
            )
    elif rule == "max_minutes" and contract.max_minutes is not None:
        now = contract.max_minutes
        for new in _minute_steps(problem, now, down=False):
            yield (
                _with_contract(problem, staff, max_minutes=new),
                f"raise {who} maximum hours from {_hours(now)} to {_hours(new)}",
            )
    elif rule == "max_weekends" and contract.max_weekends is not None:
        now = contract.max_weekends
        for new in range(now + 1, len(problem.weekends) + 1):
            edited = _with_contract(problem, staff, max_weekends=new)
            weekends = "weekend" if new == 1 else "weekends"
            yield edited, f"allow {_name(problem, staff)} {new} working {weekends} (now {now})"


def _candidates(problem: RosterProblem, group: Sequence[RuleInstance]) -> Iterator[Candidate]:
    """Single relaxations of one conflict, mildest first."""
    head = group[0]
    who = _name(problem, head.staff)
    when = _day_span(problem, [d for member in group for d in member.days])
    nothing: frozenset[RuleInstance] = frozenset()
    if head.rule == "min_cover" and head.ref is not None:
        floor = problem.cover[head.ref].min_required
        skilled = (
            f"{problem.cover[head.ref].skill}-skilled" if problem.cover[head.ref].skill else ""
        )
        for k in range(1, floor + 1):
            subsets = [[member] for member in group] + ([list(group)] if len(group) > 1 else [])
            for subset in subsets:
                cover = list(problem.cover)
                for member in subset:
                    assert member.ref is not None
                    cover[member.ref] = cover[member.ref].model_copy(
                        update={"min_required": floor - k}
                    )
                edited = problem.model_copy(update={"cover": tuple(cover)})
                span = _day_span(problem, [d for member in subset for d in member.days])
                yield (
                    edited,
                    nothing,
                    f"allow agency cover: {k} {skilled} {'nurse' if k == 1 else 'nurses'} from "
                    f"outside the team on {_shift(problem, head.shift)} {span} (or lower the "
                    f"hard minimum from {floor} to {floor - k})".replace("  ", " "),
                )
        return
    elif head.rule in _ORDER and _ORDER[head.rule] == 1 and head.staff is not None:
        for edited, text in _contract_candidates(problem, head.rule, head.staff, head.shift):
            yield edited, nothing, text
    elif head.rule == "pin":
        label = "day off" if head.shift is None else _shift(problem, head.shift)
        for member in group:
            day = _day_span(problem, member.days)
            yield problem, frozenset([member]), f"unpin {who} on {day} ({label})"
    elif head.rule == "succession":
        first, last = head.days[0], head.days[-1]
        if last - first > 1:  # a long rest reaching beyond the next day
            when = f"{problem.day_label(first)} and {problem.day_label(last)}"
        yield (
            problem,
            frozenset(group),
            f"waive the rest rule once for {who} between {when}",
        )
    elif head.rule == "unavailable" and head.ref is not None:
        reason = problem.unavailability[head.ref].reason
        if _FIXED_ABSENCE.search(reason):
            return  # nobody can be asked to move a sickness
        subsets = [[member] for member in group] + ([list(group)] if len(group) > 1 else [])
        for subset in subsets:
            span = _day_span(problem, [d for member in subset for d in member.days])
            yield problem, frozenset(subset), f"ask {who} to move the {reason} on {span}"


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


def _summary(problem: RosterProblem, conflicts: Sequence[Conflict], options: Sequence[str],
             groups: Sequence[Sequence[RuleInstance]]) -> str:  # fmt: skip
    order = sorted(range(len(conflicts)), key=lambda i: _LEAD.get(conflicts[i].rule, 9))
    lead, others = conflicts[order[0]], [conflicts[i] for i in order[1:]]
    text = lead.message
    head = groups[order[0]][0]
    if head.rule == "min_cover" and head.ref is not None:
        demand = problem.cover[head.ref]
        qualified = [
            p
            for p in problem.staff
            if (demand.skill is None or demand.skill in p.skills)
            and not problem.unavailable(p.id, demand.day, demand.shift)
        ]
        verb = "is" if len(qualified) == 1 else "are"
        if len(qualified) < demand.min_required:
            text += f"; only {len(qualified)} {verb} available"
        else:
            them = "them all" if len(lead.days) > 1 else "it"
            text += f"; the {len(qualified)} qualified staff not on leave cannot cover {them}"
    if others:
        shown = [c.message for c in others[:3]]
        if len(others) > 3:
            shown.append(f"{len(others) - 3} more rules")
        text += (
            " because " + ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
        )
    if options:
        text += ": " + ", or ".join(options[:2])
    else:
        text += ": no single change resolves it; relax several of these rules together"
    return text


def diagnose_roster(problem: RosterProblem, time_limit: float = 20.0) -> Diagnosis:
    """Name a smallest conflicting set of hard rules and relaxations that restore feasibility.

    About 60 % of ``time_limit`` goes to finding and minimising the conflict, the rest
    to testing relaxations (each tested on the whole problem).
    """
    from optimizer.solvers.cpsat.diagnose import find_core, is_feasible

    deadline = time.monotonic() + time_limit
    found = find_core(problem, 0.6 * time_limit)
    if found.feasible is True:
        return Diagnosis(feasible=True, summary="The hard rules can all hold together.")
    if found.feasible is None:
        return Diagnosis(
            feasible=None,
            summary=f"Could not decide within {time_limit:g} s whether the hard rules can all "
            "hold; try a longer time limit.",
        )
    groups = _groups(problem, found.core)
    conflicts = [
        Conflict(
            rule=group[0].rule,
            staff=group[0].staff,
            days=tuple(sorted({d for member in group for d in member.days})),
            shift=group[0].shift,
            message=_describe(
                problem,
                group[0].rule,
                group[0].staff,
                sorted({d for member in group for d in member.days}),
                group[0].shift,
                group[0].ref,
            ),
        )
        for group in groups
    ]
    scope = set(found.core)
    whole: list[str] = []  # restore the whole problem
    local: list[str] = []  # resolve this conflict only
    for group in groups:
        fixes_conflict: str | None = None
        for edited, disabled, text in _candidates(problem, group):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # cheap test first: does the change resolve the named conflict at all?
            if not is_feasible(edited, disabled, only=scope, time_limit=min(remaining, 5.0)):
                continue
            fixes_conflict = fixes_conflict or text
            remaining = deadline - time.monotonic()
            if remaining > 0 and is_feasible(edited, disabled, time_limit=min(remaining, 5.0)):
                whole.append(text)
                break
        if fixes_conflict is not None:
            local.append(fixes_conflict)
    options = whole or [f"{text} (other conflicts remain; diagnose again after)" for text in local]
    return Diagnosis(
        feasible=False,
        conflicts=conflicts,
        relaxations=options,
        minimal=found.minimal,
        summary=_summary(problem, conflicts, options, groups),
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
