"""What-if changes as pure functions: problem in, new problem (with a baseline) out.

Each ``with_*`` function returns a new, re-validated problem and a one-line
description; ``baseline_*`` attach the published solution so that re-solving
changes as little as possible. ``*_changes`` list exactly what moved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from dashboards.optional import feature
from optimizer.errors import InputError, from_validation_error
from optimizer.model.result import Assignment, Result, RosterSolution
from optimizer.model.roster import (
    Baseline,
    BaselineShift,
    CoverDemand,
    Pin,
    RosterProblem,
    Unavailability,
)


def _rebuild(problem: Any, **changes: Any) -> Any:
    data = {name: getattr(problem, name) for name in type(problem).model_fields}
    data.update(changes)
    try:
        return type(problem).model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, file="what-if change") from None


CASE_FORM_FIELDS = {
    "id": "Case id",
    "procedure": "Procedure",
    "name": "Procedure",
    "duration": "Minutes",
    "priority": "Priority",
    "staff": "Named surgeon",
    "team": "Team",
    "role": "Team",
    "count": "Team",
}
"""Task / team fields -> the label of the add-case form field that sets them."""


def _form_error(exc: ValidationError, labels: dict[str, str]) -> InputError:
    """One ``InputError`` naming the form field (by its label) and the broken rule."""
    error = from_validation_error(exc)
    first = exc.errors(include_url=False)[0]
    names = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    label = next((labels[name] for name in names if name in labels), error.field)
    return InputError(error.message, field=label)


def _day(problem: RosterProblem, date: dt.date) -> int:
    day = problem.day_of(date)
    if not 0 <= day < problem.num_days:
        raise InputError(
            f"{date:%d %b %Y} is outside the roster ({problem.start_date:%d %b} – "
            f"{problem.date_of(problem.num_days - 1):%d %b %Y})",
            field="date",
        )
    return day


def with_leave(
    problem: RosterProblem, staff: str, first: dt.date, last: dt.date, reason: str
) -> tuple[RosterProblem, str]:
    """The person is off (leave, sickness) from ``first`` to ``last``; their pins then go.

    The whole days away count toward their contracted hours (the minimum drops pro rata).
    """
    a, b = _day(problem, first), _day(problem, last)
    if b < a:
        raise InputError("the last day is before the first day", field="last")
    leave = Unavailability(
        staff=staff, first_day=a, last_day=b, reason=reason, counts_toward_hours=True
    )
    pins = tuple(p for p in problem.pins if not (p.staff == staff and a <= p.day <= b))
    new = _rebuild(problem, unavailability=(*problem.unavailability, leave), pins=pins)
    span = f"{first:%a %d %b}" if a == b else f"{first:%a %d %b} – {last:%a %d %b}"
    return new, f"{problem.person(staff).label}: {reason}, {span}"


def with_extra_demand(
    problem: RosterProblem,
    first: dt.date,
    last: dt.date,
    shift: str,
    skill: str | None,
    delta: int,
) -> tuple[RosterProblem, str]:
    """``delta`` more staff (with ``skill``; any staff if None) needed on ``shift`` each day.

    The demand row of that shift, day and skill is raised (or added). A change for any
    staff to a shift whose cover is set per skill only is refused with a question (which
    skill?): a new any-staff row there would change nothing the planner meant.
    """
    a, b = _day(problem, first), _day(problem, last)
    if b < a:
        raise InputError("the last day is before the first day", field="last")
    if delta == 0:
        raise InputError("0 extra staff changes nothing", field="Extra staff")
    cover = list(problem.cover)
    totals = []
    for day in range(a, b + 1):
        before, after = _raise_cover(problem, cover, day, shift, skill, delta)
        totals.append((before, after))
    new = _rebuild(problem, cover=tuple(cover))
    who = skill or "staff"
    span = f"{first:%a %d %b}" + ("" if a == b else f" – {last:%a %d %b}")
    cover_text = f" (cover {totals[0][0]} → {totals[0][1]})" if a == b else ""
    return new, f"{delta:+d} {who} on {problem.shift(shift).label} shifts, {span}{cover_text}"


def _raise_cover(
    problem: RosterProblem,
    cover: list[CoverDemand],
    day: int,
    shift: str,
    skill: str | None,
    delta: int,
) -> tuple[int, int]:
    """Change ``cover`` in place for one day; returns the required count before and after."""
    date = f"{problem.date_of(day):%a %d %b}"
    label = problem.shift(shift).label
    rows = [i for i, c in enumerate(cover) if c.day == day and c.shift == shift]
    index = next((i for i in rows if cover[i].skill == skill), None)
    if index is None and skill is None and rows:
        per_skill = ", ".join(f"{cover[i].skill} {cover[i].required}" for i in rows)
        raise InputError(
            f"the {label} cover on {date} is set per skill ({per_skill}); pick the skill "
            f"that needs {delta:+d}",
            field="Skill",
        )
    if index is None and delta < 0:
        who = f"{skill} staff" if skill else "staff"
        raise InputError(
            f"the {label} shift on {date} has no demand for {who} to lower", field="Extra staff"
        )
    before = 0 if index is None else cover[index].required
    after = max(0, before + delta)
    able = sum(1 for s in problem.staff if skill is None or skill in s.skills)
    if after > max(able, before):
        who = f"{able} staff with {skill}" if skill else f"{able} staff"
        raise InputError(
            f"a cover of {after} on the {label} shift of {date} needs more than the {who} "
            "on the ward",
            field="Extra staff",
        )
    if index is None:
        cover.append(CoverDemand(day=day, shift=shift, skill=skill, required=after))
    else:
        old = cover[index]
        update = {"required": after, "min_required": min(old.min_required, after)}
        cover[index] = old.model_copy(update=update)
    return before, after


def baseline_roster(
    problem: RosterProblem, result: Result, weight: int | None = None
) -> RosterProblem:
    """The problem with ``result``'s roster as the published baseline; each changed
    staff-day costs ``weight``, by default the ward's own ``change_weight`` (else the
    model's default)."""
    if result.roster is None:
        raise InputError("there is no roster to keep close to: solve the roster first")
    shifts = tuple(
        BaselineShift(staff=a.staff, day=a.day, shift=a.shift) for a in result.roster.assignments
    )
    baseline = problem.baseline or Baseline()
    update: dict[str, Any] = {"assignments": shifts}
    if weight is not None:
        update["change_weight"] = weight
    return _rebuild(problem, baseline=baseline.model_copy(update=update))


