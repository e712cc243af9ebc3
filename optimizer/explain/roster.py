"""Explain a roster in the planner's terms: penalties (who/what/when) and KPIs."""

from __future__ import annotations

import statistics
from collections import Counter

from pydantic import BaseModel, ConfigDict

from optimizer.check.report import Penalty
from optimizer.check.roster import check_roster
from optimizer.errors import InputError
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem, ShiftRequest

RULE_LABELS = {
    "under_cover": "Understaffed shifts",
    "over_cover": "Overstaffed shifts",
    "shift_on_request": "Shift requests not granted",
    "shift_off_request": "Day/shift-off requests not granted",
    "baseline_change": "Changes to the published roster",
}


class StaffLoad(BaseModel):
    """One person's workload against their contract."""

    model_config = ConfigDict(frozen=True)

    staff: str
    name: str
    grade: str
    shifts: int
    minutes: int
    min_minutes: int
    """The hard minimum: the contract's, less credited leave."""
    contract_min_minutes: int
    """The contract's minimum before any leave credit."""
    max_minutes: int | None
    nights: int
    weekends: int


class Spread(BaseModel):
    """How evenly a burden (nights, weekends) is shared."""

    model_config = ConfigDict(frozen=True)

    minimum: int
    maximum: int
    mean: float
    stdev: float


class RosterKpis(BaseModel):
    """Headline numbers of a roster."""

    model_config = ConfigDict(frozen=True)

    coverage_met_pct: float
    """Required staff-shifts filled (capped at the requirement), over all demand."""
    requests_granted_pct: float
    """Requests the roster grants, over all requests (weight 0 included)."""
    shifts_worked: int
    cost_by_rule: dict[str, int]
    staff: list[StaffLoad]
    nights: Spread
    weekends: Spread


def roster_of(problem: RosterProblem, solution: Result | RosterSolution) -> RosterSolution:
    """The roster to explain: ``solution`` itself or the one a ``Result`` holds.

    Raises ``InputError`` (field ``problem`` or ``solution``) when ``problem`` is not a
    ``RosterProblem`` or ``solution`` holds no roster (e.g. ``result.roster`` of an
    INFEASIBLE or UNKNOWN result, which is None).
    """
    if not isinstance(problem, RosterProblem):
        raise InputError(
            f"a roster explanation needs a RosterProblem, got {_kind(problem)}", field="problem"
        )
    if isinstance(solution, RosterSolution):
        return solution
    if isinstance(solution, Result):
        if solution.roster is not None:
            return solution.roster
        held = "a CaseSchedule" if solution.schedule is not None else "no solution"
        raise InputError(
            f"a roster explanation needs a result with a RosterSolution; this "
            f"{solution.status.value} result holds {held}",
            field="solution",
        )
    hint = " (result.roster is None when the solve found no roster)" if solution is None else ""
    raise InputError(
        f"a roster explanation needs a RosterSolution or a Result holding one, "
        f"got {_kind(solution)}{hint}",
        field="solution",
    )


WHY_AT_MOST = 100
"""Short shifts, and refused requests, the workbook and the dashboard explain: the
costliest (on Curtois–Qu Instance20, 765 refused requests took 17 s to explain)."""


def costliest(penalties: list[Penalty], most: int | None) -> list[Penalty]:
    """``penalties`` in their order, only the ``most`` costliest kept (None: all)."""
    if most is None or len(penalties) <= most:
        return penalties
    kept = {id(p) for p in sorted(penalties, key=lambda p: -p.cost)[:most]}
    return [p for p in penalties if id(p) in kept]


def _kind(value: object) -> str:
    """``value``'s type for a message, e.g. 'a CaseSchedule' or 'None'."""
    return "None" if value is None else f"a {type(value).__name__}"


def penalty_breakdown(problem: RosterProblem, solution: Result | RosterSolution) -> list[Penalty]:
    """Every penalty the roster pays, most expensive first, then by day.

    ``solution``: a roster or a ``Result`` holding one; a ``Result`` without one
    (INFEASIBLE, UNKNOWN) raises ``InputError`` naming field ``solution``.
    """
    penalties = check_roster(problem, roster_of(problem, solution)).penalties
    return sorted(penalties, key=lambda p: (-p.cost, p.day if p.day is not None else -1, p.rule))


def _spread(values: list[int]) -> Spread:
    if not values:
        return Spread(minimum=0, maximum=0, mean=0.0, stdev=0.0)
    return Spread(
        minimum=min(values),
        maximum=max(values),
        mean=round(statistics.fmean(values), 2),
        stdev=round(statistics.pstdev(values), 2),
    )


def _granted(request: ShiftRequest, shift_of: dict[tuple[str, int], str]) -> bool:
    """Whether the roster grants the request (as the checker decides; a refused request
    of weight 0 costs nothing but is still refused)."""
    actual = shift_of.get((request.staff, request.day))
    matches = actual is not None and (request.shift is None or actual == request.shift)
    return request.want == matches


def roster_kpis(problem: RosterProblem, solution: Result | RosterSolution) -> RosterKpis:
    """Coverage met, requests granted, minutes against contract, spread of nights/weekends.

    ``solution``: a roster or a ``Result`` holding one; a ``Result`` without one
    (INFEASIBLE, UNKNOWN) raises ``InputError`` naming field ``solution``.
    """
    solution = roster_of(problem, solution)
    shift_of = solution.by_staff_day()
    report = check_roster(problem, solution)

    on_shift: Counter[tuple[int, str, str | None]] = Counter()
    for (staff_id, day), shift in shift_of.items():
        if staff_id not in problem.staff_index:
            continue
        on_shift[(day, shift, None)] += 1
        for skill in problem.person(staff_id).skills:
            on_shift[(day, shift, skill)] += 1
    required = sum(d.required for d in problem.cover)
    filled = sum(min(d.required, on_shift[(d.day, d.shift, d.skill)]) for d in problem.cover)

    refused = sum(1 for request in problem.requests if not _granted(request, shift_of))
    total_requests = len(problem.requests)

    weekend_days = [set(days) for days in problem.weekends]
    loads = []
    for person in problem.staff:
        mine = {d: s for (sid, d), s in shift_of.items() if sid == person.id}
        loads.append(
            StaffLoad(
                staff=person.id,
                name=person.label,
                grade=person.grade,
                shifts=len(mine),
                minutes=sum(problem.shift(s).length_minutes for s in mine.values()),
                min_minutes=problem.minimum_minutes(person.id),
                contract_min_minutes=person.contract.min_minutes,
                max_minutes=person.contract.max_minutes,
                nights=sum(problem.shift(s).is_night for s in mine.values()),
                weekends=sum(1 for days in weekend_days if days & mine.keys()),
            )
        )
    return RosterKpis(
        coverage_met_pct=round(100.0 * filled / required, 1) if required else 100.0,
        requests_granted_pct=(
            round(100.0 * (total_requests - refused) / total_requests, 1)
            if total_requests
            else 100.0
        ),
        shifts_worked=len(shift_of),
        cost_by_rule=report.cost_by_rule(),
        staff=loads,
        nights=_spread([load.nights for load in loads]),
        weekends=_spread([load.weekends for load in loads]),
    )
