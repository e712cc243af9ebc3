"""Which days a roster re-plan may move: the changed days, the days the run and rest
rules reach, the days kept as published (pinned), and the capped cover targets."""

from __future__ import annotations

from collections.abc import Collection

from dashboards.whatif.problem_copy import rebuild
from optimizer.errors import InputError
from optimizer.model.result import Result
from optimizer.model.roster import CoverDemand, Pin, RosterProblem, Unavailability


def rule_reach(problem: RosterProblem) -> int:
    """How many days back a change can force another change: the longest run rule
    (consecutive working days or days off) or rest rule of the ward."""
    runs = [
        max(c.min_consecutive_work, c.min_consecutive_off, c.max_consecutive_work or 0)
        for c in (person.contract for person in problem.staff)
    ]
    rests = [k for _, _, k in problem.forbidden_later_successions()]
    return max([1, *runs, *rests])


DATED_PARTS = ("unavailability", "cover", "requests", "pins")
"""The roster problem's parts whose records each belong to a day."""


def first_changed_day(base: RosterProblem, changed: RosterProblem) -> int | None:
    """The first day whose leave, cover, requests or pins differ; None if none do.

    0 when anything without a day differs (staff, shifts, settings): every day may change.
    """
    span = changed_span(base, changed)
    return None if span is None else span[0]


def changed_span(base: RosterProblem, changed: RosterProblem) -> tuple[int, int] | None:
    """The first and last day whose leave, cover, requests or pins differ (a leave counts
    all its days); None if none do. The whole horizon when anything without a day
    differs (staff, shifts, settings)."""
    for name in type(base).model_fields:
        if name not in (*DATED_PARTS, "baseline") and getattr(base, name) != getattr(changed, name):
            return 0, changed.num_days - 1
    days: list[int] = []
    for name in DATED_PARTS:
        for record in set(getattr(base, name)) ^ set(getattr(changed, name)):
            if isinstance(record, Unavailability):
                days += [record.first_day, record.last_day]
            else:
                days.append(record.day)
    if not days:
        return None
    return min(days), min(max(days), changed.num_days - 1)


SCOPES = {
    "around": "Only around the changes (fewest moves)",
    "whole": "The whole roster (may also improve other days)",
}
"""Re-plan scopes of a roster what-if -> their label on the page."""


def free_days(base: RosterProblem, changed: RosterProblem) -> range:
    """The days a re-plan "around the changes" may move: the changed days and the
    ``rule_reach`` days either side (run and rest rules look both ways). Every day when
    nothing dated changed."""
    span = changed_span(base, changed)
    if span is None:
        return range(changed.num_days)
    reach = rule_reach(changed)
    return range(max(0, span[0] - reach), min(changed.num_days, span[1] + reach + 1))


def kept_days(base: RosterProblem, changed: RosterProblem, scope: str) -> tuple[int, ...]:
    """The days a re-plan of ``changed`` in ``scope`` keeps as published: those outside
    ``free_days`` "around" the changes, none for "whole"."""
    if scope not in SCOPES:
        raise InputError(f"the re-plan scope must be one of {', '.join(SCOPES)}", field="scope")
    if scope == "whole":
        return ()
    free = free_days(base, changed)
    return tuple(d for d in range(changed.num_days) if d not in free)


def only_the_changes(
    planned: RosterProblem, base: RosterProblem, published: Result
) -> RosterProblem:
    """The problem a re-plan "around the changes" solves: ``planned`` with each cover
    target lowered to what the published roster staffs plus what the changes add (a
    raised demand), never below the hard minimum. A shift the published roster left
    short then costs nothing more in the re-plan, so it fills only what the changes
    open (the absent person's shifts) instead of the published roster's own shortfalls.
    Its result is costed again on ``planned`` (``costed_for``)."""
    if published.roster is None:
        return planned
    staffed: dict[tuple[int, str], list[str]] = {}
    for a in published.roster.assignments:
        staffed.setdefault((a.day, a.shift), []).append(a.staff)
    before: dict[tuple[int, str, str | None], int] = {}
    for c in base.cover:
        before.setdefault((c.day, c.shift, c.skill), c.required)

    def target(c: CoverDemand) -> int:
        people = [s for s in staffed.get((c.day, c.shift), []) if s in planned.staff_index]
        have = sum(c.skill is None or c.skill in planned.person(s).skills for s in people)
        added = max(0, c.required - before.get((c.day, c.shift, c.skill), 0))
        return max(c.min_required, min(c.required, have + added))

    cover = tuple(c.model_copy(update={"required": target(c)}) for c in planned.cover)
    return rebuild(planned, cover=cover)


def keep_published_before(problem: RosterProblem, result: Result, day: int) -> RosterProblem:
    """``problem`` with every staff-day before ``day`` pinned to ``result``'s roster.

    Days off are pinned as days off; staff-days the problem pins already keep their pin.
    """
    return keep_published_on(problem, result, range(max(0, min(day, problem.num_days))))


def keep_published_on(
    problem: RosterProblem, result: Result, days: Collection[int]
) -> RosterProblem:
    """``problem`` with every staff-day of ``days`` pinned to ``result``'s roster (days
    off as days off; staff-days the problem pins already keep their pin)."""
    if result.roster is None or not days:
        return problem
    worked = result.roster.by_staff_day()
    pinned = {(p.staff, p.day) for p in problem.pins}
    kept = tuple(
        Pin(staff=person.id, day=d, shift=worked.get((person.id, d)))
        for d in sorted(days)
        if 0 <= d < problem.num_days
        for person in problem.staff
        if (person.id, d) not in pinned
    )
    return rebuild(problem, pins=(*problem.pins, *kept))


def kept_published_until(base: RosterProblem, changed: RosterProblem) -> int:
    """The first day a re-plan of ``changed`` may move (0: every day may): the days before
    it keep the published roster. The ``rule_reach`` days just before the first change
    stay free, as run and rest rules look back (a night moved so Tuesday can be worked).

    Horizon-wide totals (maximum shifts, hours, weekends) look back further; when keeping
    these days leaves no roster, the dashboard re-plans without them
    (``earlier_changes_note`` says what moved and why)."""
    first = first_changed_day(base, changed)
    return 0 if first is None else max(0, first - rule_reach(changed))
