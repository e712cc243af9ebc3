"""Downloadable bundle templates filled with a small example problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.roster import RosterProblem


def _example_roster() -> RosterProblem:
    from optimizer.model.roster import (
        Contract,
        CoverDemand,
        Pin,
        ShiftRequest,
        ShiftType,
        Staff,
        Unavailability,
    )

    return RosterProblem(
        name="My ward",
        start_date=dt.date(2026, 12, 7),
        num_days=7,
        shifts=(
            ShiftType(id="E", name="Early", start=420, length_minutes=480, min_rest_hours=11),
            ShiftType(id="N", name="Night", start=1290, length_minutes=600, forbidden_next=("E",)),
        ),
        staff=(
            Staff(
                id="N01",
                name="Ana Silva",
                grade="Senior RN",
                skills=("RN", "charge"),
                contract=Contract(max_minutes=2400, max_shifts_per_type={"N": 2}, max_weekends=1),
            ),
            Staff(id="N02", name="Jo Park", grade="RN", skills=("RN",)),
        ),
        cover=(
            CoverDemand(day=0, shift="E", skill="RN", required=1),
            CoverDemand(day=0, shift="N", skill="charge", required=1, under_weight=80),
        ),
        unavailability=(
            Unavailability(staff="N02", first_day=2, last_day=3, reason="annual leave"),
        ),
        requests=(ShiftRequest(staff="N01", day=5, want=False, weight=2),),
        pins=(Pin(staff="N01", day=0, shift="E"),),
    )


def _example_cases() -> Any:
    from optimizer.model.cases import (
        CaseProblem,
        Opening,
        Resource,
        Room,
        StaffMember,
        Task,
        TeamRequirement,
        Window,
    )

    return CaseProblem(
        name="My theatre day",
        start=dt.datetime(2026, 12, 7),
        horizon=24 * 60,
        turnover=20,
        tasks=(
            Task(
                id="C1",
                name="Case 1",
                procedure="Hip replacement",
                duration=120,
                release=480,
                due=1020,
                team=(TeamRequirement(role="anaesthetist"), TeamRequirement(role="scrub")),
                staff=("S1",),
                resources={"carm": 1},
            ),
        ),
        rooms=(
            Room(
                id="OR1",
                name="Theatre 1",
                type="general",
                openings=(Opening(start=480, end=1020, overtime=60),),
            ),
        ),
        staff=(
            StaffMember(
                id="S1",
                name="Dr Okafor",
                roles=("surgeon",),
                available=(Window(start=480, end=1080),),
            ),
            StaffMember(id="A1", name="Dr Lee", roles=("anaesthetist",)),
            StaffMember(
                id="R1",
                name="Sam Cole",
                roles=("scrub",),
                unavailable=(Window(start=720, end=780),),
            ),
        ),
        resources=(Resource(id="carm", name="C-arm", capacity=1),),
    )


def template_xlsx(kind: str = "roster") -> bytes:
    """A downloadable template: every sheet with its header and example rows."""
    example = _example_roster() if kind == "roster" else _example_cases()
    return tables_to_xlsx(problem_tables(example))
