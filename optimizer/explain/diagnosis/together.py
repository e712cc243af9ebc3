"""Several rules relaxed together: each rule a roster breaks, loosened as far as that
roster needs, checked with the independent checker and put in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from optimizer.explain.diagnosis.changes import (
    FIXED_ABSENCE,
    agency_cover,
    contract_steps,
    move_leave,
    unpin,
    waiver,
    with_contract,
    without,
)
from optimizer.explain.diagnosis.members import ORDER, describe
from optimizer.explain.diagnosis.result import FEASIBLE_BUT_NO_ROSTER, Diagnosis
from optimizer.explain.diagnosis.words import (
    and_,
    day_runs,
    day_span,
    pair_kind,
    person_name,
    shift_name,
)
from optimizer.model.result import RosterSolution
from optimizer.model.roster import RosterProblem, prorated_minimum

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance


_RUNS_SHOWN = 3
"""At most this many too long or too short stretches are named for a loosened limit."""


def _stretches(problem: RosterProblem, runs: Sequence[tuple[int, int]], noun: str) -> str:
    """``" (a 1-day break on Sat 12 Dec)"``, ``" (4-day stretches on 8–11 Dec and 18–21
    Dec)"``: the runs by length, at most ``_RUNS_SHOWN`` named, then how many in all."""
    if not runs:
        return ""
    by_length: dict[int, list[str]] = {}
    for first, last in runs[:_RUNS_SHOWN]:
        span = day_span(problem, range(first, last + 1))
        by_length.setdefault(last - first + 1, []).append(span)
    nouns = noun + ("es" if noun.endswith("ch") else "s")
    parts = [
        f"{'an' if length in (8, 11, 18) or 80 <= length < 90 else 'a'} {length}-day {noun} "
        f"on {spans[0]}"
        if len(spans) == 1
        else f"{length}-day {nouns} on {and_(spans)}"
        for length, spans in by_length.items()
    ]
    if len(runs) > _RUNS_SHOWN:
        parts.append(f"{len(runs)} in all")
    return f" ({'; '.join(parts)})"


def _contract_minimum(problem: RosterProblem, staff: str, worked: int) -> int:
    """The mildest contract minimum whose leave-credited minimum ``worked`` minutes meet
    (``worked`` itself when no leave is credited)."""
    credited = problem.credited_days(staff)
    steps = contract_steps(problem, "min_minutes", staff, None)
    fits = (new for new, _ in steps if isinstance(new, int)
            and prorated_minimum(new, credited, problem.num_days) <= worked)  # fmt: skip
    return next(fits, worked)


def _contract_change(problem: RosterProblem, shift_of: dict[tuple[str, int], str],
                     member: RuleInstance) -> tuple[RosterProblem, str]:  # fmt: skip
    """One contract limit loosened as far as the roster needs, and the words."""
    assert member.staff is not None
    staff, rule = member.staff, member.rule
    contract = problem.person(staff).contract
    days = problem.num_days
    shifts = [shift_of[staff, d] for d in range(days) if (staff, d) in shift_of]
    on = day_runs([d for d in range(days) if (staff, d) in shift_of])
    off = day_runs([d for d in range(days) if (staff, d) not in shift_of])
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
    elif rule == "min_minutes":
        value = _contract_minimum(
            problem, staff, sum(problem.shift(s).length_minutes for s in shifts)
        )
    elif rule == "max_minutes":
        value = sum(problem.shift(s).length_minutes for s in shifts)
    else:
        value = sum(any((staff, d) in shift_of for d in group) for group in problem.weekends)
    text = next(
        (words for step, words in contract_steps(problem, rule, staff, member.shift)
         if step == value),
        describe(problem, rule, staff, (), member.shift, None),
    )  # fmt: skip
    return with_contract(problem, staff, **{rule: value}), text + where


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
        text = agency_cover(problem, demand, demand.min_required - staffed, problem.day_label(day))
        return problem.model_copy(update={"cover": tuple(cover)}), text
    worked = None if member.staff is None else shift_of.get((member.staff, day))
    if member.rule == "pin":
        instead = "has the day off" if worked is None else f"works {shift_name(problem, worked)}"
        return problem, f"{unpin(problem, member)}, who then {instead}"
    if member.rule == "unavailable" and member.ref is not None:
        record = problem.unavailability[member.ref]
        text = f"{move_leave(problem, record, member.days)} (to work {shift_name(problem, worked)})"
        return problem, text
    if member.rule == "succession" and member.staff is not None:
        later = member.days[-1]
        first, second = worked, shift_of.get((member.staff, later))
        assert first is not None and second is not None
        shifts = (
            f"{shift_name(problem, second)} on {problem.day_label(later)} after "
            f"{shift_name(problem, first)} on {problem.day_label(day)}"
        )
        kinds = [pair_kind(problem, first, second, later - day)]
        return problem, waiver(problem, person_name(problem, member.staff), shifts, kinds)
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
        broken, key=lambda m: (ORDER.get(m.rule, 9), index.get(m.staff or "", -1), m)
    ):
        relaxed, text = _change(relaxed, shift_of, member)
        texts.append(text)
    return without(relaxed, frozenset(broken)), texts


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


def relax_together(problem: RosterProblem, time_limit: float, spent: str,
                   proven_infeasible: bool, workers: int = 2) -> Diagnosis | None:  # fmt: skip
    """When no conflicting set was found in time: rules that, relaxed together as far as a
    roster found needs, give that roster (None if none was found and checked in time).
    ``workers`` search for it; ``time_limit`` is on ``Clock.current()``."""
    from optimizer.check.roster import check_roster
    from optimizer.solvers.cpsat.correction import find_correction

    def keep(member: RuleInstance) -> bool:  # nobody can be asked to move a sickness
        return member.rule == "unavailable" and bool(
            member.ref is not None
            and FIXED_ABSENCE.search(problem.unavailability[member.ref].reason)
        )

    found = find_correction(problem, time_limit, keep=keep, rank=ORDER, workers=workers)
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