def repaired_roster(problem: RosterProblem, published: Result) -> RosterSolution | None:
    """The published roster made to fit the changed ``problem``: a staff-day the person
    is now unavailable for is left open (a day off) and a pinned staff-day takes its pin.

    A warm start for the re-plan and the plan to keep when the solver finds nothing
    better in time (``keep_better``). With soft cover it is usually feasible; the
    checker decides.
    """
    if published.roster is None:
        return None
    pinned = {(p.staff, p.day): p.shift for p in problem.pins}
    kept = [
        a
        for a in published.roster.assignments
        if (a.staff, a.day) not in pinned
        and a.staff in problem.staff_index
        and a.shift in problem.shift_index
        and a.day < problem.num_days
        and not problem.unavailable(a.staff, a.day, a.shift)
    ]
    kept += [
        Assignment(staff=staff, day=day, shift=shift)
        for (staff, day), shift in pinned.items()
        if shift is not None
    ]
    return RosterSolution(assignments=tuple(sorted(kept, key=lambda a: (a.day, a.staff))))


KEPT_PUBLISHED = (
    "Keeping the published roster, with the absence's shifts left open, was better than "
    "what the solver found in time (penalty {kept} against {found}): it is shown instead. "
    "A longer time limit may find a better re-plan."
)


def keep_better(
    problem: RosterProblem, result: Result | None, repaired: RosterSolution | None
) -> tuple[Result | None, str]:
    """The re-plan's ``result``, or the ``repaired`` published roster when the checker
    finds it feasible and cheaper (or the solve found no roster); then with a note.

    The kept roster is costed by the checker and reported FEASIBLE (never proven
    optimal), with the solver's bound and time.
    """
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    if repaired is None or (result is not None and result.status is SolveStatus.INFEASIBLE):
        return result, ""
    if result is not None and result.status is SolveStatus.OPTIMAL:
        return result, ""
    report = check(problem, repaired)
    found = result.objective if result is not None and result.status.has_solution else None
    if not report.feasible or (found is not None and report.objective >= found):
        return result, ""
    kept = Result(
        status=SolveStatus.FEASIBLE,
        objective=report.objective,
        bound=result.bound if result is not None else None,
        seconds=result.seconds if result is not None else 0.0,
        backend=result.backend if result is not None else "cpsat",
        roster=repaired,
        terms=report.cost_by_rule(),
    )
    shown = "none" if found is None else str(found)
    return kept, KEPT_PUBLISHED.format(kept=report.objective, found=shown)


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
    return _rebuild(planned, cover=cover)


def costed_for(problem: RosterProblem, result: Result) -> Result:
    """``result`` (solved on a stand-in of ``problem``, e.g. ``only_the_changes``) with
    its objective and terms from the checker on ``problem``; FEASIBLE, no bound (it is
    not proven optimal for ``problem``)."""
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    if result.roster is None or not result.status.has_solution:
        return result
    report = check(problem, result.roster)
    update = {
        "objective": report.objective,
        "terms": report.cost_by_rule(),
        "bound": None,
        "status": SolveStatus.FEASIBLE,
    }
    return result.model_copy(update=update)


@dataclass
class RosterReplan:
    """How a roster what-if is re-planned: ``problem`` (the changes with the published
    roster as baseline and the kept days pinned) is what the page shows and costs;
    ``solved_on`` (if set) is what the solver solves (``only_the_changes``); ``adopt`` is
    the problem adopted when it is not ``problem`` (without the kept days' pins)."""

    problem: RosterProblem
    solved_on: RosterProblem | None
    adopt: RosterProblem | None
    kept: tuple[int, ...]
    hint: RosterSolution | None
    notes: list[str]


