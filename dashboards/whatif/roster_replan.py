"""How a roster what-if is re-planned: the problem shown, the one solved, the one
adopted, the kept days, the warm start and the set-up notes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from dashboards.whatif.replan_notes import WHOLE_NOTE, scope_note, unkept_days_note
from dashboards.whatif.replan_scope import (
    changed_span,
    keep_published_on,
    kept_days,
    only_the_changes,
)
from dashboards.whatif.roster_baseline import baseline_roster, repaired_roster
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem


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
