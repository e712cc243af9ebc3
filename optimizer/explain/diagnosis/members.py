"""Members of a conflicting set of hard rules: how they rank, how they group into one
conflict each, and each as a sentence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from optimizer.explain.diagnosis.words import (
    as_published,
    count,
    day_span,
    hours,
    person_name,
    shift_name,
    succession,
    unavailable,
)
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, Staff

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance


ORDER = {
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


def _contract_text(problem: RosterProblem, rule: str, who: str, contract: Contract,
                   shift: str | None) -> str:  # fmt: skip
    """A contract limit as a sentence."""
    if rule == "max_shifts_per_type":
        limit = contract.max_shifts_per_type.get(shift or "", 0)
        label = shift_name(problem, shift)
        if limit == 0:
            return f"{who} may not work {label} shifts"
        return f"{who} may work at most {count(limit, label + ' shift')}"
    if rule == "max_shifts":
        if not contract.max_shifts:
            return f"{who} may not work any shifts"
        return f"{who} may work at most {count(contract.max_shifts, 'shift')}"
    if rule == "max_weekends":
        if not contract.max_weekends:
            return f"{who} may not work at weekends"
        return f"{who} may work at most {count(contract.max_weekends, 'weekend')}"
    texts: dict[str, Callable[[], str]] = {
        "max_minutes": lambda: f"{who} may work at most {hours(contract.max_minutes or 0)}",
        "max_consecutive_work": lambda: (
            f"{who} may work at most {count(contract.max_consecutive_work or 0, 'day')} in a row"
        ),
        "min_consecutive_work": lambda: (
            f"{who} must work at least {count(contract.min_consecutive_work, 'day')} in a row"
        ),
        "min_consecutive_off": lambda: (
            f"{who} needs at least {count(contract.min_consecutive_off, 'day')} off in a row"
        ),
    }
    return texts[rule]() if rule in texts else f"{rule} ({who})"


def describe(problem: RosterProblem, rule: str, staff: str | None, days: Sequence[int],
              shift: str | None, ref: int | None,
              core: Sequence[RuleInstance] = ()) -> str:  # fmt: skip
    """One conflict member as a sentence (``core``: the set it belongs to)."""
    who = person_name(problem, staff)
    span = day_span(problem, days)
    if rule == "min_cover" and ref is not None:
        demand = problem.cover[ref]
        skilled = f"{demand.skill}-skilled staff" if demand.skill else "staff"
        if len(days) > 1:
            return (
                f"{shift_name(problem, shift)} shifts {span} need at least {demand.min_required} "
                f"{skilled} each (hard minimum)"
            )
        return (
            f"{shift_name(problem, shift)} shift {span} needs at least {demand.min_required} "
            f"{skilled} (hard minimum)"
        )
    if rule == "unavailable" and ref is not None:
        return unavailable(problem, ref, days)
    if rule == "pin" and as_published(problem, ref):
        return f"{who} keeps {shift_name(problem, shift)} on {span} as published"
    if rule == "pin":
        return f"{who} is pinned to {shift_name(problem, shift)} on {span}"
    if rule == "succession":
        shifts, kinds, _overlaps = succession(problem, staff, days, core)
        return f"{who} may not work {shifts} ({'; '.join(kinds)})"
    if staff is None:
        return f"{rule} ({span})".strip()
    if rule == "min_minutes":
        return f"{who} must work at least {_minimum_hours(problem, staff)}"
    return _contract_text(problem, rule, who, problem.person(staff).contract, shift)


def _minimum_hours(problem: RosterProblem, staff: str) -> str:
    """``"90 h (120 h less leave)"`` when credited leave lowers the minimum, else ``"120 h"``."""
    minimum, full = problem.minimum_minutes(staff), problem.person(staff).contract.min_minutes
    return hours(minimum) + (f" ({hours(full)} less leave)" if minimum < full else "")


def available_for(
    problem: RosterProblem, demand: CoverDemand
) -> tuple[int, list[tuple[Staff, int]]]:
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


def group_days(group: Sequence[RuleInstance]) -> list[int]:
    return sorted({d for member in group for d in member.days})


def conflict_groups(
    problem: RosterProblem, core: Sequence[RuleInstance]
) -> list[list[RuleInstance]]:
    """Members that read as one conflict: the days of one leave record, one person's
    pins to the same shift, hard minimums of the same shift, skill and size."""
    groups: dict[tuple[object, ...], list[RuleInstance]] = {}
    for member in core:
        if member.rule == "unavailable":
            key: tuple[object, ...] = (member.rule, member.ref)
        elif member.rule == "pin":
            key = (member.rule, member.staff, member.shift, as_published(problem, member.ref))
        elif member.rule == "min_cover" and member.ref is not None:
            demand = problem.cover[member.ref]
            key = (member.rule, demand.shift, demand.skill, demand.min_required)
        else:
            key = (member.rule, member.staff, member.days, member.shift, member.ref)
        groups.setdefault(key, []).append(member)
    return sorted(groups.values(), key=lambda g: (ORDER.get(g[0].rule, 9), g[0]))
