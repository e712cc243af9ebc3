"""Penalty breakdown and KPIs on a hand-checkable ward."""

from __future__ import annotations

import datetime as dt

from optimizer.explain.roster import penalty_breakdown, roster_kpis
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
)
from tests.verify import solve_verified


def _ward() -> RosterProblem:
    """Three nurses over a Fri–Sun weekend; 1 ICU nurse needed on each night.

    Only Ana holds ICU; Ana may work at most 2 nights, so one night is short:
    optimum = 100 (one ICU short) + 0 (Ben's wish to work Saturday granted).
    """
    return RosterProblem(
        start_date=dt.date(2024, 1, 5),  # a Friday
        num_days=3,
        shifts=(ShiftType(id="N", name="Night", start="21:00", length_minutes=600),),
        staff=(
            Staff(
                id="A",
                name="Ana Silva",
                skills=("ICU",),
                contract=Contract(max_shifts_per_type={"N": 2}),
            ),
            Staff(id="B", name="Ben Ode", skills=("RN",)),
            Staff(id="C", name="Cy Ray", skills=("RN",), contract=Contract(max_shifts=0)),
        ),
        cover=tuple(CoverDemand(day=d, shift="N", skill="ICU", required=1) for d in range(3)),
        requests=(ShiftRequest(staff="B", day=1, shift="N", want=True, weight=2),),
    )


def test_breakdown_names_who_what_when_and_sorts_by_cost() -> None:
    problem = _ward()
    roster = RosterSolution(
        assignments=(
            Assignment(staff="A", day=0, shift="N"),
            Assignment(staff="A", day=1, shift="N"),
        )
    )
    messages = [p.message for p in penalty_breakdown(problem, roster)]
    assert messages == [
        "Night shift Sun 7 Jan: 1 ICU short (100)",
        "Ben Ode: request for Night on Sat 6 Jan not granted (2)",
    ]


def test_kpis_count_coverage_requests_and_workload() -> None:
    problem = _ward()
    result, report = solve_verified(problem)
    assert result.objective == 100
    assert result.roster is not None
    kpis = roster_kpis(problem, result.roster)
    assert kpis.coverage_met_pct == round(100 * 2 / 3, 1)
    assert kpis.requests_granted_pct == 100.0
    assert kpis.cost_by_rule == report.cost_by_rule() == {"under_cover": 100}
    ana = next(load for load in kpis.staff if load.staff == "A")
    assert (ana.shifts, ana.minutes, ana.nights, ana.weekends) == (2, 1200, 2, 1)
    cy = next(load for load in kpis.staff if load.staff == "C")
    assert cy.shifts == 0
    assert kpis.nights.maximum == 2
    assert kpis.nights.minimum == 0
