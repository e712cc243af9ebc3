"""``diagnose_roster``: the conflicting set, named conflict by conflict, the single
relaxations that restore a roster, and the one-sentence summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from optimizer.explain.diagnosis.members import (
    ORDER,
    available_for,
    conflict_groups,
    describe,
    group_days,
)
from optimizer.explain.diagnosis.relaxations import KINDS, Budget, Relaxer
from optimizer.explain.diagnosis.result import FEASIBLE_BUT_NO_ROSTER, Conflict, Diagnosis
from optimizer.explain.diagnosis.together import relax_together
from optimizer.explain.diagnosis.words import and_, count, hours, unavailable
from optimizer.model.roster import RosterProblem

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance
    from optimizer.solvers.cpsat.runner import Clock


_LEAD = {**ORDER, "succession": 2, "pin": 3}
"""Which conflict leads the one-sentence summary (the rule; the rest say why)."""

_AWAY_SHOWN = 5
"""At most this many people on leave are named when a cover minimum cannot be met."""


def diagnose_roster(
    problem: RosterProblem,
    time_limit: float = 20.0,
    *,
    proven_infeasible: bool = False,
    core_share: float = 0.6,
    workers: int | None = None,
    seed: int | None = None,
) -> Diagnosis:
    """Name a smallest conflicting set of hard rules and relaxations that restore feasibility.

    ``core_share`` of ``time_limit`` (about 60 %) goes to finding and minimising the
    conflict, the rest to testing relaxations (each tested on the whole problem); a check
    that runs out of time is reported as not confirmed, never as failed. If not even the
    conflict is found, the rest goes to a roster that breaks few rules, each as little as
    it can: those rules, relaxed together that far, are reported (``relax_together``).
    ``proven_infeasible``: the caller's solve reported INFEASIBLE (the wording then never
    contradicts it).

    ``workers`` and ``seed`` are the solve's: with a seed and one worker the diagnosis is
    reproducible like the solve, its time limit counting solver work (``runner.Clock``);
    otherwise it runs on the wall clock. Its searches use one worker and seed 0, bar the
    fallback's, on ``workers`` (default 2; one when reproducible).
    """
    from optimizer.solvers import interrupts
    from optimizer.solvers.cpsat.runner import Clock
    from optimizer.solvers.options import SolveOptions, check_run_options

    _, workers, seed = check_run_options(None, workers, seed)
    clock = Clock.of(SolveOptions(time_limit=time_limit, workers=workers, seed=seed))
    fallback = 1 if clock.deterministic else workers or 2  # workers of the fallback
    with interrupts.stoppable(), clock.spending():
        diagnosis = _diagnose(problem, time_limit, clock, proven_infeasible, core_share, fallback)
        if interrupts.interrupted():
            diagnosis.notes.append(
                f"interrupted: {interrupts.reason()} stopped the diagnosis; this is what it "
                "had found by then"
            )
    return diagnosis


def _diagnose(problem: RosterProblem, time_limit: float, clock: Clock, proven_infeasible: bool,
              core_share: float, workers: int) -> Diagnosis:  # fmt: skip
    """``diagnose_roster`` with every time read on ``clock`` (``Clock.current()`` too)."""
    from optimizer.solvers.cpsat.diagnose import CoreResult, find_core

    started = clock.now()
    found = find_core(problem, core_share * time_limit) if core_share > 0 else CoreResult(None)
    if found.feasible is True:
        summary = (
            FEASIBLE_BUT_NO_ROSTER if proven_infeasible else "The hard rules can all hold together."
        )
        return Diagnosis(feasible=True, summary=summary)
    if found.feasible is None:
        from optimizer.solvers.interrupts import interrupted

        spent = f"{clock.now() - started:.0f} s"
        left = 0.0 if interrupted() else started + time_limit - clock.now()
        together = (
            relax_together(problem, left, spent, proven_infeasible, workers) if left > 0 else None
        )
        if together is not None:
            return together
        summary = (
            f"Which hard rules clash could not be found within {spent}; try a longer time limit."
            if proven_infeasible
            else f"Could not decide within {spent} whether the hard rules can all hold; "
            "try a longer time limit."
        )
        return Diagnosis(feasible=None, summary=summary)
    groups = conflict_groups(problem, found.core)
    conflicts = [
        Conflict(
            rule=group[0].rule,
            staff=group[0].staff,
            days=tuple(group_days(group)),
            shift=group[0].shift,
            message=describe(
                problem,
                group[0].rule,
                group[0].staff,
                group_days(group),
                group[0].shift,
                group[0].ref,
                found.core,
            ),
        )
        for group in groups
    ]
    relaxer = Relaxer(problem, found.core, Budget(clock, started + time_limit, len(groups)))
    chosen = [relaxer.group(group) for group in groups]
    by_kind = {kind: [o.text for o in chosen if o is not None and o.kind == kind] for kind in KINDS}
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
            f"{count(untested, 'conflicting rule')} could not be tested for a fix in time; "
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


def _cover_reason(problem: RosterProblem, head: RuleInstance, lead: Conflict,
                  others: list[Conflict]) -> tuple[str, list[Conflict]]:  # fmt: skip
    """How many can work a hard minimum's shift, naming everyone on leave the count
    reflects, and the other members still to name."""
    assert head.ref is not None
    demand = problem.cover[head.ref]
    available, away = available_for(problem, demand)
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
    named = [unavailable(problem, ref, [demand.day]) for _person, ref in away[:_AWAY_SHOWN]]
    if len(away) > _AWAY_SHOWN:
        more = len(away) - _AWAY_SHOWN
        named.append(f"{more} more {'person is' if more == 1 else 'people are'} on leave")
    gone = {person.id for person, _ref in away}
    rest = [
        c
        for c in others
        if not (c.rule == "unavailable" and c.staff in gone and demand.day in c.days)
    ]
    return f"{text} because {and_(named)}", rest


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
            shown.append(f"{count(len(others) - 3, 'more rule')}")
        text += joiner + and_(shown)
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
        low, high = problem.minimum_minutes(person.id), person.contract.max_minutes
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
            kinds = and_([hours(n) for n in lengths])
            span = hours(low) if low == high else f"between {hours(low)} and {hours(high)}"
            return f" (no mix of {person.label}'s {kinds} shifts adds up to {span})"
    return ""
