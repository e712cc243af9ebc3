"""Why cases are unscheduled or late, and utilisation, on hand-checkable instances."""

from __future__ import annotations

import datetime as dt

from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.explain.case_reasons import explain_task
from optimizer.explain.case_utilisation import room_summary, room_utilisation, staff_utilisation
from optimizer.explain.cases import explain_schedule
from optimizer.model.cases import (
    CasePin,
    CaseProblem,
    CaseWeights,
    Opening,
    Resource,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.result import CaseSchedule, ScheduledTask
from tests.verify import solve_verified

MONDAY = dt.datetime(2026, 12, 7)
H8, H9, H10, H12, H13, H17 = 480, 540, 600, 720, 780, 1020


def _room(room_id: str, start: int = H8, end: int = H12, **kw: object) -> Room:
    return Room(id=room_id, openings=(Opening(start=start, end=end),), **kw)


def test_no_anaesthetist_on_duty_while_the_room_is_open() -> None:
    # The room is open 08–12, the only anaesthetist is on 13–17: the case can never
    # run, so the optimum leaves it out (cost 1000) and the reason is the rota.
    problem = CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(
            Task(
                id="A",
                procedure="Hernia repair",
                duration=60,
                optional=True,
                team=(TeamRequirement(role="anaesthetist"),),
            ),
        ),
        rooms=(_room("OR1"),),
        staff=(
            StaffMember(
                id="AN1",
                name="Dr Priya Raman",
                roles=("anaesthetist",),
                available=(Window(start=H13, end=H17),),
            ),
        ),
    )
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 1000
    explanation = explain_schedule(problem, result)
    assert [t.task for t in explanation.tasks] == ["A"]
    reason = explanation.tasks[0].reasons[0]
    assert reason.code == "role_off_duty:anaesthetist"
    assert reason.message == (
        "Dr Priya Raman (the only anaesthetist) is on duty only Mon 07 Dec 13:00–17:00, "
        "and no room opening then holds the 60-minute case"
    )


def test_named_surgeon_off_duty_when_the_room_is_open() -> None:
    # The surgeon works only 13–17 while the room closes at 12.
    problem = CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(Task(id="A", duration=60, optional=True, staff=("S1",)),),
        rooms=(_room("OR1"),),
        staff=(
            StaffMember(id="S1", name="Mr Daniel Okafor", available=(Window(start=H13, end=H17),)),
        ),
    )
    result, _ = solve_verified(problem, time_limit=10)
    found = explain_task(problem, result.schedule or CaseSchedule(), "A")
    assert found is not None and found.status == "unscheduled"
    assert found.reasons[0].code == "staff_off_duty"
    assert "Mr Daniel Okafor is on duty only Mon 07 Dec" in found.reasons[0].message


def _c_arm_problem() -> CaseProblem:
    """Two 90-minute cases both need the single C-arm; rooms are open 08–10.

    Only one fits: the optimum keeps the priority-2 case A and leaves B out (1000).
    """
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(
            Task(id="A", duration=90, optional=True, priority=2, resources={"c_arm": 1}),
            Task(id="B", duration=90, optional=True, priority=1, resources={"c_arm": 1}),
        ),
        rooms=(_room("OR1", H8, H10), _room("OR2", H8, H10)),
        resources=(Resource(id="c_arm", name="C-arm", capacity=1),),
    )


def test_equipment_at_capacity_blocks_every_start() -> None:
    problem = _c_arm_problem()
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 1000
    assert result.schedule is not None and result.schedule.unscheduled == ("B",)
    found = explain_task(problem, result.schedule, "B")
    assert found is not None
    # every candidate (start, room) is blocked by the C-arm; half of them (those in
    # A's room) also by the busy room
    assert [(r.code, r.share) for r in found.reasons] == [
        ("equipment:c_arm", 1.0),
        ("room_busy", 0.5),
    ]
    assert found.reasons[0].message.startswith("C-arm at capacity (1)")


def test_late_case_blamed_on_the_busy_room() -> None:
    # One room 08–12, both 60-minute cases due 09:00; A (priority 2) goes first,
    # B ends at 10:00: 60 minutes late × priority 1 = 60, the optimum.
    problem = CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(
            Task(id="A", duration=60, due=H9, priority=2),
            Task(id="B", duration=60, due=H9, priority=1),
        ),
        rooms=(_room("OR1"),),
    )
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 60
    explanation = explain_schedule(problem, result)
    assert [(t.task, t.status, t.minutes_late) for t in explanation.tasks] == [("B", "late", 60)]
    assert [(r.code, r.share) for r in explanation.tasks[0].reasons] == [("room_busy", 1.0)]


