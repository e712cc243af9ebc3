"""Shared helpers for the plotting functions: palettes and roster counts."""

from __future__ import annotations

from collections import Counter

from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem

OFF_COLOUR = "#f4f4f4"
LEAVE_COLOUR = "#9e9e9e"
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
"""Colour-blind friendly categorical colours (Tableau 10)."""


def colour(i: int) -> str:
    """The i-th palette colour, cycling."""
    return PALETTE[i % len(PALETTE)]


def roster_of(result: Result | RosterSolution | None) -> RosterSolution:
    """The roster inside ``result`` (an empty roster if there is none)."""
    if isinstance(result, RosterSolution):
        return result
    if result is not None and result.roster is not None:
        return result.roster
    return RosterSolution()


def day_labels(problem: RosterProblem) -> list[str]:
    """``"Mon 02 Dec"`` style labels, one per horizon day."""
    return [problem.date_of(d).strftime("%a %d %b") for d in range(problem.num_days)]


def assigned_counts(
    problem: RosterProblem, roster: RosterSolution
) -> Counter[tuple[int, str, str | None]]:
    """Staff on (day, shift, skill); skill None counts everybody on the shift."""
    counts: Counter[tuple[int, str, str | None]] = Counter()
    skills = {p.id: p.skills for p in problem.staff}
    for a in roster.assignments:
        counts[(a.day, a.shift, None)] += 1
        for skill in skills.get(a.staff, ()):
            counts[(a.day, a.shift, skill)] += 1
    return counts


def minutes_worked(problem: RosterProblem, roster: RosterSolution) -> dict[str, int]:
    """Worked minutes per staff id (0 for staff with no shifts)."""
    minutes = {p.id: 0 for p in problem.staff}
    length = {s.id: s.length_minutes for s in problem.shifts}
    for a in roster.assignments:
        if a.staff in minutes:
            minutes[a.staff] += length.get(a.shift, 0)
    return minutes