def roster_replan(
    base: RosterProblem, changed: RosterProblem, published: Result, scope: str
) -> RosterReplan:
    """The re-plan of ``changed`` (what-if of ``base``) in ``scope`` (``SCOPES``): "around"
    keeps the days outside ``free_days`` as published and solves ``only_the_changes``;
    "whole" lets every staff-day move (each change costs the change weight)."""
    planned = baseline_roster(changed, published)
    kept = kept_days(base, changed, scope)
    span = changed_span(base, changed)
    notes: list[str] = []
    adopt = None
    if kept and span is not None:
        planned = keep_published_on(planned, published, kept)
        adopt = changed  # adopting keeps the scenario, not these pins
    else:
        kept = ()
    solved_on = only_the_changes(planned, base, published) if scope == "around" else None
    if solved_on == planned:
        solved_on = None
    if scope == "around" and span is not None and (kept or solved_on is not None):
        notes.append(scope_note(changed, kept, span, capped=solved_on is not None))
    if scope == "whole":
        weight = planned.baseline.change_weight if planned.baseline else 0
        notes.append(WHOLE_NOTE.format(weight=weight))
    return RosterReplan(planned, solved_on, adopt, kept, repaired_roster(planned, published), notes)


def roster_replan_unkept(
    base: RosterProblem, changed: RosterProblem, published: Result, kept: Collection[int]
) -> RosterReplan:
    """The re-plan "around the changes" started again without its ``kept`` days, because
    keeping them left no roster: every day may move, the cover targets stay those of
    ``only_the_changes``."""
    planned = baseline_roster(changed, published)
    solved_on = only_the_changes(planned, base, published)
    notes = [unkept_days_note(changed, kept)]
    return RosterReplan(
        planned,
        None if solved_on == planned else solved_on,
        None,
        tuple(kept),
        repaired_roster(planned, published),
        notes,
    )


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
    return _rebuild(problem, pins=(*problem.pins, *kept))