def test_a_free_slot_is_reported_when_the_schedule_left_one() -> None:
    problem = _c_arm_problem()
    schedule = CaseSchedule(unscheduled=("A", "B"))
    found = explain_task(problem, schedule, "A")
    assert found is not None and found.reasons[0].code == "free_slot"
    assert found.free_slot is not None and found.free_slot.start == H8
    assert "a slot was free at Mon 07 Dec 08:00" in found.message


def test_a_free_slot_in_overtime_says_what_it_would_cost() -> None:
    # Room open 0–100 (+100 overtime at 10 a minute); A fills the regular hours, so B
    # (optional, 200 if left out) would run 100–150 in overtime: 500 - 200 = 300 more.
    problem = CaseProblem(
        horizon=300,
        rooms=(Room(id="R", openings=(Opening(start=0, end=100, overtime=100),)),),
        tasks=(
            Task(id="A", duration=100),
            Task(id="B", duration=50, optional=True, unscheduled_penalty=200),
        ),
        weights=CaseWeights(tardiness=0, overtime=10),
    )
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 200 and result.schedule is not None
    found = explain_task(problem, result.schedule, "B")
    assert found is not None and found.reasons[0].code == "free_slot"
    assert "using it would cost 300 more (room overtime +500, left-out cases -200)" in (
        found.message
    )
    assert "time limit" not in found.message


def test_scheduled_on_time_tasks_need_no_explanation() -> None:
    problem = _c_arm_problem()
    schedule = CaseSchedule(
        tasks=(ScheduledTask(task="A", start=H8, end=H8 + 90, room="OR1"),), unscheduled=("B",)
    )
    assert explain_task(problem, schedule, "A") is None


def test_utilisation_per_room_and_person() -> None:
    problem = CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=(
            Task(id="A", duration=60, staff=("S1",)),
            Task(id="B", duration=60, staff=("S1",)),
        ),
        rooms=(_room("OR1", turnover=15), _room("OR2")),
        staff=(
            StaffMember(id="S1", name="Ms Helen Marsh", available=(Window(start=H8, end=H12),)),
        ),
    )
    schedule = CaseSchedule(
        tasks=(
            ScheduledTask(task="A", start=H8, end=H9, room="OR1", staff=("S1",)),
            ScheduledTask(task="B", start=H9 + 15, end=H10 + 15, room="OR1", staff=("S1",)),
        )
    )
    assert check(problem, schedule).feasible
    rooms = {r.room: r for r in room_utilisation(problem, schedule)}
    # OR1: 120 booked minutes of 240 open, one turnover of 15 minutes between them
    assert (rooms["OR1"].booked_minutes, rooms["OR1"].open_minutes) == (120, 240)
    assert rooms["OR1"].utilisation == 0.5 and rooms["OR1"].turnover_minutes == 15
    assert rooms["OR2"].cases == 0 and rooms["OR2"].utilisation == 0.0
    (surgeon,) = staff_utilisation(problem, schedule)
    assert (surgeon.tasks, surgeon.booked_minutes, surgeon.on_duty_minutes) == (2, 120, 240)
    rows = room_summary(problem, schedule)
    assert [(r.room, r.cases, r.booked, r.utilisation_pct) for r in rows] == [
        ("OR1", 2, "2h00", 50.0),
        ("OR2", 0, "0h00", 0.0),
    ]
    assert rows[0].first_start == "Mon 07 Dec 08:00" and rows[0].last_end == "Mon 07 Dec 10:15"


def test_greedy_schedule_is_feasible_and_honours_pins() -> None:
    problem = _c_arm_problem().model_copy(
        update={"pins": (CasePin(task="B", start=H8 + 10, room="OR2"),)}
    )
    problem = CaseProblem.model_validate(problem.model_dump())
    schedule = greedy_schedule(problem)
    report = check(problem, schedule)
    assert report.feasible, report.violations
    placed = schedule.by_task()
    assert (placed["B"].start, placed["B"].room) == (H8 + 10, "OR2")
    assert schedule.unscheduled == ("A",)  # the C-arm is taken 08:10–09:40
