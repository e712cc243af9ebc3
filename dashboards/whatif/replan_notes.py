"""The notes of a roster re-plan, in the planner's words: which days keep the
published roster, and why a re-plan moved days it first kept."""

from __future__ import annotations

from collections.abc import Collection

from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem


def kept_days_note(problem: RosterProblem, kept_until: int, first: int) -> str:
    """The set-up note of a re-plan that keeps the days before ``kept_until``."""
    return (
        f"Days before {problem.date_of(kept_until):%a %d %b} keep the published roster (the "
        f"changes start on {problem.date_of(first):%a %d %b}; the days between stay free for "
        "the rest and run rules)."
    )


ONLY_THE_CHANGES = (
    "Only the changes are re-planned: the re-plan fills what they leave short and leaves "
    "the published roster's other shortfalls as they are (choose the whole roster as the "
    "scope to fill those too)."
)


def scope_note(
    problem: RosterProblem, kept: Collection[int], span: tuple[int, int], capped: bool
) -> str:
    """The set-up note of a re-plan "around the changes" that keeps the days ``kept`` as
    published (the changes run over ``span``); ``capped``: it solves ``only_the_changes``."""
    head = f"{ONLY_THE_CHANGES} " if capped else ""
    if not kept:
        return head.strip()
    if max(kept) < span[0]:
        return head + kept_days_note(problem, max(kept) + 1, span[0])
    free = [d for d in range(problem.num_days) if d not in set(kept)]
    changes = day_ranges(problem, range(span[0], span[1] + 1))
    return (
        f"{head}Only {day_ranges(problem, free)} may change (the changes, {changes}, and "
        "the days either side that the rest and run rules reach); the other days keep the "
        "published roster."
    )


WHOLE_NOTE = (
    "The whole roster is re-planned: any staff-day may change where that lowers the "
    "penalty by more than the cost of a change ({weight} each), so a published roster with "
    "many shortfalls can change a lot. The Why column tells the changes apart."
)


def unkept_days_note(problem: RosterProblem, kept: Collection[int]) -> str:
    """The note of a re-plan started again because keeping the ``kept`` days left no roster."""
    days = sorted(kept)
    where = (
        f"before {problem.date_of(days[-1] + 1):%a %d %b}"
        if days == list(range(len(days))) and days[-1] + 1 < problem.num_days
        else f"on {day_ranges(problem, days)}"
    )
    return (
        f"Keeping the published roster {where} left no roster that meets the hard rules, so "
        "the re-plan may change those days too (as few as it can)."
    )


def day_ranges(problem: RosterProblem, days: Collection[int]) -> str:
    """``"Mon 07 Dec – Tue 08 Dec and Sat 26 Dec"``: the days as runs of dates."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])

    def shown(run: list[int]) -> str:
        first = f"{problem.date_of(run[0]):%a %d %b}"
        return first if len(run) == 1 else f"{first} – {problem.date_of(run[-1]):%a %d %b}"

    return " and ".join(shown(run) for run in runs)


def earlier_changes_note(
    problem: RosterProblem, published: Result, result: Result, kept: Collection[int] | int
) -> str:
    """One sentence naming, per person, the staff-days of ``kept`` (the days a re-plan first kept as
    published; an int: the days before it) that ``result`` changes and the hard rules
    that keeping them as published would break ("" if none changed).

    The rules come from the checker on the published roster on the kept days joined to
    ``result``'s roster on the others.
    """
    days = set(range(kept)) if isinstance(kept, int) else set(kept)
    if published.roster is None or result.roster is None or not days:
        return ""
    old, new = published.roster.by_staff_day(), result.roster.by_staff_day()
    moved = sorted(
        {k for k in set(old) | set(new) if k[1] in days and old.get(k) != new.get(k)},
        key=lambda k: (k[1], k[0]),
    )
    if not moved:
        return ""
    joined = [a for a in published.roster.assignments if a.day in days]
    joined += [a for a in result.roster.assignments if a.day not in days]
    broken = _broken_rules(problem, RosterSolution(assignments=tuple(joined)))
    span = day_ranges(problem, days)
    why = f"with these changes breaks {broken}" if broken else "left no roster in time"
    by_person: dict[str, list[int]] = {}
    for staff, day in moved:  # people in order of their first changed day
        by_person.setdefault(staff, []).append(day)
    who = [f"{_label(problem, s)} on {day_ranges(problem, d)}" for s, d in by_person.items()]
    return f"Keeping {span} as published {why}, so the re-plan also changes {_listed(who)}."


def _broken_rules(problem: RosterProblem, roster: RosterSolution) -> str:
    """``"a hard rule (Ann works 4 shifts; the contract allows 3)"``: what ``roster``
    breaks, as the checker words it ("" if nothing)."""
    from optimizer.check import check

    messages = list(dict.fromkeys(v.message for v in check(problem, roster).violations))
    if not messages:
        return ""
    noun = "a hard rule" if len(messages) == 1 else "hard rules"
    return f"{noun} ({_listed(messages, limit=2, sep='; also ')})"


def _listed(items: list[str], limit: int = 6, sep: str = "; ") -> str:
    """The first ``limit`` items joined by ``sep``, then how many more."""
    more = len(items) - limit
    return sep.join(items[:limit]) + (f"{sep}{more} more" if more > 0 else "")


def _label(problem: RosterProblem, staff: str) -> str:
    return problem.person(staff).label if staff in problem.staff_index else staff
