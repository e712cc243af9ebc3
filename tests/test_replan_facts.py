"""Re-planning accepts facts (a case that ran into the next session or past a person's
max_minutes) and refuses bad input naming it (``now``, a deadline already passed)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from optimizer.errors import InputError
from optimizer.model.cases import (
    CasePin,
    CaseProblem,
    Opening,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
)
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.replan import AddCase, CaseOverrun, Change, ReplanOutcome, replan, replan_problem
from tests.verify import verify_result

MONDAY = dt.datetime(2026, 12, 7, 8, 0)
SOLVE = {"time_limit": 5, "workers": 1, "seed": 0}


def _sessions(pm_overtime: int = 0, pm_duration: int = 120) -> CaseProblem:
    """OR1 holds an AM list 0–270 and a PM list 330–600 (turnover 15): the knee (AM1,
    Mr A) and the hip (PM1, Ms B)."""
    return CaseProblem(
        start=MONDAY,
        horizon=720,
        turnover=15,
        rooms=(
            Room(
                id="OR1",
                openings=(
                    Opening(start=0, end=270),
                    Opening(start=330, end=600, overtime=pm_overtime),
                ),
            ),
        ),
        staff=(StaffMember(id="S1", name="Mr A"), StaffMember(id="S2", name="Ms B")),
        tasks=(
            Task(id="AM1", name="Knee", duration=240, staff=("S1",)),
            Task(id="PM1", name="Hip", duration=pm_duration, staff=("S2",)),
        ),
    )


def _sessions_plan(pm_duration: int = 120) -> CaseSchedule:
    return CaseSchedule(
        tasks=(
            ScheduledTask(task="AM1", start=0, end=240, room="OR1", staff=("S1",)),
            ScheduledTask(task="PM1", start=330, end=330 + pm_duration, room="OR1", staff=("S2",)),
        )
    )


def _verified(
    problem: CaseProblem, plan: CaseSchedule, changes: list[Change], now: int
) -> ReplanOutcome:
    outcome = replan(problem, plan, changes, now=now, **SOLVE)
    verify_result(outcome.problem, outcome.result)
    return outcome


def _starts(outcome: ReplanOutcome) -> dict[str, int]:
    assert outcome.result.schedule is not None
    return {t.task: t.start for t in outcome.result.schedule.tasks}


def test_a_case_that_ran_into_the_afternoon_session_moves_the_afternoon_list() -> None:
    # The knee ran until 345, 15 minutes into the PM session (330): the PM opening now
    # starts at 345 and the hip waits for the turnover, 360. Costs: room overtime
    # 345 - 270 = 75 and one moved case (100) = 175; the old code refused with
    # "openings starting at 0 and 330 overlap".
    outcome = _verified(
        _sessions(), _sessions_plan(), [CaseOverrun(task="AM1", actual_end=345)], 250
    )
    assert _starts(outcome) == {"AM1": 0, "PM1": 360}
    assert outcome.result.objective == 175
    assert [(o.start, o.end, o.overtime) for o in outcome.problem.rooms[0].openings] == [
        (0, 270, 75),
        (345, 600, 0),
    ]
    assert outcome.messages() == [
        "Knee: now ends Mon 07 Dec 13:45 (was Mon 07 Dec 12:00)",
        "Hip: Mon 07 Dec 13:30 → Mon 07 Dec 14:00",
    ]


def test_a_case_that_ran_past_the_afternoon_sessions_hours_keeps_its_overtime() -> None:
    # The knee ran until 610, past the PM session's end (600) into its overtime (660):
    # the PM opening goes, the AM opening runs on until 660, and the 30-minute hip runs
    # 625–655 after the turnover. Overtime: 655 - 270 = 385, plus the move (100).
    problem, plan = _sessions(pm_overtime=60, pm_duration=30), _sessions_plan(30)
    outcome = _verified(problem, plan, [CaseOverrun(task="AM1", actual_end=610)], 250)
    assert _starts(outcome) == {"AM1": 0, "PM1": 625}
    assert outcome.result.objective == 485
    assert [(o.start, o.end, o.overtime) for o in outcome.problem.rooms[0].openings] == [
        (0, 270, 390)
    ]


def test_a_case_that_ran_into_a_pinned_afternoon_case_is_refused_naming_both() -> None:
    problem = _sessions().model_copy(update={"pins": (CasePin(task="PM1", start=330, room="OR1"),)})
    with pytest.raises(InputError) as refused:
        replan(problem, _sessions_plan(), [CaseOverrun(task="AM1", actual_end=345)], now=250)
    assert refused.value.field == "pins"
    assert refused.value.message.startswith(
        "case 'AM1' (Knee) running until Mon 07 Dec 13:45 in room OR1 (turnover 15 min) "
        "clashes with the pin of case 'PM1' (Hip: Mon 07 Dec 13:30–15:30 in room OR1)"
    )


def _limited(optional: bool = True) -> tuple[CaseProblem, CaseSchedule]:
    """Mr A (max 240 working minutes) does the knee 0–120 and the hip 135–195."""
    problem = CaseProblem(
        start=MONDAY,
        horizon=720,
        turnover=15,
        rooms=(Room(id="OR1", openings=(Opening(start=0, end=600, overtime=60),)),),
        staff=(StaffMember(id="S1", name="Mr A", max_minutes=240),),
        tasks=(
            Task(id="X", name="Knee", duration=120, staff=("S1",)),
            Task(id="Z", name="Hip", duration=60, staff=("S1",), optional=optional),
        ),
    )
    plan = CaseSchedule(
        tasks=(
            ScheduledTask(task="X", start=0, end=120, room="OR1", staff=("S1",)),
            ScheduledTask(task="Z", start=135, end=195, room="OR1", staff=("S1",)),
        )
    )
    return problem, plan


def test_a_case_that_ran_past_a_max_minutes_is_kept_and_the_others_dropped() -> None:
    # The knee ran 300 minutes, more than Mr A's max 240: the fact stands (limit raised
    # to 300), the hip is dropped with the reason (no cost: it leaves the problem), and
    # a note says so. The old code refused: "no availability window of 300 minutes".
    problem, plan = _limited()
    outcome = _verified(problem, plan, [CaseOverrun(task="X", actual_end=300)], 100)
    assert _starts(outcome) == {"X": 0}
    assert outcome.result.objective == 0
    assert outcome.problem.staff[0].max_minutes == 300
    reason = (
        "Mr A already works 300 minutes on started cases (Knee), more than their max 240 "
        "working minutes"
    )
    assert outcome.dropped == {"Z": reason}
    assert outcome.messages() == [
        "Mr A's max working minutes are raised from 240 to 300 for this re-plan: their "
        "started cases (Knee) already take 300 minutes",
        "Knee: now ends Mon 07 Dec 13:00 (was Mon 07 Dec 10:00)",
        f"Hip: dropped from the schedule (was Mon 07 Dec 10:15): {reason}",
    ]


def test_a_case_within_max_minutes_leaves_the_limit_alone() -> None:
    # 200 minutes worked <= 240: no limit raised, no note; the hip (60) no longer fits
    # and the solver leaves it out: unscheduled 1000 + baseline move 100 + staff 10.
    problem, plan = _limited()
    outcome = _verified(problem, plan, [CaseOverrun(task="X", actual_end=200)], 100)
    assert outcome.problem.staff[0].max_minutes == 240
    assert outcome.notes == [] and outcome.dropped == {}
    assert outcome.result.objective == 1110


def test_a_mandatory_case_of_someone_past_max_minutes_is_refused_naming_the_limit() -> None:
    problem, plan = _limited(optional=False)
    with pytest.raises(InputError) as refused:
        replan_problem(problem, plan, [CaseOverrun(task="X", actual_end=300)], now=100)
    assert refused.value.field == "actual_end"
    assert refused.value.message.startswith(
        "case 'Z' (Hip) must be scheduled with Mr A (S1), but Mr A already works 300 "
        "minutes on started cases (Knee), more than their max 240 working minutes"
    )


def test_validation_names_max_minutes_apart_from_availability_windows() -> None:
    problem, _ = _limited()
    data = problem.model_dump()
    data["tasks"][0]["duration"] = 300
    with pytest.raises(ValidationError) as refused:
        CaseProblem.model_validate(data)
    message = refused.value.errors()[0]["msg"]
    assert "named staff 'S1' may work at most 240 minutes (max_minutes)" in message
    assert "availability window" not in message
    data["tasks"][0].update(staff=[], team=[TeamRequirement(role="surgeon").model_dump()])
    data["staff"][0]["roles"] = ["surgeon"]
    with pytest.raises(ValidationError) as refused:
        CaseProblem.model_validate(data)
    assert (
        "needs 1 'surgeon' but only 0 have an availability window of 300 minutes within "
        "[0, 720] and max_minutes of at least 300 (1 of the 1 who hold that role has "
        "max_minutes below 300)"
    ) in refused.value.errors()[0]["msg"]


def test_an_added_case_whose_deadline_passed_is_refused_naming_now() -> None:
    problem, plan = _limited()
    late = AddCase(task=Task(id="C8", duration=10, deadline=50))
    with pytest.raises(InputError) as refused:
        replan(problem, plan, [late], now=100)
    assert refused.value.field == "task"
    assert refused.value.message == (
        "case 'C8' (added): its deadline Mon 07 Dec 08:50 is before now (Mon 07 Dec 09:40); "
        "give it a later deadline, or mark it optional"
    )
    tight = AddCase(task=Task(id="C9", name="Biopsy", duration=30, deadline=110))
    with pytest.raises(InputError, match=r"case 'C9' \(Biopsy, added\): its 30 minutes no "):
        replan(problem, plan, [tight], now=100)


def test_an_optional_added_case_whose_deadline_passed_is_dropped_with_the_reason() -> None:
    problem, plan = _limited()
    late = AddCase(task=Task(id="C8", duration=10, deadline=50, optional=True, staff=("S1",)))
    outcome = _verified(problem, plan, [late], 100)
    assert "C8" in outcome.dropped and "window closes" in outcome.dropped["C8"]


@pytest.mark.parametrize("now", [-10, 721, 800])
def test_now_outside_the_schedule_is_refused(now: int) -> None:
    problem, plan = _limited()
    for call in (replan, replan_problem):
        with pytest.raises(InputError) as refused:
            call(problem, plan, [], now=now)
        assert refused.value.field == "now"
        assert refused.value.message == (
            f"now ({now} minutes from the start) is outside the schedule: it must lie within "
            "0 to 720 minutes (Mon 07 Dec 08:00–20:00)"
        )
