"""The planner's words: people, shifts, days, hours, lists, leave and forbidden
successions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from optimizer.model.roster import RosterProblem, Unavailability, day_runs

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance


def day_span(problem: RosterProblem, days: Sequence[int]) -> str:
    """``"Mon 14 Dec"``, ``"14–15 Dec"`` or ``"Mon 14 Dec, Thu 17 Dec"``."""
    parts = []
    for first, last in day_runs(sorted(set(days))):
        if first == last:
            parts.append(problem.day_label(first))
            continue
        a, b = problem.date_of(first), problem.date_of(last)
        if a.month == b.month:
            parts.append(f"{a.day}–{b.day} {b:%b}")
        else:
            parts.append(f"{problem.day_label(first)} – {problem.day_label(last)}")
    return ", ".join(parts)


def as_published(problem: RosterProblem, pin: int | None) -> bool:
    """True when pin number ``pin`` holds its staff-day as the published roster (the
    baseline) has it: a re-plan's kept day, not a change the planner asked for."""
    baseline = problem.baseline
    if pin is None or baseline is None or not baseline.assignments:
        return False
    held = problem.pins[pin]
    published = {(a.staff, a.day): a.shift for a in baseline.assignments}
    return published.get((held.staff, held.day)) == held.shift


def person_name(problem: RosterProblem, staff: str | None) -> str:
    return "" if staff is None else problem.person(staff).label


def shift_name(problem: RosterProblem, shift: str | None) -> str:
    return "a day off" if shift is None else problem.shift(shift).label


def hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d} min"


def count(number: int, noun: str) -> str:
    """``"1 shift"``, ``"2 shifts"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _either(words: Sequence[str]) -> str:
    """``"Early"``, ``"Early or Late"``, ``"Early, Late or Night"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def and_(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def leave_shifts(problem: RosterProblem, record: Unavailability) -> str:
    """``" for Night"`` when the leave covers some shifts only, else ``""``."""
    if record.shifts is None:
        return ""
    return " for " + " and ".join(shift_name(problem, s) for s in record.shifts)


def unavailable(problem: RosterProblem, ref: int, days: Sequence[int]) -> str:
    record = problem.unavailability[ref]
    return (
        f"{person_name(problem, record.staff)} is unavailable ({record.reason})"
        f"{leave_shifts(problem, record)} on {day_span(problem, days)}"
    )


# -- successions ---------------------------------------------------------------------------


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


def pair_kind(problem: RosterProblem, first: str, second: str, gap: int) -> str:
    """Which rule forbids ``second`` ``gap`` days after ``first``."""
    shift = problem.shift(first)
    if gap == 1 and second in shift.forbidden_next:
        return "forbidden succession"
    overlap = _overlap(problem, first, second, gap)
    if shift.min_rest_hours is None:
        return "overlapping shifts"
    rest = f"rest rule: {shift.min_rest_hours:g} h after {shift.label}"
    return f"{rest}; the shifts overlap" if overlap else rest


def succession(problem: RosterProblem, staff: str | None, days: Sequence[int],
                core: Sequence[RuleInstance]) -> tuple[str, list[str], bool]:  # fmt: skip
    """(``"Early on Tue 15 Dec after Night on Mon 14 Dec"``, the rules that forbid it,
    whether the shifts overlap so that no waiver can allow them)."""
    first, last = days[0], days[-1]
    pairs = _succession_pairs(problem, staff, first, last, core)
    if not pairs:
        when = f"{problem.day_label(last)} after {problem.day_label(first)}"
        return f"these shifts on {when}", ["rest rule"], False
    gap = last - first
    kinds = list(dict.fromkeys(pair_kind(problem, a, b, gap) for a, b in pairs))
    overlap = all(_overlap(problem, a, b, gap) for a, b in pairs)
    before, after = problem.day_label(first), problem.day_label(last)
    firsts = list(dict.fromkeys(shift_name(problem, a) for a, _ in pairs))
    seconds = list(dict.fromkeys(shift_name(problem, b) for _, b in pairs))
    if len(firsts) == 1 or len(seconds) == 1:
        return f"{_either(seconds)} on {after} after {_either(firsts)} on {before}", kinds, overlap
    each = _either([f"{shift_name(problem, b)} after {shift_name(problem, a)}" for a, b in pairs])
    return f"{each} ({before} then {after})", kinds, overlap


def waived_rule(kinds: Sequence[str]) -> str:
    if all(kind == "forbidden succession" for kind in kinds):
        return "forbidden succession"
    if all(kind.startswith("rest rule") for kind in kinds):
        return "rest rule"
    return "succession and rest rules"
