"""Small example problems: a quick first try in the dashboard and fast page tests."""

from __future__ import annotations

import datetime as dt

from optimizer.model.cases import (
    CaseProblem,
    Opening,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)


def small_ward(days: int = 7) -> RosterProblem:
    """Four nurses, early and late shifts, one week from Monday 7 Dec 2026.

    One RN and one person of any grade per shift; Jo Park is on leave on day 2 and
    Ana Silva asked for day 5 off, so the optimum pays a little understaffing.
    """
    cover = [
        CoverDemand(day=d, shift=s, skill=skill, required=1, under_weight=w)
        for d in range(days)
        for s in ("E", "L")
        for skill, w in (("RN", 100), (None, 20))
    ]
    return RosterProblem(
        name="Small example ward",
        start_date=dt.date(2026, 12, 7),
        num_days=days,
        shifts=(
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(id="L", name="Late", start="14:00", length_minutes=480, forbidden_next=()),
        ),
        staff=(
            Staff(id="N1", name="Ana Silva", grade="RN", skills=("RN",), contract=_c()),
            Staff(id="N2", name="Jo Park", grade="RN", skills=("RN",), contract=_c()),
            Staff(id="N3", name="Sam Lee", grade="HCA", skills=("HCA",), contract=_c()),
            Staff(id="N4", name="Mei Chen", grade="HCA", skills=("HCA",), contract=_c()),
        ),
        cover=tuple(cover),
        unavailability=(
            Unavailability(staff="N2", first_day=min(2, days - 1), last_day=min(2, days - 1)),
        ),
        requests=(ShiftRequest(staff="N1", day=min(5, days - 1), want=False, weight=3),),
    )


def _c() -> Contract:
    return Contract(max_minutes=5 * 480, max_consecutive_work=5)


def small_theatre() -> CaseProblem:
    """Two rooms, one day, five cases, a surgeon, an anaesthetist and two scrub nurses."""
    team = (TeamRequirement(role="anaesthetist"), TeamRequirement(role="scrub"))
    tasks = tuple(
        Task(
            id=f"C{i}",
            name=f"Case {i}",
            procedure=proc,
            duration=dur,
            due=12 * 60 + 60 * i,
            optional=True,
            staff=("S1",),
            team=team,
        )
        for i, (proc, dur) in enumerate(
            [
                ("Hernia repair", 60),
                ("Cholecystectomy", 90),
                ("Knee arthroscopy", 45),
                ("Carpal tunnel", 30),
                ("Hip replacement", 120),
            ],
            start=1,
        )
    )
    day = Window(start=8 * 60, end=18 * 60)
    return CaseProblem(
        name="Small example theatre day",
        start=dt.datetime(2026, 12, 7),
        horizon=24 * 60,
        turnover=15,
        tasks=tasks,
        rooms=(
            Room(id="OR1", name="Theatre 1", openings=(Opening(start=480, end=1020, overtime=60),)),
            Room(id="OR2", name="Theatre 2", openings=(Opening(start=480, end=780),)),
        ),
        staff=(
            StaffMember(id="S1", name="Dr Okafor", roles=("surgeon",), available=(day,)),
            StaffMember(id="A1", name="Dr Lee", roles=("anaesthetist",), available=(day,)),
            StaffMember(id="R1", name="Sam Cole", roles=("scrub",), available=(day,)),
            StaffMember(id="R2", name="Kim Hale", roles=("scrub",), available=(day,)),
        ),
    )