def kept_published_until(base: RosterProblem, changed: RosterProblem) -> int:
    """The first day a re-plan of ``changed`` may move (0: every day may): the days before
    it keep the published roster. The ``rule_reach`` days just before the first change
    stay free, as run and rest rules look back (a night moved so Tuesday can be worked).

    Horizon-wide totals (maximum shifts, hours, weekends) look back further; when keeping
    these days leaves no roster, the dashboard re-plans without them
    (``earlier_changes_note`` says what moved and why)."""
    first = first_changed_day(base, changed)
    return 0 if first is None else max(0, first - rule_reach(changed))


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
    """One sentence naming the staff-days of ``kept`` (the days a re-plan first kept as
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
    who = [f"{_label(problem, staff)} on {problem.date_of(day):%a %d %b}" for staff, day in moved]
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


def roster_changes(
    problem: RosterProblem,
    before: Result,
    after: Result,
    why: Callable[[str, int], str] | None = None,
) -> pd.DataFrame:
    """Every staff-day whose shift changed: who, date, before, after (shift names), and
    with ``why`` (staff, day -> words, see ``change_reasons``) a "Why" column."""
    old = before.roster.by_staff_day() if before.roster else {}
    new = after.roster.by_staff_day() if after.roster else {}
    names = {s.id: s.label for s in problem.shifts}

    def shown(shift: str | None) -> str:
        return "off" if shift is None else names.get(shift, shift)

    rows = []
    for staff, day in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        if old.get((staff, day)) == new.get((staff, day)):
            continue
        row = {
            "Date": problem.date_of(day).strftime("%a %d %b"),
            "Who": problem.person(staff).label if staff in problem.staff_index else staff,
            "Before": shown(old.get((staff, day))),
            "After": shown(new.get((staff, day))),
        }
        if why is not None:
            row["Why"] = why(staff, day)
        rows.append(row)
    columns = ["Date", "Who", "Before", "After", *(["Why"] if why is not None else [])]
    return pd.DataFrame(rows, columns=columns)


FORCED, NEAR, ELSEWHERE = "the change itself", "near the change", "elsewhere"
"""Why a staff-day of a roster re-plan changed (``change_reasons``)."""


def change_reasons(
    base: RosterProblem, changed: RosterProblem, published: Result
) -> Callable[[str, int], str]:
    """(staff, day) -> why a re-plan of ``changed`` moves it: FORCED where the published
    roster cannot stand (the absent person's shift left open, a new pin), NEAR on the
    ``free_days`` around the changes, ELSEWHERE on the other days (improvements to the
    published roster the changes do not need)."""
    repaired = repaired_roster(changed, published)
    old = published.roster.by_staff_day() if published.roster else {}
    new = repaired.by_staff_day() if repaired else {}
    forced = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    free = free_days(base, changed)

    def why(staff: str, day: int) -> str:
        if (staff, day) in forced:
            return FORCED
        return NEAR if day in free else ELSEWHERE

    return why


def changes_summary(moved: pd.DataFrame) -> str:
    """``"12 changed assignments: 3 the change itself, 9 near the change"``."""
    head = f"{len(moved)} changed assignments"
    if "Why" not in moved.columns or moved.empty:
        return head
    counts = moved["Why"].value_counts()
    parts = [f"{counts[k]} {k}" for k in (FORCED, NEAR, ELSEWHERE) if k in counts]
    return f"{head}: " + ", ".join(parts)


def published_under_changes(problem: RosterProblem, published: Result) -> Result:
    """The published roster as it stands under the changes of ``problem`` (the
    ``repaired_roster``: an absent person's shifts left open, pins taken), costed by
    the checker against ``problem``: the baseline of the what-if KPIs."""
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    roster = repaired_roster(problem, published)
    if roster is None:
        return Result(status=SolveStatus.UNKNOWN)
    report = check(problem, roster)
    status = SolveStatus.FEASIBLE if report.feasible else SolveStatus.INFEASIBLE
    return Result(
        status=status, objective=report.objective, roster=roster, terms=report.cost_by_rule()
    )


def roster_kpi_table(problem: RosterProblem, before: Result, after: Result) -> pd.DataFrame:
    """Baseline and scenario KPIs side by side with the difference.

    The baseline is the published roster ``before`` as it stands under the changes
    (``published_under_changes``: an absent person's shifts left open), so the Δ column
    shows what the changes cost and what the re-plan wins back. Both rosters are
    measured against ``problem`` (the scenario's) by the checker. The cost rows are the
    objective's terms and add up to "Total penalty" (the scenario's objective).
    "Changed assignments" counts the staff-days that differ from the published roster
    (``roster_changes``): in the baseline those the changes force, so Δ counts the
    re-plan's own moves; their penalty is "Cost of changes".
    """
    from optimizer.explain.roster import roster_kpis

    def measures(result: Result) -> dict[str, float]:
        if result.roster is None:
            return {}
        k = roster_kpis(problem, result.roster)
        costs = k.cost_by_rule
        return {
            "Coverage met %": k.coverage_met_pct,
            "Requests granted %": k.requests_granted_pct,
            "Shifts worked": k.shifts_worked,
            "Nights max per person": k.nights.maximum,
            "Weekends max per person": k.weekends.maximum,
            "Changed assignments": len(roster_changes(problem, before, result)),
            "Understaffing cost": costs.get("under_cover", 0),
            "Overstaffing cost": costs.get("over_cover", 0),
            "Request cost": costs.get("shift_on_request", 0) + costs.get("shift_off_request", 0),
            "Cost of changes": costs.get("baseline_change", 0),
            "Total penalty": sum(costs.values()),
        }

    return _side_by_side(measures(published_under_changes(problem, before)), measures(after))


def _side_by_side(before: dict[str, float], after: dict[str, float]) -> pd.DataFrame:
    """One row per measure; whole numbers shown whole, the others to one decimal."""
    rows = []
    for name in before.keys() | after.keys():
        a, b = before.get(name), after.get(name)
        delta = None if a is None or b is None else b - a
        rows.append(
            {
                "Measure": name,
                "Baseline": _number(a),
                "Scenario": _number(b),
                "Δ": _number(delta, signed=True),
            }
        )
    order = list(before) + [n for n in after if n not in before]
    frame = pd.DataFrame(rows, columns=["Measure", "Baseline", "Scenario", "Δ"])
    return frame.set_index("Measure").loc[order].reset_index()


def _number(value: float | None, *, signed: bool = False) -> str:
    """``442``, ``97.3``, ``+5``, ``−1.5`` or ``—``."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = round(value, 1)
    whole = isinstance(value, int) or float(value).is_integer()
    text = f"{int(value):+d}" if whole and signed else f"{int(value)}" if whole else ""
    if not whole:
        text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return "0" if signed and value == 0 else text.replace("-", "−")


# -- case scheduling -----------------------------------------------------------------


def with_added_case(
    problem: Any,
    case_id: str,
    procedure: str,
    duration: int,
    surgeon: str | None,
    roles: dict[str, int],
    day: dt.date | None,
    priority: int,
) -> tuple[Any, str]:
    """A new case (optionally on a given day, by a named surgeon)."""
    from optimizer.model.cases import Task, TeamRequirement

    if not case_id.strip():
        raise InputError("a case id is required", field="Case id")
    if case_id in problem.task_index:
        raise InputError(f"a case with id '{case_id}' already exists", field="Case id")
    release, due = 0, None
    if day is not None and problem.start is not None:
        release = max(0, problem.minute_of(dt.datetime.combine(day, dt.time())))
        due = min(problem.horizon, release + 24 * 60)
    try:
        task = Task(
            id=case_id,
            name=f"{case_id} {procedure}",
            procedure=procedure,
            duration=duration,
            release=release,
            due=due,
            priority=priority,
            optional=True,
            staff=(surgeon,) if surgeon else (),
            team=tuple(TeamRequirement(role=r, count=n) for r, n in roles.items() if n > 0),
        )
    except ValidationError as exc:
        raise _form_error(exc, CASE_FORM_FIELDS) from None
    try:
        new = _rebuild(problem, tasks=(*problem.tasks, task))
    except InputError as exc:
        raise _in_words(_with_task(problem, task), exc) from None
    when = "" if day is None else f" on {day:%a %d %b}"
    return new, f"added case {case_id}: {procedure}, {duration} min{when}"


CLOSED = {"start": 0, "end": 1, "overtime": 0}
"""A room with no openings is open all the time, so a room closed for every minute of
the plan keeps this one-minute opening at minute 0, which no case fits."""


def with_closed_room(problem: Any, room: str, day: dt.date | None) -> tuple[Any, str]:
    """The room is closed on ``day`` (or for the whole plan when None).

    Every opening (with its overtime) is cut back to the minutes outside the closure.
    Optional cases that then fit in no room are left out of the plan (the description
    names them); a case that must be scheduled (mandatory or pinned) and can only use
    the room then makes the change impossible (``InputError`` in names and dates).
    """
    from optimizer.model.cases import Opening

    target = problem.room(room)
    start, end, what = _closure(problem, day)
    kept = [part for o in problem.openings_of(target) for part in _outside(o, start, end)]
    openings = tuple(kept) or (Opening(**CLOSED),)
    rooms = tuple(
        r.model_copy(update={"openings": openings}) if r.id == room else r for r in problem.rooms
    )
    trial = problem.model_copy(update={"rooms": rooms})
    stuck = [t for t in problem.tasks if not _still_fits(trial, t, room)]
    forced = [t for t in stuck if trial.must_schedule(t)]
    if forced:
        raise InputError(
            f"{target.label} cannot close {what}: only it can take "
            + ", ".join(f"{t.label} ({_why_forced(trial, t)})" for t in forced)
            + " then, and these cases must be scheduled. Close it on fewer days, or make "
            "the cases optional (Data page, tasks)",
            field="Closed on",
        )
    gone = {t.id for t in stuck}
    new = _rebuild(trial, **_without(trial, gone))
    text = f"{target.label} closed {what}"
    if stuck:
        text += f"; left out (only {target.label} could take them): " + _names(stuck)
    return new, text


def _closure(problem: Any, day: dt.date | None) -> tuple[int, int, str]:
    """The closed minutes ``[start, end)`` of a closure on ``day`` and its wording."""
    if day is None:
        return 0, problem.horizon, "for the whole plan"
    if problem.start is None:
        raise InputError("this case problem has no calendar dates", field="Closed on")
    start = problem.minute_of(dt.datetime.combine(day, dt.time()))
    return start, start + 24 * 60, f"on {day:%a %d %b}"


def _outside(opening: Any, start: int, end: int) -> list[Any]:
    """The parts of an opening outside ``[start, end)`` (an overtime-only rest dropped)."""
    from optimizer.model.cases import Opening

    if opening.hard_end <= start or opening.start >= end:
        return [opening]
    parts = []
    if opening.start < start:
        regular_end = min(opening.end, start)
        overtime = min(start, opening.hard_end) - regular_end
        parts.append(Opening(start=opening.start, end=regular_end, overtime=overtime))
    if end < opening.end:
        parts.append(Opening(start=end, end=opening.end, overtime=opening.overtime))
    return parts


def _still_fits(problem: Any, task: Any, room: str) -> bool:
    """Whether a task that may use ``room`` still fits some opening (its pin respected)."""
    if not problem.needs_room(task):
        return True
    rooms = problem.eligible_rooms(task)
    if room not in {r.id for r in rooms}:
        return True
    pin = problem.pin_of(task.id)
    earliest, latest = task.release, problem.latest_end(task)
    if pin is not None and pin.room is not None:
        rooms = [r for r in rooms if r.id == pin.room]
    if pin is not None and pin.start is not None:
        earliest, latest = pin.start, pin.start + task.duration
    return any(
        min(o.hard_end, latest) - max(o.start, earliest) >= task.duration
        for r in rooms
        for o in problem.openings_of(r)
    )


def _why_forced(problem: Any, task: Any) -> str:
    """Why a case must be scheduled, in words."""
    from optimizer.explain.case_time import when

    pin = problem.pin_of(task.id)
    if pin is not None and pin.start is not None:
        return f"fixed at {when(problem, pin.start)}"
    if pin is not None:
        return "fixed in the plan"
    return "not optional"


def case_words(task: Any) -> str:
    """A case in a sentence: "case C013 Laparoscopic cholecystectomy", "Case 4 (C4)"."""
    label = task.label
    if label.startswith(task.id):
        return f"case {label}"
    return (
        f"{label} ({task.id})" if label.lower().startswith("case") else f"case {label} ({task.id})"
    )


def _names(tasks: list[Any], limit: int = 6) -> str:
    names = [t.label if t.label.startswith(t.id) else f"{t.label} ({t.id})" for t in tasks]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def _without(problem: Any, gone: set[str]) -> dict[str, Any]:
    """The tasks, pins and precedences of ``problem`` without the tasks ``gone``."""
    return {
        "tasks": tuple(t for t in problem.tasks if t.id not in gone),
        "pins": tuple(p for p in problem.pins if p.task not in gone),
        "precedences": tuple(
            p for p in problem.precedences if p.before not in gone and p.after not in gone
        ),
    }


def with_case_overrun(
    problem: Any, published: Result, task_id: str, minutes: int
) -> tuple[Any, str]:
    """A published case ran ``minutes`` past its planned end (``optimizer.replan``'s
    ``CaseOverrun``): it is fixed where it ran, with its room and team kept on for it."""
    from optimizer.explain.case_time import when
    from optimizer.replan import CaseOverrun, replan_problem

    schedule = _published(problem, published)
    item = schedule.by_task().get(task_id)
    if item is None or task_id not in problem.task_index:
        raise InputError("pick a case of the published schedule", field="Case")
    label = problem.task(task_id).label
    if minutes < 1:
        raise InputError("a case that ran long ran at least 1 minute over", field="Minutes over")
    end = item.end + minutes
    if end > problem.horizon:
        raise InputError(
            f"{label} would end {when(problem, end)}, after the plan ends "
            f"({when(problem, problem.horizon)})",
            field="Minutes over",
        )
    try:
        planned, _fixed, dropped = replan_problem(
            problem, schedule, [CaseOverrun(task=task_id, actual_end=end)]
        )
    except InputError as exc:
        raise _in_words(problem, exc) from None
    text = f"{label} ran {minutes} min over: ends {when(problem, end)}"
    if dropped:
        gone = [problem.task(t) for t in dropped]
        text += "; left out (can no longer be placed): " + _names(gone)
    return planned.model_copy(update={"baseline": None}), text


class Cancellation(str):
    """A change's description that cancels a case: ``task`` is the case's id, so that the
    scenario lists the case as cancelled, not as left out (see ``cancelled``)."""

    task: str

    def __new__(cls, text: str, task: str) -> Cancellation:
        made = super().__new__(cls, text)
        made.task = task
        return made


def cancelled(changes: list[str]) -> set[str]:
    """The ids of the cases that the changes (descriptions) cancel."""
    return {c.task for c in changes if isinstance(c, Cancellation)}


def with_cancelled_case(problem: Any, published: Result, task_id: str) -> tuple[Any, str]:
    """The case will not happen (``optimizer.replan``'s ``CancelCase``): it leaves the
    plan with its pin and precedences; optional cases that can no longer be placed go too.

    Once the scenario is adopted, the calendar export marks the case cancelled for the
    people the published plan had on it.
    """
    from optimizer.explain.case_time import when
    from optimizer.replan import CancelCase, replan_problem

    if task_id not in problem.task_index:
        raise InputError("pick a case of the plan", field="Case")
    schedule = _published(problem, published)
    task = problem.task(task_id)
    try:
        planned, _fixed, dropped = replan_problem(problem, schedule, [CancelCase(task=task_id)])
    except InputError as exc:
        raise _in_words(problem, exc) from None
    placed = schedule.by_task().get(task_id)
    text = f"cancelled {case_words(task)}"
    if placed is not None:
        text += f", planned {when(problem, placed.start)}"
    else:
        text += ", not in the published schedule"
    linked = [
        p.after if p.before == task_id else p.before
        for p in problem.precedences
        if task_id in (p.before, p.after)
    ]
    if linked:
        text += "; its order with " + _names([problem.task(t) for t in linked]) + " is dropped"
    if dropped:
        gone = [problem.task(t) for t in dropped]
        text += "; left out (can no longer be placed): " + _names(gone)
    return planned.model_copy(update={"baseline": None}), Cancellation(text, task_id)


def _published(problem: Any, result: Result) -> Any:
    """``result``'s schedule restricted to the cases ``problem`` still has."""
    if result.schedule is None:
        raise InputError("there is no schedule to keep close to: solve the cases first")
    return result.schedule.model_copy(
        update={"tasks": tuple(t for t in result.schedule.tasks if t.task in problem.task_index)}
    )


def adopted_plan(problem: Any, result: Result) -> tuple[Any, Result]:
    """The what-if problem without its baseline, and ``result`` costed for it.

    Once adopted, the scenario is the plan: the moves away from the old plan are no
    longer a cost. The objective and terms are recomputed by the independent checker;
    the result is no longer proven optimal for the problem without the baseline.
    """
    from optimizer.check import check
    from optimizer.model.result import SolveStatus

    adopted = problem.model_copy(update={"baseline": None})
    report = check(adopted, result)
    status = SolveStatus.FEASIBLE if result.status is SolveStatus.OPTIMAL else result.status
    costed = result.model_copy(
        update={
            "objective": report.objective,
            "terms": report.cost_by_rule(),
            "bound": None,
            "status": status,
        }
    )
    return adopted, costed


def with_previous_plan(problem: Any, previous: tuple[Any, Result] | None) -> Any:
    """``problem`` with the ``previous`` plan's result (problem, result: the plan in use
    before an adoption) as its baseline, for the calendar export only:
    ``optimizer.io.ics`` writes each shift or case of the baseline that a person no longer
    works as cancelled. Cases cancelled since come back into the copy's cases, so that
    their events keep their names. Never solved (a baseline is a move penalty), so not
    re-validated."""
    if previous is None:
        return problem
    before, published = previous
    if isinstance(problem, RosterProblem):
        if published.roster is None:
            return problem
        shifts = tuple(
            BaselineShift(staff=a.staff, day=a.day, shift=a.shift)
            for a in published.roster.assignments
        )
        return problem.model_copy(update={"baseline": Baseline(assignments=shifts)})
    if published.schedule is None:
        return problem
    from optimizer.model.cases import CaseBaseline

    gone = tuple(t for t in before.tasks if t.id not in problem.task_index)
    baseline = CaseBaseline(schedule=published.schedule)
    return problem.model_copy(update={"baseline": baseline, "tasks": (*problem.tasks, *gone)})


def baseline_cases(
    problem: Any, result: Result, now: int | None = None
) -> tuple[Any, list[str], dict[str, str]]:
    """The re-planning problem of ``optimizer.replan``: ``result``'s schedule as the
    published baseline, cases it started before ``now`` pinned (start, room, team), no
    other case starting before ``now``, and optional cases that can no longer be placed
    taken out. Returns the problem, the pinned case ids and the left-out ids -> reason.
    """
    from optimizer.explain.case_time import when
    from optimizer.replan import replan_problem

    schedule = _published(problem, result)
    if now:
        _check_started_teams(problem, schedule, now)
    try:
        return replan_problem(problem, schedule, now=now)
    except InputError as exc:
        if now:
            exc = InputError(f"with Now at {when(problem, now)}, {exc.message}", field="Now")
        raise _in_words(problem, exc) from None


def _check_started_teams(problem: Any, schedule: Any, now: int) -> None:
    """Refuse, in the planner's words, a case started before ``now`` (so kept where it
    is, with its team) whose team has someone no longer on duty for the whole of it,
    such as a surgeon now off sick that day."""
    from optimizer.explain.case_time import time_span, when

    for placed in sorted(schedule.tasks, key=lambda t: (t.start, t.task)):
        if placed.start >= now or placed.end <= placed.start:
            continue
        for name in placed.staff:
            if name not in problem.staff_index:
                continue
            windows = problem.merged_work_windows_of(problem.person(name))
            length = placed.end - placed.start
            if any(min(w.end, placed.end) - max(w.start, placed.start) >= length for w in windows):
                continue
            case = case_words(problem.task(placed.task))
            raise InputError(
                f"{case[0].upper()}{case[1:]} started {when(problem, placed.start)}, before Now "
                f"({when(problem, now)}), with {problem.person(name).label}, who is not on "
                f"duty for the whole of it ({time_span(problem, placed.start, placed.end)}) "
                f"after the changes. A started case keeps its team: set Now to "
                f"{when(problem, placed.start)} or earlier to re-plan the case too, or start "
                f"the absence after the case ends ({when(problem, placed.end)})",
                field="Now",
            )


def _with_task(problem: Any, task: Any) -> Any:
    """``problem`` with ``task`` added, unvalidated: only for naming it in a message."""
    return problem.model_copy(update={"tasks": (*problem.tasks, task)})


def _in_words(problem: Any, error: InputError) -> InputError:
    """``error`` with the case, room and staff ids of ``problem`` as their names and
    minute ranges as dates and times."""
    from optimizer.explain.case_time import time_span

    names = {p.id: p.label for p in problem.staff}
    names.update({r.id: r.label for r in problem.rooms})
    names.update({t.id: t.label for t in problem.tasks})

    def span(match: re.Match[str]) -> str:
        return time_span(problem, int(match[1]), int(match[2]))

    def listed(match: re.Match[str]) -> str:
        return "(" + ", ".join(names.get(i, i) for i in match[1].split(", ")) + ")"

    def pinned(task_id: str) -> str:
        task = problem.task(task_id) if task_id in problem.task_index else None
        return "the pin of " + (case_words(task) if task else f"case {task_id}")

    pin_path = r"\bpins\[\d+\] of task '([^']+)'"
    pins = re.findall(pin_path, error.message)
    text = re.sub(r"\[(\d+), (\d+)[\])]", span, error.message)
    text = re.sub(pin_path, "\0", text)  # named last: "Case 2 (C2)" keeps its id
    text = re.sub(r"\b(?:precedences|tasks|rooms|staff)\[\d+\] (?:of )?", "", text)
    text = re.sub(r"'([^']+)'", lambda m: names.get(m[1], m[0]), text)
    text = re.sub(r"\(([^()]*)\)", listed, text)
    for task_id in pins:
        text = text.replace("\0", pinned(task_id), 1)
    return InputError(text, file=error.file, line=error.line, field=error.field)


def case_replan_notes(
    problem: Any, fixed: list[str], dropped: dict[str, str], now: int | None
) -> list[str]:
    """What the re-planning set-up did, in words (``problem``: before it was applied)."""
    from optimizer.explain.case_time import when

    notes = []
    if now:
        notes.append(f"Now is {when(problem, now)}: no case starts earlier.")
    if fixed:
        started = _names([problem.task(t) for t in fixed])
        notes.append(f"Started before now, so kept where they are: {started}.")
    for task_id, why in dropped.items():
        notes.append(f"Left out: {problem.task(task_id).label}: {why}.")
    return notes


def case_hint(planned: Any, result: Result) -> Any:
    """A warm start for the re-plan: a repair of the published schedule if available."""
    repair = feature("optimizer.replan", "repair")
    if repair is None or result.schedule is None:
        return result.schedule
    try:
        return repair(planned, result.schedule)
    except Exception:  # a warm start is optional
        return result.schedule


def _left_out(problem: Any, before: Result) -> list[str]:
    """Cases of the published plan that the what-if problem no longer has."""
    if before.schedule is None:
        return []
    ids = [t.task for t in before.schedule.tasks] + list(before.schedule.unscheduled)
    return [t for t in dict.fromkeys(ids) if t not in problem.task_index]


def case_changes(
    problem: Any,
    before: Result,
    after: Result,
    base: Any = None,
    gone: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Every case whose time, room or team changed, or that was added, dropped, left out
    or cancelled (``gone``: the ids of the cases the changes cancel).

    Rooms and people are named; ``base`` (the problem of ``before``) names the cases
    that the what-if problem left out.
    """
    rooms = {r.id: r.label for r in problem.rooms}
    people = {p.id: p.label for p in problem.staff}

    def clock(minute: int) -> str:
        when = problem.datetime_of(minute)
        return str(minute) if when is None else when.strftime("%a %d %b %H:%M")

    def describe(placed: Any) -> str:
        if placed is None:
            return "not scheduled"
        room = rooms.get(placed.room, placed.room) if placed.room else ""
        team = ", ".join(people.get(s, s) for s in placed.staff)
        return f"{clock(placed.start)} {room} [{team}]".replace("  ", " ")

    old = before.schedule.by_task() if before.schedule else {}
    new = after.schedule.by_task() if after.schedule else {}
    rows = []
    for task in problem.tasks:
        a, b = old.get(task.id), new.get(task.id)
        same = (a is None and b is None) or (
            a is not None
            and b is not None
            and (a.start, a.room, set(a.staff)) == (b.start, b.room, set(b.staff))
        )
        if not same:
            rows.append(
                {"Case": task.id, "Name": task.label, "Before": describe(a), "After": describe(b)}
            )
    for task_id in _left_out(problem, before):
        if task_id not in old and task_id not in gone:
            continue  # unscheduled before and out now: no change
        label = base.task(task_id).label if base is not None and task_id in base.task_index else ""
        rows.append(
            {
                "Case": task_id,
                "Name": label or task_id,
                "Before": describe(old.get(task_id)),
                "After": "cancelled"
                if task_id in gone
                else "left out (cannot be placed after the changes)",
            }
        )
    return pd.DataFrame(rows, columns=["Case", "Name", "Before", "After"])


def case_kpi_table(
    problem: Any,
    before: Result,
    after: Result,
    base: Any = None,
    gone: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Baseline and scenario case KPIs side by side.

    Cases the what-if left out count as unscheduled, the ones it cancels (``gone``) as
    "Cases cancelled"; "Cases changed" counts the rows of ``case_changes``, their
    penalty is the separate "Cost of moves" row.
    """
    out = _left_out(problem, before)
    dropped = [t for t in out if t in gone]

    def measures(result: Result, left_out: int, cancelled: int) -> dict[str, float]:
        if result.schedule is None:
            return {}
        extra = {"Cases cancelled": cancelled} if gone else {}
        late = 0
        for placed in result.schedule.tasks:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            if task is not None and task.due is not None and placed.end > task.due:
                late += 1
        terms = result.terms
        return {
            "Cases scheduled": len(result.schedule.tasks),
            "Cases unscheduled": len(result.schedule.unscheduled) + left_out,
            **extra,
            "Late cases": late,
            "Overtime cost": terms.get("overtime", 0) + terms.get("staff_overtime", 0),
            "Penalty": result.objective or 0,
        }

    old = measures(before, 0, 0)
    new = measures(after, len(out) - len(dropped), len(dropped))
    if new:
        old["Cases changed"] = 0
        new["Cases changed"] = len(case_changes(problem, before, after, base, gone))
        old["Cost of moves"] = 0
        new["Cost of moves"] = after.terms.get("baseline_move", 0) + after.terms.get(
            "baseline_staff", 0
        )
    return _side_by_side(old, new)


PENALTY = "Penalty (with cost of changes)"
BASELINE_PENALTY = "Published penalty under the changes"
"""The comparison's penalty columns: both include the cost of changes (the published
roster's own: the staff-days the changes force), both measured on the scenario's problem."""


def baseline_penalty(scenario: Any) -> int | None:
    """The penalty of the published plan under ``scenario``'s changes: the "Total
    penalty" baseline of its KPI table (a roster: ``published_under_changes``; cases:
    the published schedule's own)."""
    if scenario.kind != "roster":
        objective: int | None = scenario.base_result.objective
        return objective
    return published_under_changes(scenario.problem, scenario.base_result).objective


def compare(scenarios: list[Any]) -> pd.DataFrame:
    """One row per scenario: its changes, status, penalty, the published plan's penalty
    under the same changes (as its KPI table's baseline) and how much it moved."""
    rows = []
    for sc in scenarios:
        result = sc.result
        if result is None:
            rows.append(
                {
                    "Scenario": sc.name,
                    "Changes": "; ".join(sc.changes),
                    "Status": "running" if sc.job is not None else sc.error,
                }
            )
            continue
        if sc.kind == "roster":
            moved = len(roster_changes(sc.problem, sc.base_result, result))
        else:
            gone = cancelled(sc.changes)
            moved = len(case_changes(sc.problem, sc.base_result, result, sc.base_problem, gone))
        rows.append(
            {
                "Scenario": sc.name,
                "Changes": "; ".join(sc.changes),
                "Status": result.status.value + (" (stopped early)" if sc.stopped_early else ""),
                PENALTY: result.objective,
                BASELINE_PENALTY: baseline_penalty(sc),
                "Changed": moved,
            }
        )
    columns = ["Scenario", "Changes", "Status", PENALTY, BASELINE_PENALTY, "Changed"]
    return pd.DataFrame(rows, columns=columns)
