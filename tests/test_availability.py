"""Roster → on-duty windows for case scheduling."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer.availability import (
    roster_to_availability,
    staff_from_roster,
    with_roster_availability,
)
from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem, Opening, Room, StaffMember, Task, TeamRequirement
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

MONDAY = dt.date(2026, 12, 7)


def _roster_problem() -> RosterProblem:
    """Two days; an early (07:00, 8 h), a late (14:00, 8 h) and a night (21:00, 10 h)."""
    return RosterProblem(
        start_date=MONDAY,
        num_days=2,
        shifts=(
            ShiftType(id="E", start="07:00", length_minutes=480),
            ShiftType(id="L", start="14:00", length_minutes=480),
            ShiftType(id="N", start="21:00", length_minutes=600),
        ),
        staff=(
            Staff(id="ana", name="Ana Silva", grade="RN", skills=("scrub",)),
            Staff(id="jo", name="Jo Park", grade="RN", skills=("scrub", "ortho")),
            Staff(id="sam", name="Sam Lee", grade="HCA"),
        ),
    )


def _roster() -> RosterSolution:
    return RosterSolution(
        assignments=(
            Assignment(staff="ana", day=0, shift="E"),  # Mon 07:00–15:00
            Assignment(staff="ana", day=1, shift="N"),  # Tue 21:00–Wed 07:00
            Assignment(staff="jo", day=0, shift="L"),  # Mon 14:00–22:00
            Assignment(staff="jo", day=0, shift="N"),  # not legal, but merges: 14:00–07:00
        )
    )


def test_shifts_become_minutes_from_the_roster_start() -> None:
    duty = roster_to_availability(_roster_problem(), _roster())
    assert duty == {
        "ana": [(420, 900), (1440 + 1260, 1440 + 1860)],
        "jo": [(840, 1860)],  # the late and the night touch/overlap: merged
        "sam": [],
    }


def test_a_later_case_start_shifts_and_clips_the_windows() -> None:
    # Case horizon: Tue 00:00 for 24 h. Ana's Mon early is gone, her Tue night is
    # clipped at Wed 00:00; Jo's Mon night reaches into Tue until 07:00.
    duty = roster_to_availability(
        _roster_problem(), _roster(), start=dt.datetime(2026, 12, 8), horizon=1440
    )
    assert duty == {"ana": [(1260, 1440)], "jo": [(0, 420)], "sam": []}


def test_result_without_roster_and_unknown_staff_are_input_errors() -> None:
    with pytest.raises(InputError, match="holds no roster"):
        roster_to_availability(_roster_problem(), Result(status=SolveStatus.INFEASIBLE))
    with pytest.raises(InputError, match="unknown roster staff 'zed'"):
        roster_to_availability(_roster_problem(), _roster(), staff=["zed"])


def test_staff_from_roster_maps_skills_and_grades_to_roles() -> None:
    staff = staff_from_roster(
        _roster_problem(),
        _roster(),
        roles={"scrub": ["scrub_nurse"], "ortho": ["scrub_ortho"]},
        max_minutes=600,
        overtime=45,
    )
    assert [(p.id, p.roles, p.max_minutes, p.overtime) for p in staff] == [
        ("ana", ("scrub_nurse",), 600, 45),
        ("jo", ("scrub_nurse", "scrub_ortho"), 600, 45),
    ]  # Sam (HCA, no mapped skill) is left out
    assert staff[0].available is not None and staff[0].available[0].start == 420
    kept = staff_from_roster(_roster_problem(), _roster(), roles={}, keep_unmapped=True)
    assert [p.id for p in kept] == ["ana", "jo", "sam"] and kept[2].available == ()


def test_solved_roster_drives_the_case_schedule() -> None:
    # Roster: one early on Monday needs a scrub nurse; only Jo may work (Ana has
    # max_shifts 0), so the optimum (0) puts Jo on E on day 0 and nobody else on.
    roster_problem = RosterProblem(
        start_date=MONDAY,
        num_days=1,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=(
            Staff(id="ana", name="Ana Silva", skills=("scrub",), contract=Contract(max_shifts=0)),
            Staff(id="jo", name="Jo Park", skills=("scrub",)),
        ),
        cover=(CoverDemand(day=0, shift="E", skill="scrub", required=1, over_weight=1),),
    )
    roster, _ = solve_verified(roster_problem, time_limit=10)
    assert roster.objective == 0
    # Cases: one 2-hour case needs a scrub nurse; the room opens 08:00–18:00.
    cases = CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(Task(id="C1", duration=120, team=(TeamRequirement(role="scrub_nurse"),)),),
        rooms=(Room(id="OR1", openings=(Opening(start=480, end=1080),)),),
        staff=(
            StaffMember(id="ana", roles=("scrub_nurse",)),
            StaffMember(id="jo", roles=("scrub_nurse",)),
        ),
    )
    rostered = with_roster_availability(cases, roster_problem, roster)
    assert [p.available for p in rostered.staff] == [(), rostered.staff[1].available]
    assert rostered.staff[1].available is not None
    assert [(w.start, w.end) for w in rostered.staff[1].available] == [(420, 900)]
    result, _ = solve_verified(rostered, time_limit=10)
    assert result.schedule is not None
    (placed,) = result.schedule.tasks
    assert placed.staff == ("jo",) and placed.start >= 480 and placed.end <= 900


def test_case_problem_without_start_cannot_take_a_roster() -> None:
    cases = CaseProblem(horizon=100, tasks=(Task(id="C1", duration=10),))
    with pytest.raises(InputError, match="no start date"):
        with_roster_availability(cases, _roster_problem(), _roster())
