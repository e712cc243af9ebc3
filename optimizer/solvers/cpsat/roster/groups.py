"""Group moves for the staff-by-staff search: re-roster a few people at once.

One person's best response cannot trade a shift with a colleague: both rows have to
change together. A group move re-solves a few people with the whole roster model
(sequence flow, LP bound) while everybody else keeps their row: each cover demand
asks the group only for what the others leave short (``required`` minus the others'
count; every extra person counts as over cover once the others already meet it).
The group's current rows are the hint, so a group solve never returns worse rows.

A window move is the transpose: everybody re-solved on a few consecutive days, every
other day pinned to the current rows (sequence rules across the window's edges hold).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import Baseline, Pin, RosterProblem
from optimizer.solvers.options import SolveOptions

Row = dict[int, int]
"""day -> shift of one person's worked days."""

GroupSolver = Callable[[RosterProblem, SolveOptions], Result]
"""The roster backend's ``solve`` (with ``roster_staffwise`` off)."""

GROUP_PARAMS = {"roster_staffwise": False, "roster_feasibility_first": False}
"""The group is hinted with its current rows: no staffwise, no feasibility phase."""


def group_problem(
    problem: RosterProblem, group: Sequence[int], others_count: Sequence[int]
) -> RosterProblem:
    """The problem for the people in ``group`` given what the others cover.

    ``others_count[k]`` is how many people outside the group count towards cover
    demand ``k``. Demands no group member is qualified for are left out (a constant).
    """
    members = [problem.staff[e] for e in group]
    ids = {person.id for person in members}
    skills = {skill for person in members for skill in person.skills}
    cover = tuple(
        demand.model_copy(update={"required": max(0, demand.required - others_count[k])})
        for k, demand in enumerate(problem.cover)
        if demand.skill is None or demand.skill in skills
    )
    baseline = problem.baseline
    if baseline is not None:
        kept = tuple(a for a in baseline.assignments if a.staff in ids)
        baseline = Baseline.model_construct(assignments=kept, change_weight=baseline.change_weight)
    return RosterProblem.model_construct(
        kind="roster",
        name=problem.name,
        start_date=problem.start_date,
        num_days=problem.num_days,
        shifts=problem.shifts,
        staff=tuple(members),
        cover=cover,
        unavailability=tuple(u for u in problem.unavailability if u.staff in ids),
        requests=tuple(r for r in problem.requests if r.staff in ids),
        pins=tuple(p for p in problem.pins if p.staff in ids),
        baseline=baseline,
    )


def solve_group(
    problem: RosterProblem,
    group: Sequence[int],
    rows: Sequence[Row],
    others_count: Sequence[int],
    solver: GroupSolver,
    options: SolveOptions,
) -> tuple[list[Row] | None, bool]:
    """New rows for ``group`` (hinted by ``rows``, theirs now), and whether proven best."""
    sub = group_problem(problem, group, others_count)
    return _solve_rows(sub, rows, solver, replace(options, workers=1))


def window_problem(
    problem: RosterProblem, rows: Sequence[Row], first: int, days: int
) -> RosterProblem:
    """The whole problem with every day outside ``[first, first + days)`` pinned to ``rows``."""
    shift_ids = [shift.id for shift in problem.shifts]
    inside = range(first, first + days)
    pins = list(problem.pins)
    pinned = {(p.staff, p.day) for p in pins}
    for person, row in zip(problem.staff, rows, strict=True):
        for d in range(problem.num_days):
            if d in inside or (person.id, d) in pinned:
                continue
            s = row.get(d)
            shift = None if s is None else shift_ids[s]
            pins.append(Pin.model_construct(staff=person.id, day=d, shift=shift))
    return problem.model_copy(update={"pins": tuple(pins)})


def solve_window(
    problem: RosterProblem,
    rows: Sequence[Row],
    first: int,
    days: int,
    solver: GroupSolver,
    options: SolveOptions,
) -> tuple[list[Row] | None, bool]:
    """Everybody's new rows with days ``[first, first + days)`` re-solved (hinted by
    ``rows``, the rows now; the other days stay), and whether proven best."""
    return _solve_rows(window_problem(problem, rows, first, days), rows, solver, options)


def _solve_rows(
    sub: RosterProblem, rows: Sequence[Row], solver: GroupSolver, options: SolveOptions
) -> tuple[list[Row] | None, bool]:
    """Solve ``sub`` hinted by ``rows`` (one per ``sub.staff``); its rows, and if proven."""
    shift_ids = [shift.id for shift in sub.shifts]
    hint = RosterSolution(
        assignments=tuple(
            Assignment(staff=sub.staff[i].id, day=d, shift=shift_ids[s])
            for i, row in enumerate(rows)
            for d, s in sorted(row.items())
        )
    )
    params = {**options.params, **GROUP_PARAMS}
    result = solver(sub, replace(options, hint=hint, params=params, on_solution=None))
    if result.roster is None:
        return None, False
    new_rows: list[Row] = [{} for _ in rows]
    position = {person.id: i for i, person in enumerate(sub.staff)}
    shift_index = {shift_id: s for s, shift_id in enumerate(shift_ids)}
    for a in result.roster.assignments:
        new_rows[position[a.staff]][a.day] = shift_index[a.shift]
    return new_rows, result.status is SolveStatus.OPTIMAL
